import Foundation
import NDPPolicy
import TestSupport
import Testing

/// The kernel fixtures (Captures/kernel-fuzz-*, see Captures/README.md): ndpd judges every frame
/// of THC's fuzzer as the host's Linux kernel did, which answered only the NS it accepts. The
/// root-only end-to-end scenario `kernel` checks the same against the running kernel.
struct KernelFixtureTests {
    static let host = "2001:db8:0:96ce::1"
    /// Every fixture with the kernel's verdicts: `NAME.kernel` beside `NAME.pcap`.
    static var fixtures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestEnvironment.captures.path)) ?? []
        return names.filter { $0.hasSuffix(".kernel") }.map { String($0.dropLast(".kernel".count)) }.sorted()
    }
    static let compare = TestEnvironment.packageRoot.appendingPathComponent("Tests/EndToEnd/kernel_compare.py")
    static let differences = TestEnvironment.packageRoot.appendingPathComponent("Tests/EndToEnd/kernel-differences.txt")

    static var python: String? {
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// ndpd's `--json` lines for the fixture's capture, replayed in-process with its config.
    static func replayLines(_ name: String) throws -> (lines: [String], summary: String) {
        let base = TestEnvironment.captures.appendingPathComponent(name).path
        let rule = try #require(try ConfigurationLoader.load(path: base + ".toml").proxies.first)
        let result = replay(base + ".pcap", rule: rule)
        #expect(result.status == 0, "\(result.errors)")
        let summary = try #require(result.lines.last)
        return (result.lines.filter { !$0.hasPrefix("{\"summary\"") }, summary)
    }

    @Test func everyPassAndTheOptionFramesAreFixtures() {
        #expect(
            Self.fixtures == [
                "kernel-fuzz-D", "kernel-fuzz-F", "kernel-fuzz-H", "kernel-fuzz-I", "kernel-fuzz-J",
                "kernel-fuzz-R", "kernel-fuzz-S", "kernel-options",
            ])
    }

    @Test(.enabled(if: python != nil || TestEnvironment.isCI, "python3 is not installed"), arguments: fixtures)
    func ndpdAgreesWithTheKernel(_ name: String) throws {
        let python = try #require(Self.python, "python3 is required in CI")
        let base = TestEnvironment.captures.appendingPathComponent(name).path
        let scratch = try TemporaryDirectory()
        let jsonl = scratch.url.appendingPathComponent("ndpd.jsonl")
        try Self.replayLines(name).lines.map { $0 + "\n" }.joined().write(to: jsonl, atomically: true, encoding: .utf8)

        let (status, output) = try TestProgram.run(
            python,
            [Self.compare.path, base + ".pcap", base + ".kernel", jsonl.path, Self.host, Self.differences.path],
            keepingErrors: true)
        #expect(status == 0, "\(output)")
        #expect(output.contains("kernel_compare:"), "the comparison ran: \(output)")
    }

    @Test("The kernel answered NS in the -I and -R passes, so agreeing is not agreeing on nothing")
    func theKernelAnsweredSome() throws {
        for pass in ["I", "R"] {
            let text = try String(
                contentsOf: TestEnvironment.captures.appendingPathComponent("kernel-fuzz-\(pass).kernel"),
                encoding: .utf8)
            let answered = text.split(separator: "\n").filter { $0.hasSuffix(" 1") }.count
            #expect(answered > 500, "pass \(pass): \(answered) answered")
        }
    }

    @Test("An NS the IP layer discards is never answered, and is counted under its reason")
    func discardedIsCountedNeverAnswered() throws {
        // Every IP-layer word: the fuzzer's passes reach most, the option frames the rest.
        let words = [
            "loopback-address", "unspecified-destination", "multicast-scope", "ip-option-overrun", "padding",
            "too-many-options", "unknown-option", "router-alert-length",
            "jumbo-payload", "calipso", "ioam-alignment", "multicast-routed", "routing-header",
        ]
        var seen: Set<String> = []
        for name in [
            "kernel-fuzz-I", "kernel-fuzz-H", "kernel-fuzz-D", "kernel-fuzz-S", "kernel-fuzz-R", "kernel-options",
        ] {
            let (lines, summary) = try Self.replayLines(name)
            for word in words {
                let count = lines.filter { $0.contains("\"reason\":\"\(word)\"") }.count
                guard count > 0 else { continue }
                seen.insert(word)
                #expect(
                    lines.filter { $0.contains("\"reason\":\"\(word)\"") }.allSatisfy {
                        $0.contains("\"decision\":\"invalid\"")
                    })
                #expect(
                    summary.contains("\"\(word)\":\(count)"), "\(name): \(word) counted \(count) times in \(summary)")
            }
        }
        #expect(seen == Set(words), "every discard rule the fuzzer reaches is seen: \(seen)")
    }
}

/// An NS shorter than the ICMPv6 header: 1 octet (the type alone), 2 and 3. Each is a solicitation
/// too short to hold the checksum field, so `too-short`, not `checksum`, and never silently dropped.
struct ShortSolicitationReplayTests {
    /// An Ethernet frame: the router's multicast NS to ff02::1:ff00:2 cut to `length` ICMPv6 octets.
    static func frame(icmpLength length: Int) -> [UInt8] {
        let ethernet: [UInt8] = [0x33, 0x33, 0xFF, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x0A, 0x01, 0x86, 0xDD]
        let source: [UInt8] = [0xFE, 0x80] + [UInt8](repeating: 0, count: 9) + [0xFF, 0xFE, 0x00, 0x0A, 0x01]
        let destination: [UInt8] = [0xFF, 0x02] + [UInt8](repeating: 0, count: 9) + [0x01, 0xFF, 0x00, 0x00, 0x02]
        let ip: [UInt8] = [0x60, 0, 0, 0, 0, UInt8(length), 58, 255] + source + destination
        return ethernet + ip + Array([135, 0, 0].prefix(length))
    }

    @Test("ICMPv6 length 1, 2 and 3: invalid too-short, counted")
    func shorterThanTheHeader() throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.url.appendingPathComponent("short.pcap")
        var file: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 1, 0, 0, 0]
        for length in 1...3 {
            let frame = Self.frame(icmpLength: length)
            let size = UInt8(frame.count)
            file += [1, 0, 0, 0, 0, 0, 0, 0, size, 0, 0, 0, size, 0, 0, 0] + frame
        }
        try Data(file).write(to: path)
        let result = replay(path.path, rule: CommandLineRule.demo)
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.lines.filter { !$0.hasPrefix("{\"summary\"") }
        #expect(
            lines
                == (1...3).map {
                    "{\"frame\":\($0),\"source\":\"fe80::ff:fe00:a01\",\"decision\":\"invalid\",\"reason\":\"too-short\"}"
                })
        #expect(result.lines.last?.contains("\"too-short\":3") == true, "\(result.lines.last ?? "")")
    }
}
