import Foundation
import NDPDaemon
import NDPIO
import NDPPolicy
import NDPWire
import TestSupport
import Testing

/// Frames for the announcement tests, written byte by byte from RFC 4861 §4.2 and §4.3.
private enum Frames {
    static let router = MACAddress("02:00:00:00:0a:01")!
    static let routerLinkLocal = IPv6Address("fe80::ff:fe00:a01")!
    static let guest = MACAddress("02:00:00:00:0b:02")!
    static let announced = IPv6Address("2001:db8:0:96ce::6")!
    static let probed = IPv6Address("2001:db8:0:96ce::5")!

    static func bytes(_ mac: MACAddress) -> [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: mac.rawValue >> (40 - 8 * $0)) }
    }
    static func bytes(_ address: IPv6Address) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: address.high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: address.low >> (56 - 8 * $0)) }
    }

    /// Ethernet + IPv6 (hop limit 255) + `message` with its checksum filled in.
    static func frame(
        from mac: MACAddress, to ethernetDestination: MACAddress, source: IPv6Address,
        destination: IPv6Address, message: [UInt8]
    ) -> [UInt8] {
        var icmp = message
        let sum = ICMPv6Checksum.compute(icmp.span, source: source, destination: destination)
        icmp[2] = UInt8(sum >> 8)
        icmp[3] = UInt8(sum & 0xFF)
        let ip: [UInt8] =
            [0x60, 0, 0, 0, UInt8(icmp.count >> 8), UInt8(icmp.count & 0xFF), 58, 255]
            + bytes(source) + bytes(destination)
        return bytes(ethernetDestination) + bytes(mac) + [0x86, 0xDD] + ip + icmp
    }

    /// A Router Advertisement from the router to all-nodes, with its SLLA option.
    static var routerAdvertisement: [UInt8] {
        let message: [UInt8] = [134, 0, 0, 0, 64, 0, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0] + [1, 1] + bytes(router)
        return frame(
            from: router, to: MACAddress.ipv6Multicast(.allNodes), source: routerLinkLocal,
            destination: .allNodes, message: message)
    }

    /// The guest's DAD probe for `probed` (source `::`, no option).
    static var probe: [UInt8] {
        let group = probed.solicitedNodeMulticast
        return frame(
            from: guest, to: MACAddress.ipv6Multicast(group), source: .unspecified, destination: group,
            message: [135, 0, 0, 0, 0, 0, 0, 0] + bytes(probed))
    }
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
        let solicitation = Frames.frame(
            from: Frames.router, to: MACAddress.ipv6Multicast(target.solicitedNodeMulticast),
            source: Frames.routerLinkLocal,
            destination: target.solicitedNodeMulticast,
            message: [135, 0, 0, 0, 0, 0, 0, 0] + Frames.bytes(target) + [1, 1] + Frames.bytes(Frames.router))
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
