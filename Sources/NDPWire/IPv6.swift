/// The IPv6 fixed header (RFC 8200 §3):
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version| Traffic Class |           Flow Label                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Payload Length        |  Next Header  |   Hop Limit   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Source Address (16)                   |
/// |                      Destination Address (16)                 |
/// ```
public enum IPv6Field {
    /// Version (4 bits), Traffic Class (8), Flow Label (20).
    public static let versionClassFlow = 0
    /// Payload Length: octets after this header, extension headers included.
    public static let payloadLength = 4
    /// Next Header: the protocol number of what follows.
    public static let nextHeader = 6
    /// Hop Limit: 255 for every ND message (RFC 4861 §7.1).
    public static let hopLimit = 7
    /// Source Address.
    public static let source = 8
    /// Destination Address.
    public static let destination = 24
    /// The size of the fixed header.
    public static let size = 40
}

/// IANA protocol numbers met while walking an IPv6 header chain.
public enum IPProtocol {
    /// Hop-by-Hop Options header (RFC 8200 §4.3).
    public static let hopByHop: UInt8 = 0
    /// Routing header (RFC 8200 §4.4).
    public static let routing: UInt8 = 43
    /// Fragment header (RFC 8200 §4.5).
    public static let fragment: UInt8 = 44
    /// Authentication Header (RFC 4302): its length is in 4-octet units.
    public static let authentication: UInt8 = 51
    /// ICMPv6 (RFC 4443).
    public static let icmpv6: UInt8 = 58
    /// Destination Options header (RFC 8200 §4.6).
    public static let destinationOptions: UInt8 = 60
}

/// An IPv6 packet's header and where its upper-layer payload lies, after walking the extension
/// headers (RFC 8200 §4): hop-by-hop, routing, destination options, authentication and fragment.
public struct IPv6Packet: Sendable {
    /// Traffic class octet.
    public var trafficClass: UInt8
    /// Flow label (20 bits).
    public var flowLabel: UInt32
    /// The Payload Length field.
    public var payloadLength: Int
    /// Hop Limit.
    public var hopLimit: UInt8
    /// Source Address.
    public var source: IPv6Address
    /// Destination Address.
    public var destination: IPv6Address
    /// The protocol of the upper-layer header at the end of the chain.
    public var upperLayerProtocol: UInt8
    /// Offset of the upper-layer header in the frame.
    public var upperLayerOffset: Int
    /// The upper-layer length as the header says (Payload Length minus extension headers).
    public var upperLayerLength: Int
    /// True if the chain held a Fragment header (RFC 6980: ND in fragments is dropped).
    public var isFragmented: Bool
    /// True if the frame holds fewer bytes than Payload Length says (snaplen cut).
    public var isTruncated: Bool
    /// How many extension headers were walked.
    public var extensionHeaderCount: Int

    /// Decodes the IPv6 header at `offset` in `frame` and walks its extension headers.
    ///
    /// Trailing bytes past Payload Length (Ethernet padding) are ignored. A payload cut short by
    /// the capture is reported with `isTruncated` as long as the headers themselves are whole,
    /// so that a truncated Neighbor Solicitation can still be named and counted as one.
    // Always inlined into NDFrame.init, so the packet is built in place there instead of copied.
    @inline(__always)
    public init(parsing frame: Span<UInt8>, at offset: Int) throws(WireError) {
        let have = frame.count - offset
        guard have >= IPv6Field.size else {
            throw .truncated(layer: .ipv6, needed: IPv6Field.size, have: max(0, have))
        }
        let ip = frame.extracting(offset..<frame.count)
        // The fixed header as a span of exactly 40 bytes: every field below is at a constant
        // offset inside it, so the optimiser proves each read in bounds and drops the checks.
        let header = ip.extracting(0..<IPv6Field.size)
        let first = header.uint32(at: IPv6Field.versionClassFlow)
        guard first >> 28 == 6 else { throw .badIPVersion(UInt8(first >> 28)) }
        trafficClass = UInt8(truncatingIfNeeded: first >> 20)
        flowLabel = first & 0xF_FFFF
        payloadLength = Int(header.uint16(at: IPv6Field.payloadLength))
        hopLimit = header[IPv6Field.hopLimit]
        source = header.ipv6Address(at: IPv6Field.source)
        destination = header.ipv6Address(at: IPv6Field.destination)
        isFragmented = false
        extensionHeaderCount = 0

        // The walk stays inside what both the header and the capture allow.
        let end = IPv6Field.size + payloadLength
        isTruncated = ip.count < end
        let limit = min(end, ip.count)
        var next = header[IPv6Field.nextHeader]
        var cursor = IPv6Field.size
        walk: while true {
            switch next {
            case IPProtocol.hopByHop, IPProtocol.routing, IPProtocol.destinationOptions,
                 IPProtocol.authentication:
                // RFC 8200 §4.1: hop-by-hop may only follow the fixed header.
                if next == IPProtocol.hopByHop && extensionHeaderCount > 0 { throw .misplacedHopByHop }
                guard limit - cursor >= 2 else {
                    throw .truncated(layer: .extensionHeader, needed: cursor + 2, have: limit)
                }
                let length = next == IPProtocol.authentication
                    ? (Int(ip[cursor + 1]) + 2) * 4      // RFC 4302 §2.2: 4-octet units
                    : (Int(ip[cursor + 1]) + 1) * 8      // RFC 8200 §4.3: 8-octet units
                guard limit - cursor >= length else {
                    throw .truncated(layer: .extensionHeader, needed: cursor + length, have: limit)
                }
                next = ip[cursor]
                cursor += length
            case IPProtocol.fragment:
                // RFC 8200 §4.5: Next Header, reserved, Fragment Offset (13 bits) | res | M.
                guard limit - cursor >= 8 else {
                    throw .truncated(layer: .extensionHeader, needed: cursor + 8, have: limit)
                }
                isFragmented = true
                if ip.uint16(at: cursor + 2) >> 3 != 0 { throw .nonFirstFragment }
                next = ip[cursor]
                cursor += 8
            default:
                break walk
            }
            extensionHeaderCount += 1
        }
        upperLayerProtocol = next
        upperLayerOffset = offset + cursor
        upperLayerLength = end - cursor
    }
}
