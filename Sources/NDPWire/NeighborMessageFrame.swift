/// The headers of every Neighbor Discovery frame ndpd builds (the advertisement and the
/// live-guest probe): Ethernet II with up to two tags, IPv6, and the first 24 octets of the
/// ND message (RFC 4861 §4.3, §4.4: type, code, checksum 0 for now, flags or reserved bits,
/// the target). Written as 64-bit words of adjacent fields, each one store; the caller adds
/// its option and then the checksum.
enum NeighborMessageFrame {
    /// Writes the headers of a frame whose IPv6 header starts at `ip` (14 + 4 octets per tag)
    /// and whose ND message is `messageLength` octets long, and returns where the ICMPv6 message
    /// starts. The caller has checked that `frame` holds `ip + 40 + messageLength` bytes.
    @inline(__always)
    static func writeHeaders(
        into frame: inout MutableRawSpan, ethernetDestination: MACAddress,
        ethernetSource: MACAddress, vlanTags: VLANTags, ip: Int, source: IPv6Address,
        destination: IPv6Address, messageLength: Int, messageHeader: UInt64,
        targetAddress: IPv6Address
    ) -> Int {
        // Ethernet II: destination, source, then both tag slots (outer, inner) as one word. The
        // EtherType and the IPv6 header written next overwrite the slots of absent tags, so
        // every frame (78 bytes at least) is covered without a branch per tag.
        let sender = ethernetSource.rawValue
        frame.storeBigEndian(ethernetDestination.rawValue << 16 | sender >> 32, at: 0)
        frame.storeBigEndian(UInt32(truncatingIfNeeded: sender), at: 8)
        frame.storeBigEndian(vlanTags.slotsWord, at: 12)

        // EtherType, then IPv6 (RFC 8200 §3): version 6, traffic class 0, flow label 0, the
        // payload length; next header 58, hop limit 255 (RFC 4861 §7.1.1, §7.1.2: a receiver
        // drops any other, since only 255 proves the sender is on the link).
        frame.storeBigEndian(UInt64(EtherType.ipv6) << 48 | 0x6000_0000 << 16 | UInt64(messageLength), at: ip - 2)
        frame.storeBigEndian(UInt16(IPProtocol.icmpv6) << 8 | 255, at: ip + IPv6Field.nextHeader)
        frame.storeBigEndian(source.high, at: ip + IPv6Field.source)
        frame.storeBigEndian(source.low, at: ip + IPv6Field.source + 8)
        frame.storeBigEndian(destination.high, at: ip + IPv6Field.destination)
        frame.storeBigEndian(destination.low, at: ip + IPv6Field.destination + 8)

        let icmp = ip + IPv6Field.size
        frame.storeBigEndian(messageHeader, at: icmp)
        frame.storeBigEndian(targetAddress.high, at: icmp + NeighborMessageField.targetAddress)
        frame.storeBigEndian(targetAddress.low, at: icmp + NeighborMessageField.targetAddress + 8)
        return icmp
    }
}

extension VLANTags {
    /// Both tag slots of an Ethernet header as one word, outer tag in the high half (TPID,
    /// TCI), 0 for an absent tag.
    @inline(__always)
    var slotsWord: UInt64 {
        @inline(__always) func word(_ tag: VLANTag?) -> UInt64 {
            tag.map { UInt64($0.tagProtocolIdentifier) << 16 | UInt64($0.tagControlInformation) } ?? 0
        }
        return word(outer) << 32 | word(inner)
    }
}
