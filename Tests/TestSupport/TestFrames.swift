// Test-side frame construction, written independently of NDPWire's builder: every byte is laid
// out here by hand so that a bug in the code under test cannot be mirrored by the test.

import NDPWire

/// Big-endian byte helpers and address serialisation (independent of NDPWire's `store`).
public enum Bytes {
    public static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    public static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
    public static func be64(_ value: UInt64) -> [UInt8] {
        be32(UInt32(value >> 32)) + be32(UInt32(value & 0xFFFF_FFFF))
    }
    public static func of(_ address: IPv6Address) -> [UInt8] { be64(address.high) + be64(address.low) }
    public static func of(_ mac: MACAddress) -> [UInt8] { Array(be64(mac.rawValue)[2..<8]) }

    /// Parses "aa bb cc" / "aabbcc" hex text (spaces ignored).
    public static func hex(_ text: String) -> [UInt8] {
        let digits = text.filter { !$0.isWhitespace }
        precondition(digits.count % 2 == 0, "odd hex string")
        var out: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            out.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        return out
    }
}

/// A naive RFC 1071 Internet checksum over the IPv6 pseudo-header (RFC 8200 §8.1) and an
/// upper-layer message: one 16-bit word at a time, carries folded after every addition.
/// Deliberately unlike `ICMPv6Checksum` (which sums 32-bit words into a 64-bit accumulator).
public func rfc1071Checksum(
    source: IPv6Address, destination: IPv6Address, message: [UInt8],
    nextHeader: UInt8 = 58
) -> UInt16 {
    var data = Bytes.of(source) + Bytes.of(destination)
    data += Bytes.be32(UInt32(message.count)) + [0, 0, 0, nextHeader]
    data += message
    if data.count % 2 == 1 { data.append(0) }
    var sum: UInt32 = 0
    var i = 0
    while i < data.count {
        sum += UInt32(data[i]) << 8 | UInt32(data[i + 1])
        if sum > 0xFFFF { sum = (sum & 0xFFFF) + 1 }  // end-around carry, one word at a time
        i += 2
    }
    return ~UInt16(sum)
}

/// The link layer a test frame is wrapped in.
public enum LinkSpec: Sendable {
    /// Ethernet II with 802.1Q/802.1ad tags, outermost first.
    case ethernet(destination: MACAddress, source: MACAddress, tags: [VLANTag])
    /// Linux cooked v1: packet type, ARPHRD_ETHER, 6-byte address.
    case sll(packetType: UInt16, source: MACAddress)
    /// Linux cooked v2.
    case sll2(packetType: UInt8, interfaceIndex: UInt32, source: MACAddress)
    /// No link layer (LINKTYPE_RAW 101 or LINKTYPE_IPV6 229).
    case raw

    /// The header bytes, ending with the IPv6 EtherType/protocol where the format has one.
    public func header(etherType: UInt16 = 0x86DD) -> [UInt8] {
        switch self {
        case .ethernet(let destination, let source, let tags):
            var out = Bytes.of(destination) + Bytes.of(source)
            for tag in tags { out += Bytes.be16(tag.tagProtocolIdentifier) + Bytes.be16(tag.tagControlInformation) }
            return out + Bytes.be16(etherType)
        case .sll(let packetType, let source):
            // packet type, ARPHRD_ETHER (1), address length 6, address padded to 8, protocol.
            return Bytes.be16(packetType) + Bytes.be16(1) + Bytes.be16(6) + Bytes.of(source) + [0, 0]
                + Bytes.be16(etherType)
        case .sll2(let packetType, let interfaceIndex, let source):
            // protocol, reserved, ifindex, ARPHRD_ETHER, packet type, address length, address (8).
            return Bytes.be16(etherType) + [0, 0] + Bytes.be32(interfaceIndex) + Bytes.be16(1)
                + [packetType, 6] + Bytes.of(source) + [0, 0]
        case .raw:
            return []
        }
    }
}

/// One IPv6 extension header; byte 0 (Next Header) is filled in by the builder.
public struct ExtensionHeader: Sendable {
    public var protocolNumber: UInt8
    public var bytes: [UInt8]

    /// A header of protocol `protocolNumber` made of `bytes`.
    public init(protocolNumber: UInt8, bytes: [UInt8]) {
        self.protocolNumber = protocolNumber
        self.bytes = bytes
    }

    /// Hop-by-Hop with one PadN option (RFC 8200 §4.2): 8 bytes.
    public static let hopByHopPadN = ExtensionHeader(protocolNumber: 0, bytes: [0, 0, 1, 4, 0, 0, 0, 0])
    /// Destination Options with a PadN (RFC 8200 §4.6).
    public static let destinationOptionsPadN = ExtensionHeader(protocolNumber: 60, bytes: [0, 0, 1, 4, 0, 0, 0, 0])
    /// Destination Options, 16 bytes (Hdr Ext Len 1): an option the node skips (type 0x1e, whose
    /// action bits are 00) with 8 octets of data, then a 4-octet PadN.
    public static let destinationOptions16 = ExtensionHeader(
        protocolNumber: 60, bytes: [0, 1, 0x1E, 8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0])
    /// Routing header, experimental type 253 (RFC 4727), Segments Left 0: ignored by the node.
    public static let routingSegmentsLeft0 = ExtensionHeader(protocolNumber: 43, bytes: [0, 0, 253, 0, 0, 0, 0, 0])
    /// Authentication Header (RFC 4302): Payload Len 4 → (4+2)*4 = 24 bytes.
    public static let authentication = ExtensionHeader(
        protocolNumber: 51, bytes: [0, 4, 0, 0] + Bytes.be32(0x1234) + Bytes.be32(1) + [UInt8](repeating: 0, count: 12))

    /// Fragment header (RFC 8200 §4.5): offset in 8-octet units, M flag.
    public static func fragment(offset: UInt16, more: Bool, identification: UInt32 = 0xABCD) -> ExtensionHeader {
        ExtensionHeader(
            protocolNumber: 44,
            bytes: [0, 0] + Bytes.be16(offset << 3 | (more ? 1 : 0)) + Bytes.be32(identification))
    }
}

/// An IPv6 packet carrying an ICMPv6 message, wrapped in a link layer. The ICMPv6 checksum is
/// computed with `rfc1071Checksum` unless `checksumOverride` says otherwise.
public struct TestPacket: Sendable {
    public var link: LinkSpec
    public var trafficClass: UInt8 = 0
    public var flowLabel: UInt32 = 0
    public var hopLimit: UInt8 = 255
    public var source: IPv6Address
    public var destination: IPv6Address
    public var extensionHeaders: [ExtensionHeader] = []
    /// The ICMPv6 message with its checksum field (bytes 2-3) zero.
    public var message: [UInt8]
    public var checksumOverride: UInt16? = nil
    /// Added to the Payload Length field (to lie about the length).
    public var payloadLengthAdjustment: Int = 0
    public var version: UInt8 = 6

    /// A packet of these fields; the defaults make a valid one.
    public init(
        link: LinkSpec, trafficClass: UInt8 = 0, flowLabel: UInt32 = 0, hopLimit: UInt8 = 255,
        source: IPv6Address, destination: IPv6Address, extensionHeaders: [ExtensionHeader] = [],
        message: [UInt8], checksumOverride: UInt16? = nil, payloadLengthAdjustment: Int = 0, version: UInt8 = 6
    ) {
        self.link = link
        self.trafficClass = trafficClass
        self.flowLabel = flowLabel
        self.hopLimit = hopLimit
        self.source = source
        self.destination = destination
        self.extensionHeaders = extensionHeaders
        self.message = message
        self.checksumOverride = checksumOverride
        self.payloadLengthAdjustment = payloadLengthAdjustment
        self.version = version
    }

    /// The message with its checksum filled.
    public var checksummedMessage: [UInt8] {
        var m = message
        let sum = checksumOverride ?? rfc1071Checksum(source: source, destination: destination, message: message)
        if m.count >= 4 {
            m[2] = UInt8(sum >> 8)
            m[3] = UInt8(sum & 0xFF)
        }
        return m
    }

    /// The whole frame.
    public var bytes: [UInt8] {
        var chain: [UInt8] = []
        for (index, header) in extensionHeaders.enumerated() {
            var h = header.bytes
            h[0] = index + 1 < extensionHeaders.count ? extensionHeaders[index + 1].protocolNumber : 58
            chain += h
        }
        let firstNext = extensionHeaders.first?.protocolNumber ?? 58
        let icmp = checksummedMessage
        let payloadLength = chain.count + icmp.count + payloadLengthAdjustment
        var ip = Bytes.be32(UInt32(version) << 28 | UInt32(trafficClass) << 20 | flowLabel)
        ip += Bytes.be16(UInt16(payloadLength)) + [firstNext, hopLimit]
        ip += Bytes.of(source) + Bytes.of(destination)
        return link.header() + ip + chain + icmp
    }
}

/// ND message bodies (RFC 4861 §4.3, §4.4) and options (§4.6).
public enum ND {
    /// NS: type 135, code, checksum 0, reserved 0, target, options.
    public static func solicitation(
        target: IPv6Address, options: [UInt8] = [], code: UInt8 = 0,
        reserved: UInt32 = 0
    ) -> [UInt8] {
        [135, code, 0, 0] + Bytes.be32(reserved) + Bytes.of(target) + options
    }

    /// NA: type 136, code, checksum 0, R|S|O + reserved, target, options.
    public static func advertisement(
        target: IPv6Address, router: Bool, solicited: Bool, override: Bool,
        options: [UInt8] = []
    ) -> [UInt8] {
        let flags: UInt32 = (router ? 0x8000_0000 : 0) | (solicited ? 0x4000_0000 : 0) | (override ? 0x2000_0000 : 0)
        return [136, 0, 0, 0] + Bytes.be32(flags) + Bytes.of(target) + options
    }

    /// Source (type 1) or Target (type 2) Link-Layer Address option, 8 bytes.
    public static func linkLayerOption(_ type: UInt8, _ mac: MACAddress) -> [UInt8] { [type, 1] + Bytes.of(mac) }
    public static func slla(_ mac: MACAddress) -> [UInt8] { linkLayerOption(1, mac) }
    public static func tlla(_ mac: MACAddress) -> [UInt8] { linkLayerOption(2, mac) }
    /// Nonce option (type 14, RFC 3971 §5.3.2), 8 bytes.
    public static func nonce(_ bytes: [UInt8] = [1, 2, 3, 4, 5, 6]) -> [UInt8] { [14, 1] + bytes }
}

/// Names used across the tests (documentation prefixes only).
public enum Fixture {
    public static let routerMAC = MACAddress(0x52, 0x54, 0x00, 0x12, 0x34, 0x56)
    public static let guestMAC = MACAddress(0x52, 0x54, 0x00, 0xAB, 0xCD, 0xEF)
    public static let interfaceMAC = MACAddress(0x02, 0x00, 0x00, 0x00, 0x00, 0x01)
    public static let routerLinkLocal = IPv6Address("fe80::5054:ff:fe12:3456")!
    public static let routerGlobal = IPv6Address("2001:db8:0:96ff:ff:ff:ff:ff")!
    public static let target = IPv6Address("2001:db8:0:96ce::2")!
    public static let targetSolicitedNode = IPv6Address("ff02::1:ff00:2")!
    public static let targetSolicitedNodeMAC = MACAddress(0x33, 0x33, 0xFF, 0x00, 0x00, 0x02)

    /// A valid multicast NS for `target` with an SLLA (or the given `options`), on any link.
    public static func multicastNS(
        link: LinkSpec, source: IPv6Address = routerLinkLocal,
        target: IPv6Address = target, options: [UInt8] = ND.slla(routerMAC)
    ) -> TestPacket {
        TestPacket(
            link: link, source: source, destination: target.solicitedNodeMulticast,
            message: ND.solicitation(target: target, options: options))
    }

    /// Plain Ethernet to the target's solicited-node MAC, optionally tagged.
    public static func ethernet(
        tags: [VLANTag] = [], destination: MACAddress = targetSolicitedNodeMAC,
        source: MACAddress = routerMAC
    ) -> LinkSpec {
        .ethernet(destination: destination, source: source, tags: tags)
    }
}

/// Whole Ethernet frames the policy, engine and replay tests feed in, laid out by `TestPacket`
/// (hop limit 255, checksum computed).
public enum TestFrames {
    /// A Neighbor Solicitation from `source` at `mac` for `target`, to the target's solicited-node
    /// group, with an SLLA option when `slla` is given.
    public static func solicitation(
        from mac: MACAddress, source: IPv6Address, target: IPv6Address, slla: MACAddress?
    ) -> [UInt8] {
        let group = target.solicitedNodeMulticast
        return TestPacket(
            link: .ethernet(destination: .ipv6Multicast(group), source: mac, tags: []), source: source,
            destination: group, message: ND.solicitation(target: target, options: slla.map(ND.slla) ?? [])
        ).bytes
    }

    /// A DAD probe for `target` from `mac` (RFC 4862 §5.4.2): source `::`, no option.
    public static func dadProbe(_ target: IPv6Address, from mac: MACAddress) -> [UInt8] {
        solicitation(from: mac, source: .unspecified, target: target, slla: nil)
    }

    /// A Router Advertisement from `mac` at `source` to all-nodes (RFC 4861 §4.2): hop limit 64,
    /// no flags, router lifetime 1800 s, with its SLLA option.
    public static func routerAdvertisement(from mac: MACAddress, source: IPv6Address) -> [UInt8] {
        TestPacket(
            link: .ethernet(destination: .ipv6Multicast(.allNodes), source: mac, tags: []), source: source,
            destination: .allNodes,
            message: [134, 0, 0, 0, 64, 0] + Bytes.be16(1800) + [UInt8](repeating: 0, count: 8)
                + ND.slla(mac)
        ).bytes
    }
}
