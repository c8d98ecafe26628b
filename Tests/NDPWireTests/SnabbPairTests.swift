// snabb's lwAFTR end-to-end pairs as a responder spec: the NA we build for snabb's
// incoming NS must equal, byte for byte, the NA snabb's test expects.
//
// snabb's interface facts (MANIFEST.md, tunnel_icmp.conf): IPv6 8:9:a:b:c:d:e:f,
// MAC 22:22:22:22:22:22, next hop MAC 44:44:44:44:44:44. snabb answers with the target as the
// IPv6 source, R = 1 (it is a router), S = 1, O = 0.

import NDPWire
import Testing

@Suite("snabb responder pairs", .needsCorpus)
struct SnabbPairTests {
    static let address = IPv6Address("8:9:a:b:c:d:e:f")!
    static let mac = MACAddress(0x22, 0x22, 0x22, 0x22, 0x22, 0x22)
    static let nextHop = IPv6Address("8:9:a:b:4:3:2:1")!
    static let nextHopMAC = MACAddress(0x44, 0x44, 0x44, 0x44, 0x44, 0x44)

    /// The only frame of a one-packet snabb capture.
    static func onlyFrame(_ name: String) throws -> [UInt8] {
        let capture = try Corpus.capture(name)
        #expect(capture.linkType == .ethernet)
        #expect(capture.records.count == 1, "\(name)")
        return try #require(capture.records.first).bytes
    }

    static func solicitation(_ name: String) throws -> NeighborSolicitation {
        let bytes = try onlyFrame(name)
        let outcome = validateSolicitation(bytes, linkType: .ethernet)
        guard case .accepted(let ns) = outcome else {
            Issue.record("\(name) was not accepted: \(outcome)")
            throw CancellationError()
        }
        return ns
    }

    @Test(
        "Our NA for snabb-ndp_incoming_ns equals snabb-ndp_outgoing_solicited_na, byte for byte",
        arguments: [
            ("snabb-ndp_incoming_ns.pcap", "snabb-ndp_outgoing_solicited_na.pcap", 0),
            ("snabb-vlan-ndp_incoming_ns.pcap", "snabb-vlan-ndp_outgoing_solicited_na.pcap", 1),
        ])
    func solicitedAdvertisement(incoming: String, expected: String, tags: Int) throws {
        let ns = try Self.solicitation(incoming)
        #expect(ns.targetAddress == Self.address)
        // An NS to a unicast IPv6 destination sent to the Ethernet broadcast address.
        #expect(ns.destination == Self.address)
        #expect(ns.linkLayerDestination == .broadcast)
        #expect(ns.sourceLinkLayerAddress == MACAddress(0x00, 0x01, 0x02, 0x03, 0x04, 0x05))
        #expect(ns.vlanTags.count == tags)
        if tags == 1 {
            #expect(ns.vlanTags.outer == VLANTag(tagProtocolIdentifier: 0x8100, tagControlInformation: 1638))
        }

        let na = NeighborAdvertisement(
            answering: ns, interfaceMAC: Self.mac, source: ns.targetAddress,
            router: true, override: false)
        let ours = try advertisementFrame(na)
        let theirs = try Self.onlyFrame(expected)
        // No byte differs on purpose: snabb's expected NA is exactly RFC 4861 §7.2.4's answer.
        #expect(ours == theirs, "\(byteDifferences(ours, theirs))")
        #expect(ours.count == 86 + 4 * tags)
    }

    @Test("The reverse pair: answering snabb-ndp_outgoing_ns as the next hop gives snabb-ndp_incoming_solicited_na")
    func nextHopAnswer() throws {
        let ns = try Self.solicitation("snabb-ndp_outgoing_ns.pcap")
        #expect(ns.source == Self.address)
        #expect(ns.targetAddress == Self.nextHop)
        #expect(ns.destination == Self.nextHop.solicitedNodeMulticast)
        #expect(ns.sourceLinkLayerAddress == Self.mac)
        let na = NeighborAdvertisement(
            answering: ns, interfaceMAC: Self.nextHopMAC, source: Self.nextHop,
            router: true, override: false)
        let ours = try advertisementFrame(na)
        let theirs = try Self.onlyFrame("snabb-ndp_incoming_solicited_na.pcap")
        #expect(ours == theirs, "\(byteDifferences(ours, theirs))")
        // The VLAN variant of the outgoing NS is the same NS, tagged 1638.
        let tagged = try Self.solicitation("snabb-vlan-ndp_outgoing_ns.pcap")
        #expect(tagged.vlanTags.all.map(\.vlanIdentifier) == [1638])
        var untagged = tagged
        untagged.vlanTags = VLANTags()
        #expect(untagged == ns)
    }

    @Test("snabb-ndp_incoming_ns_nonlwaftr and _secondary ask for other targets: no NA for 8:9:a:b:c:d:e:f")
    func otherTargets() throws {
        let ours = try Self.solicitation("snabb-ndp_incoming_ns.pcap")
        let nonlwaftr = try Self.solicitation("snabb-ndp_incoming_ns_nonlwaftr.pcap")
        let secondary = try Self.solicitation("snabb-ndp_incoming_ns_secondary.pcap")
        #expect(nonlwaftr.targetAddress == IPv6Address("7:9:a:b:c:d:e:f"))
        #expect(secondary.targetAddress == IPv6Address("1e:1:1:1:1:1:1:af"))
        #expect(nonlwaftr.targetAddress != Self.address)
        #expect(secondary.targetAddress != Self.address)
        // Everything else is the same solicitation: only the target differs.
        var sameButTarget = nonlwaftr
        sameButTarget.targetAddress = Self.address
        #expect(sameButTarget == ours)
        sameButTarget = secondary
        sameButTarget.targetAddress = Self.address
        #expect(sameButTarget == ours)
        // The bytes differ exactly in the target and, as a consequence, the checksum.
        let a = try Self.onlyFrame("snabb-ndp_incoming_ns.pcap")
        let b = try Self.onlyFrame("snabb-ndp_incoming_ns_nonlwaftr.pcap")
        let differing = a.indices.filter { a[$0] != b[$0] }
        #expect(differing.allSatisfy { (56..<58).contains($0) || (62..<78).contains($0) }, "\(differing)")
        #expect(differing.contains { (62..<78).contains($0) })
    }
}
