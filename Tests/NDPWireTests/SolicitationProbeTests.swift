// The probe NS the host sends on the guest side (ARCHITECTURE.md, "Live guests"): built by NDPWire, laid
// out again here byte by byte (TestSupport/TestFrames.swift, a checksum of its own), and accepted
// by the project's own NS validation.

import NDPWire
import TestSupport
import Testing

/// One probe shape: multicast or unicast, 0 to 2 tags.
struct ProbeCase: Sendable, CustomTestStringConvertible {
    var unicast: Bool
    var tags: [VLANTag]

    static let hostMAC = Fixture.interfaceMAC
    static let hostLinkLocal = IPv6Address.linkLocal(for: Fixture.interfaceMAC)

    static let all: [ProbeCase] = [false, true].flatMap { unicast in
        [
            [], [VLANTag(tagProtocolIdentifier: 0x8100, tagControlInformation: 0x2001)],
            [
                VLANTag(tagProtocolIdentifier: 0x88A8, tagControlInformation: 0xFFFF),
                VLANTag(tagProtocolIdentifier: 0x8100, tagControlInformation: 0x0014),
            ],
        ].map { ProbeCase(unicast: unicast, tags: $0) }
    }

    var testDescription: String { "\(unicast ? "unicast" : "multicast") tags=\(tags.count)" }

    var probe: SolicitationProbe {
        SolicitationProbe(
            target: Fixture.target, source: Self.hostLinkLocal, interfaceMAC: Self.hostMAC,
            destination: unicast ? .unicast(Fixture.guestMAC) : .solicitedNode,
            vlanTags: VLANTags(tags))!
    }

    /// The frame as the test lays it out by hand.
    var expectedBytes: [UInt8] {
        TestPacket(
            link: .ethernet(
                destination: unicast ? Fixture.guestMAC : Fixture.targetSolicitedNodeMAC,
                source: Self.hostMAC, tags: tags),
            source: Self.hostLinkLocal,
            destination: unicast ? Fixture.target : Fixture.targetSolicitedNode,
            message: ND.solicitation(target: Fixture.target, options: ND.slla(Self.hostMAC))
        ).bytes
    }
}

/// Writes `probe` into a buffer pre-filled with `fill` and returns exactly the frame.
func probeFrame(_ probe: SolicitationProbe, fill: UInt8 = 0xAA) throws(BufferTooSmall) -> [UInt8] {
    var buffer = [UInt8](repeating: fill, count: 256)
    var span = buffer.mutableSpan
    let length = try probe.write(into: &span)
    return Array(buffer[0..<length])
}

/// What writing `probe` into a buffer of `capacity` bytes gave: the length, or the error.
func writeProbe(_ probe: SolicitationProbe, capacity: Int) -> Result<Int, BufferTooSmall> {
    var buffer = [UInt8](repeating: 0, count: capacity)
    var span = buffer.mutableSpan
    do throws(BufferTooSmall) {
        return .success(try probe.write(into: &span))
    } catch {
        return .failure(error)
    }
}

@Suite("Probe NS: build, lay out by hand, validate")
struct SolicitationProbeTests {
    @Test("every byte matches the hand-made frame, whatever the buffer held before", arguments: ProbeCase.all)
    func goldenBytes(_ c: ProbeCase) throws {
        let expected = c.expectedBytes
        for fill: UInt8 in [0x00, 0xAA, 0xFF] {
            let frame = try probeFrame(c.probe, fill: fill)
            #expect(frame == expected, "fill \(fill): \(byteDifferences(frame, expected))")
        }
        #expect(c.probe.frameLength == expected.count)
        #expect(expected.count == 86 + 4 * c.tags.count)
        let ip = 14 + 4 * c.tags.count
        #expect(expected[ip + 7] == 255, "hop limit 255 (RFC 4861 §7.1.1)")
        #expect(UInt16(expected[ip + 42]) << 8 | UInt16(expected[ip + 43]) == c.probe.checksum)
    }

    @Test(
        "the multicast probe goes to 33:33:ff and the target's last 24 bits (ndppd 1.0 uses the last 32)",
        arguments: [
            ("2001:db8:0:96ce::2", "33:33:ff:00:00:02", "ff02::1:ff00:2"),
            ("2001:db8:0:96ce:1234:5678:9abc:def0", "33:33:ff:bc:de:f0", "ff02::1:ffbc:def0"),
            ("2001:db8::1:2345:6789:abcd", "33:33:ff:89:ab:cd", "ff02::1:ff89:abcd"),
            ("2001:db8:0:96ff:ff:ff:ff:ff", "33:33:ff:ff:00:ff", "ff02::1:ffff:ff"),
        ])
    func solicitedNodeMAC(target: String, mac: String, group: String) throws {
        let target = IPv6Address(target)!
        let probe = try #require(
            SolicitationProbe(
                target: target, source: ProbeCase.hostLinkLocal,
                interfaceMAC: ProbeCase.hostMAC))
        #expect(probe.ethernetDestination == MACAddress(mac)!)
        #expect(probe.ipDestination == IPv6Address(group)!)
        let frame = try probeFrame(probe)
        #expect(Array(frame[0..<6]) == Bytes.of(MACAddress(mac)!), "Ethernet destination on the wire")
        #expect(Array(frame[38..<54]) == Bytes.of(IPv6Address(group)!), "IPv6 destination on the wire")
    }

    @Test(
        "the project's NS validation accepts the probe, on both paths, with every field as built",
        arguments: ProbeCase.all)
    func validatesAsSolicitation(_ c: ProbeCase) throws {
        let frame = try probeFrame(c.probe)
        let decoded = try NeighborSolicitation(decoding: frame.span, linkType: .ethernet)
        let expected = NeighborSolicitation(
            source: ProbeCase.hostLinkLocal, destination: c.unicast ? Fixture.target : Fixture.targetSolicitedNode,
            targetAddress: Fixture.target, sourceLinkLayerAddress: ProbeCase.hostMAC,
            linkLayerSource: ProbeCase.hostMAC,
            linkLayerDestination: c.unicast ? Fixture.guestMAC : Fixture.targetSolicitedNodeMAC,
            vlanTags: VLANTags(c.tags))
        #expect(decoded == expected)
        #expect(!decoded.isDuplicateAddressDetection, "a probe is never a DAD probe")
        #expect(validateSolicitation(frame, linkType: .ethernet) == .accepted(expected), "the layered path agrees")
    }

    @Test(
        "fields that cannot make a valid probe are refused",
        arguments: [
            (
                "source ::", IPv6Address.unspecified, Fixture.target, ProbeCase.hostMAC,
                SolicitationProbe.Destination.solicitedNode
            ),
            ("source is the target", Fixture.target, Fixture.target, ProbeCase.hostMAC, .solicitedNode),
            ("multicast source", IPv6Address.allNodes, Fixture.target, ProbeCase.hostMAC, .solicitedNode),
            (
                "multicast target", ProbeCase.hostLinkLocal, IPv6Address("ff02::1:ff00:2")!, ProbeCase.hostMAC,
                .solicitedNode
            ),
            ("target ::", ProbeCase.hostLinkLocal, IPv6Address.unspecified, ProbeCase.hostMAC, .solicitedNode),
            ("target ::1", ProbeCase.hostLinkLocal, IPv6Address("::1")!, ProbeCase.hostMAC, .solicitedNode),
            ("source ::1", IPv6Address("::1")!, Fixture.target, ProbeCase.hostMAC, .solicitedNode),
            (
                "multicast sender MAC", ProbeCase.hostLinkLocal, Fixture.target, MACAddress("33:33:00:00:00:01")!,
                .solicitedNode
            ),
            (
                "unicast to a group MAC", ProbeCase.hostLinkLocal, Fixture.target, ProbeCase.hostMAC,
                .unicast(MACAddress.broadcast)
            ),
        ])
    func refused(
        _ name: String, source: IPv6Address, target: IPv6Address, mac: MACAddress,
        destination: SolicitationProbe.Destination
    ) {
        #expect(
            SolicitationProbe(target: target, source: source, interfaceMAC: mac, destination: destination) == nil,
            "\(name)")
    }

    @Test("a global host address is an acceptable source too (RFC 4861 §7.2.2: any address of the interface)")
    func globalSource() throws {
        let probe = try #require(
            SolicitationProbe(
                target: Fixture.target, source: Fixture.routerGlobal,
                interfaceMAC: ProbeCase.hostMAC))
        let frame = try probeFrame(probe)
        let decoded = try NeighborSolicitation(decoding: frame.span, linkType: .ethernet)
        #expect(decoded.source == Fixture.routerGlobal)
    }

    @Test("a buffer one byte short throws and names both lengths", arguments: ProbeCase.all)
    func bufferTooSmall(_ c: ProbeCase) {
        let needed = c.probe.frameLength
        for capacity in [0, 14, needed - 1] {
            switch writeProbe(c.probe, capacity: capacity) {
            case .success: Issue.record("capacity \(capacity) accepted")
            case .failure(let error): #expect(error.needed == needed && error.have == capacity)
            }
        }
    }
}
