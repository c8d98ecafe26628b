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
    public init(source: IPv6Address, destination: IPv6Address, targetAddress: IPv6Address,
                sourceLinkLayerAddress: MACAddress? = nil, hasNonce: Bool = false,
                linkLayerSource: MACAddress? = nil, linkLayerDestination: MACAddress? = nil,
                vlanTags: VLANTags = VLANTags()) {
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
        precondition(parsed.icmpType == NDMessageType.neighborSolicitation.rawValue,
                     "NeighborSolicitation(validating:) needs an ICMPv6 type 135 frame")
        // Fields are read from `parsed` one at a time and the rejection is built out of line: a
        // local copy of the whole IPv6Packet, or a closure capturing it, makes the compiler copy
        // it with 16-byte loads over fields NDFrame just wrote with narrower stores, which
        // defeats store-to-load forwarding.
        let ip = parsed.ip
        let start = ip.upperLayerOffset
        let length = ip.upperLayerLength

        guard !ip.isTruncated else { throw Self.reject(.truncated, ip.source, ip.destination, start, length, frame) }
        // RFC 6980 §5: ND messages in fragments are silently ignored, even atomic ones.
        guard !ip.isFragmented else { throw Self.reject(.fragmented, ip.source, ip.destination, start, length, frame) }
        guard ip.hopLimit == 255 else { throw Self.reject(.hopLimit(ip.hopLimit), ip.source, ip.destination, start, length, frame) }
        // RFC 4291 §2.7: multicast addresses must not be used as source addresses.
        guard !ip.source.isMulticast else { throw Self.reject(.multicastSource, ip.source, ip.destination, start, length, frame) }
        let message = frame.extracting(start..<(start + length))
        guard ICMPv6Checksum.isValid(message, source: ip.source, destination: ip.destination) else {
            throw Self.reject(.checksum, ip.source, ip.destination, start, length, frame)
        }
        guard parsed.icmpCode == 0 else { throw Self.reject(.code(parsed.icmpCode), ip.source, ip.destination, start, length, frame) }
        guard message.count >= NeighborMessageField.options else {
            throw Self.reject(.tooShort(length: message.count), ip.source, ip.destination, start, length, frame)
        }
        let target = message.ipv6Address(at: NeighborMessageField.targetAddress)
        guard !target.isMulticast else { throw Self.reject(.multicastTarget, ip.source, ip.destination, start, length, frame) }

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
            guard optionLength > 0 else { throw Self.reject(.zeroLengthOption, ip.source, ip.destination, start, length, frame) }
            guard left >= optionLength else { throw Self.reject(.optionOverrun, ip.source, ip.destination, start, length, frame) }
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

        self.init(source: ip.source, destination: ip.destination, targetAddress: target,
                  sourceLinkLayerAddress: sourceLinkLayerAddress, hasNonce: hasNonce,
                  linkLayerSource: parsed.link.source, linkLayerDestination: parsed.link.destination,
                  vlanTags: parsed.link.vlanTags)
    }

    /// The rejection, with the target when the captured bytes hold it: read only on this cold path.
    @inline(never)
    private static func reject(_ rejection: NDRejection, _ source: IPv6Address, _ destination: IPv6Address,
                               _ start: Int, _ length: Int, _ frame: Span<UInt8>) -> InvalidSolicitation {
        let knownTarget: IPv6Address? = frame.count >= start + NeighborMessageField.options
            && length >= NeighborMessageField.options
            ? frame.ipv6Address(at: start + NeighborMessageField.targetAddress) : nil
        return InvalidSolicitation(rejection: rejection, source: source, destination: destination,
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
