import NDPPolicy
import NDPWire
import Testing

@testable import NDPDaemon

@Suite("Prometheus text and SIGUSR1 summary")
struct MetricsTextTests {
    func sample() -> DaemonCounters {
        var statistics = Statistics()
        statistics.framesReceived = 10
        statistics.solicitations = 9
        statistics.count(.ignore(.notConfigured))
        statistics.count(.ignore(.notConfigured))
        statistics.count(.invalid(.hopLimit(64)))
        statistics.sendErrors = 4
        return DaemonCounters(
            interfaces: [
                InterfaceCounters(
                    interface: "br0", statistics: statistics, isOpen: true,
                    unsolicitedAdvertisements: 3, opens: 2)
            ],
            reloadsSucceeded: 1, reloadsFailed: 2)
    }

    @Test("each family has one HELP and one TYPE line, before its samples")
    func familiesAreDeclaredOnce() {
        let text = MetricsText.prometheus(sample())
        let lines = text.split(separator: "\n").map(String.init)
        var declared: Set<String> = []
        for line in lines {
            if line.hasPrefix("# HELP ") {
                let name = String(line.split(separator: " ")[2])
                #expect(!declared.contains(name), "\(name) declared twice")
                declared.insert(name)
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(declared.contains(String(parts[2])), "TYPE before HELP for \(parts[2])")
                #expect(["counter", "gauge"].contains(String(parts[3])))
            } else {
                let name = String(line.prefix { $0 != "{" && $0 != " " })
                #expect(declared.contains(name), "sample of undeclared family: \(line)")
                #expect(Double(line.split(separator: " ").last!) != nil, "value is not a number: \(line)")
            }
        }
        #expect(text.hasSuffix("\n"))
        for name in [
            "ndpd_solicitations_total", "ndpd_decisions_total", "ndpd_advertisements_sent_total",
            "ndpd_send_errors_total",
            "ndpd_frames_total", "ndpd_unsolicited_advertisements_total", "ndpd_interface_up",
            "ndpd_config_reloads_total",
        ] {
            #expect(declared.contains(name), "missing family \(name)")
        }
    }

    @Test("the samples carry the counters, with interface, decision and reason labels")
    func samplesCarryCounters() {
        let lines = Set(MetricsText.prometheus(sample()).split(separator: "\n").map(String.init))
        #expect(lines.contains("ndpd_solicitations_total{interface=\"br0\"} 9"))
        #expect(
            lines.contains("ndpd_decisions_total{interface=\"br0\",decision=\"ignore\",reason=\"not-configured\"} 2"))
        #expect(lines.contains("ndpd_decisions_total{interface=\"br0\",decision=\"invalid\",reason=\"hop-limit\"} 1"))
        #expect(lines.contains("ndpd_decisions_total{interface=\"br0\",decision=\"answer\",reason=\"answered\"} 0"))
        #expect(lines.contains("ndpd_send_errors_total{interface=\"br0\"} 4"))
        #expect(lines.contains("ndpd_unsolicited_advertisements_total{interface=\"br0\"} 3"))
        // A gauge is a floating-point value in swift-prometheus's rendering.
        #expect(lines.contains("ndpd_interface_up{interface=\"br0\"} 1.0"))
        #expect(lines.contains("ndpd_config_reloads_total{result=\"failure\"} 2"))
    }

    @Test("every ignore and invalid reason has a series, zero or not")
    func everyReasonIsListed() {
        let text = MetricsText.prometheus(sample())
        for reason in IgnoreReason.allCases {
            #expect(text.contains("decision=\"ignore\",reason=\"\(reason.rawValue)\"}"))
        }
        for reason in NDRejection.allReasons {
            #expect(text.contains("decision=\"invalid\",reason=\"\(reason)\"}"))
        }
    }

    @Test("answers decided and answers sent are two figures, in the metrics and the summary")
    func answeredAndSentAreTwoFigures() {
        var statistics = Statistics()
        statistics.solicitations = 7
        statistics.answered = 7
        statistics.advertisementsSent = 5
        statistics.sendErrors = 2
        let counters = DaemonCounters(interfaces: [
            InterfaceCounters(interface: "br0", statistics: statistics, isOpen: true)
        ])
        let lines = Set(MetricsText.prometheus(counters).split(separator: "\n").map(String.init))
        #expect(lines.contains("ndpd_decisions_total{interface=\"br0\",decision=\"answer\",reason=\"answered\"} 7"))
        #expect(lines.contains("ndpd_advertisements_sent_total{interface=\"br0\"} 5"))
        #expect(lines.contains("ndpd_send_errors_total{interface=\"br0\"} 2"))
        #expect(
            MetricsText.summary(counters).first?.contains("7 solicitations: 7 answered (5 sent), 0 ignored") == true)
    }

    @Test("label values are escaped")
    func labelsAreEscaped() {
        let counters = DaemonCounters(interfaces: [
            InterfaceCounters(interface: "a\"b\\c\nd", statistics: Statistics(), isOpen: false)
        ])
        let text = MetricsText.prometheus(counters)
        #expect(text.contains("ndpd_frames_total{interface=\"a\\\"b\\\\c\\nd\"} 0\n"))
    }

    @Test("the SIGUSR1 summary names the interface, the totals and each non-zero reason")
    func summary() {
        let lines = MetricsText.summary(sample())
        #expect(
            lines.first?.hasPrefix(
                "br0 (up): 10 frames, 9 solicitations: 0 answered (0 sent), 2 ignored, 1 invalid; 4 send errors")
                == true)
        #expect(lines.contains("br0:   ignore not-configured: 2"))
        #expect(lines.contains("br0:   invalid hop-limit: 1"))
        #expect(lines.last == "reloads: 1 applied, 2 refused")
    }
}

/// Live mode's families (ARCHITECTURE.md, "Live guests": metrics), under the names
/// Tests/EndToEnd/live.sh reads.
struct LiveMetricsTests {
    /// A table with one LIVE guest confirmed by a probe 3 ms after it left, and one address
    /// being probed.
    static func table() -> GuestNeighborCache {
        var table = GuestNeighborCache(settings: LiveSettings())
        let guest = IPv6Address("2001:db8::2")!
        let waiting = NeighborSolicitation(
            source: IPv6Address("fe80::1")!, destination: guest.solicitedNodeMulticast,
            targetAddress: guest)
        _ = table.solicit(guest, from: WaitingSolicitation(solicitation: waiting, frameIndex: 1, time: 0), at: 0)
        table.observe(.advertisement(MACAddress("52:54:00:00:00:02")!), for: guest, at: 3_000) { _, _ in }
        let other = IPv6Address("2001:db8::3")!
        _ = table.solicit(
            other, from: WaitingSolicitation(solicitation: waiting, frameIndex: 2, time: 4_000), at: 4_000)
        return table
    }

    @Test func liveFamiliesCarryTheTablesFigures() {
        let counters = DaemonCounters(interfaces: [
            InterfaceCounters(interface: "br0", statistics: Statistics(), isOpen: true).with(
                live: LiveFigures(Self.table())),
            InterfaceCounters(interface: "eth1", statistics: Statistics(), isOpen: true),
        ])
        let lines = MetricsText.prometheus(counters).split(separator: "\n").map(String.init)
        func sample(_ prefix: String) -> String? {
            lines.first { $0.hasPrefix(prefix) }.map { String($0.split(separator: " ").last!) }
        }
        #expect(sample("ndpd_live_entries{interface=\"br0\",state=\"live\"}") == "1.0")
        #expect(sample("ndpd_live_entries{interface=\"br0\",state=\"probing\"}") == "1.0")
        #expect(sample("ndpd_live_entries{interface=\"br0\",state=\"stale\"}") == "0.0")
        #expect(sample("ndpd_live_probes_sent_total{interface=\"br0\",kind=\"first-contact\"}") == "2")
        #expect(sample("ndpd_live_probes_sent_total{interface=\"br0\",kind=\"re-probe\"}") == "0")
        #expect(sample("ndpd_live_probes_refused_total{interface=\"br0\",kind=\"first-contact\"}") == "0")
        #expect(sample("ndpd_live_evictions_total{interface=\"br0\"}") == "0")
        // 3 ms: above the 2.5 ms bound, within the 5 ms one; cumulative from there on.
        #expect(sample("ndpd_live_probe_rtt_seconds_bucket{interface=\"br0\",le=\"0.0025\"}") == "0")
        #expect(sample("ndpd_live_probe_rtt_seconds_bucket{interface=\"br0\",le=\"0.005\"}") == "1")
        #expect(sample("ndpd_live_probe_rtt_seconds_bucket{interface=\"br0\",le=\"+Inf\"}") == "1")
        #expect(sample("ndpd_live_probe_rtt_seconds_sum{interface=\"br0\"}") == "0.003")
        #expect(sample("ndpd_live_probe_rtt_seconds_count{interface=\"br0\"}") == "1")
        // A static interface has no live series.
        #expect(!lines.contains { $0.hasPrefix("ndpd_live") && $0.contains("eth1") })
        #expect(lines.filter { $0 == "# TYPE ndpd_live_probe_rtt_seconds histogram" }.count == 1)
    }

    @Test func theSummaryHasALiveLine() {
        let lines = MetricsText.summary(
            DaemonCounters(interfaces: [
                InterfaceCounters(interface: "br0", statistics: Statistics(), isOpen: true).with(
                    live: LiveFigures(Self.table()))
            ]))
        #expect(
            lines.contains(
                "br0:   live: 1 probing, 1 live, 0 stale, 0 tentative, 0 invalid; probes 2 first-contact, 0 re-probes; "
                    + "refused 0 first-contact, 0 re-probes; 0 evictions; 1 answered probes"), "\(lines)")
    }

    @Test func staticModeHasNoLiveFamily() {
        let text = MetricsText.prometheus(
            DaemonCounters(interfaces: [
                InterfaceCounters(interface: "br0", statistics: Statistics(), isOpen: true)
            ]))
        #expect(!text.contains("ndpd_live"))
    }
}
