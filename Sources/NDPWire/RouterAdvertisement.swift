/// The sender of a valid Router Advertisement: what a node may conclude from one, namely that a
/// router sits at this link-layer address (RFC 4861 §6.3.4).
///
/// Accepted only as RFC 4861 §6.1.2 says a host must check an RA:
/// - IP Hop Limit 255 (it was not forwarded);
/// - IP source a link-local address;
/// - ICMP checksum valid, code 0, ICMP length 16 octets or more;
/// - every option's length greater than zero and inside the message;
/// - no Fragment header (RFC 6980: ND is never fragmented).
public struct RouterAdvertisementSender: Sendable, Equatable {
    /// The router's link-local source address.
    public var source: IPv6Address
    /// Its link-layer address: the Source Link-Layer Address option, else the frame's source.
    public var linkLayerAddress: MACAddress
}

extension RouterAdvertisementSender {
    /// The sender of `frame` if it holds a valid Router Advertisement with a known link-layer
    /// address; nil for anything else (another message, an invalid RA, a raw-IP capture of an
    /// RA without a Source Link-Layer Address option).
    public init?(frame: Span<UInt8>, linkType: LinkType) {
        guard let parsed = try? NDFrame(parsing: frame, linkType: linkType),
            parsed.ndType == .routerAdvertisement, parsed.icmpCode == 0,
            !parsed.ip.isFragmented, parsed.ip.hopLimit == 255, parsed.ip.source.isLinkLocal,
            let range = parsed.messageRange, range.count >= NDMessageType.routerAdvertisement.fixedLength
        else { return nil }
        let message = frame.extracting(range)
        guard ICMPv6Checksum.isValid(message, source: parsed.ip.source, destination: parsed.ip.destination) else {
            return nil
        }
        var options = NDOptionIterator(start: NDMessageType.routerAdvertisement.fixedLength, end: message.count)
        var announced: MACAddress?
        do {
            while let option = try options.next(in: message) {
                if case .sourceLinkLayerAddress(let address) = option { announced = address }
            }
        } catch {
            return nil
        }
        guard let linkLayerAddress = announced ?? parsed.link.source else { return nil }
        self.init(source: parsed.ip.source, linkLayerAddress: linkLayerAddress)
    }
}
