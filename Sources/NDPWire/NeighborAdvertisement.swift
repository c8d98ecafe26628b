/// A Neighbor Advertisement frame to send (RFC 4861 §4.4, §7.2.4): every field of the Ethernet,
/// 802.1Q, IPv6, ICMPv6 and Target Link-Layer Address headers, written by `write(into:)`.
public struct NeighborAdvertisement: Sendable, Equatable {
    /// Ethernet destination.
    public var ethernetDestination: MACAddress
    /// Ethernet source: the interface's MAC.
    public var ethernetSource: MACAddress
    /// Tags to put on the frame, outermost first (mirrored from the solicitation).
    public var vlanTags: VLANTags
    /// IPv6 source.
    public var source: IPv6Address
    /// IPv6 destination.
    public var destination: IPv6Address
    /// R, S and O.
    public var flags: NeighborAdvertisementFlags
    /// The target being advertised.
    public var targetAddress: IPv6Address
    /// The TLLA option's address; nil omits the option.
    public var targetLinkLayerAddress: MACAddress?

    /// Creates an advertisement from every field.
    @inlinable
    public init(
        ethernetDestination: MACAddress, ethernetSource: MACAddress, vlanTags: VLANTags = VLANTags(),
        source: IPv6Address, destination: IPv6Address, flags: NeighborAdvertisementFlags,
        targetAddress: IPv6Address, targetLinkLayerAddress: MACAddress?
    ) {
        self.ethernetDestination = ethernetDestination
        self.ethernetSource = ethernetSource
        self.vlanTags = vlanTags
        self.source = source
        self.destination = destination
        self.flags = flags
        self.targetAddress = targetAddress
        self.targetLinkLayerAddress = targetLinkLayerAddress
    }

    /// Whom an advertisement is for (RFC 4861 §7.2.4, §7.2.6), which also fixes its S flag.
    public enum Addressee: Sendable, Equatable {
        /// A solicitor that has an address: unicast to `address` at `linkLayer`, S = 1.
        case solicitor(address: IPv6Address, linkLayer: MACAddress)
        /// All-nodes `ff02::1`, S = 0 (S = 1 is never sent to multicast), delivered at the link
        /// layer to `linkLayer`: the all-nodes group `33:33:00:00:00:01`, or one station's MAC
        /// when only that station may hear it (an impostor's DAD probe answered, an unsolicited
        /// advertisement for an upstream router), which is legal and keeps the advertisement
        /// away from the guest that holds the target (RFC 4862 §5.4.5).
        case allNodes(linkLayer: MACAddress)
    }

    /// The one constructor behind every advertisement ndpd sends, solicited or not, as Linux's
    /// `ndisc_send_na` is: `target` advertised to `addressee` with the interface's MAC as the
    /// Ethernet source and the TLLA option (RFC 4861 §4.4), R and O as configured, and S as the
    /// addressee requires.
    @inlinable
    public init(
        advertising target: IPv6Address, to addressee: Addressee, interfaceMAC: MACAddress,
        source: IPv6Address, router: Bool, override: Bool, vlanTags: VLANTags = VLANTags()
    ) {
        var flags: NeighborAdvertisementFlags = []
        if router { flags.insert(.router) }
        if override { flags.insert(.override) }
        let destination: IPv6Address
        let ethernetDestination: MACAddress
        switch addressee {
        case .solicitor(let address, let linkLayer):
            flags.insert(.solicited)
            destination = address
            ethernetDestination = linkLayer
        case .allNodes(let linkLayer):
            destination = .allNodes
            ethernetDestination = linkLayer
        }
        self.init(
            ethernetDestination: ethernetDestination, ethernetSource: interfaceMAC, vlanTags: vlanTags,
            source: source, destination: destination, flags: flags, targetAddress: target,
            targetLinkLayerAddress: interfaceMAC)
    }

    /// The reply to `solicitation`, addressed as RFC 4861 §7.2.4 says:
    ///
    /// - a DAD probe (source `::`) is answered to all-nodes `ff02::1` with S = 0, since the
    ///   prober has no address to be answered at; at the link layer it goes to the prober's
    ///   MAC only, so that no other station doing DAD for the same address hears it (without
    ///   a link-layer source, as in a raw-IP capture, to the all-nodes group);
    /// - anything else is answered unicast to the solicitor with S = 1, at the link layer to
    ///   its SLLA, else to the frame's link-layer source (a NUD probe carries no SLLA).
    ///
    /// The solicitation's VLAN tags are kept.
    // Inlinable: inlined into the engine, an advertisement nobody reads is never built.
    @inlinable
    public init(
        answering solicitation: NeighborSolicitation, interfaceMAC: MACAddress, source: IPv6Address,
        router: Bool, override: Bool
    ) {
        let addressee: Addressee
        if solicitation.isDuplicateAddressDetection {
            addressee = .allNodes(linkLayer: solicitation.linkLayerSource ?? MACAddress.ipv6Multicast(.allNodes))
        } else {
            // Without any link-layer address (a raw-IP capture of a NUD probe) the solicitor's
            // solicited-node group is the one link-layer destination it is sure to receive.
            addressee = .solicitor(
                address: solicitation.source,
                linkLayer: solicitation.sourceLinkLayerAddress ?? solicitation.linkLayerSource
                    ?? MACAddress.ipv6Multicast(solicitation.source.solicitedNodeMulticast))
        }
        self.init(
            advertising: solicitation.targetAddress, to: addressee, interfaceMAC: interfaceMAC, source: source,
            router: router, override: override, vlanTags: solicitation.vlanTags)
    }

    /// The ICMPv6 length: 24 octets of NA plus 8 for the TLLA option.
    public var messageLength: Int { NeighborMessageField.options + (targetLinkLayerAddress == nil ? 0 : 8) }

    /// The whole frame's length: 86 bytes untagged with a TLLA, 4 more per tag.
    public var frameLength: Int { 14 + 4 * vlanTags.count + IPv6Field.size + messageLength }

    /// Writes the frame at the start of `buffer` and returns its length. Every byte up to the
    /// length is written (reserved fields zeroed); the checksum is filled last. No allocation.
    ///
    /// Throws `.bufferTooSmall` if `buffer` is shorter than `frameLength`.
    public func write(into buffer: inout MutableSpan<UInt8>) throws(BufferTooSmall) -> Int {
        // Two straight-line copies, with and without the option: the message length is then a
        // constant in each, and every store is proven in bounds by the one length check.
        if targetLinkLayerAddress != nil {
            return try write(into: &buffer, option: optionWord, messageLength: NeighborMessageField.options + 8)
        }
        return try write(into: &buffer, option: 0, messageLength: NeighborMessageField.options)
    }

    /// The frame as 64-bit words of adjacent fields (big-endian values, each one store), the
    /// checksum summed from the same words. `option` is the TLLA option's eight octets, stored
    /// if `messageLength` has room for it.
    @inline(__always)
    private func write(
        into buffer: inout MutableSpan<UInt8>, option: UInt64,
        messageLength: Int
    ) throws(BufferTooSmall) -> Int {
        let tagBytes = 4 * vlanTags.count
        let length = 14 + tagBytes + IPv6Field.size + messageLength
        guard buffer.count >= length else { throw BufferTooSmall(needed: length, have: buffer.count) }

        var frame = MutableRawSpan(_elements: &buffer)
        // NA (RFC 4861 §4.4): R/S/O and 29 reserved zero bits in the header word; the TLLA option.
        let header = headerWord
        let icmp = NeighborMessageFrame.writeHeaders(
            into: &frame, ethernetDestination: ethernetDestination, ethernetSource: ethernetSource,
            vlanTags: vlanTags, ip: 14 + tagBytes, source: source, destination: destination,
            messageLength: messageLength,
            messageHeader: header, targetAddress: targetAddress)
        if messageLength > NeighborMessageField.options {
            frame.storeBigEndian(option, at: icmp + NeighborMessageField.options)
        }

        frame.storeBigEndian(
            checksum(header: header, option: option, messageLength: messageLength),
            at: icmp + ICMPv6Field.checksum)
        return length
    }

    /// The ICMPv6 checksum of this advertisement, summed from the field values rather than
    /// read back from the buffer just written (a store-to-load round trip per byte that costs
    /// more than the sum itself). The golden-frame and tshark tests check it byte for byte.
    public var checksum: UInt16 {
        let option = optionWord
        return checksum(
            header: headerWord, option: option,
            messageLength: option == 0 ? NeighborMessageField.options : NeighborMessageField.options + 8)
    }

    /// The first eight octets of the NA: type 136, code 0, checksum 0, R/S/O, reserved 0.
    @inline(__always)
    private var headerWord: UInt64 {
        UInt64(NDMessageType.neighborAdvertisement.rawValue) << 56 | UInt64(flags.rawValue & 0xE000_0000)
    }

    /// The TLLA option's eight octets (RFC 4861 §4.6.1: type 2, length 1 in units of 8
    /// octets, the 6-byte Ethernet address), 0 when there is none.
    @inline(__always)
    private var optionWord: UInt64 {
        targetLinkLayerAddress.map { UInt64(NDOptionType.targetLinkLayerAddress) << 56 | 1 << 48 | $0.rawValue } ?? 0
    }

    /// RFC 4443 §2.3 over the pseudo-header (RFC 8200 §8.1) and the message, as the 64-bit
    /// words the message is written as, with the checksum field zero.
    @inline(__always)
    private func checksum(header: UInt64, option: UInt64, messageLength: Int) -> UInt16 {
        NeighborMessageChecksum.compute(
            source: source, destination: destination, header: header,
            target: targetAddress, option: option, messageLength: messageLength)
    }
}

/// The output buffer cannot hold the frame.
public struct BufferTooSmall: Error, Equatable, Sendable {
    /// Bytes the frame needs.
    public var needed: Int
    /// Bytes the buffer has.
    public var have: Int
}
