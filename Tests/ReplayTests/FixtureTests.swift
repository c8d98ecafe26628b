import Foundation
import NDPDaemon
import NDPIO
import NDPPolicy
import TestSupport
import Testing

/// The fixtures in Captures/.
enum Paths {
    static let captures = TestEnvironment.captures

    /// Every fixture: a `NAME.expected.jsonl` beside `NAME.pcap` and `NAME.toml`.
    static var fixtures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: captures.path)) ?? []
        return names.filter { $0.hasSuffix(".expected.jsonl") }
            .map { String($0.dropLast(".expected.jsonl".count)) }.sorted()
    }
}

/// Runs replay in-process and collects what it prints.
func replay(_ capture: String, rule: ProxyRule, json: Bool = true, write: String? = nil) -> (
    status: Int32, lines: [String], errors: [String]
) {
    var options = ReplayOptions(capturePath: capture)
    options.json = json
    options.writePath = write
    nonisolated(unsafe) var lines: [String] = []
    var errors: [String] = []
    let status = Replay.run(rule: rule, options: options, output: { lines.append($0) }, errors: { errors.append($0) })
    return (status, lines, errors)
}

/// The project's own recorded fixtures (Captures/): each replayed with its config gives exactly
/// its expected `--json` lines.
struct FixtureTests {
    @Test func thereAreFixtures() {
        #expect(Paths.fixtures.count >= 5, "Captures/ holds \(Paths.fixtures)")
    }

    @Test(arguments: Paths.fixtures)
    func fixtureMatchesItsExpectedOutput(_ name: String) throws {
        let base = Paths.captures.appendingPathComponent(name)
        let config = try ConfigurationLoader.load(path: base.path + ".toml")
        let rule = try #require(config.proxies.first)
        let expected = try String(contentsOf: URL(fileURLWithPath: base.path + ".expected.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let statusFile = base.path + ".expected-status"
        let expectedStatus =
            (try? String(contentsOfFile: statusFile, encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let result = replay(base.path + ".pcap", rule: rule)
        #expect(result.status == expectedStatus, "\(result.errors)")
        let lines = result.lines.filter { !$0.hasPrefix("{\"summary\"") }
        #expect(lines == expected)
        #expect(result.lines.last?.hasPrefix("{\"summary\"") == true, "the output closes with a summary object")
    }

    @Test func seedWithTheDemoConfigurationAnswers() throws {
        let result = replay(Paths.captures.appendingPathComponent("seed.pcap").path, rule: CommandLineRule.demo)
        #expect(result.status == 0)
        #expect(result.lines.filter { $0.contains("\"decision\":\"answer\"") }.count >= 3)
        #expect(result.lines.contains { $0.contains("\"reason\":\"own-address\"") })
    }
}

/// Damaged input: a clear message and exit status 2, after reporting what was read.
struct DamagedInputTests {
    static let rule = CommandLineRule.demo

    @Test func garbageIsNotACapture() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ndpd-garbage-\(UUID().uuidString).pcap"
        ).path
        try "this is not a capture file\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = replay(path, rule: Self.rule)
        #expect(result.status == 2)
        #expect(result.errors.first?.contains("not a readable capture file") == true, "\(result.errors)")
        #expect(result.lines.isEmpty)
    }

    @Test func missingFile() {
        let result = replay("/nonexistent/ndpd.pcap", rule: Self.rule)
        #expect(result.status == 2)
        #expect(!result.errors.isEmpty)
    }

    @Test func cutMidRecordReportsTheRecordsBefore() throws {
        let seed = try Data(contentsOf: Paths.captures.appendingPathComponent("seed.pcap"))
        let whole = replay(Paths.captures.appendingPathComponent("seed.pcap").path, rule: Self.rule)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ndpd-cut-\(UUID().uuidString).pcap")
            .path
        // Cut 10 bytes into the last record's data: every record before it is whole.
        try seed.prefix(seed.count - 20).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cut = replay(path, rule: Self.rule)
        #expect(cut.status == 2)
        #expect(cut.errors.contains { $0.contains("damaged after record") }, "\(cut.errors)")
        let wholeLines = whole.lines.filter { !$0.hasPrefix("{\"summary\"") }
        let cutLines = cut.lines.filter { !$0.hasPrefix("{\"summary\"") }
        #expect(cutLines.count == wholeLines.count - 1, "all but the cut solicitation are reported")
        #expect(Array(wholeLines.prefix(cutLines.count)) == cutLines)
        #expect(cut.lines.last?.contains("\"complete\":false") == true)
    }

    @Test(
        .enabled(
            if: TestEnvironment.corpusDirectory != nil || TestEnvironment.isCI, "../shared/captures/public is absent"))
    func unsupportedLinkTypeIsNamed() throws {
        let corpus = try #require(TestEnvironment.corpusDirectory, "the public corpus is required in CI")
        let ppp = corpus.appendingPathComponent("zeek-quic-handshake-ppp.pcap").path
        let result = replay(ppp, rule: Self.rule)
        #expect(result.status == 2)
        #expect(result.errors.first?.contains("unsupported link type 9") == true, "\(result.errors)")
    }
}

/// `--write`: a pcap tshark reads, every checksum good, tags mirrored.
struct WriteTests {
    static var tshark: String? {
        ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: tshark != nil || TestEnvironment.isCI, "tshark is not installed"))
    func writtenAdvertisementsPassTshark() throws {
        let tshark = try #require(Self.tshark, "tshark is required in CI")
        let capture = Paths.captures.appendingPathComponent("unusual-valid.pcap")
        let source =
            FileManager.default.fileExists(atPath: capture.path)
            ? capture : Paths.captures.appendingPathComponent("seed.pcap")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ndpd-write-\(UUID().uuidString).pcap")
            .path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let config = try ConfigurationLoader.load(path: source.deletingPathExtension().path + ".toml")
        let result = replay(source.path, rule: config.proxies[0], write: out)
        #expect(result.status == 0)
        let answers = result.lines.filter { $0.contains("\"decision\":\"answer\"") }.count
        #expect(answers > 0)

        let (_, fields) = try TestProgram.run(
            tshark,
            [
                "-r", out, "-T", "fields",
                "-e", "icmpv6.type", "-e", "icmpv6.checksum.status", "-e", "ipv6.hlim",
                "-e", "icmpv6.nd.na.flag.s", "-e", "vlan.id",
            ])
        let rows = fields.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false)
        }
        #expect(rows.count == answers, "one NA per answer")
        for row in rows {
            #expect(row[0] == "136")
            #expect(row[1] == "1", "tshark checksum status Good (1)")
            #expect(row[2] == "255")
        }
        if source == capture {
            #expect(rows.contains { $0.count > 4 && !$0[4].isEmpty }, "a tagged NS gets a tagged NA")
        }
    }
}

/// Replay counts answers decided and answers written as two figures (`Statistics.answered`,
/// `Statistics.advertisementsSent`): the summary's `written` is the records really in the file.
struct WrittenCountTests {
    static func summaryField(_ name: String, in lines: [String]) -> Int? {
        guard let summary = lines.last, summary.hasPrefix("{\"summary\""),
            let range = summary.range(of: "\"\(name)\":")
        else { return nil }
        return Int(summary[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func writtenIsWhatTheFileHolds() throws {
        let seed = Paths.captures.appendingPathComponent("seed.pcap").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ndpd-written-\(UUID().uuidString).pcap"
        ).path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = replay(seed, rule: CommandLineRule.demo, write: out)
        #expect(result.status == 0)
        let answers = result.lines.filter { $0.contains("\"decision\":\"answer\"") }.count
        #expect(answers >= 3)
        #expect(Self.summaryField("answer", in: result.lines) == answers)
        var records = 0
        try CaptureFile(path: out).forEach { _, _ in
            records += 1
            return true
        }
        #expect(records == answers)
        #expect(Self.summaryField("written", in: result.lines) == records)
    }

    @Test func nothingWrittenWithoutWrite() {
        let result = replay(Paths.captures.appendingPathComponent("seed.pcap").path, rule: CommandLineRule.demo)
        #expect((Self.summaryField("answer", in: result.lines) ?? 0) >= 3)
        #expect(Self.summaryField("written", in: result.lines) == nil, "no written figure when nothing is written")
    }
}
