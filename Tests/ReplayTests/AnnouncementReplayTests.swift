import Foundation
import NDPDaemon
import NDPIO
import NDPPolicy
import NDPWire
import TestSupport
import Testing

/// The announcement tests' link: a router, a guest, the address announced and the one probed.
private enum Frames {
    static let router = MACAddress("02:00:00:00:0a:01")!
    static let routerLinkLocal = IPv6Address("fe80::ff:fe00:a01")!
    static let guest = MACAddress("02:00:00:00:0b:02")!
    static let announced = IPv6Address("2001:db8:0:96ce::6")!
    static let probed = IPv6Address("2001:db8:0:96ce::5")!

    /// A Router Advertisement from the router to all-nodes, with its SLLA option.
    static let routerAdvertisement = TestFrames.routerAdvertisement(from: router, source: routerLinkLocal)

    /// The guest's DAD probe for `probed` (source `::`, no option).
    static let probe = TestFrames.dadProbe(probed, from: guest)
}

/// Replay runs the daemon's unsolicited advertisements on capture time (README, "Running as a
/// service"): to the upstream routers learned from Router Advertisements only, never for a target
/// whose DAD probe was seen within the quiet period.
struct AnnouncementReplayTests {
    private func rule(_ unsolicited: Bool) -> ProxyRule {
        let targets = TargetTable([
            IPv6Prefix(address: IPv6Address("2001:db8:0:96ce::")!, length: 64),
            IPv6Prefix(address: Frames.announced, length: 128),
            IPv6Prefix(address: Frames.probed, length: 128),
        ])
        return ProxyRule(interface: "br0", targets: targets, unsolicitedAdvertisements: unsolicited)
    }

    /// Writes `records` (seconds after the start, frame) as a capture and replays it with `--write`.
    private func replayWritten(
        _ records: [(Double, [UInt8])], rule: ProxyRule,
        summary: @escaping (String) -> Void = { _ in }
    ) throws -> [(seconds: Double, frame: [UInt8])] {
        let scratch = try TemporaryDirectory()
        let capture = scratch.path("in.pcap")
        let writer = try CaptureWriter(path: capture)
        let start = 1_700_000_000
        for (offset, frame) in records {
            let micros = Int(offset * 1_000_000)
            writer.write(frame.span, seconds: start + micros / 1_000_000, microseconds: micros % 1_000_000)
        }
        try writer.close()
        var options = ReplayOptions(capturePath: capture)
        options.quiet = true
        options.writePath = scratch.path("out.pcap")
        let status = Replay.run(rule: rule, options: options, output: summary, errors: { _ in })
        #expect(status == 0)
        var written: [(Double, [UInt8])] = []
        try CaptureFile(path: scratch.path("out.pcap")).forEach { header, frame in
            var bytes: [UInt8] = []
            for i in frame.indices { bytes.append(frame[i]) }
            written.append((Double(header.seconds - start) + Double(header.microseconds) / 1e6, bytes))
            return true
        }
        return written
    }

    /// A capture spanning 3 s: an RA at 0, the guest's probe for ::5 at 0.1, more RAs later.
    private var capture: [(Double, [UInt8])] {
        [
            (0, Frames.routerAdvertisement), (0.1, Frames.probe), (1.5, Frames.routerAdvertisement),
            (2.5, Frames.routerAdvertisement),
        ]
    }

    @Test("announcements go to the router's MAC, to ff02::1 with S=0, and never for the target being probed")
    func announcementsReachTheRouterOnly() throws {
        let written = try replayWritten(capture, rule: rule(true))
        // Round 1 is due at the first frame, before any router is known: nothing. Rounds 2 and 3
        // (1 s and 2 s) go to the router learned from the RA, for ::6 only: ::5 was probed at 0.1.
        #expect(written.map(\.seconds) == [1.0, 2.0])
        for (_, frame) in written {
            let na = try #require(try? NDFrame(parsing: frame.span, linkType: .ethernet))
            #expect(na.link.destination == Frames.router)
            #expect(na.ip.destination == .allNodes)
            let message = try #require(try NDMessage(parsing: frame.span.extracting(na.messageRange!)))
            #expect(message.targetAddress == Frames.announced)
            #expect(message.advertisementFlags?.contains(.solicited) == false)
            #expect(message.advertisementFlags?.contains(.router) == true)
        }
    }

    @Test("the summary tells answers written from announcements written")
    func summaryCountsAnswersApart() throws {
        nonisolated(unsafe) var lines: [String] = []
        // The router resolving a guest address of the /64: answered.
        let target = IPv6Address("2001:db8:0:96ce::2")!
        let solicitation = TestFrames.solicitation(
            from: Frames.router, source: Frames.routerLinkLocal, target: target, slla: Frames.router)
        let written = try replayWritten(capture + [(2.7, solicitation)], rule: rule(true)) { lines.append($0) }
        #expect(written.count == 3)
        #expect(lines.contains { $0.hasPrefix("summary: ") && $0.contains(": 1 answer,") }, "\(lines)")
        #expect(
            lines.contains {
                $0.hasPrefix("wrote 3 advertisements to ") && $0.hasSuffix(" (1 answers, 2 unsolicited)")
            }, "\(lines)")
    }

    @Test("without a Router Advertisement in the capture no router is known, and nothing is announced")
    func nothingWithoutARouter() throws {
        let written = try replayWritten(
            capture.filter { $0.0 != 0 && $0.0 != 1.5 && $0.0 != 2.5 } + [(2.9, Frames.probe)],
            rule: rule(true))
        #expect(written.isEmpty)
    }

    @Test("unsolicited-na = false (the default) announces nothing, even with a router known")
    func offByDefault() throws {
        #expect(try replayWritten(capture, rule: rule(false)).isEmpty)
    }
}
