import Foundation
import NDPPolicy
import NDPWire
import TestSupport
import Testing

@testable import NDPDaemon

/// The exposition as Prometheus itself reads it: `promtool check metrics` (Debian's prometheus
/// package) finds no error and no lint problem in what `--metrics-file` writes.
struct PromtoolTests {
    static let promtool = "/usr/bin/promtool"

    func counters() -> DaemonCounters {
        var statistics = Statistics()
        statistics.framesReceived = 12
        statistics.solicitations = 11
        statistics.count(.ignore(.notConfigured))
        statistics.count(.invalid(.hopLimit(64)))
        return DaemonCounters(
            interfaces: [
                InterfaceCounters(
                    interface: "br0", statistics: statistics, isOpen: true, unsolicitedAdvertisements: 3, opens: 1),
                InterfaceCounters(interface: "vmbr1", statistics: Statistics(), isOpen: false),
                InterfaceCounters(interface: "br1", statistics: Statistics(), isOpen: true)
                    .with(live: LiveFigures(LiveMetricsTests.table())),
            ],
            reloadsSucceeded: 1, reloadsFailed: 1)
    }

    @Test func promtoolAcceptsTheExposition() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.promtool) else {
            if TestEnvironment.isCI { Issue.record("promtool missing: scripts/setup.sh installs Debian's prometheus") }
            return
        }
        let text = MetricsText.prometheus(counters())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool: \(report)")
        #expect(report.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool: \(report)")
    }

    /// A broken exposition is refused, so the check above can fail.
    @Test func promtoolRefusesABrokenExposition() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.promtool) else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("# TYPE x counter\nx{a=\"1\" 2\n".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
    }
}
