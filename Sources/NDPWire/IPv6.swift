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

/// The hop-by-hop and destination options (RFC 8200 §4.2) that change how a packet is received.
public enum IPv6OptionType {
    /// Pad1: one octet of padding, no length field.
    public static let pad1: UInt8 = 0
    /// PadN: two or more octets of padding.
    public static let padN: UInt8 = 1
    /// Router Alert (RFC 2711), hop-by-hop only.
    public static let routerAlert: UInt8 = 5
    /// Jumbo Payload (RFC 2675), hop-by-hop only.
    public static let jumboPayload: UInt8 = 0xC2
    /// CALIPSO, the Common Architecture Label IPv6 Security Option (RFC 5570), hop-by-hop only.
    public static let calipso: UInt8 = 0x07
    /// IOAM, In-situ Operations, Administration, and Maintenance (RFC 9486), hop-by-hop here.
    public static let ioam: UInt8 = 0x31
}

/// Why an IPv6 node discards a packet before its upper layer sees it: RFC 8200's extension-header
/// rules, and the stricter ones Linux applies (net/ipv6/exthdrs.c). ndpd reads raw frames, so it
/// applies them itself; a solicitation the kernel would discard is never answered.
///
/// The addresses of the fixed header are checked first; then the headers in the order they come,
/// and the first broken rule is the one reported, as a node stops at it; inside an options
/// header each option is checked in the order below.
public enum IPv6Discard: Sendable, Equatable, CaseIterable {
    /// The loopback address `::1` as source or destination: it never leaves a node, and a packet
    /// that arrives with it is dropped (RFC 4291 §2.5.3).
    case loopbackAddress
    /// The unspecified address `::` as destination, which no packet may carry (RFC 4291 §2.5.2).
    case unspecifiedDestination
    /// A multicast destination of scope 0, reserved, which a node drops (RFC 4291 §2.7), or of
    /// scope 1, interface-local, which only loopback carries (RFC 4291 §2.7; Linux drops it).
    case multicastScope
    /// An option runs past the end of its hop-by-hop or destination options header (§4.2).
    case optionOverrun
    /// More than 7 consecutive octets of padding, or a PadN whose octets are not zero: padding
    /// only aligns (§4.2) and carries nothing, so Linux discards it (RFC 4942 §2.1.9.5's advice).
    case padding
    /// More non-padding options in one header than Linux processes (its default of 8,
    /// `max_hbh_opts_number` / `max_dst_opts_number`; RFC 8504 §5.3 lets a node set such a limit).
    case tooManyOptions
    /// An option the node does not recognise whose two high-order bits say discard (§4.2).
    case unknownOption
    /// A Router Alert option whose length is not 2 (RFC 2711 §2.1).
    case routerAlertLength
    /// A Jumbo Payload option: only a packet of more than 65,535 octets, whose Payload Length is 0,
    /// may carry one (RFC 2675 §3), and no such packet fits a link-layer frame here.
    case jumboPayload
    /// A CALIPSO option (RFC 5570): Linux implements it and discards a packet whose option names
    /// no Domain of Interpretation configured on the host (calipso_validate), as none is on a
    /// host that ndpd serves; a node that does not implement it would skip it (action bits 00).
    case calipso
    /// An IOAM option that does not start on a 4-octet boundary: RFC 9486 §3 requires 4n
    /// alignment, and Linux discards a misaligned one even with IOAM off (ipv6_hop_ioam).
    case ioamAlignment
    /// A routing header in a packet to a multicast address: a multicast address must not appear
    /// in a routing header (RFC 4291 §2.7), and the destination is the header's last address.
    case multicastRouted
    /// A routing header the node does not process: Segments Left above 0 (§4.4; type 0 is
    /// deprecated, RFC 5095 §3), or an RPL (type 3, RFC 6554) or Segment Routing (type 4,
    /// RFC 8754) header, which Linux discards whatever Segments Left says unless the interface
    /// enables them. A Mobile IPv6 header (type 2) with Segments Left 0 is ignored, as §4.4 says
    /// and a kernel without Mobile IPv6 does (one with it discards the packet).
    case routingHeader

    /// The upper bound Linux puts on non-padding options per header (see `tooManyOptions`).
    public static let optionLimit = 8
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
    /// The first rule of RFC 8200 §4 (or of Linux) the extension headers break: a node discards
    /// the packet. Nil when every header is acceptable.
    public var discard: IPv6Discard?

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
        discard = Self.addressDiscard(source: source, destination: destination)

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
                let length =
                    next == IPProtocol.authentication
                    ? (Int(ip[cursor + 1]) + 2) * 4  // RFC 4302 §2.2: 4-octet units
                    : (Int(ip[cursor + 1]) + 1) * 8  // RFC 8200 §4.3: 8-octet units
                guard limit - cursor >= length else {
                    throw .truncated(layer: .extensionHeader, needed: cursor + length, have: limit)
                }
                if discard == nil {
                    let header = ip.extracting(cursor..<(cursor + length))
                    switch next {
                    case IPProtocol.hopByHop, IPProtocol.destinationOptions:
                        discard = Self.firstBrokenOption(header, hopByHop: next == IPProtocol.hopByHop)
                    case IPProtocol.routing:
                        discard = Self.routingHeaderDiscard(header, destination: destination)
                    default:
                        break
                    }
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

    /// The first option rule `header` (a whole hop-by-hop or destination options header) breaks,
    /// checking its options in order (RFC 8200 §4.2: Type (1), Opt Data Len (1), data; Pad1 is
    /// one octet). Out of line: only frames with such headers come here.
    @inline(never)
    static func firstBrokenOption(_ header: Span<UInt8>, hopByHop: Bool) -> IPv6Discard? {
        var cursor = 2
        var padding = 0
        var options = 0
        while cursor < header.count {
            let type = header[cursor]
            if type == IPv6OptionType.pad1 {
                padding += 1
                guard padding <= 7 else { return .padding }
                cursor += 1
                continue
            }
            guard header.count - cursor >= 2 else { return .optionOverrun }
            let length = 2 + Int(header[cursor + 1])
            guard header.count - cursor >= length else { return .optionOverrun }
            if type == IPv6OptionType.padN {
                padding += length
                guard padding <= 7 else { return .padding }
                for i in (cursor + 2)..<(cursor + length) where header[i] != 0 { return .padding }
            } else {
                padding = 0
                options += 1
                guard options <= IPv6Discard.optionLimit else { return .tooManyOptions }
                switch (hopByHop, type) {
                case (true, IPv6OptionType.routerAlert):
                    guard length == 4 else { return .routerAlertLength }
                case (true, IPv6OptionType.jumboPayload):
                    return .jumboPayload
                case (true, IPv6OptionType.calipso):
                    return .calipso
                case (true, IPv6OptionType.ioam):
                    // The header starts 8n octets into the packet, so its own offsets align alike.
                    guard cursor % 4 == 0 else { return .ioamAlignment }
                default:
                    // §4.2: the two high-order bits of an unrecognised option's type say what to
                    // do; 00 is "skip over this option", anything else discards the packet.
                    guard type >> 6 == 0 else { return .unknownOption }
                }
            }
            cursor += length
        }
        return nil
    }

    /// Whether a node discards a packet for its fixed header's addresses (RFC 4291 §2.5.2, §2.5.3,
    /// §2.7; Linux's ip6_rcv_core). A multicast source is ND's `multicastSource`, checked later.
    @inline(__always)
    static func addressDiscard(source: IPv6Address, destination: IPv6Address) -> IPv6Discard? {
        if source.isLoopback || destination.isLoopback { return .loopbackAddress }
        if destination.isUnspecified { return .unspecifiedDestination }
        if destination.isMulticast && destination.multicastScope <= 1 { return .multicastScope }
        return nil
    }

    /// Whether a node discards a packet for its routing header `header` (RFC 8200 §4.4: Next
    /// Header, Hdr Ext Len, Routing Type, Segments Left, data).
    @inline(never)
    static func routingHeaderDiscard(_ header: Span<UInt8>, destination: IPv6Address) -> IPv6Discard? {
        if destination.isMulticast { return .multicastRouted }
        let type = header[2]
        let segmentsLeft = header[3]
        return segmentsLeft > 0 || type == 3 || type == 4 ? .routingHeader : nil
    }
}
