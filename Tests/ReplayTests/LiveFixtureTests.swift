import Foundation
import NDPDaemon
import NDPIO
import NDPPolicy
import NDPWire
import Testing

/// The live-mode fixtures' `--write` output (Captures/README.md, "Live mode"): replay sends its
/// own probes, into the same file as the answers, stamped with the time they would leave.
struct LiveFixtureTests {
    /// One written frame: its time, Ethernet destination, and what it is.
    struct Written: Equatable, CustomStringConvertible {
        var time: FrameTime
        var ethernetDestination: [UInt8]
        var isProbe: Bool
        var target: IPv6Address

        var description: String { "\(time) \(isProbe ? "NS" : "NA") \(target) to \(ethernetDestination)" }
    }

    static func written(_ name: String) throws -> (frames: [Written], firstTime: FrameTime) {
        let base = Paths.captures.appendingPathComponent(name)
        let rule = try #require(try ConfigurationLoader.load(path: base.path + ".toml").proxies.first)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ndpd-live-\(UUID().uuidString).pcap")
            .path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = replay(base.path + ".pcap", rule: rule, write: out)
        #expect(result.status == 0, "\(result.errors)")
        var firstTime: FrameTime?
        try CaptureFile(path: base.path + ".pcap").forEach { header, _ in
            firstTime = firstTime ?? FrameTime(header.seconds) * 1_000_000 + FrameTime(header.microseconds)
            return true
        }
        var frames: [Written] = []
        try CaptureFile(path: out).forEach { header, frame in
            let time = FrameTime(header.seconds) * 1_000_000 + FrameTime(header.microseconds)
            let destination = (0..<6).map { frame[$0] }
            if let probe = try? NeighborSolicitation(decoding: frame, linkType: .ethernet) {
                // Every probe comes from the host's link-local address with its MAC as SLLA.
                #expect(probe.source == IPv6Address("fe80::ff:fe00:1")!)
                #expect(probe.sourceLinkLayerAddress == MACAddress("02:00:00:00:00:01")!)
                frames.append(
                    Written(time: time, ethernetDestination: destination, isProbe: true, target: probe.targetAddress))
            } else if let answer = try? ReceivedAdvertisement(decoding: frame, linkType: .ethernet) {
                frames.append(
                    Written(time: time, ethernetDestination: destination, isProbe: false, target: answer.targetAddress))
            } else {
                Issue.record("neither a probe nor an answer at \(time)")
            }
            return true
        }
        return (frames, try #require(firstTime))
    }

    static let router: [UInt8] = [0x02, 0, 0, 0, 0x0A, 0x01]

    @Test func firstContactWritesTheProbeThenTheAnswerAtTheGuestsAdvertisement() throws {
        let (frames, start) = try Self.written("live-first-contact")
        let guest = IPv6Address("2001:db8:0:96ce::2")!
        // Frame 1 (the router's NS) at 0, frame 2 (the guest's NA) 105.707 ms later, frame 3 after.
        #expect(frames.map { $0.time - start }.prefix(2) == [0, 105_707])
        #expect(frames.map(\.isProbe) == [true, false, false])
        #expect(frames.allSatisfy { $0.target == guest })
        #expect(frames.first?.ethernetDestination == [0x33, 0x33, 0xFF, 0x00, 0x00, 0x02])
        #expect(frames.dropFirst().allSatisfy { $0.ethernetDestination == Self.router })
    }

    @Test func anAbsentAddressIsProbedThreeTimes() throws {
        let (frames, start) = try Self.written("live-absent")
        #expect(frames.map { $0.time - start } == [0, 500_000, 1_000_000])
        #expect(frames.allSatisfy { $0.isProbe && $0.ethernetDestination == [0x33, 0x33, 0xFF, 0x0A, 0x0B, 0x5E] })
    }

    @Test func aGuestsDADIsNeitherProbedNorAnsweredUntilItIsOver() throws {
        let (frames, _) = try Self.written("live-dad")
        #expect(frames.map(\.isProbe) == [false], "\(frames)")
    }

    @Test func aStaleEntryIsAnsweredAndReprobedThreeTimesByUnicastThenByMulticast() throws {
        let (frames, start) = try Self.written("live-stale")
        let guestMAC: [UInt8] = [0x02, 0, 0, 0, 0x0B, 0x02]
        // Frame 2, the router's NS once the entry is STALE, at 1.506249 s.
        let asked: FrameTime = 1_506_249
        #expect(
            frames.map { $0.time - start } == [asked, asked, asked + 1_000_000, asked + 2_000_000, asked + 3_000_000],
            "\(frames)")
        #expect(frames.map(\.isProbe) == [true, false, true, true, true])
        #expect(
            frames.map(\.ethernetDestination) == [
                guestMAC, Self.router, guestMAC, guestMAC, [0x33, 0x33, 0xFF, 0x06, 0x00, 0x01],
            ])
    }
}
