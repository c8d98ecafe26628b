import Dispatch
import Foundation
import NDPControl
import NDPIO
import NDPPolicy
import NDPVersion
import Synchronization

/// One request from the control socket's thread, waiting for the poll loop's answer.
final class PendingControlRequest: Sendable {
    /// What the client asked.
    let request: ControlRequest
    private let reply = Mutex<ControlReply?>(nil)
    private let answered = DispatchSemaphore(value: 0)

    init(_ request: ControlRequest) { self.request = request }

    /// Called by the loop, once.
    func answer(_ reply: ControlReply) {
        self.reply.withLock { $0 = reply }
        answered.signal()
    }

    /// Called by the control thread: the answer, or nil after `timeout`.
    func wait(timeout: Duration) -> ControlReply? {
        let (seconds, attoseconds) = timeout.components
        let deadline =
            DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        guard answered.wait(timeout: deadline) == .success else { return nil }
        return reply.withLock { $0 }
    }
}

/// The control socket's side of the daemon: the server thread hands each parsed request to the
/// poll loop through here and waits for the answer. The loop is woken through the same pipe as
/// a finished background reload and takes the requests between two batches of frames, so the
/// loop gains one handler and no descriptor; the server thread serves one request at a time,
/// so at most one request waits here.
final class ControlService: Sendable {
    private let queue = Mutex<[PendingControlRequest]>([])
    private let wakeup: Wakeup
    /// How long a client's `status` may wait for the loop.
    static let statusTimeout: Duration = .seconds(2)
    /// How long a client's `reload` may wait: loading a large targets-file takes seconds.
    static let reloadTimeout: Duration = .seconds(60)

    init(wakeup: Wakeup) { self.wakeup = wakeup }

    /// Runs on the server thread: queues `request`, wakes the loop, waits for its answer.
    func ask(_ request: ControlRequest) -> ControlReply {
        let pending = PendingControlRequest(request)
        queue.withLock { $0.append(pending) }
        wakeup.notify()
        let timeout = request == .reload ? Self.reloadTimeout : Self.statusTimeout
        return pending.wait(timeout: timeout)
            ?? ControlReply(ok: false, body: "timeout: the daemon did not answer within \(timeout)\n")
    }

    /// Runs on the loop: the requests waiting, taken.
    func take() -> [PendingControlRequest] {
        queue.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
    }
}

/// What `ndpd status` shows: the daemon, its configuration, and each interface with its state,
/// rules and counters. Built by the loop; rendered as text or JSON by the CLI's request.
struct StatusReport: Codable, Sendable {
    struct Configuration: Codable, Sendable {
        /// The file, or nil for rules from the command line.
        var path: String?
        /// When the rules in force were loaded (ISO 8601, UTC).
        var loaded: String
        var reloadsApplied: Int
        var reloadsRefused: Int
    }

    struct Rules: Codable, Sendable {
        var addresses: Int
        var prefixes: Int
        var excluded: Int
        var router: Bool
        var override: Bool
        var dad: String
        var source: String
        var unsolicitedNA: Bool
        var targetsFile: String?
    }

    struct Counters: Codable, Sendable {
        var frames: Int
        var solicitations: Int
        var answered: Int
        var advertisementsSent: Int
        var ignored: Int
        var invalid: Int
        var sendErrors: Int
        var unsolicitedAdvertisements: Int
        var captureDrops: Int
        /// "decision reason" to count, the non-zero ones.
        var reasons: [String: Int]
    }

    /// A live-mode interface's table (README, "Live mode"): entries by state and, for
    /// `ndpd status --live`, every address.
    struct LiveTable: Codable, Sendable {
        struct Entry: Codable, Sendable {
            var address: String
            var mac: String?
            var state: String
            /// Seconds since the address entered its state.
            var age: Double
        }

        /// State name to number of addresses, every state listed.
        var states: [String: Int]
        /// The guest interfaces open now: where probes leave and evidence is read.
        var guestInterfaces: [String] = []
        /// `guest-interfaces = "routes"`: the kernel routes kept (those into the target prefixes).
        var routes: Int?
        /// Every address, when asked for.
        var entries: [Entry]?

        init(_ guests: GuestNeighborCache, at now: FrameTime, listing: Bool) {
            var states: [String: Int] = [:]
            for state in GuestState.allCases { states[state.description] = guests.count(in: state) }
            self.states = states
            entries =
                listing
                ? guests.snapshot.map {
                    Entry(
                        address: $0.address.description, mac: $0.linkLayerAddress?.description,
                        state: $0.state.description, age: Double(max(0, now - $0.since)) / 1_000_000)
                } : nil
        }
    }

    struct Interface: Codable, Sendable {
        var name: String
        /// "up" (capturing), "down" (present, not capturing) or "absent".
        var state: String
        var mac: String?
        var addresses: [String]
        var rules: Rules
        var counters: Counters
        /// Live mode only.
        var live: LiveTable?
    }

    var version: String
    var commit: String
    var started: String
    var configuration: Configuration
    var interfaces: [Interface]

    /// The JSON object, keys sorted (stable output for scripts).
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }

    /// The text `ndpd status` prints.
    var text: String {
        var lines: [String] = []
        lines.append("ndpd \(version) (commit \(commit)), running since \(started)")
        lines.append(
            "configuration: \(configuration.path ?? "command line"), loaded \(configuration.loaded); "
                + "reloads: \(configuration.reloadsApplied) applied, \(configuration.reloadsRefused) refused")
        for interface in interfaces {
            lines.append("")
            lines.append("\(interface.name): \(interface.state), MAC \(interface.mac ?? "unknown")")
            lines.append(
                "  addresses: \(interface.addresses.isEmpty ? "none" : interface.addresses.joined(separator: ", "))")
            let rules = interface.rules
            lines.append(
                "  rules: \(rules.addresses) addresses, \(rules.prefixes) prefixes, \(rules.excluded) excluded"
                    + (rules.targetsFile.map { " (targets-file \($0))" } ?? "")
                    + "; router=\(rules.router) override=\(rules.override) dad=\(rules.dad) source=\(rules.source) "
                    + "unsolicited-na=\(rules.unsolicitedNA)")
            let c = interface.counters
            lines.append(
                "  counters: \(c.frames) frames, \(c.solicitations) solicitations: \(c.answered) answered "
                    + "(\(c.advertisementsSent) sent), \(c.ignored) ignored, \(c.invalid) invalid; \(c.sendErrors) send errors; "
                    + "\(c.unsolicitedAdvertisements) unsolicited advertisements; \(c.captureDrops) dropped by the kernel"
            )
            for (reason, count) in c.reasons.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(reason): \(count)")
            }
            if let live = interface.live {
                let byState = GuestState.allCases.map { "\(live.states[$0.description] ?? 0) \($0)" }
                lines.append("  live: \(byState.joined(separator: ", "))")
                lines.append(
                    "  guest interfaces: \(live.guestInterfaces.isEmpty ? "none open" : live.guestInterfaces.joined(separator: ", "))"
                        + (live.routes.map { "; \($0) kernel routes into the target prefixes" } ?? ""))
                for entry in live.entries ?? [] {
                    let age = String(Int(entry.age.rounded()))
                    lines.append("    \(entry.address)  \(entry.mac ?? "-")  \(entry.state)  \(age) s")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// ISO 8601 in UTC, to the second.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
