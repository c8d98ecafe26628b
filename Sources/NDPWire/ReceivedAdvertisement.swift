/// A Neighbor Advertisement that passed every check of RFC 4861 §7.1.2 and RFC 6980: what a
/// node may conclude from it, namely that `targetAddress` is in use at `linkLayerAddress`.
/// Built by `init(validating:in:)` or `init(decoding:linkType:)`; a small value, no bytes held.
public struct ReceivedAdvertisement: Sendable, Equatable {
    /// IP Source Address: an address of the advertiser.
    public var source: IPv6Address
    /// IP Destination Address: the solicitor, or all-nodes for an unsolicited advertisement.
    public var destination: IPv6Address
    /// The address being advertised.
    public var targetAddress: IPv6Address
    /// R, S and O.
    public var flags: NeighborAdvertisementFlags
    /// The Target Link-Layer Address option, if present (the first one).
    public var targetLinkLayerAddress: MACAddress?
    /// The link-layer source of the frame (Ethernet or SLL address), if the link type has one.
    public var linkLayerSource: MACAddress?
    /// The link-layer destination of the frame, if the link type has one.
    public var linkLayerDestination: MACAddress?
    /// The 802.1Q/802.1ad tags the advertisement arrived with.
    public var vlanTags: VLANTags

    /// Where the target is: the TLLA, else the frame's link-layer source. RFC 4861 §4.4 lets a
    /// solicited advertisement to a unicast address omit the TLLA, since the sender's address is
    /// then the frame's source; nil only in a raw-IP capture of such an advertisement.
    public var linkLayerAddress: MACAddress? { targetLinkLayerAddress ?? linkLayerSource }

    /// Creates an advertisement from its fields (tests; the wire path validates).
    public init(
        source: IPv6Address, destination: IPv6Address, targetAddress: IPv6Address,
        flags: NeighborAdvertisementFlags, targetLinkLayerAddress: MACAddress? = nil,
        linkLayerSource: MACAddress? = nil, linkLayerDestination: MACAddress? = nil,
        vlanTags: VLANTags = VLANTags()
    ) {
        self.source = source
        self.destination = destination
        self.targetAddress = targetAddress
        self.flags = flags
        self.targetLinkLayerAddress = targetLinkLayerAddress
        self.linkLayerSource = linkLayerSource
        self.linkLayerDestination = linkLayerDestination
        self.vlanTags = vlanTags
    }

    /// Validates the NA in `frame` (already decoded to `parsed`, whose ICMPv6 type must be 136)
    /// against RFC 4861 §7.1.2 and RFC 6980, in the order of `NeighborSolicitation`'s checks
    /// (the ones both messages share), then the NA's own: a solicited advertisement must not go
    /// to a multicast address.
    ///
    /// Throws an `InvalidAdvertisement` naming the first failed check, with the target if the
    /// bytes held it.
    public init(validating parsed: NDFrame, in frame: Span<UInt8>) throws(InvalidAdvertisement) {
        parsed.require(.neighborAdvertisement)
        let ip = parsed.ip
        func reject(_ rejection: AdvertisementRejection) -> InvalidAdvertisement {
            let start = ip.upperLayerOffset
            let knownTarget: IPv6Address? =
                frame.count >= start + NeighborMessageField.options
                    && ip.upperLayerLength >= NeighborMessageField.options
                ? frame.ipv6Address(at: start + NeighborMessageField.targetAddress) : nil
            return InvalidAdvertisement(
                rejection: rejection, source: ip.source, destination: ip.destination,
                targetAddress: knownTarget)
        }

        guard let range = parsed.messageRange else { throw reject(.message(.truncated)) }
        // RFC 6980 §5: ND messages in fragments are silently ignored, even atomic ones.
        guard !ip.isFragmented else { throw reject(.message(.fragmented)) }
        // §7.1.2: Hop Limit 255, so the advertiser is on the link.
        guard ip.hopLimit == 255 else { throw reject(.message(.hopLimit(ip.hopLimit))) }
        // RFC 4291 §2.7: multicast addresses must not be used as source addresses.
        guard !ip.source.isMulticast else { throw reject(.message(.multicastSource)) }
        let message = frame.extracting(range)
        guard ICMPv6Checksum.isValid(message, source: ip.source, destination: ip.destination) else {
            throw reject(.message(.checksum))
        }
        guard parsed.icmpCode == 0 else { throw reject(.message(.code(parsed.icmpCode))) }
        guard message.count >= NeighborMessageField.options else {
            throw reject(.message(.tooShort(length: message.count)))
        }
        let target = message.ipv6Address(at: NeighborMessageField.targetAddress)
        guard !target.isMulticast else { throw reject(.message(.multicastTarget)) }
        let flags = NeighborAdvertisementFlags(rawValue: message.uint32(at: NeighborMessageField.flags) & 0xE000_0000)

        // §7.1.2: every option's length is greater than zero (and, as for any message, inside
        // it). Only the TLLA matters here; every other option is skipped by its length (§4.6).
        var targetLinkLayerAddress: MACAddress?
        var options = NDOptionIterator(start: NeighborMessageField.options, end: message.count)
        do {
            while let (type, offset, _) = try options.nextHeader(in: message) {
                if type == NDOptionType.targetLinkLayerAddress, targetLinkLayerAddress == nil {
                    targetLinkLayerAddress = message.macAddress(at: offset + 2)
                }
            }
        } catch {
            switch error {
            case .zeroLength: throw reject(.message(.zeroLengthOption))
            case .overrun: throw reject(.message(.optionOverrun))
            }
        }

        // §7.1.2: "If the IP Destination Address is a multicast address the Solicited flag is
        // zero": a solicited advertisement answers one solicitor, at its own address.
        guard !(ip.destination.isMulticast && flags.contains(.solicited)) else {
            throw reject(.solicitedToMulticast)
        }

        self.init(
            source: ip.source, destination: ip.destination, targetAddress: target, flags: flags,
            targetLinkLayerAddress: targetLinkLayerAddress, linkLayerSource: parsed.link.source,
            linkLayerDestination: parsed.link.destination, vlanTags: parsed.link.vlanTags)
    }

    /// Decodes `frame` (of link type `linkType`) and validates it as a Neighbor Advertisement
    /// (RFC 4861 §7.1.2, RFC 6980), in one call: `NDFrame(parsing:linkType:)` followed, for
    /// ICMPv6 type 136, by `init(validating:in:)`.
    public init(decoding frame: Span<UInt8>, linkType: LinkType) throws(AdvertisementFrameError) {
        self = try NDFrame.decode(
            frame, linkType: linkType, as: .neighborAdvertisement, failure: AdvertisementFrameError.self,
            validate: ReceivedAdvertisement.init(validating:in:))
    }
}

/// Why a Neighbor Advertisement fails RFC 4861 §7.1.2 or RFC 6980. Each case has a stable
/// kebab-case `reason`.
public enum AdvertisementRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// A check every ND message shares with the Neighbor Solicitation (hop limit, checksum,
    /// code, length, target, options, fragments, truncation), named as there.
    case message(NDRejection)
    /// The S flag is set but the IP destination is multicast (§7.1.2).
    case solicitedToMulticast

    /// The stable word used in logs, metrics labels and JSON output.
    public var reason: String {
        switch self {
        case .message(let rejection): return rejection.reason
        case .solicitedToMulticast: return "solicited-to-multicast"
        }
    }

    public var description: String {
        switch self {
        case .message(let rejection): return rejection.description
        case .solicitedToMulticast: return reason
        }
    }
}

/// A Neighbor Advertisement that failed validation: which check, and what could still be read.
public struct InvalidAdvertisement: Error, Equatable, Sendable {
    /// The first check that failed.
    public var rejection: AdvertisementRejection
    /// The IP source address of the NA.
    public var source: IPv6Address
    /// The IP destination address of the NA.
    public var destination: IPv6Address
    /// The target, when the captured bytes hold it.
    public var targetAddress: IPv6Address?
}

/// Why a frame did not yield a valid Neighbor Advertisement.
public enum AdvertisementFrameError: Error, Equatable, Sendable {
    /// Not an IPv6 packet ending in ICMPv6, or its headers are cut: the decoder's error.
    case undecodable(WireError)
    /// An ICMPv6 message other than a Neighbor Advertisement (its ICMPv6 type).
    case notAdvertisement(icmpType: UInt8)
    /// A Neighbor Advertisement that fails RFC 4861 §7.1.2 or RFC 6980.
    case invalid(InvalidAdvertisement)
}

extension AdvertisementFrameError: NDMessageFrameError {
    public static func otherMessage(icmpType: UInt8) -> Self { .notAdvertisement(icmpType: icmpType) }
}
