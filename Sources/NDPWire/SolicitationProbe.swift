/// A Neighbor Solicitation the host sends on the guest side to learn whether a guest holds
/// `targetAddress` (RFC 4861 §4.3): every field of the Ethernet, 802.1Q, IPv6, ICMPv6 and Source
/// Link-Layer Address headers, written by `write(into:)`.
///
/// A probe is never a DAD probe: its source is an address of the host (its link-local address on
/// the guest interface), never `::` (RFC 4862 §5.4.2: a solicitation from `::` announces a
/// tentative address) and never the target itself (the guest would take it for a duplicate).
/// It always carries the host's MAC as SLLA (§4.3: MUST in a multicast solicitation, SHOULD in a
/// unicast one), so that the guest answers without resolving the host first.
public struct SolicitationProbe: Sendable, Equatable {
    /// Where a probe goes.
    public enum Destination: Sendable, Equatable {
        /// Address resolution (RFC 4861 §7.2.2): to the target's solicited-node group
        /// (RFC 4291 §2.7.1), at the link layer to `33:33:ff` and the target's last 24 bits
        /// (RFC 2464 §7), which is where every holder of the target listens.
        case solicitedNode
        /// Neighbor Unreachability Detection (RFC 4861 §7.3.3): unicast to the target at the
        /// link-layer address it was last known at.
        case unicast(MACAddress)
    }

    /// The address being resolved.
    public let targetAddress: IPv6Address
    /// IPv6 source: the host's address on the guest interface.
    public let source: IPv6Address
    /// The host's MAC on the guest interface: Ethernet source and SLLA.
    public let interfaceMAC: MACAddress
    /// Multicast resolution or a unicast re-probe.
    public let destination: Destination
    /// Tags to put on the frame, outermost first.
    public let vlanTags: VLANTags

    /// A probe for `target` from `source` at `interfaceMAC`, or nil when the fields cannot make
    /// a valid probe: a source that is `::`, multicast or the target itself, a target that is
    /// `::` or multicast (RFC 4861 §7.1.1), `::1` as either (it never leaves a node, RFC 4291
    /// §2.5.3: the IP layer drops it), or a multicast MAC as the sender or as a unicast
    /// destination.
    public init?(
        target: IPv6Address, source: IPv6Address, interfaceMAC: MACAddress,
        destination: Destination = .solicitedNode, vlanTags: VLANTags = VLANTags()
    ) {
        guard !source.isUnspecified, !source.isMulticast, source != target,
            !target.isUnspecified, !target.isMulticast, !source.isLoopback, !target.isLoopback,
            !interfaceMAC.isMulticast
        else { return nil }
        if case .unicast(let mac) = destination, mac.isMulticast { return nil }
        self.targetAddress = target
        self.source = source
        self.interfaceMAC = interfaceMAC
        self.destination = destination
        self.vlanTags = vlanTags
    }

    /// The IPv6 destination: the target's solicited-node group, or the target itself.
    public var ipDestination: IPv6Address {
        switch destination {
        case .solicitedNode: return targetAddress.solicitedNodeMulticast
        case .unicast: return targetAddress
        }
    }

    /// The Ethernet destination: `33:33:ff:xx:xx:xx` for the solicited-node group (RFC 2464 §7:
    /// 33:33 and the group's last 32 bits, of which the first octet is ff), or the known MAC.
    public var ethernetDestination: MACAddress {
        switch destination {
        case .solicitedNode: return MACAddress.ipv6Multicast(targetAddress.solicitedNodeMulticast)
        case .unicast(let mac): return mac
        }
    }

    /// The ICMPv6 length: 24 octets of NS plus 8 for the SLLA option.
    public static var messageLength: Int { NeighborMessageField.options + 8 }

    /// The whole frame's length: 86 bytes untagged, 4 more per tag.
    public var frameLength: Int { 14 + 4 * vlanTags.count + IPv6Field.size + Self.messageLength }

    /// Writes the frame at the start of `buffer` and returns its length. Every byte up to the
    /// length is written (reserved fields zeroed); the checksum is filled last. No allocation.
    ///
    /// Throws `.bufferTooSmall` if `buffer` is shorter than `frameLength`.
    public func write(into buffer: inout MutableSpan<UInt8>) throws(BufferTooSmall) -> Int {
        let tagBytes = 4 * vlanTags.count
        let messageLength = Self.messageLength
        let length = 14 + tagBytes + IPv6Field.size + messageLength
        guard buffer.count >= length else { throw BufferTooSmall(needed: length, have: buffer.count) }

        var frame = MutableRawSpan(_elements: &buffer)
        // NS (RFC 4861 §4.3): 32 reserved zero bits in the header word; the SLLA option.
        let icmp = NeighborMessageFrame.writeHeaders(
            into: &frame, ethernetDestination: ethernetDestination, ethernetSource: interfaceMAC,
            vlanTags: vlanTags, ip: 14 + tagBytes, source: source, destination: ipDestination,
            messageLength: messageLength,
            messageHeader: Self.headerWord, targetAddress: targetAddress)
        frame.storeBigEndian(optionWord, at: icmp + NeighborMessageField.options)

        frame.storeBigEndian(checksum, at: icmp + ICMPv6Field.checksum)
        return length
    }

    /// The ICMPv6 checksum of this probe (RFC 4443 §2.3), summed from the field values.
    public var checksum: UInt16 {
        NeighborMessageChecksum.compute(
            source: source, destination: ipDestination, header: Self.headerWord,
            target: targetAddress, option: optionWord, messageLength: Self.messageLength)
    }

    /// The first eight octets of the NS: type 135, code 0, checksum 0, reserved 0.
    @inline(__always)
    private static var headerWord: UInt64 { UInt64(NDMessageType.neighborSolicitation.rawValue) << 56 }

    /// The SLLA option's eight octets (RFC 4861 §4.6.1: type 1, length 1 in units of 8 octets,
    /// the 6-byte Ethernet address).
    @inline(__always)
    private var optionWord: UInt64 {
        UInt64(NDOptionType.sourceLinkLayerAddress) << 56 | 1 << 48 | interfaceMAC.rawValue
    }
}
