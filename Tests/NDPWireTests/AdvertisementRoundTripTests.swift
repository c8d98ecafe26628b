// Build an NA with NDPWire's builder, parse it back with NDPWire's parser, and check
// every field, for every combination of solicitor kind, VLAN tagging, R/S/O and TLLA.

import NDPWire
import TestSupport
import Testing

/// One NA shape.
struct AdvertisementCase: Sendable, CustomTestStringConvertible {
    var duplicateAddressDetection: Bool
    var tagCount: Int
    var router: Bool
    var solicited: Bool
    var override: Bool
    var withTLLA: Bool

    var testDescription: String {
        let flags = (router ? "R" : "") + (solicited ? "S" : "") + (override ? "O" : "")
        return
            "\(duplicateAddressDetection ? "DAD" : "unicast") tags=\(tagCount) flags=[\(flags)] \(withTLLA ? "TLLA" : "no-TLLA")"
    }

    static let all: [AdvertisementCase] = {
        var out: [AdvertisementCase] = []
        for dad in [false, true] {
            for tags in 0...2 {
                for bits in 0..<8 {
                    for tlla in [false, true] {
                        out.append(
                            AdvertisementCase(
                                duplicateAddressDetection: dad, tagCount: tags,
                                router: bits & 4 != 0, solicited: bits & 2 != 0,
                                override: bits & 1 != 0, withTLLA: tlla))
                    }
                }
            }
        }
        return out
    }()

    /// Tags with awkward values: PCP and DEI bits set, VID 4095 and VID 1.
    var tags: [VLANTag] {
        let all = [
            VLANTag(tagProtocolIdentifier: 0x88A8, tagControlInformation: 0xFFFF),
            VLANTag(tagProtocolIdentifier: 0x8100, tagControlInformation: 0x2001),
        ]
        return tagCount == 1 ? [all[1]] : Array(all.prefix(tagCount))
    }

    var flags: NeighborAdvertisementFlags {
        var f: NeighborAdvertisementFlags = []
        if router { f.insert(.router) }
        if solicited { f.insert(.solicited) }
        if override { f.insert(.override) }
        return f
    }

    var advertisement: NeighborAdvertisement {
        NeighborAdvertisement(
            ethernetDestination: duplicateAddressDetection ? MACAddress(0x33, 0x33, 0, 0, 0, 1) : Fixture.routerMAC,
            ethernetSource: Fixture.interfaceMAC, vlanTags: VLANTags(tags),
            source: duplicateAddressDetection ? Fixture.target : GoldenFrames.interfaceLinkLocal,
            destination: duplicateAddressDetection ? .allNodes : Fixture.routerGlobal,
            flags: flags, targetAddress: Fixture.target,
            targetLinkLayerAddress: withTLLA ? Fixture.interfaceMAC : nil)
    }
}

@Suite("NA build → parse round trips")
struct AdvertisementRoundTripTests {
    @Test("Every field of a built NA parses back", arguments: AdvertisementCase.all)
    func roundTrip(_ c: AdvertisementCase) throws {
        let na = c.advertisement
        let frame = try advertisementFrame(na)
        let expectedLength = 14 + 4 * c.tagCount + 40 + 24 + (c.withTLLA ? 8 : 0)
        #expect(frame.count == expectedLength)
        #expect(na.frameLength == expectedLength)

        // Independent reading of the raw bytes first: the tags and EtherType where they belong.
        for (i, tag) in c.tags.enumerated() {
            #expect(
                Array(frame[(12 + 4 * i)..<(16 + 4 * i)])
                    == Bytes.be16(tag.tagProtocolIdentifier) + Bytes.be16(tag.tagControlInformation))
        }
        #expect(Array(frame[(12 + 4 * c.tagCount)..<(14 + 4 * c.tagCount)]) == [0x86, 0xDD])

        let parsed = try NDFrame(parsing: frame.span, linkType: .ethernet)
        #expect(parsed.link.destination == na.ethernetDestination)
        #expect(parsed.link.source == Fixture.interfaceMAC)
        #expect(parsed.link.vlanTags.all == c.tags)
        #expect(parsed.link.networkOffset == 14 + 4 * c.tagCount)
        #expect(parsed.ip.trafficClass == 0)
        #expect(parsed.ip.flowLabel == 0)
        #expect(parsed.ip.hopLimit == 255)
        #expect(parsed.ip.payloadLength == na.messageLength)
        #expect(parsed.ip.source == na.source)
        #expect(parsed.ip.destination == na.destination)
        #expect(parsed.ip.upperLayerProtocol == 58)
        #expect(parsed.ip.extensionHeaderCount == 0)
        #expect(!parsed.ip.isFragmented && !parsed.ip.isTruncated)
        #expect(parsed.icmpType == 136)
        #expect(parsed.icmpCode == 0)
        #expect(parsed.messageRange == (frame.count - na.messageLength)..<frame.count)

        let message = messageBytes(frame, parsed)
        let nd = decodeND(message)
        let m = try #require(nd.message)
        #expect(m.type == .neighborAdvertisement)
        #expect(m.code == 0)
        #expect(m.advertisementFlags == c.flags)
        #expect(m.reservedBits == 0)
        #expect(m.targetAddress == Fixture.target)
        #expect(m.length == na.messageLength)
        #expect(nd.optionError == nil)
        #expect(nd.options == (c.withTLLA ? [.targetLinkLayerAddress(Fixture.interfaceMAC)] : []))

        // The checksum verifies (NDPWire), and equals the test's own RFC 1071 sum.
        #expect(checksumIsValid(message, source: na.source, destination: na.destination))
        var zeroed = message
        zeroed[2] = 0
        zeroed[3] = 0
        #expect(m.checksum == rfc1071Checksum(source: na.source, destination: na.destination, message: zeroed))
        #expect(m.checksum == computedChecksum(zeroed, source: na.source, destination: na.destination))
        // And it is sensitive to the pseudo-header: another destination must not verify.
        #expect(!checksumIsValid(message, source: na.source, destination: Fixture.routerLinkLocal))
    }

    @Test("A flipped bit anywhere in the ICMPv6 message breaks the checksum")
    func checksumCatchesEveryBit() throws {
        let na = AdvertisementCase(
            duplicateAddressDetection: false, tagCount: 1, router: true, solicited: true,
            override: false, withTLLA: true
        ).advertisement
        let frame = try advertisementFrame(na)
        let start = frame.count - na.messageLength
        let message = Array(frame[start...])
        #expect(checksumIsValid(message, source: na.source, destination: na.destination))
        var undetected: [String] = []
        for byte in 0..<message.count {
            for bit in 0..<8 {
                var corrupted = message
                corrupted[byte] ^= 1 << bit
                if checksumIsValid(corrupted, source: na.source, destination: na.destination) {
                    undetected.append("byte \(byte) bit \(bit)")
                }
            }
        }
        #expect(undetected.isEmpty, "single-bit errors that still verified: \(undetected)")
    }

    /// How the NA answering an NS is addressed (RFC 4861 §7.2.4).
    struct AnsweringCase: Sendable, CustomTestStringConvertible {
        var name: String
        var packet: TestPacketSpec
        var router: Bool
        var override: Bool
        var testDescription: String { "\(name) R=\(router) O=\(override)" }
    }

    /// A `TestPacket` recipe (TestPacket itself holds a non-Sendable enum payload, so keep a recipe).
    struct TestPacketSpec: Sendable {
        enum Kind: Sendable { case dad, multicastWithSLLA, nudWithoutSLLA, rawNUD, sllNUD }
        var kind: Kind
        var tags: Int

        var linkType: LinkType {
            switch kind {
            case .rawNUD: return .raw
            case .sllNUD: return .linuxSLL
            default: return .ethernet
            }
        }

        var bytes: [UInt8] {
            let tags = AdvertisementCase(
                duplicateAddressDetection: false, tagCount: self.tags, router: false,
                solicited: false, override: false, withTLLA: false
            ).tags
            switch kind {
            case .dad:
                return TestPacket(
                    link: Fixture.ethernet(tags: tags, source: Fixture.guestMAC), source: .unspecified,
                    destination: Fixture.targetSolicitedNode,
                    message: ND.solicitation(target: Fixture.target)
                ).bytes
            case .multicastWithSLLA:
                // The frame's Ethernet source differs from the SLLA on purpose: the SLLA wins.
                return TestPacket(
                    link: Fixture.ethernet(tags: tags, source: Fixture.guestMAC),
                    source: Fixture.routerGlobal, destination: Fixture.targetSolicitedNode,
                    message: ND.solicitation(target: Fixture.target, options: ND.slla(Fixture.routerMAC))
                ).bytes
            case .nudWithoutSLLA:
                return TestPacket(
                    link: Fixture.ethernet(tags: tags, destination: Fixture.interfaceMAC),
                    source: Fixture.routerGlobal, destination: Fixture.target,
                    message: ND.solicitation(target: Fixture.target)
                ).bytes
            case .rawNUD:
                return TestPacket(
                    link: .raw, source: Fixture.routerGlobal, destination: Fixture.target,
                    message: ND.solicitation(target: Fixture.target)
                ).bytes
            case .sllNUD:
                return TestPacket(
                    link: .sll(packetType: 0, source: Fixture.routerMAC), source: Fixture.routerGlobal,
                    destination: Fixture.target, message: ND.solicitation(target: Fixture.target)
                ).bytes
            }
        }
    }

    static let answeringCases: [AnsweringCase] = {
        var out: [AnsweringCase] = []
        let kinds: [(String, TestPacketSpec.Kind, [Int])] = [
            ("DAD", .dad, [0, 1, 2]), ("multicast+SLLA", .multicastWithSLLA, [0, 1, 2]),
            ("NUD no SLLA", .nudWithoutSLLA, [0, 1, 2]), ("raw NUD", .rawNUD, [0]), ("SLL NUD", .sllNUD, [0]),
        ]
        for (name, kind, tagCounts) in kinds {
            for tags in tagCounts {
                for (router, override) in [(false, false), (true, false), (false, true), (true, true)] {
                    out.append(
                        AnsweringCase(
                            name: "\(name) tags=\(tags)", packet: TestPacketSpec(kind: kind, tags: tags),
                            router: router, override: override))
                }
            }
        }
        return out
    }()

    @Test(
        "NA(answering:) addresses the reply as RFC 4861 §7.2.4 says, and it parses back",
        arguments: answeringCases)
    func answering(_ c: AnsweringCase) throws {
        let bytes = c.packet.bytes
        guard case .accepted(let ns) = validateSolicitation(bytes, linkType: c.packet.linkType) else {
            Issue.record("the test NS was not accepted: \(validateSolicitation(bytes, linkType: c.packet.linkType))")
            return
        }
        let source = GoldenFrames.interfaceLinkLocal
        let na = NeighborAdvertisement(
            answering: ns, interfaceMAC: Fixture.interfaceMAC, source: source,
            router: c.router, override: c.override)
        #expect(na.flags.contains(.router) == c.router)
        #expect(na.flags.contains(.override) == c.override)
        #expect(na.targetAddress == Fixture.target)
        #expect(na.targetLinkLayerAddress == Fixture.interfaceMAC)
        #expect(na.ethernetSource == Fixture.interfaceMAC)
        #expect(na.source == source)
        #expect(na.vlanTags == ns.vlanTags)
        switch c.packet.kind {
        case .dad:
            // §7.2.4: a DAD probe is answered to all-nodes, S = 0, at the prober's MAC only
            // (the all-nodes group when the capture has no link-layer source).
            #expect(na.destination == .allNodes)
            #expect(na.ethernetDestination == (ns.linkLayerSource ?? MACAddress(0x33, 0x33, 0, 0, 0, 1)))
            #expect(!na.flags.contains(.solicited))
        case .multicastWithSLLA:
            #expect(na.destination == Fixture.routerGlobal)
            #expect(na.ethernetDestination == Fixture.routerMAC)
            #expect(na.flags.contains(.solicited))
        case .nudWithoutSLLA:
            #expect(na.destination == Fixture.routerGlobal)
            #expect(na.ethernetDestination == Fixture.routerMAC)  // the frame's Ethernet source
            #expect(na.flags.contains(.solicited))
        case .sllNUD:
            #expect(na.ethernetDestination == Fixture.routerMAC)  // the SLL address field
            #expect(na.flags.contains(.solicited))
        case .rawNUD:
            // No link-layer address at all: the solicitor's solicited-node group (RFC 2464 §7).
            #expect(na.ethernetDestination == MACAddress.ipv6Multicast(Fixture.routerGlobal.solicitedNodeMulticast))
            #expect(na.flags.contains(.solicited))
        }
        // Never S = 1 to a multicast destination (RFC 4861 §7.2.4).
        #expect(!(na.destination.isMulticast && na.flags.contains(.solicited)))

        let frame = try advertisementFrame(na)
        let parsed = try NDFrame(parsing: frame.span, linkType: .ethernet)
        #expect(parsed.link.vlanTags == ns.vlanTags)
        #expect(parsed.link.destination == na.ethernetDestination)
        #expect(parsed.ip.destination == na.destination)
        let nd = decodeND(messageBytes(frame, parsed))
        #expect(nd.message?.advertisementFlags == na.flags)
        #expect(nd.options == [.targetLinkLayerAddress(Fixture.interfaceMAC)])
        #expect(checksumIsValid(messageBytes(frame, parsed), source: na.source, destination: na.destination))
    }
}
