// Golden frames written out byte by byte, each field annotated with its offset, name,
// value and the RFC section that defines it. The parser must read exactly these fields, and
// the NA builder must write exactly these bytes.

import NDPWire
import TestSupport
import Testing

/// The golden frames, shared with the prefix tests.
enum GoldenFrames {
    // MARK: The IPv6 packet of the golden NS (the same bytes on every link type)

    /// A multicast Neighbor Solicitation from the provider's router (link-local source) for the
    /// guest address 2001:db8:0:96ce::2, with a Source Link-Layer Address option. 72 bytes.
    /// Offsets are relative to the start of the IPv6 header.
    static let solicitationPacket: [UInt8] = [
        // IPv6 fixed header (RFC 8200 §3)
        0x60, 0x00, 0x00, 0x00,  //  0 version 6 | traffic class 0 | flow label 0
        0x00, 0x20,  //  4 Payload Length 32 = NS 24 + SLLA 8
        0x3A,  //  6 Next Header 58 = ICMPv6 (RFC 4443 §1)
        0xFF,  //  7 Hop Limit 255 (RFC 4861 §7.1.1: must be 255)
        0xFE, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  //  8 Source fe80::5054:ff:fe12:3456 (link-local,
        0x50, 0x54, 0x00, 0xFF, 0xFE, 0x12, 0x34, 0x56,  //    RFC 4291 §2.5.6; EUI-64 of 52:54:00:12:34:56)
        0xFF, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 24 Destination ff02::1:ff00:2: the solicited-node
        0x00, 0x00, 0x00, 0x01, 0xFF, 0x00, 0x00, 0x02,  //    group of the target (RFC 4291 §2.7.1)
        // ICMPv6 Neighbor Solicitation (RFC 4861 §4.3)
        0x87,  // 40 Type 135 = NS
        0x00,  // 41 Code 0
        0xAC, 0x19,  // 42 Checksum 0xac19 (RFC 4443 §2.3; computed with
        //    Python's RFC 1071 sum, re-checked below)
        0x00, 0x00, 0x00, 0x00,  // 44 Reserved, zero
        0x20, 0x01, 0x0D, 0xB8, 0x00, 0x00, 0x96, 0xCE,  // 48 Target Address 2001:db8:0:96ce::2
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        // Source Link-Layer Address option (RFC 4861 §4.6.1)
        0x01,  // 64 Type 1 = SLLA
        0x01,  // 65 Length 1 (units of 8 octets)
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  // 66 Link-Layer Address 52:54:00:12:34:56
    ]

    /// Where the ICMPv6 message starts inside `solicitationPacket`.
    static let messageOffsetInPacket = 40

    // MARK: Link-layer headers

    /// Ethernet II, untagged (IEEE 802.3 §3.1.1, RFC 2464). 14 bytes.
    static let ethernetHeader: [UInt8] = [
        0x33, 0x33, 0xFF, 0x00, 0x00, 0x02,  //  0 Destination 33:33:ff:00:00:02 = 33:33 + the low 32 bits
        //    of ff02::1:ff00:2 (RFC 2464 §7)
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  //  6 Source 52:54:00:12:34:56 (the router)
        0x86, 0xDD,  // 12 EtherType 0x86dd = IPv6 (RFC 2464 §3)
    ]

    /// Ethernet II with one IEEE 802.1Q tag (PCP 5, DEI 0, VID 100). 18 bytes.
    static let dot1QHeader: [UInt8] = [
        0x33, 0x33, 0xFF, 0x00, 0x00, 0x02,  //  0 Destination 33:33:ff:00:00:02
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  //  6 Source 52:54:00:12:34:56
        0x81, 0x00,  // 12 TPID 0x8100 = 802.1Q C-tag (IEEE 802.1Q §9.5)
        0xA0, 0x64,  // 14 TCI: PCP 5 (101) | DEI 0 | VID 0x064 = 100
        0x86, 0xDD,  // 16 EtherType IPv6
    ]

    /// Ethernet II with an 802.1ad S-tag (VID 200) and an 802.1Q C-tag (PCP 1, DEI 1, VID 100). 22 bytes.
    static let qinqHeader: [UInt8] = [
        0x33, 0x33, 0xFF, 0x00, 0x00, 0x02,  //  0 Destination 33:33:ff:00:00:02
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  //  6 Source 52:54:00:12:34:56
        0x88, 0xA8,  // 12 TPID 0x88a8 = 802.1ad S-tag (outer)
        0x00, 0xC8,  // 14 TCI: PCP 0 | DEI 0 | VID 200
        0x81, 0x00,  // 16 TPID 0x8100 = 802.1Q C-tag (inner)
        0x30, 0x64,  // 18 TCI: PCP 1 (001) | DEI 1 | VID 100
        0x86, 0xDD,  // 20 EtherType IPv6
    ]

    /// Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113). 16 bytes.
    static let sllHeader: [UInt8] = [
        0x00, 0x02,  //  0 Packet type 2 = multicast, sent by another host
        0x00, 0x01,  //  2 ARPHRD type 1 = Ethernet
        0x00, 0x06,  //  4 Link-layer address length 6
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x00, 0x00,  //  6 Address 52:54:00:12:34:56, padded to 8
        0x86, 0xDD,  // 14 Protocol 0x86dd = IPv6
    ]

    /// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276). 20 bytes.
    static let sll2Header: [UInt8] = [
        0x86, 0xDD,  //  0 Protocol 0x86dd = IPv6
        0x00, 0x00,  //  2 Reserved (MBZ)
        0x00, 0x00, 0x00, 0x03,  //  4 Interface index 3
        0x00, 0x01,  //  8 ARPHRD type 1 = Ethernet
        0x02,  // 10 Packet type 2 = multicast
        0x06,  // 11 Link-layer address length 6
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x00, 0x00,  // 12 Address 52:54:00:12:34:56, padded to 8
    ]

    /// Every golden valid NS: name, link type, bytes.
    static let validSolicitations: [(name: String, linkType: LinkType, bytes: [UInt8])] = [
        ("ethernet", .ethernet, ethernetHeader + solicitationPacket),
        ("802.1Q", .ethernet, dot1QHeader + solicitationPacket),
        ("802.1ad+802.1Q", .ethernet, qinqHeader + solicitationPacket),
        ("SLL", .linuxSLL, sllHeader + solicitationPacket),
        ("SLL2", .linuxSLL2, sll2Header + solicitationPacket),
        ("raw (101)", .raw, solicitationPacket),
        ("IPv6 (229)", .ipv6, solicitationPacket),
    ]

    // MARK: The golden NA

    /// The NA that answers the golden NS: from interface MAC 02:00:00:00:00:01, IPv6 source its
    /// EUI-64 link-local address, R = 1, S = 1, O = 0, with a TLLA. 86 bytes.
    static let advertisement: [UInt8] = [
        // Ethernet II
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  //  0 Destination = the NS's SLLA (RFC 4861 §7.2.4)
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  //  6 Source = the interface MAC
        0x86, 0xDD,  // 12 EtherType IPv6
        // IPv6 (RFC 8200 §3)
        0x60, 0x00, 0x00, 0x00,  // 14 version 6 | class 0 | flow 0
        0x00, 0x20,  // 18 Payload Length 32 = NA 24 + TLLA 8
        0x3A,  // 20 Next Header 58 = ICMPv6
        0xFF,  // 21 Hop Limit 255 (RFC 4861 §7.1.2)
        0xFE, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 22 Source fe80::ff:fe00:1: modified EUI-64 of
        0x00, 0x00, 0x00, 0xFF, 0xFE, 0x00, 0x00, 0x01,  //    02:00:00:00:00:01, U/L bit flipped (RFC 4291 App. A)
        0xFE, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 38 Destination = the NS source
        0x50, 0x54, 0x00, 0xFF, 0xFE, 0x12, 0x34, 0x56,  //    fe80::5054:ff:fe12:3456 (§7.2.4: unicast reply)
        // ICMPv6 Neighbor Advertisement (RFC 4861 §4.4)
        0x88,  // 54 Type 136 = NA
        0x00,  // 55 Code 0
        0x6F, 0x59,  // 56 Checksum 0x6f59 (Python RFC 1071, re-checked below)
        0xC0, 0x00, 0x00, 0x00,  // 58 R=1 S=1 O=0 | 29 reserved bits zero
        0x20, 0x01, 0x0D, 0xB8, 0x00, 0x00, 0x96, 0xCE,  // 62 Target Address 2001:db8:0:96ce::2
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        // Target Link-Layer Address option (RFC 4861 §4.6.1)
        0x02,  // 78 Type 2 = TLLA
        0x01,  // 79 Length 1 (8 octets)
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // 80 Link-Layer Address 02:00:00:00:00:01
    ]

    /// Field names of the golden NA by offset, for failure messages.
    static func advertisementField(_ offset: Int) -> String {
        switch offset {
        case 0..<6: return "(Ethernet destination)"
        case 6..<12: return "(Ethernet source)"
        case 12..<14: return "(EtherType)"
        case 14..<18: return "(IPv6 version/class/flow)"
        case 18..<20: return "(IPv6 payload length)"
        case 20: return "(IPv6 next header)"
        case 21: return "(IPv6 hop limit)"
        case 22..<38: return "(IPv6 source)"
        case 38..<54: return "(IPv6 destination)"
        case 54: return "(ICMPv6 type)"
        case 55: return "(ICMPv6 code)"
        case 56..<58: return "(ICMPv6 checksum)"
        case 58..<62: return "(NA flags/reserved)"
        case 62..<78: return "(target)"
        case 78..<80: return "(TLLA type/length)"
        default: return "(TLLA address)"
        }
    }

    static let interfaceLinkLocal = IPv6Address("fe80::ff:fe00:1")!
}

@Suite("Golden frames")
struct GoldenFrameTests {
    let expectedSolicitation = NeighborSolicitation(
        source: Fixture.routerLinkLocal, destination: Fixture.targetSolicitedNode, targetAddress: Fixture.target,
        sourceLinkLayerAddress: Fixture.routerMAC, hasNonce: false,
        linkLayerSource: Fixture.routerMAC, linkLayerDestination: Fixture.targetSolicitedNodeMAC)

    @Test("The golden checksums agree with the test's own RFC 1071 sum")
    func goldenChecksumsAreIndependentlyRight() {
        /// The ICMPv6 message from `offset` on, its checksum field zeroed.
        func message(_ frame: [UInt8], from offset: Int) -> [UInt8] {
            Array(frame[offset..<offset + 2]) + [0, 0] + frame[(offset + 4)...]
        }
        let ns = message(GoldenFrames.solicitationPacket, from: 40)
        #expect(
            rfc1071Checksum(source: Fixture.routerLinkLocal, destination: Fixture.targetSolicitedNode, message: ns)
                == 0xAC19)
        let na = message(GoldenFrames.advertisement, from: 54)
        #expect(
            rfc1071Checksum(source: GoldenFrames.interfaceLinkLocal, destination: Fixture.routerLinkLocal, message: na)
                == 0x6F59)
        // The frame builder used elsewhere reproduces the golden NS byte for byte.
        let built = Fixture.multicastNS(link: .raw).bytes
        #expect(built == GoldenFrames.solicitationPacket)
        #expect(Fixture.multicastNS(link: Fixture.ethernet()).bytes == GoldenFrames.validSolicitations[0].bytes)
    }

    @Test("Golden multicast NS (Ethernet): every field decodes")
    func ethernetSolicitationFields() throws {
        let frame = GoldenFrames.ethernetHeader + GoldenFrames.solicitationPacket
        #expect(frame.count == 86)
        let parsed = try NDFrame(parsing: frame.span, linkType: .ethernet)
        // Link layer
        #expect(parsed.link.destination == Fixture.targetSolicitedNodeMAC)
        #expect(parsed.link.source == Fixture.routerMAC)
        #expect(parsed.link.vlanTags.count == 0)
        #expect(parsed.link.packetType == nil)
        #expect(parsed.link.networkOffset == 14)
        // IPv6
        #expect(parsed.ip.trafficClass == 0)
        #expect(parsed.ip.flowLabel == 0)
        #expect(parsed.ip.payloadLength == 32)
        #expect(parsed.ip.hopLimit == 255)
        #expect(parsed.ip.source == Fixture.routerLinkLocal)
        #expect(parsed.ip.destination == Fixture.targetSolicitedNode)
        #expect(parsed.ip.upperLayerProtocol == 58)
        #expect(parsed.ip.upperLayerOffset == 54)
        #expect(parsed.ip.upperLayerLength == 32)
        #expect(!parsed.ip.isFragmented)
        #expect(!parsed.ip.isTruncated)
        #expect(parsed.ip.extensionHeaderCount == 0)
        // ICMPv6
        #expect(parsed.icmpType == 135)
        #expect(parsed.icmpCode == 0)
        #expect(parsed.ndType == .neighborSolicitation)
        #expect(parsed.messageOffset == 54)
        #expect(parsed.messageLength == 32)
        #expect(parsed.messageRange == 54..<86)
        // NDMessage view
        let nd = decodeND(Array(frame[54...]))
        let message = try #require(nd.message)
        #expect(message.type == .neighborSolicitation)
        #expect(message.code == 0)
        #expect(message.checksum == 0xAC19)
        #expect(message.targetAddress == Fixture.target)
        #expect(message.destinationAddress == nil)
        #expect(message.advertisementFlags == nil)
        #expect(message.reservedBits == 0)
        #expect(message.routerAdvertisement == nil)
        #expect(message.length == 32)
        #expect(nd.options == [.sourceLinkLayerAddress(Fixture.routerMAC)])
        #expect(nd.optionError == nil)
        #expect(
            checksumIsValid(
                Array(frame[54...]), source: Fixture.routerLinkLocal,
                destination: Fixture.targetSolicitedNode))
        // Validation
        let ns = try NeighborSolicitation(validating: parsed, in: frame.span)
        #expect(ns == expectedSolicitation)
        #expect(!ns.isDuplicateAddressDetection)
    }

    /// The golden NS behind one more link layer: what the parse must find in the header, and
    /// the validated NS is `expectedSolicitation` with these link-layer fields.
    struct GoldenLink: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var header: [UInt8]
        var linkType: LinkType
        var networkOffset: Int
        var tags: [VLANTag] = []
        var packetType: UInt8? = nil
        var source: MACAddress? = Fixture.routerMAC
        var destination: MACAddress? = nil
    }

    static let cTag = VLANTag(tagProtocolIdentifier: 0x8100, tagControlInformation: 0xA064)
    static let sTag = VLANTag(tagProtocolIdentifier: 0x88A8, tagControlInformation: 0x00C8)
    static let innerCTag = VLANTag(tagProtocolIdentifier: 0x8100, tagControlInformation: 0x3064)

    static let goldenLinks: [GoldenLink] = [
        GoldenLink(
            testDescription: "802.1Q: one C-tag, PCP/DEI/VID kept whole", header: GoldenFrames.dot1QHeader,
            linkType: .ethernet, networkOffset: 18, tags: [cTag], destination: Fixture.targetSolicitedNodeMAC),
        GoldenLink(
            testDescription: "802.1ad + 802.1Q: S-tag outer, C-tag inner", header: GoldenFrames.qinqHeader,
            linkType: .ethernet, networkOffset: 22, tags: [sTag, innerCTag], destination: Fixture.targetSolicitedNodeMAC
        ),
        GoldenLink(
            testDescription: "SLL (113): packet type, sender address, no destination", header: GoldenFrames.sllHeader,
            linkType: .linuxSLL, networkOffset: 16, packetType: 2),
        GoldenLink(
            testDescription: "SLL2 (276): packet type, sender address, no destination",
            header: GoldenFrames.sll2Header, linkType: .linuxSLL2, networkOffset: 20, packetType: 2),
        GoldenLink(
            testDescription: "raw (LINKTYPE_RAW 101): no link-layer addresses", header: [], linkType: .raw,
            networkOffset: 0, source: nil),
        GoldenLink(
            testDescription: "raw (LINKTYPE_IPV6 229): no link-layer addresses", header: [], linkType: .ipv6,
            networkOffset: 0, source: nil),
    ]

    @Test("Golden NS on the other link layers: the link fields decode, the NS validates", arguments: goldenLinks)
    func linkLayerSolicitation(_ link: GoldenLink) throws {
        let frame = link.header + GoldenFrames.solicitationPacket
        let parsed = try NDFrame(parsing: frame.span, linkType: link.linkType)
        #expect(parsed.link.vlanTags.all == link.tags)
        #expect(parsed.link.packetType == link.packetType)
        #expect(parsed.link.source == link.source)
        #expect(parsed.link.destination == link.destination)
        #expect(parsed.link.networkOffset == link.networkOffset)
        #expect(parsed.messageOffset == link.networkOffset + 40)
        let ns = try NeighborSolicitation(validating: parsed, in: frame.span)
        var expected = expectedSolicitation
        expected.vlanTags = VLANTags(link.tags)
        expected.linkLayerSource = link.source
        expected.linkLayerDestination = link.destination
        #expect(ns == expected)
    }

    @Test("The golden tags' fields and names")
    func goldenTags() {
        #expect(Self.cTag.vlanIdentifier == 100)
        #expect(Self.cTag.description == "vlan 100")
        #expect(Self.sTag.vlanIdentifier == 200)
        #expect(Self.sTag.description == "802.1ad 200")
        #expect(Self.innerCTag.vlanIdentifier == 100)
    }

    @Test(
        "Golden NA: write(into:) produces every byte, leaves the rest of the buffer alone",
        arguments: [UInt8(0xAA), 0x55, 0x00, 0xFF])
    func goldenAdvertisementBytes(fill: UInt8) throws {
        let frame = GoldenFrames.ethernetHeader + GoldenFrames.solicitationPacket
        let parsed = try NDFrame(parsing: frame.span, linkType: .ethernet)
        let ns = try NeighborSolicitation(validating: parsed, in: frame.span)
        let answer = NeighborAdvertisement(
            answering: ns, interfaceMAC: Fixture.interfaceMAC,
            source: IPv6Address.linkLocal(for: Fixture.interfaceMAC),
            router: true, override: false)
        // The same NA spelled field by field.
        let spelled = NeighborAdvertisement(
            ethernetDestination: Fixture.routerMAC, ethernetSource: Fixture.interfaceMAC, vlanTags: VLANTags(),
            source: GoldenFrames.interfaceLinkLocal, destination: Fixture.routerLinkLocal,
            flags: [.router, .solicited], targetAddress: Fixture.target, targetLinkLayerAddress: Fixture.interfaceMAC)
        #expect(answer == spelled)
        #expect(answer.frameLength == 86)
        #expect(answer.messageLength == 32)

        let (length, buffer) = try writeAdvertisement(answer, capacity: 128, fill: fill)
        #expect(length == 86)
        let written = Array(buffer[0..<length])
        #expect(
            written == GoldenFrames.advertisement,
            "\(byteDifferences(written, GoldenFrames.advertisement, names: GoldenFrames.advertisementField))")
        #expect(buffer[length...].allSatisfy { $0 == fill }, "bytes after the frame were touched")
    }

    @Test("Golden NA: a buffer one byte short throws BufferTooSmall and writes nothing")
    func bufferTooSmall() {
        let na = NeighborAdvertisement(
            ethernetDestination: Fixture.routerMAC, ethernetSource: Fixture.interfaceMAC,
            source: GoldenFrames.interfaceLinkLocal, destination: Fixture.routerLinkLocal,
            flags: [.router, .solicited], targetAddress: Fixture.target, targetLinkLayerAddress: Fixture.interfaceMAC)
        var buffer = [UInt8](repeating: 0xAA, count: 85)
        var span = buffer.mutableSpan
        let error = #expect(throws: BufferTooSmall.self) { try na.write(into: &span) }
        #expect(error?.needed == 86)
        #expect(error?.have == 85)
        #expect(buffer.allSatisfy { $0 == 0xAA })
    }

    @Test("Golden NA without TLLA, tagged: 82 bytes, tag mirrored, reserved bits zeroed")
    func advertisementWithoutTLLA() throws {
        let tag = VLANTag(tagProtocolIdentifier: 0x8100, tagControlInformation: 0xA064)
        // Flags with every reserved bit set: the builder must write only R, S, O (RFC 4861 §4.4).
        let na = NeighborAdvertisement(
            ethernetDestination: Fixture.routerMAC, ethernetSource: Fixture.interfaceMAC, vlanTags: VLANTags([tag]),
            source: Fixture.target, destination: Fixture.routerLinkLocal,
            flags: NeighborAdvertisementFlags(rawValue: 0xFFFF_FFFF), targetAddress: Fixture.target,
            targetLinkLayerAddress: nil)
        var message: [UInt8] = [
            0x88, 0x00, 0x00, 0x00,  // type 136, code 0, checksum (filled below)
            0xE0, 0x00, 0x00, 0x00,  // R=1 S=1 O=1, reserved bits zero
        ]
        message += Bytes.of(Fixture.target)
        let sum = rfc1071Checksum(source: Fixture.target, destination: Fixture.routerLinkLocal, message: message)
        message[2] = UInt8(sum >> 8)
        message[3] = UInt8(sum & 0xFF)
        let expected: [UInt8] =
            [
                0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  //  0 destination
                0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  //  6 source
                0x81, 0x00, 0xA0, 0x64,  // 12 802.1Q tag, VID 100, PCP 5
                0x86, 0xDD,  // 16 EtherType IPv6
                0x60, 0x00, 0x00, 0x00,  // 18 version 6
                0x00, 0x18,  // 22 Payload Length 24: NA without options
                0x3A, 0xFF,
            ]  // 24 ICMPv6, hop limit 255
            + Bytes.of(Fixture.target)  // 26 source = the target
            + Bytes.of(Fixture.routerLinkLocal)  // 42 destination
            + message  // 58 NA
        #expect(na.frameLength == 82)
        let frame = try advertisementFrame(na)
        #expect(frame == expected, "\(byteDifferences(frame, expected))")
    }
}
