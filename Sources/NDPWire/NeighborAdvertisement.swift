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
    public init(ethernetDestination: MACAddress, ethernetSource: MACAddress, vlanTags: VLANTags = VLANTags(),
                source: IPv6Address, destination: IPv6Address, flags: NeighborAdvertisementFlags,
                targetAddress: IPv6Address, targetLinkLayerAddress: MACAddress?) {
        self.ethernetDestination = ethernetDestination
        self.ethernetSource = ethernetSource
        self.vlanTags = vlanTags
        self.source = source
        self.destination = destination
        self.flags = flags
        self.targetAddress = targetAddress
        self.targetLinkLayerAddress = targetLinkLayerAddress
    }

    /// The reply to `solicitation`, addressed as RFC 4861 §7.2.4 says:
    ///
    /// - a DAD probe (source `::`) is answered to all-nodes `ff02::1` with S = 0, since the
    ///   prober has no address to be answered at, and S = 1 is never sent to multicast;
    /// - anything else is answered unicast to the solicitor with S = 1, at the link layer to
    ///   its SLLA, else to the frame's link-layer source (a NUD probe carries no SLLA).
    ///
    /// The TLLA option always carries `interfaceMAC`, and the solicitation's VLAN tags are kept.
    // Inlinable: inlined into the engine, an advertisement nobody reads is never built.
    @inlinable
    public init(answering solicitation: NeighborSolicitation, interfaceMAC: MACAddress, source: IPv6Address,
                router: Bool, override: Bool) {
        var flags: NeighborAdvertisementFlags = []
        if router { flags.insert(.router) }
        if override { flags.insert(.override) }
        let destination: IPv6Address
        let ethernetDestination: MACAddress
        if solicitation.isDuplicateAddressDetection {
            destination = .allNodes
            ethernetDestination = MACAddress.ipv6Multicast(.allNodes)
        } else {
            flags.insert(.solicited)
            destination = solicitation.source
            // Without any link-layer address (a raw-IP capture of a NUD probe) the solicitor's
            // solicited-node group is the one link-layer destination it is sure to receive.
            ethernetDestination = solicitation.sourceLinkLayerAddress ?? solicitation.linkLayerSource
                ?? MACAddress.ipv6Multicast(solicitation.source.solicitedNodeMulticast)
        }
        self.init(ethernetDestination: ethernetDestination, ethernetSource: interfaceMAC,
                  vlanTags: solicitation.vlanTags, source: source, destination: destination, flags: flags,
                  targetAddress: solicitation.targetAddress, targetLinkLayerAddress: interfaceMAC)
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
        let length = frameLength
        guard buffer.count >= length else { throw BufferTooSmall(needed: length, have: buffer.count) }

        // Ethernet II and tags.
        buffer.store(ethernetDestination, at: 0)
        buffer.store(ethernetSource, at: 6)
        var offset = 12
        if let outer = vlanTags.outer {
            buffer.store(outer.tagProtocolIdentifier, at: offset)
            buffer.store(outer.tagControlInformation, at: offset + 2)
            offset += 4
        }
        if let inner = vlanTags.inner {
            buffer.store(inner.tagProtocolIdentifier, at: offset)
            buffer.store(inner.tagControlInformation, at: offset + 2)
            offset += 4
        }
        buffer.store(EtherType.ipv6, at: offset)
        offset += 2

        // IPv6 (RFC 8200 §3): version 6, traffic class 0, flow label 0, hop limit 255 (§7.1.2).
        let messageLength = self.messageLength
        buffer.store(UInt32(0x6000_0000), at: offset + IPv6Field.versionClassFlow)
        buffer.store(UInt16(messageLength), at: offset + IPv6Field.payloadLength)
        buffer[offset + IPv6Field.nextHeader] = IPProtocol.icmpv6
        buffer[offset + IPv6Field.hopLimit] = 255
        buffer.store(source, at: offset + IPv6Field.source)
        buffer.store(destination, at: offset + IPv6Field.destination)
        offset += IPv6Field.size

        // NA (RFC 4861 §4.4): type, code 0, checksum placeholder, flags + 29 reserved zero bits.
        let icmp = offset
        buffer[icmp + ICMPv6Field.type] = NDMessageType.neighborAdvertisement.rawValue
        buffer[icmp + ICMPv6Field.code] = 0
        buffer.store(UInt16(0), at: icmp + ICMPv6Field.checksum)
        buffer.store(flags.rawValue & 0xE000_0000, at: icmp + NeighborMessageField.flags)
        buffer.store(targetAddress, at: icmp + NeighborMessageField.targetAddress)
        if let tlla = targetLinkLayerAddress {
            // RFC 4861 §4.6.1: type 2, length 1 (8 octets), the 6-byte Ethernet address.
            buffer[icmp + 24] = NDOptionType.targetLinkLayerAddress
            buffer[icmp + 25] = 1
            buffer.store(tlla, at: icmp + 26)
        }

        buffer.store(checksum, at: icmp + ICMPv6Field.checksum)
        return length
    }

    /// The ICMPv6 checksum of this advertisement, summed from the field values rather than
    /// read back from the buffer just written (a store-to-load round trip per byte that costs
    /// more than the sum itself). The golden-frame and tshark tests check it byte for byte.
    public var checksum: UInt16 {
        @inline(__always) func words(_ value: UInt64) -> UInt64 { (value >> 32) &+ (value & 0xFFFF_FFFF) }
        var sum = ICMPv6Checksum.pseudoHeaderSum(source: source, destination: destination, length: messageLength)
        sum &+= UInt64(NDMessageType.neighborAdvertisement.rawValue) << 8     // type, code 0
        sum &+= UInt64(flags.rawValue & 0xE000_0000)
        sum &+= words(targetAddress.high) &+ words(targetAddress.low)
        if let tlla = targetLinkLayerAddress {
            // Type 2, length 1, then the 48-bit address as one 16-bit and one 32-bit word.
            sum &+= UInt64(NDOptionType.targetLinkLayerAddress) << 8 | 1
            sum &+= (tlla.rawValue >> 32) &+ (tlla.rawValue & 0xFFFF_FFFF)
        }
        return ~ICMPv6Checksum.fold(sum)
    }
}

/// The output buffer cannot hold the frame.
public struct BufferTooSmall: Error, Equatable, Sendable {
    /// Bytes the frame needs.
    public var needed: Int
    /// Bytes the buffer has.
    public var have: Int
}
