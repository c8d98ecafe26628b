import NDPPolicy
import NDPWire

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

    /// Creates the counters.
    public init(interface: String, statistics: Statistics, isOpen: Bool, unsolicitedAdvertisements: Int = 0,
                opens: Int = 0, kernelDrops: Int = 0) {
        self.interface = interface
        self.statistics = statistics
        self.isOpen = isOpen
        self.unsolicitedAdvertisements = unsolicitedAdvertisements
        self.opens = opens
        self.kernelDrops = kernelDrops
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
    /// The Prometheus text format: `# HELP` and `# TYPE` once per family, then one sample
    /// per series. Every reason is listed, zero or not, so series never appear out of nowhere.
    public static func prometheus(_ counters: DaemonCounters) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples {
                out += sample.labels.isEmpty ? "\(name) \(sample.value)\n" : "\(name){\(sample.labels)} \(sample.value)\n"
            }
        }
        let interfaces = counters.interfaces
        func each(_ value: (InterfaceCounters) -> Int) -> [(labels: String, value: Int)] {
            interfaces.map { (label("interface", $0.interface), value($0)) }
        }
        family("ndpd_frames_total", "counter", "Frames captured and handed to the engine.", each { $0.statistics.framesReceived })
        family("ndpd_frames_skipped_total", "counter", "Captured frames that were not a Neighbor Solicitation.",
               interfaces.flatMap { i in [
                   (label("interface", i.interface) + "," + label("kind", "undecodable"), i.statistics.framesUndecodable),
                   (label("interface", i.interface) + "," + label("kind", "other-icmpv6"), i.statistics.framesOtherICMPv6),
               ] })
        family("ndpd_capture_drops_total", "counter",
               "Frames that passed the kernel filter but found the capture ring full (dropped unseen).",
               each { $0.kernelDrops })
        family("ndpd_solicitations_total", "counter", "Neighbor Solicitations received, valid or not.",
               each { $0.statistics.solicitations })
        var decisions: [(labels: String, value: Int)] = []
        for i in interfaces {
            let base = label("interface", i.interface)
            decisions.append((base + "," + label("decision", "answer") + "," + label("reason", "answered"), i.statistics.answered))
            for (index, reason) in IgnoreReason.allCases.enumerated() {
                decisions.append((base + "," + label("decision", "ignore") + "," + label("reason", reason.rawValue),
                                  i.statistics.ignored[index]))
            }
            for (index, reason) in NDRejection.allReasons.enumerated() {
                decisions.append((base + "," + label("decision", "invalid") + "," + label("reason", reason),
                                  i.statistics.invalid[index]))
            }
        }
        family("ndpd_decisions_total", "counter", "Solicitations by decision (answer, ignore, invalid) and reason.", decisions)
        family("ndpd_advertisements_sent_total", "counter",
               "Answers the packet socket sent (answer decisions less the answers whose send failed).",
               each { $0.statistics.advertisementsSent })
        family("ndpd_send_errors_total", "counter", "Advertisements the packet socket failed to send.",
               each { $0.statistics.sendErrors })
        family("ndpd_unsolicited_advertisements_total", "counter",
               "Unsolicited advertisements sent at start and reload (RFC 4861 7.2.6).", each { $0.unsolicitedAdvertisements })
        family("ndpd_interface_up", "gauge", "1 while the interface's capture is open.", each { $0.isOpen ? 1 : 0 })
        family("ndpd_interface_opens_total", "counter", "Times the interface's capture was opened (start, up, recreated).",
               each { $0.opens })
        family("ndpd_config_reloads_total", "counter", "Configuration reloads (SIGHUP) by result.", [
            (label("result", "success"), counters.reloadsSucceeded),
            (label("result", "failure"), counters.reloadsFailed),
        ])
        return out
    }

    /// The lines SIGUSR1 logs: one summary line per interface, then its non-zero reasons.
    public static func summary(_ counters: DaemonCounters) -> [String] {
        var lines: [String] = []
        for i in counters.interfaces {
            let s = i.statistics
            lines.append("\(i.interface) (\(i.isOpen ? "up" : "not open")): \(s.framesReceived) frames, "
                + "\(s.solicitations) solicitations: \(s.answered) answered (\(s.advertisementsSent) sent), \(s.ignoredTotal) ignored, "
                + "\(s.invalidTotal) invalid; \(s.sendErrors) send errors; "
                + "\(i.unsolicitedAdvertisements) unsolicited advertisements; "
                + "\(i.kernelDrops) dropped by the kernel (capture ring full)")
            for entry in s.reasonCounts {
                lines.append("\(i.interface):   \(entry.decision) \(entry.reason): \(entry.count)")
            }
        }
        lines.append("reloads: \(counters.reloadsSucceeded) applied, \(counters.reloadsFailed) refused")
        return lines
    }

    /// `name="value"` with the value escaped as the format requires (backslash, quote, newline).
    static func label(_ name: String, _ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\(name)=\"\(escaped)\""
    }
}
