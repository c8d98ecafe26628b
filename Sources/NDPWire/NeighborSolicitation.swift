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
    public var sourceLinkLayerAddress: MACAddress?
    /// True if a Nonce option was present (RFC 3971 §5.3.2; Linux enhanced DAD, RFC 7527).
    public var hasNonce: Bool
    /// The link-layer source of the frame (Ethernet or SLL address), if the link type has one.
    public var linkLayerSource: MACAddress?
    /// The link-layer destination of the frame, if the link type has one.
    public var linkLayerDestination: MACAddress?
    /// The 802.1Q/802.1ad tags the solicitation arrived with; the reply mirrors them.
    public var vlanTags: VLANTags

    /// True for a Duplicate Address Detection probe: source `::` (RFC 4862 §5.4.2).
    public var isDuplicateAddressDetection: Bool { source.isUnspecified }

    /// Creates a solicitation from its fields (tests and builders; the wire path validates).
    public init(source: IPv6Address, destination: IPv6Address, targetAddress: IPv6Address,
                sourceLinkLayerAddress: MACAddress? = nil, hasNonce: Bool = false,
                linkLayerSource: MACAddress? = nil, linkLayerDestination: MACAddress? = nil,
                vlanTags: VLANTags = VLANTags()) {
        self.source = source
        self.destination = destination
        self.targetAddress = targetAddress
        self.sourceLinkLayerAddress = sourceLinkLayerAddress
        self.hasNonce = hasNonce
        self.linkLayerSource = linkLayerSource
        self.linkLayerDestination = linkLayerDestination
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
        let ip = parsed.ip
        let start = ip.upperLayerOffset
        // The target is reported even for a rejected NS when the captured bytes hold it.
        let targetEnd = start + NeighborMessageField.options
        let knownTarget: IPv6Address? = frame.count >= targetEnd && ip.upperLayerLength >= NeighborMessageField.options
            ? frame.ipv6Address(at: start + NeighborMessageField.targetAddress) : nil
        func reject(_ rejection: NDRejection) -> InvalidSolicitation {
            InvalidSolicitation(rejection: rejection, source: ip.source, targetAddress: knownTarget)
        }

        guard !ip.isTruncated else { throw reject(.truncated) }
        // RFC 6980 §5: ND messages in fragments are silently ignored, even atomic ones.
        guard !ip.isFragmented else { throw reject(.fragmented) }
        guard ip.hopLimit == 255 else { throw reject(.hopLimit(ip.hopLimit)) }
        // RFC 4291 §2.7: multicast addresses must not be used as source addresses.
        guard !ip.source.isMulticast else { throw reject(.multicastSource) }
        let message = frame.extracting(start..<(start + ip.upperLayerLength))
        guard ICMPv6Checksum.isValid(message, source: ip.source, destination: ip.destination) else {
            throw reject(.checksum)
        }
        guard parsed.icmpCode == 0 else { throw reject(.code(parsed.icmpCode)) }
        guard message.count >= NeighborMessageField.options else { throw reject(.tooShort(length: message.count)) }
        let target = message.extracting(0..<NeighborMessageField.options).ipv6Address(at: NeighborMessageField.targetAddress)
        guard !target.isMulticast else { throw reject(.multicastTarget) }

        var sourceLinkLayerAddress: MACAddress?
        var hasNonce = false
        var options = NDOptionIterator(start: NeighborMessageField.options, end: message.count)
        do {
            // Only the option headers are walked; the two types a responder needs are read.
            while let (type, offset, _) = try options.nextHeader(in: message) {
                if type == NDOptionType.sourceLinkLayerAddress {
                    if sourceLinkLayerAddress == nil { sourceLinkLayerAddress = message.macAddress(at: offset + 2) }
                } else if type == NDOptionType.nonce {
                    hasNonce = true
                }
                // RFC 4861 §4.6: every other option is skipped by its length.
            }
        } catch .zeroLength {
            throw reject(.zeroLengthOption)
        } catch {
            throw reject(.optionOverrun)
        }

        if ip.source.isUnspecified {
            guard ip.destination.isSolicitedNodeMulticast else { throw reject(.dadNotToSolicitedNode) }
            guard sourceLinkLayerAddress == nil else { throw reject(.dadWithSourceLinkLayerAddress) }
        }

        self.init(source: ip.source, destination: ip.destination, targetAddress: target,
                  sourceLinkLayerAddress: sourceLinkLayerAddress, hasNonce: hasNonce,
                  linkLayerSource: parsed.link.source, linkLayerDestination: parsed.link.destination,
                  vlanTags: parsed.link.vlanTags)
    }
}

/// A Neighbor Solicitation that failed validation: which check, and what could still be read.
public struct InvalidSolicitation: Error, Equatable, Sendable {
    /// The first check that failed.
    public var rejection: NDRejection
    /// The IP source address of the NS.
    public var source: IPv6Address
    /// The target, when the captured bytes hold it.
    public var targetAddress: IPv6Address?
}
