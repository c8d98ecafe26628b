import NDPPolicy
import NDPWire
import Prometheus

/// The counters of one served interface, as reported by SIGUSR1 and the metrics file.
public struct InterfaceCounters: Sendable {
    /// The interface.
    public var interface: String
    /// The engine's counters (kept across interface reopenings and reloads).
    public var statistics: Statistics
    /// Whether the capture is open right now.
    public var isOpen: Bool
    /// Unsolicited advertisements sent (RFC 4861 §7.2.6).
    public var unsolicitedAdvertisements: Int
    /// Times the capture was (re)opened.
    public var opens: Int
    /// Frames that passed the filter but found the capture ring full (libpcap's ps_drop).
    public var kernelDrops: Int
    /// Live mode: the guest table's figures; nil in static mode.
    public var live: LiveFigures?

    /// Creates the counters.
    public init(
        interface: String, statistics: Statistics, isOpen: Bool, unsolicitedAdvertisements: Int = 0,
        opens: Int = 0, kernelDrops: Int = 0
    ) {
        self.interface = interface
        self.statistics = statistics
        self.isOpen = isOpen
        self.unsolicitedAdvertisements = unsolicitedAdvertisements
        self.opens = opens
        self.kernelDrops = kernelDrops
    }
}

extension InterfaceCounters {
    /// These counters with `live` set.
    func with(live: LiveFigures?) -> InterfaceCounters {
        var counters = self
        counters.live = live
        return counters
    }
}

/// What live mode's guest table holds and has done (ARCHITECTURE.md, "Live guests": metrics).
public struct LiveFigures: Sendable, Equatable {
    /// Entries by state, in `GuestState.allCases` order.
    public var entries: [Int]
    /// The table's counters.
    public var counters: GuestCacheCounters

    /// The figures of `table`.
    public init(_ table: GuestNeighborCache) {
        entries = GuestState.allCases.map { table.count(in: $0) }
        counters = table.counters
    }
}

/// Everything the daemon counts.
public struct DaemonCounters: Sendable {
    /// One entry per configured interface.
    public var interfaces: [InterfaceCounters]
    /// SIGHUP reloads applied.
    public var reloadsSucceeded: Int
    /// SIGHUP reloads refused (the previous configuration stayed).
    public var reloadsFailed: Int

    /// Creates the counters.
    public init(interfaces: [InterfaceCounters], reloadsSucceeded: Int = 0, reloadsFailed: Int = 0) {
        self.interfaces = interfaces
        self.reloadsSucceeded = reloadsSucceeded
        self.reloadsFailed = reloadsFailed
    }
}

/// Renders the counters: the Prometheus text exposition format (version 0.0.4), and the
/// human summary that SIGUSR1 logs.
public enum MetricsText {
    /// The Prometheus text format (version 0.0.4), rendered by swift-prometheus: `# HELP` and
    /// `# TYPE` once per family, then one sample per series. Every reason is listed, zero or not,
    /// so series never appear out of nowhere.
    ///
    /// The counters themselves stay ndpd's own (`Statistics`, counted on the per-frame path
    /// without locks or atomics); each call copies them into a fresh registry and emits it, so
    /// the registry never outlives a write and an interface dropped by a reload leaves no series.
    /// Families and series within a family come out in the registry's order, which Prometheus
    /// does not depend on.
    public static func prometheus(_ counters: DaemonCounters) -> String {
        let registry = PrometheusCollectorRegistry()
        func counter(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: Int)]) {
            for sample in samples {
                // A counter only grows (and the library traps on a negative step); ndpd's never go below 0.
                registry.makeCounter(name: name, labels: sample.labels, help: help).increment(
                    by: Int64(max(0, sample.value)))
            }
        }
        func gauge(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: Int)]) {
            for sample in samples {
                registry.makeGauge(name: name, labels: sample.labels, help: help).set(to: Double(sample.value))
            }
        }
        let interfaces = counters.interfaces
        func each(_ value: (InterfaceCounters) -> Int) -> [(labels: [(String, String)], value: Int)] {
            interfaces.map { ([("interface", $0.interface)], value($0)) }
        }
        counter("ndpd_frames_total", "Frames captured and handed to the engine.", each { $0.statistics.framesReceived })
        counter(
            "ndpd_frames_skipped_total", "Captured frames that were not a Neighbor Solicitation.",
            interfaces.flatMap { i in
                [
                    ([("interface", i.interface), ("kind", "undecodable")], i.statistics.framesUndecodable),
                    ([("interface", i.interface), ("kind", "other-icmpv6")], i.statistics.framesOtherICMPv6),
                ]
            })
        counter(
            "ndpd_capture_drops_total",
            "Frames that passed the kernel filter but found the capture ring full (dropped unseen).",
            each { $0.kernelDrops })
        counter(
            "ndpd_solicitations_total", "Neighbor Solicitations received, valid or not.",
            each { $0.statistics.solicitations })
        var decisions: [(labels: [(String, String)], value: Int)] = []
        for i in interfaces {
            decisions.append(
                ([("interface", i.interface), ("decision", "answer"), ("reason", "answered")], i.statistics.answered))
            for (index, reason) in IgnoreReason.allCases.enumerated() {
                decisions.append(
                    (
                        [("interface", i.interface), ("decision", "ignore"), ("reason", reason.rawValue)],
                        i.statistics.ignored[index]
                    ))
            }
            for (index, reason) in NDRejection.allReasons.enumerated() {
                decisions.append(
                    (
                        [("interface", i.interface), ("decision", "invalid"), ("reason", reason)],
                        i.statistics.invalid[index]
                    ))
            }
        }
        counter("ndpd_decisions_total", "Solicitations by decision (answer, ignore, invalid) and reason.", decisions)
        counter(
            "ndpd_advertisements_sent_total",
            "Answers the packet socket sent (answer decisions less the answers whose send failed).",
            each { $0.statistics.advertisementsSent })
        counter(
            "ndpd_send_errors_total", "Advertisements the packet socket failed to send.",
            each { $0.statistics.sendErrors })
        counter(
            "ndpd_unsolicited_advertisements_total",
            "Unsolicited advertisements sent at start and reload (RFC 4861 7.2.6).",
            each { $0.unsolicitedAdvertisements })
        gauge("ndpd_interface_up", "1 while the interface's capture is open.", each { $0.isOpen ? 1 : 0 })
        counter(
            "ndpd_interface_opens_total", "Times the interface's capture was opened (start, up, recreated).",
            each { $0.opens })
        let live = interfaces.compactMap { i in i.live.map { (interface: i.interface, figures: $0) } }
        if !live.isEmpty {
            gauge(
                "ndpd_live_entries", "Live mode: guest addresses held, by state.",
                live.flatMap { i in
                    GuestState.allCases.enumerated().map { index, state in
                        ([("interface", i.interface), ("state", state.description)], i.figures.entries[index])
                    }
                })
            counter(
                "ndpd_live_probes_sent_total",
                "Live mode: probe solicitations sent on the guest side (first contact, or re-probes of STALE guests).",
                live.flatMap { i in
                    [
                        ([("interface", i.interface), ("kind", "first-contact")], Int(i.figures.counters.probesSent)),
                        ([("interface", i.interface), ("kind", "re-probe")], Int(i.figures.counters.reprobesSent)),
                    ]
                })
            counter(
                "ndpd_live_probes_refused_total",
                "Live mode: probes the budget (probe-rate) or max-probing refused.",
                live.flatMap { i in
                    [
                        (
                            [("interface", i.interface), ("kind", "first-contact")],
                            Int(i.figures.counters.probesRefused + i.figures.counters.probingFull)
                        ),
                        ([("interface", i.interface), ("kind", "re-probe")], Int(i.figures.counters.reprobesRefused)),
                    ]
                })
            counter(
                "ndpd_live_evictions_total", "Live mode: STALE entries evicted to make room (max-entries).",
                live.map { ([("interface", $0.interface)], Int($0.figures.counters.evictions)) })
        }
        counter(
            "ndpd_config_reloads_total", "Configuration reloads (SIGHUP) by result.",
            [
                ([("result", "success")], counters.reloadsSucceeded),
                ([("result", "failure")], counters.reloadsFailed),
            ])
        return registry.emitToString() + roundTripHistogram(live: counters.interfaces)
    }

    /// `ndpd_live_probe_rtt_seconds`, a histogram of probe round trips per live interface. The
    /// table counts them in fixed buckets itself (`ProbeRoundTrips`), so the family is written
    /// here from those counts, in the text format's histogram form: cumulative `_bucket`
    /// samples with `le`, then `_sum` and `_count`.
    static func roundTripHistogram(live interfaces: [InterfaceCounters]) -> String {
        let live = interfaces.filter { $0.live != nil }
        guard !live.isEmpty else { return "" }
        let name = "ndpd_live_probe_rtt_seconds"
        var text =
            "# HELP \(name) Live mode: from a probe to the guest's advertisement that answered it.\n"
            + "# TYPE \(name) histogram\n"
        func seconds(_ microseconds: FrameTime) -> String {
            let whole = microseconds / 1_000_000
            var fraction = String(microseconds % 1_000_000)
            fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            return fraction.isEmpty ? "\(whole).0" : "\(whole).\(fraction)"
        }
        for i in live {
            let trips = i.live!.counters.roundTrips
            let label = "interface=\"\(escapeLabel(i.interface))\""
            var cumulative: UInt64 = 0
            for (index, bound) in ProbeRoundTrips.upperBounds.enumerated() {
                cumulative += trips.counts[index]
                text += "\(name)_bucket{\(label),le=\"\(seconds(bound))\"} \(cumulative)\n"
            }
            text += "\(name)_bucket{\(label),le=\"+Inf\"} \(trips.count)\n"
            text += "\(name)_sum{\(label)} \(seconds(trips.sum))\n"
            text += "\(name)_count{\(label)} \(trips.count)\n"
        }
        return text
    }

    /// A label value in the text format: backslash, double quote and newline escaped.
    static func escapeLabel(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// The lines SIGUSR1 logs: one summary line per interface, then its non-zero reasons.
    public static func summary(_ counters: DaemonCounters) -> [String] {
        var lines: [String] = []
        for i in counters.interfaces {
            let s = i.statistics
            lines.append(
                "\(i.interface) (\(i.isOpen ? "up" : "not open")): \(s.framesReceived) frames, "
                    + "\(s.solicitations) solicitations: \(s.answered) answered (\(s.advertisementsSent) sent), \(s.ignoredTotal) ignored, "
                    + "\(s.invalidTotal) invalid; \(s.sendErrors) send errors; "
                    + "\(i.unsolicitedAdvertisements) unsolicited advertisements; "
                    + "\(i.kernelDrops) dropped by the kernel (capture ring full)")
            for entry in s.reasonCounts {
                lines.append("\(i.interface):   \(entry.decision) \(entry.reason): \(entry.count)")
            }
            if let live = i.live {
                let entries = GuestState.allCases.enumerated().map { "\(live.entries[$0.offset]) \($0.element)" }
                let c = live.counters
                lines.append(
                    "\(i.interface):   live: " + entries.joined(separator: ", ")
                        + "; probes \(c.probesSent) first-contact, \(c.reprobesSent) re-probes; refused \(c.probesRefused + c.probingFull) "
                        + "first-contact, \(c.reprobesRefused) re-probes; \(c.evictions) evictions; \(c.roundTrips.count) answered probes"
                )
            }
        }
        lines.append("reloads: \(counters.reloadsSucceeded) applied, \(counters.reloadsFailed) refused")
        return lines
    }
}
