/// A captured frame decoded down to its ICMPv6 header: link layer, IPv6 with its extension
/// headers walked, and where the ICMPv6 message lies. Holds offsets, never the bytes.
public struct NDFrame: Sendable {
    /// The link-layer header.
    public var link: LinkHeader
    /// The IPv6 header and chain.
    public var ip: IPv6Packet
    /// ICMPv6 Type.
    public var icmpType: UInt8
    /// ICMPv6 Code.
    public var icmpCode: UInt8

    /// Where the ICMPv6 message starts in the frame.
    public var messageOffset: Int { ip.upperLayerOffset }
    /// The ICMPv6 message's length as the IPv6 header declares it.
    public var messageLength: Int { ip.upperLayerLength }

    /// Decodes `frame` down to ICMPv6. Throws for anything that is not IPv6 + ICMPv6 or whose
    /// headers are cut; a payload cut by the capture is reported by `ip.isTruncated`.
    public init(parsing frame: Span<UInt8>, linkType: LinkType) throws(WireError) {
        link = try LinkHeader(parsing: frame, linkType: linkType)
        ip = try IPv6Packet(parsing: frame, at: link.networkOffset)
        guard ip.upperLayerProtocol == IPProtocol.icmpv6 else {
            throw .notICMPv6(nextHeader: ip.upperLayerProtocol)
        }
        let available = min(frame.count - ip.upperLayerOffset, ip.upperLayerLength)
        guard available >= 2 else {
            throw .truncated(layer: .icmpv6, needed: 2, have: max(0, available))
        }
        icmpType = frame[ip.upperLayerOffset]
        icmpCode = frame[ip.upperLayerOffset + 1]
    }

    /// The ND message type, if the ICMPv6 type is one.
    public var ndType: NDMessageType? { NDMessageType(rawValue: icmpType) }

    /// The byte range of the ICMPv6 message in the frame. Nil when the capture holds less
    /// than the IPv6 header declares.
    public var messageRange: Range<Int>? {
        ip.isTruncated ? nil : ip.upperLayerOffset..<(ip.upperLayerOffset + ip.upperLayerLength)
    }
}

/// Why an ND message fails RFC 4861 validation (§6.1, §7.1) or RFC 6980. Each case has a stable
/// kebab-case `reason` used in logs, counters and `--json` output.
public enum NDRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// The capture holds less of the message than the IPv6 header declares.
    case truncated
    /// The packet had a Fragment header (RFC 6980 §5).
    case fragmented
    /// IP Hop Limit is not 255: the packet may have crossed a router (§7.1.1).
    case hopLimit(UInt8)
    /// The IP source is a multicast address, which no packet may carry (RFC 4291 §2.7); an
    /// answer would go unicast-with-S=1 to a group.
    case multicastSource
    /// The ICMPv6 checksum does not verify (§7.1.1, RFC 4443 §2.3).
    case checksum
    /// ICMP Code is not 0 (§7.1.1).
    case code(UInt8)
    /// ICMP length is below the message's fixed part (24 octets for NS, §7.1.1).
    case tooShort(length: Int)
    /// Target Address is a multicast address (§7.1.1).
    case multicastTarget
    /// An option has length 0 (§7.1.1).
    case zeroLengthOption
    /// An option runs past the end of the message.
    case optionOverrun
    /// Source is `::` but a Source Link-Layer Address option is present (§7.1.1).
    case dadWithSourceLinkLayerAddress
    /// Source is `::` but the destination is not a solicited-node multicast address (§7.1.1).
    case dadNotToSolicitedNode

    /// The stable word used in logs, metrics labels and JSON output.
    public var reason: String {
        switch self {
        case .truncated: return "truncated"
        case .fragmented: return "fragmented"
        case .hopLimit: return "hop-limit"
        case .multicastSource: return "multicast-source"
        case .checksum: return "checksum"
        case .code: return "code"
        case .tooShort: return "too-short"
        case .multicastTarget: return "multicast-target"
        case .zeroLengthOption: return "zero-length-option"
        case .optionOverrun: return "option-overrun"
        case .dadWithSourceLinkLayerAddress: return "dad-with-slla"
        case .dadNotToSolicitedNode: return "dad-not-solicited-node"
        }
    }

    /// Every reason word, in the order validation checks them.
    public static let allReasons = [
        "truncated", "fragmented", "hop-limit", "multicast-source", "checksum", "code", "too-short", "multicast-target",
        "zero-length-option", "option-overrun", "dad-with-slla", "dad-not-solicited-node",
    ]

    public var description: String {
        switch self {
        case let .hopLimit(value): return "hop-limit (\(value), not 255)"
        case let .code(value): return "code (\(value), not 0)"
        case let .tooShort(length): return "too-short (\(length) bytes)"
        default: return reason
        }
    }
}
