/// A Neighbor Solicitation that passed every check of RFC 4861 §7.1.1 and RFC 6980, with what a
/// responder needs to answer it. Built by `init(validating:in:)`; a small value, no bytes held.
public struct NeighborSolicitation: Sendable, Equatable {
    /// IP Source Address: the solicitor, or `::` for a DAD probe.
    public var source: IPv6Address
    /// IP Destination Address: solicited-node multicast, or the target itself for NUD.
    public var destination: IPv6Address
    /// The address being resolved.
    public var targetAddress: IPv6Address
    /// The Source Link-Layer Address option, if present (the first one).
    public var sourceLinkLayerAddress: MACAddress? {
        @inlinable get { MACAddress.unpack(packedSourceLinkLayerAddress) }
        set { packedSourceLinkLayerAddress = MACAddress.pack(newValue) }
    }
    /// True if a Nonce option was present (RFC 3971 §5.3.2; Linux enhanced DAD, RFC 7527).
    public var hasNonce: Bool
    /// The link-layer source of the frame (Ethernet or SLL address), if the link type has one.
    public var linkLayerSource: MACAddress? {
        @inlinable get { MACAddress.unpack(packedLinkLayerSource) }
        set { packedLinkLayerSource = MACAddress.pack(newValue) }
    }
    /// The link-layer destination of the frame, if the link type has one.
    public var linkLayerDestination: MACAddress? {
        @inlinable get { MACAddress.unpack(packedLinkLayerDestination) }
        set { packedLinkLayerDestination = MACAddress.pack(newValue) }
    }

    // The three optional MACs as plain words (`MACAddress.absent` for none): the result stays
    // small and aligned, which measurably speeds up returning it on every packet.
    @usableFromInline var packedSourceLinkLayerAddress: UInt64
    @usableFromInline var packedLinkLayerSource: UInt64
    @usableFromInline var packedLinkLayerDestination: UInt64
    /// The 802.1Q/802.1ad tags the solicitation arrived with; the reply mirrors them.
    public var vlanTags: VLANTags

    /// True for a Duplicate Address Detection probe: source `::` (RFC 4862 §5.4.2).
    @inlinable public var isDuplicateAddressDetection: Bool { source.isUnspecified }

    /// Creates a solicitation from its fields (tests and builders; the wire path validates).
    public init(
        source: IPv6Address, destination: IPv6Address, targetAddress: IPv6Address,
        sourceLinkLayerAddress: MACAddress? = nil, hasNonce: Bool = false,
        linkLayerSource: MACAddress? = nil, linkLayerDestination: MACAddress? = nil,
        vlanTags: VLANTags = VLANTags()
    ) {
        self.source = source
        self.destination = destination
        self.targetAddress = targetAddress
        self.packedSourceLinkLayerAddress = MACAddress.pack(sourceLinkLayerAddress)
        self.hasNonce = hasNonce
        self.packedLinkLayerSource = MACAddress.pack(linkLayerSource)
        self.packedLinkLayerDestination = MACAddress.pack(linkLayerDestination)
        self.vlanTags = vlanTags
    }

    /// Validates the NS in `frame` (already decoded to `parsed`, whose ICMPv6 type must be 135)
    /// against RFC 4861 §7.1.1 and RFC 6980, in the order that RFC lists the checks.
    ///
    /// Throws an `InvalidSolicitation` naming the first failed check, with the target if the
    /// bytes held it.
    public init(validating parsed: NDFrame, in frame: Span<UInt8>) throws(InvalidSolicitation) {
        parsed.require(.neighborSolicitation)
        // Fields are read from `parsed` one at a time and the rejection is built out of line: a
        // local copy of the whole IPv6Packet, or a closure capturing it, makes the compiler copy
        // it with 16-byte loads over fields NDFrame just wrote with narrower stores, which
        // defeats store-to-load forwarding.
        let ip = parsed.ip
        let start = ip.upperLayerOffset
        let length = ip.upperLayerLength

        guard !ip.isTruncated else { throw Self.reject(.truncated, ip.source, ip.destination, start, length, frame) }
        // RFC 8200 §4: the IP layer discards the packet before ICMPv6 sees it.
        if let rule = ip.discard {
            throw Self.reject(.discarded(rule), ip.source, ip.destination, start, length, frame)
        }
        // RFC 6980 §5: ND messages in fragments are silently ignored, even atomic ones.
        guard !ip.isFragmented else { throw Self.reject(.fragmented, ip.source, ip.destination, start, length, frame) }
        guard ip.hopLimit == 255 else {
            throw Self.reject(.hopLimit(ip.hopLimit), ip.source, ip.destination, start, length, frame)
        }
        // RFC 4291 §2.7: multicast addresses must not be used as source addresses.
        guard !ip.source.isMulticast else {
            throw Self.reject(.multicastSource, ip.source, ip.destination, start, length, frame)
        }
        let message = frame.extracting(start..<(start + length))
        // Shorter than the ICMPv6 header (RFC 4443 §2.1): there is no checksum field to verify.
        guard message.count >= ICMPv6Field.body else {
            throw Self.reject(.tooShort(length: message.count), ip.source, ip.destination, start, length, frame)
        }
        guard ICMPv6Checksum.isValid(message, source: ip.source, destination: ip.destination) else {
            throw Self.reject(.checksum, ip.source, ip.destination, start, length, frame)
        }
        guard parsed.icmpCode == 0 else {
            throw Self.reject(.code(parsed.icmpCode), ip.source, ip.destination, start, length, frame)
        }
        guard message.count >= NeighborMessageField.options else {
            throw Self.reject(.tooShort(length: message.count), ip.source, ip.destination, start, length, frame)
        }
        let target = message.ipv6Address(at: NeighborMessageField.targetAddress)
        guard !target.isMulticast else {
            throw Self.reject(.multicastTarget, ip.source, ip.destination, start, length, frame)
        }

        var sourceLinkLayerAddress: MACAddress?
        var hasNonce = false
        // RFC 4861 §4.6: Type (1), Length (1, in units of 8 octets), data. Only the two types a
        // responder needs are looked at; every other option is skipped by its length.
        let end = message.count
        var cursor = NeighborMessageField.options
        while cursor < end {
            let left = end &- cursor
            guard left >= 2 else { throw Self.reject(.optionOverrun, ip.source, ip.destination, start, length, frame) }
            let header = message.uint16(at: cursor)
            let optionLength = Int(header & 0xFF) &* 8
            guard optionLength > 0 else {
                throw Self.reject(.zeroLengthOption, ip.source, ip.destination, start, length, frame)
            }
            guard left >= optionLength else {
                throw Self.reject(.optionOverrun, ip.source, ip.destination, start, length, frame)
            }
            let type = UInt8(truncatingIfNeeded: header >> 8)
            if type == NDOptionType.sourceLinkLayerAddress {
                // The whole 8-byte option in one load; the address is its low 48 bits.
                if sourceLinkLayerAddress == nil {
                    sourceLinkLayerAddress = MACAddress(rawValue: message.uint64(at: cursor))
                }
            } else if type == NDOptionType.nonce {
                hasNonce = true
            }
            cursor &+= optionLength
        }

        if ip.source.isUnspecified {
            guard ip.destination.isSolicitedNodeMulticast else {
                throw Self.reject(.dadNotToSolicitedNode, ip.source, ip.destination, start, length, frame)
            }
            guard sourceLinkLayerAddress == nil else {
                throw Self.reject(.dadWithSourceLinkLayerAddress, ip.source, ip.destination, start, length, frame)
            }
        }

        self.init(
            source: ip.source, destination: ip.destination, targetAddress: target,
            sourceLinkLayerAddress: sourceLinkLayerAddress, hasNonce: hasNonce,
            linkLayerSource: parsed.link.source, linkLayerDestination: parsed.link.destination,
            vlanTags: parsed.link.vlanTags)
    }

    /// The rejection, with the target when the captured bytes hold it: read only on this cold path.
    @inline(never)
    private static func reject(
        _ rejection: NDRejection, _ source: IPv6Address, _ destination: IPv6Address,
        _ start: Int, _ length: Int, _ frame: Span<UInt8>
    ) -> InvalidSolicitation {
        let knownTarget: IPv6Address? =
            frame.count >= start + NeighborMessageField.options
                && length >= NeighborMessageField.options
            ? frame.ipv6Address(at: start + NeighborMessageField.targetAddress) : nil
        return InvalidSolicitation(
            rejection: rejection, source: source, destination: destination,
            targetAddress: knownTarget)
    }
}

/// A Neighbor Solicitation that failed validation: which check, and what could still be read.
public struct InvalidSolicitation: Error, Equatable, Sendable {
    /// The first check that failed.
    public var rejection: NDRejection
    /// The IP source address of the NS.
    public var source: IPv6Address
    /// The IP destination address of the NS.
    public var destination: IPv6Address
    /// The target, when the captured bytes hold it.
    public var targetAddress: IPv6Address?
}

/// Why a Neighbor Solicitation (or another ND message) fails RFC 4861 validation (§6.1, §7.1) or
/// RFC 6980, with what the failed check read. `reason` names the check with a stable word.
public enum NDRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// The capture holds less of the message than the IPv6 header declares.
    case truncated
    /// The extension headers break a rule by which an IPv6 node discards the packet before ND
    /// sees it (RFC 8200 §4, see `IPv6Discard`).
    case discarded(IPv6Discard)
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

    /// The checks a solicitation can fail, one stable word each (logs, metrics labels, JSON), in
    /// the order validation runs them. Counters are indexed by a reason's position here.
    public enum Reason: String, Sendable, CaseIterable {
        /// `NDRejection.truncated`.
        case truncated
        /// `IPv6Discard.loopbackAddress`.
        case loopbackAddress = "loopback-address"
        /// `IPv6Discard.unspecifiedDestination`.
        case unspecifiedDestination = "unspecified-destination"
        /// `IPv6Discard.multicastScope`.
        case multicastScope = "multicast-scope"
        /// `IPv6Discard.optionOverrun`.
        case optionOverrun = "ip-option-overrun"
        /// `IPv6Discard.padding`.
        case padding
        /// `IPv6Discard.tooManyOptions`.
        case tooManyOptions = "too-many-options"
        /// `IPv6Discard.unknownOption`.
        case unknownOption = "unknown-option"
        /// `IPv6Discard.routerAlertLength`.
        case routerAlertLength = "router-alert-length"
        /// `IPv6Discard.jumboPayload`.
        case jumboPayload = "jumbo-payload"
        /// `IPv6Discard.calipso`.
        case calipso
        /// `IPv6Discard.ioamAlignment`.
        case ioamAlignment = "ioam-alignment"
        /// `IPv6Discard.multicastRouted`.
        case multicastRouted = "multicast-routed"
        /// `IPv6Discard.routingHeader`.
        case routingHeader = "routing-header"
        /// `NDRejection.fragmented`.
        case fragmented
        /// `NDRejection.hopLimit`.
        case hopLimit = "hop-limit"
        /// `NDRejection.multicastSource`.
        case multicastSource = "multicast-source"
        /// `NDRejection.checksum`.
        case checksum
        /// `NDRejection.code`.
        case code
        /// `NDRejection.tooShort`.
        case tooShort = "too-short"
        /// `NDRejection.multicastTarget`.
        case multicastTarget = "multicast-target"
        /// `NDRejection.zeroLengthOption`.
        case zeroLengthOption = "zero-length-option"
        /// `NDRejection.optionOverrun`: an ND option, where `optionOverrun` is an IPv6 one.
        case ndOptionOverrun = "option-overrun"
        /// `NDRejection.dadWithSourceLinkLayerAddress`.
        case dadWithSourceLinkLayerAddress = "dad-with-slla"
        /// `NDRejection.dadNotToSolicitedNode`.
        case dadNotToSolicitedNode = "dad-not-solicited-node"
    }

    /// The check that failed, without what it read.
    @inlinable public var kind: Reason {
        switch self {
        case .truncated: return .truncated
        case .discarded(let rule):
            switch rule {
            case .loopbackAddress: return .loopbackAddress
            case .unspecifiedDestination: return .unspecifiedDestination
            case .multicastScope: return .multicastScope
            case .optionOverrun: return .optionOverrun
            case .padding: return .padding
            case .tooManyOptions: return .tooManyOptions
            case .unknownOption: return .unknownOption
            case .routerAlertLength: return .routerAlertLength
            case .jumboPayload: return .jumboPayload
            case .calipso: return .calipso
            case .ioamAlignment: return .ioamAlignment
            case .multicastRouted: return .multicastRouted
            case .routingHeader: return .routingHeader
            }
        case .fragmented: return .fragmented
        case .hopLimit: return .hopLimit
        case .multicastSource: return .multicastSource
        case .checksum: return .checksum
        case .code: return .code
        case .tooShort: return .tooShort
        case .multicastTarget: return .multicastTarget
        case .zeroLengthOption: return .zeroLengthOption
        case .optionOverrun: return .ndOptionOverrun
        case .dadWithSourceLinkLayerAddress: return .dadWithSourceLinkLayerAddress
        case .dadNotToSolicitedNode: return .dadNotToSolicitedNode
        }
    }

    /// The stable word used in logs, metrics labels and JSON output.
    public var reason: String { kind.rawValue }

    /// Every reason word, in the order validation checks them.
    public static var allReasons: [String] { Reason.allCases.map(\.rawValue) }

    public var description: String {
        switch self {
        case .hopLimit(let value): return "hop-limit (\(value), not 255)"
        case .code(let value): return "code (\(value), not 0)"
        case .tooShort(let length): return "too-short (\(length) bytes)"
        default: return reason
        }
    }
}
