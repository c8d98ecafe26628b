import Foundation
import Logging
import NDPIO
import NDPPolicy
import NDPWire
import Testing

@testable import NDPDaemon

/// Collects log lines in memory.
final class CollectingLogHandler: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [(Logger.Level, String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var lines: [(Logger.Level, String)] { lock.withLock { _lines } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { _lines.append((event.level, event.message.description)) }
    }
}

@Suite("SIGHUP reload")
struct ReloadTests {
    /// What one reload returned and logged.
    struct Reloaded {
        var rules: [ProxyRule]?
        var lines: [(Logger.Level, String)]
        var path: String
        var errors: [String] { lines.filter { $0.0 == .error }.map(\.1) }
    }

    /// Reloads a file holding `text` (deleted afterwards), or `path` as it is when `text` is nil.
    func reload(_ text: String?, path: String? = nil) throws -> Reloaded {
        let path = path ?? NSTemporaryDirectory() + "ndpd-reload-\(UUID().uuidString).toml"
        if let text {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        defer { if text != nil { try? FileManager.default.removeItem(atPath: path) } }
        let handler = CollectingLogHandler()
        let rules = ConfigurationReloader.reload(path: path, logger: Logger(label: "test") { _ in handler })
        return Reloaded(rules: rules, lines: handler.lines, path: path)
    }

    @Test("a valid file gives the new rules")
    func validFile() throws {
        let reloaded = try reload(
            """
            [[proxy]]
            interface = "br0"
            targets = ["2001:db8:0:96ce::/64", "2001:db8:0:96ff:ff:ff:ff:ff"]
            unsolicited-na = true
            """)
        #expect(reloaded.rules?.count == 1)
        #expect(reloaded.rules?.first?.targets.exactCount == 1)
        #expect(reloaded.rules?.first?.unsolicitedAdvertisements == true)
        #expect(reloaded.lines.allSatisfy { $0.0 < .error })
    }

    @Test("a broken file is refused: every problem logged at error level, nothing returned")
    func brokenFile() throws {
        let reloaded = try reload(
            """
            [[proxy]]
            interface = "br0"
            targets = ["2001:db8:0:96ce::/64", "not-an-address"]
            colour = "blue"
            """)
        #expect(reloaded.rules == nil)
        let path = reloaded.path
        #expect(reloaded.errors.contains { $0.contains("\(path):3") && $0.contains("not-an-address") })
        #expect(reloaded.errors.contains { $0.contains("\(path):4") && $0.contains("colour") })
        #expect(reloaded.errors.contains { $0.contains("refused") && $0.contains("previous configuration stays") })
    }

    @Test("a missing file is refused")
    func missingFile() throws {
        let reloaded = try reload(nil, path: "/nonexistent/ndpd.toml")
        #expect(reloaded.rules == nil)
        #expect(reloaded.errors.contains { $0.contains("cannot read") })
    }

    @Test("an engine keeps its counters when its rule is replaced between frames")
    func engineKeepsCounters() throws {
        let old = CommandLineRule.demo
        var engine = Engine(rule: old, interface: InterfaceFacts.replay(old))
        engine.countSendError()
        var flags = CommandLineRule(interface: "br0")
        flags.targets = ["2001:db8:0:1::/64"]
        engine.update(rule: try flags.build())
        #expect(engine.statistics.sendErrors == 1)
        #expect(engine.rule.targets.prefixCount == 1)
    }
}

@Suite("Background reload")
struct BackgroundReloadTests {
    /// Starts a background load of `path` and waits (at most 5 s) for it to wake the loop's poll.
    func loadAndWait(path: String) throws -> BackgroundReload {
        let wakeup = try Wakeup()
        let reload = BackgroundReload(wakeup: wakeup)
        let handler = CollectingLogHandler()
        reload.start(path: path, logger: Logger(label: "test") { _ in handler })
        var events = try EventPoll()
        try events.add(wakeup.descriptor, token: 7)
        #expect(try events.wait(timeoutMilliseconds: 5_000) == 1)
        #expect(events.token(at: 0) == 7)
        wakeup.drain()
        return reload
    }

    @Test("the load runs off the caller's thread, wakes the loop, and its outcome is taken once")
    func backgroundLoad() throws {
        let path = NSTemporaryDirectory() + "ndpd-bg-\(UUID().uuidString).toml"
        try "[[proxy]]\ninterface = \"br0\"\ntargets = [\"2001:db8:0:96ce::/64\"]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reload = try loadAndWait(path: path)
        guard case .loaded(let rules)? = reload.take() else {
            Issue.record("no rules loaded")
            return
        }
        #expect(rules.first?.interface == "br0")
        #expect(reload.take() == nil)
    }

    @Test("a broken file gives .refused")
    func refused() throws {
        let reload = try loadAndWait(path: "/nonexistent/ndpd.toml")
        guard case .refused? = reload.take() else {
            Issue.record("expected .refused")
            return
        }
    }
}

extension BackgroundReload.Outcome: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.refused, .refused): return true
        case (.loaded(let x), .loaded(let y)): return x.map(\.interface) == y.map(\.interface)
        default: return false
        }
    }
}
