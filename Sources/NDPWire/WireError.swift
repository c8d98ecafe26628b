/// The protocol layer a `WireError` was raised in, so a message can say where a frame broke.
public enum Layer: String, Sendable {
    case linkLayer = "link layer"
    case vlanTag = "802.1Q tag"
    case ipv6 = "IPv6 header"
    case extensionHeader = "IPv6 extension header"
    case icmpv6 = "ICMPv6"
    case ndOption = "ND option"
}

/// Why a frame could not be decoded. Thrown (typed) by the parsers in this module.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The frame ends before a field of `layer`: `needed` bytes from the layer's start, `have` present.
    case truncated(layer: Layer, needed: Int, have: Int)
    /// A pcap link type this parser does not decode.
    case unsupportedLinkType(UInt32)
    /// The link layer carries something other than IPv6 (ARP, IPv4, PPPoE, LLDP, ...).
    case notIPv6(etherType: UInt16)
    /// More 802.1Q/802.1ad tags than the two this parser accepts.
    case tooManyVLANTags
    /// The IPv6 version field is not 6.
    case badIPVersion(UInt8)
    /// A hop-by-hop header somewhere other than first (RFC 8200 §4.1).
    case misplacedHopByHop
    /// A later fragment: its upper-layer header is in another packet (RFC 8200 §4.5).
    case nonFirstFragment
    /// The chain of extension headers ends before reaching ICMPv6 (ESP, No Next Header, TCP, ...).
    case notICMPv6(nextHeader: UInt8)

    public var description: String {
        switch self {
        case .truncated(let layer, let needed, let have):
            return "truncated \(layer.rawValue): needed \(needed) bytes, have \(have)"
        case .unsupportedLinkType(let type): return "unsupported link type \(type)"
        case .notIPv6(let etherType): return "not IPv6 (ethertype 0x\(String(etherType, radix: 16)))"
        case .tooManyVLANTags: return "more than two VLAN tags"
        case .badIPVersion(let version): return "IP version \(version), not 6"
        case .misplacedHopByHop: return "hop-by-hop header not first"
        case .nonFirstFragment: return "non-first fragment"
        case .notICMPv6(let nextHeader): return "not ICMPv6 (next header \(nextHeader))"
        }
    }
}
