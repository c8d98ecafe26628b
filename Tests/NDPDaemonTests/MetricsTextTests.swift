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
            interfaces: [InterfaceCounters(interface: "br0", statistics: statistics, isOpen: true,
                                           unsolicitedAdvertisements: 3, opens: 2)],
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
        for name in ["ndpd_solicitations_total", "ndpd_decisions_total", "ndpd_advertisements_sent_total",
                     "ndpd_send_errors_total",
                     "ndpd_frames_total", "ndpd_unsolicited_advertisements_total", "ndpd_interface_up",
                     "ndpd_config_reloads_total"] {
            #expect(declared.contains(name), "missing family \(name)")
        }
    }

    @Test("the samples carry the counters, with interface, decision and reason labels")
    func samplesCarryCounters() {
        let lines = Set(MetricsText.prometheus(sample()).split(separator: "\n").map(String.init))
        #expect(lines.contains("ndpd_solicitations_total{interface=\"br0\"} 9"))
        #expect(lines.contains("ndpd_decisions_total{interface=\"br0\",decision=\"ignore\",reason=\"not-configured\"} 2"))
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
        let counters = DaemonCounters(interfaces: [InterfaceCounters(interface: "br0", statistics: statistics, isOpen: true)])
        let lines = Set(MetricsText.prometheus(counters).split(separator: "\n").map(String.init))
        #expect(lines.contains("ndpd_decisions_total{interface=\"br0\",decision=\"answer\",reason=\"answered\"} 7"))
        #expect(lines.contains("ndpd_advertisements_sent_total{interface=\"br0\"} 5"))
        #expect(lines.contains("ndpd_send_errors_total{interface=\"br0\"} 2"))
        #expect(MetricsText.summary(counters).first?.contains("7 solicitations: 7 answered (5 sent), 0 ignored") == true)
    }

    @Test("label values are escaped")
    func labelsAreEscaped() {
        let counters = DaemonCounters(interfaces: [InterfaceCounters(interface: "a\"b\\c\nd", statistics: Statistics(), isOpen: false)])
        let text = MetricsText.prometheus(counters)
        #expect(text.contains("ndpd_frames_total{interface=\"a\\\"b\\\\c\\nd\"} 0\n"))
    }

    @Test("the SIGUSR1 summary names the interface, the totals and each non-zero reason")
    func summary() {
        let lines = MetricsText.summary(sample())
        #expect(lines.first?.hasPrefix("br0 (up): 10 frames, 9 solicitations: 0 answered (0 sent), 2 ignored, 1 invalid; 4 send errors") == true)
        #expect(lines.contains("br0:   ignore not-configured: 2"))
        #expect(lines.contains("br0:   invalid hop-limit: 1"))
        #expect(lines.last == "reloads: 1 applied, 2 refused")
    }
}
