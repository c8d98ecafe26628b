import Foundation
import NDPPolicy
import Testing
import TestSupport

/// The kernel fixtures (Captures/kernel-fuzz-*, see Captures/README.md): ndpd judges every frame
/// of THC's fuzzer as the host's Linux kernel did, which answered only the NS it accepts. The
/// root-only end-to-end scenario `kernel` checks the same against the running kernel.
struct KernelFixtureTests {
    static let host = "2001:db8:0:96ce::1"
    static let passes = ["I", "F", "H", "D", "S", "R", "J"]
    static let compare = TestEnvironment.packageRoot.appendingPathComponent("Tests/EndToEnd/kernel_compare.py")
    static let differences = TestEnvironment.packageRoot.appendingPathComponent("Tests/EndToEnd/kernel-differences.txt")

    static var python: String? {
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// ndpd's `--json` lines for the pass's capture, replayed in-process with its config.
    static func replayLines(_ pass: String) throws -> (lines: [String], summary: String) {
        let base = TestEnvironment.captures.appendingPathComponent("kernel-fuzz-\(pass)").path
        let rule = try #require(try ConfigurationLoader.load(path: base + ".toml").proxies.first)
        let result = replay(base + ".pcap", rule: rule)
        #expect(result.status == 0, "\(result.errors)")
        let summary = try #require(result.lines.last)
        return (result.lines.filter { !$0.hasPrefix("{\"summary\"") }, summary)
    }

    @Test(.enabled(if: python != nil || TestEnvironment.isCI, "python3 is not installed"), arguments: passes)
    func ndpdAgreesWithTheKernel(_ pass: String) throws {
        let python = try #require(Self.python, "python3 is required in CI")
        let base = TestEnvironment.captures.appendingPathComponent("kernel-fuzz-\(pass)").path
        let scratch = try TemporaryDirectory()
        let jsonl = scratch.url.appendingPathComponent("ndpd.jsonl")
        try Self.replayLines(pass).lines.map { $0 + "\n" }.joined().write(to: jsonl, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.compare.path, base + ".pcap", base + ".kernel", jsonl.path, Self.host, Self.differences.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("kernel_compare:"), "the comparison ran: \(output)")
    }

    @Test("The kernel answered NS in the -I and -R passes, so agreeing is not agreeing on nothing")
    func theKernelAnsweredSome() throws {
        for pass in ["I", "R"] {
            let text = try String(contentsOf: TestEnvironment.captures.appendingPathComponent("kernel-fuzz-\(pass).kernel"),
                                  encoding: .utf8)
            let answered = text.split(separator: "\n").filter { $0.hasSuffix(" 1") }.count
            #expect(answered > 500, "pass \(pass): \(answered) answered")
        }
    }

    @Test("An NS the IP layer discards is never answered, and is counted under its reason")
    func discardedIsCountedNeverAnswered() throws {
        let words = ["ip-option-overrun", "padding", "unknown-option", "router-alert-length", "jumbo-payload",
                     "multicast-routed"]
        var seen: Set<String> = []
        for pass in ["H", "D", "S", "R"] {
            let (lines, summary) = try Self.replayLines(pass)
            for word in words {
                let count = lines.filter { $0.contains("\"reason\":\"\(word)\"") }.count
                guard count > 0 else { continue }
                seen.insert(word)
                #expect(lines.filter { $0.contains("\"reason\":\"\(word)\"") }.allSatisfy { $0.contains("\"decision\":\"invalid\"") })
                #expect(summary.contains("\"\(word)\":\(count)"), "pass \(pass): \(word) counted \(count) times in \(summary)")
            }
        }
        #expect(seen == Set(words), "every discard rule the fuzzer reaches is seen: \(seen)")
    }
}
