import Foundation
import TestSupport
import Testing

/// The `ndpd` binary's own command line, run as a user runs it (no root, no network): the
/// version, `import` followed by `check`.
struct CommandLineTests {
    /// Runs the built ndpd with `arguments`; its exit status, standard output and standard error.
    static func ndpd(_ arguments: [String], input: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let binary = try #require(EndToEnd.locateNdpd(), "no ndpd binary next to the test bundle nor in .build/debug")
        return try run(binary, arguments, input: input)
    }

    /// Runs `tool` with `arguments`, capturing both outputs.
    static func run(
        _ tool: String, _ arguments: [String], input: String? = nil,
        environment: [String: String]? = nil
    ) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let scratch = try TemporaryDirectory()
        let outPath = scratch.path("out")
        let errPath = scratch.path("err")
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        if let input {
            let inPath = scratch.path("in")
            try Data(input.utf8).write(to: URL(fileURLWithPath: inPath))
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        return (
            process.terminationStatus, try String(contentsOfFile: outPath, encoding: .utf8),
            try String(contentsOfFile: errPath, encoding: .utf8)
        )
    }

    static let root = TestEnvironment.packageRoot

    /// `ndpd --version` prints the version of the VERSION file and a commit.
    @Test func version() throws {
        let expected = try String(contentsOf: Self.root.appendingPathComponent("VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try Self.ndpd(["--version"])
        #expect(result.status == 0)
        let line = result.out.trimmingCharacters(in: .newlines)
        #expect(line.hasPrefix("ndpd \(expected) (commit "))
        let commit = line.dropFirst("ndpd \(expected) (commit ".count).dropLast()
        // 12 hex digits (optionally -dirty), or "unknown" outside a git checkout.
        #expect(commit == "unknown" || commit.prefix(12).allSatisfy(\.isHexDigit), "commit \(commit)")
    }

    /// `ndpd import` of a real-world layout writes a file that `ndpd check` accepts, and the
    /// warnings go to standard error, not into the file.
    @Test func importThenCheck() throws {
        let fixture = Self.root.appendingPathComponent("Tests/NDPImportTests/Fixtures/ndppd-quirks.conf").path
        let imported = try Self.ndpd(["import", fixture])
        #expect(imported.status == 0)
        #expect(imported.err.contains("warning: ") && imported.err.contains("first rule that matches"))
        #expect(!imported.out.contains("warning: "))
        let scratch = try TemporaryDirectory()
        let path = scratch.path("ndpd.toml")
        try Data(imported.out.utf8).write(to: URL(fileURLWithPath: path))
        let check = try Self.ndpd(["check", "--config", path])
        #expect(check.status == 0, "\(check.err)")
        #expect(check.out.hasSuffix("\(path): OK\n"))
    }

    /// `ndpd check` accepts a live block and prints its settings; the flags' quick form replays
    /// the live fixture as its TOML does.
    @Test func liveModeCheckAndFlags() throws {
        let config = Self.root.appendingPathComponent("Captures/live-stale.toml").path
        let check = try Self.ndpd(["check", "--config", config])
        #expect(check.status == 0, "\(check.err)")
        #expect(check.out.contains("mode=live guest-interfaces=br0 reachable=1s idle=10m probes=3"), "\(check.out)")
        let capture = Self.root.appendingPathComponent("Captures/live-stale.pcap").path
        let fromTOML = try Self.ndpd(["--replay", capture, "--config", config, "--json"])
        let fromFlags = try Self.ndpd([
            "--replay", capture, "--json", "--interface", "br0", "--mac", "02:00:00:00:00:01",
            "--host-address", "2001:db8:0:96ce::1", "--proxy", "2001:db8:0:96ce::/64",
            "--proxy", "2001:db8:0:96ff:ff:ff:ff:ff", "--mode", "live", "--live-setting", "reachable=1s",
        ])
        #expect(fromTOML.status == 0 && fromFlags.status == 0, "\(fromFlags.err)")
        #expect(fromTOML.out == fromFlags.out)
        #expect(fromFlags.out.contains("\"reason\":\"not-live\""))
        let bad = try Self.ndpd([
            "--replay", capture, "--interface", "br0", "--proxy", "2001:db8::/64", "--live-setting", "probes=0",
        ])
        #expect(
            bad.status == 2 && bad.err.contains("command line: --live-setting: probes: 0 is outside 1 ... 10"),
            "\(bad.err)")
    }

    /// Standard input with --from; nothing to answer for exits 1; an unknown format exits 2.
    @Test func importExitStatuses() throws {
        let piped = try Self.ndpd(["import", "--from", "ip-neigh", "-"], input: "2001:db8::7 dev br0 proxy\n")
        #expect(piped.status == 0)
        #expect(piped.out.contains("interface = \"br0\"") && piped.out.contains("\"2001:db8::7\","))
        let routed = try Self.ndpd(
            ["import", "--from", "ndppd", "-"], input: "proxy eth0 {\n rule 2001:db8::/64 { auto }\n}\n")
        #expect(routed.status == 0 && routed.out.contains("guest-interfaces = \"routes\""))
        let nothing = try Self.ndpd(
            ["import", "--from", "ndppd", "-"], input: "proxy eth0 {\n rule 2001:db8::1 { auto }\n}\n")
        #expect(nothing.status == 1)
        #expect(nothing.err.contains("nothing to answer for could be imported"))
        let unknown = try Self.ndpd(["import", "-"], input: "hello\n")
        #expect(unknown.status == 2)
    }
}
