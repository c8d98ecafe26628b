// One call from captured bytes to a validated Neighbor Solicitation: what the engine runs on
// every frame.
//
// Two paths give the same answer. The common case on a bridge, an Ethernet frame (with up to two
// tags) carrying IPv6 with no extension header and an NS of 24 + 8n octets, is decoded and
// validated in one pass over the bytes: the IPv6 header and the NS's fixed part are read from one
// 64-octet sub-span (one bounds check), nothing is written to memory but the result. Anything
// else, and every frame that fails a check, goes through the layered decoders (`NDFrame`, then
// `NeighborSolicitation(validating:in:)`), which name the exact reason. The single pass only ever
// accepts; it never decides a rejection, so the reasons stay defined in one place.
// Tests/NDPWireTests/SolicitationDecodingTests.swift and the fuzzer check that the two paths agree.

/// Why a frame did not yield a valid Neighbor Solicitation.
public enum SolicitationFrameError: Error, Sendable {
    /// Not an IPv6 packet ending in ICMPv6, or its headers are cut: the decoder's error.
    case undecodable(WireError)
    /// An ICMPv6 message other than a Neighbor Solicitation (its ICMPv6 type).
    case notSolicitation(icmpType: UInt8)
    /// A Neighbor Solicitation that fails RFC 4861 §7.1.1 or RFC 6980.
    case invalid(InvalidSolicitation)
}

extension SolicitationFrameError: NDMessageFrameError {
    public static func otherMessage(icmpType: UInt8) -> Self { .notSolicitation(icmpType: icmpType) }
}

extension NeighborSolicitation {
    /// Decodes `frame` (of link type `linkType`) and validates it as a Neighbor Solicitation
    /// (RFC 4861 §7.1.1, RFC 6980), in one call.
    ///
    /// Equivalent to `NDFrame(parsing:linkType:)` followed, for ICMPv6 type 135, by
    /// `init(validating:in:)`; the common Ethernet case takes a single pass over the bytes.
    public init(decoding frame: Span<UInt8>, linkType: LinkType) throws(SolicitationFrameError) {
        if linkType == .ethernet, let accepted = Self(acceptingEthernet: frame) {
            self = accepted
            return
        }
        self = try Self.decodeLayered(frame, linkType: linkType)
    }

    /// The layered path: every link type, extension headers, and the named rejection.
    @inline(never)
    static func decodeLayered(_ frame: Span<UInt8>, linkType: LinkType) throws(SolicitationFrameError)
        -> NeighborSolicitation
    {
        try NDFrame.decode(
            frame, linkType: linkType, as: .neighborSolicitation, failure: SolicitationFrameError.self,
            validate: NeighborSolicitation.init(validating:in:))
    }

    /// The single pass: a valid NS in the common shape, or nil for anything else (which the
    /// layered path then decodes, and names if it is invalid).
    ///
    /// Accepts exactly what the layered path accepts, for frames of this shape: Ethernet II with
    /// at most two 802.1Q/802.1ad tags, IPv6 version 6 whose Next Header is ICMPv6 (58), Hop
    /// Limit 255, the whole payload captured, type 135 code 0, an ICMPv6 length of 24 + 8n, a
    /// non-multicast source and target, a source other than `::1`, a destination outside ::/64
    /// and no multicast destination of scope 0 or 1, a good checksum, well-formed options, and for DAD a
    /// solicited-node destination and no SLLA.
    @inline(__always)
    init?(acceptingEthernet frame: Span<UInt8>) {
        // Ethernet II (IEEE 802.3 clause 3.1.1): destination (6), source (6), then TPID/TCI
        // pairs and the EtherType.
        guard frame.count >= 14 + IPv6Field.size + NeighborMessageField.options else { return nil }
        let addresses = frame.extracting(0..<12)
        var tags = VLANTags()
        var typeOffset = 12
        var etherType = frame.uint16(at: typeOffset)
        while etherType != EtherType.ipv6 {
            guard etherType == EtherType.vlan || etherType == EtherType.qinq || etherType == EtherType.qinqLegacy,
                typeOffset < 20,
                tags.append(
                    VLANTag(
                        tagProtocolIdentifier: etherType,
                        tagControlInformation: frame.uint16(at: typeOffset + 2)))
            else { return nil }
            typeOffset &+= 4
            etherType = frame.uint16(at: typeOffset)
        }
        let ipOffset = typeOffset &+ 2

        // The IPv6 header (RFC 8200 §3) and the NS's fixed part (RFC 4861 §4.3) as one span of
        // exactly 64 octets: every read below is at a constant offset inside it, proven in bounds.
        let fixedLength = IPv6Field.size + NeighborMessageField.options
        guard frame.count &- ipOffset >= fixedLength else { return nil }
        let fixed = frame.extracting(ipOffset..<(ipOffset &+ fixedLength))
        // The first 8 octets in one load: Version (4 bits) ... Payload Length (16), Next Header
        // (8), Hop Limit (8). ICMPv6 right after the fixed header, and Hop Limit 255 (§7.1.1).
        let firstWord = fixed.uint64(at: IPv6Field.versionClassFlow)
        let payloadLength = Int(truncatingIfNeeded: firstWord >> 16 & 0xFFFF)
        let icmp = IPv6Field.size
        // Type, Code, Checksum, Reserved: read little-endian, as the checksum sums it.
        let icmpWord = fixed.littleEndianUInt64(at: icmp)
        guard firstWord >> 60 == 6,
            firstWord & 0xFFFF == UInt64(IPProtocol.icmpv6) << 8 | 255,
            // Type 135, code 0 (§7.1.1).
            icmpWord & 0xFFFF == UInt64(NDMessageType.neighborSolicitation.rawValue),
            // 24 octets and whole options (§4.6: options are 8n long), all captured.
            payloadLength >= NeighborMessageField.options, payloadLength & 7 == 0,
            payloadLength <= frame.count &- ipOffset &- IPv6Field.size
        else { return nil }

        let source = fixed.ipv6Address(at: IPv6Field.source)
        let destination = fixed.ipv6Address(at: IPv6Field.destination)
        let targetAddress = fixed.ipv6Address(at: icmp + NeighborMessageField.targetAddress)
        // RFC 4291 §2.7 (source), §7.1.1 (target).
        guard !source.isMulticast, !targetAddress.isMulticast else { return nil }

        // The checksum (RFC 4443 §2.3) is summed in the machine's byte order (RFC 1071 §2(B)), one
        // 64-bit word at a time: the pseudo-header (RFC 8200 §8.1) and the fixed part from
        // `fixed`, the options as they are walked. The walk reads each option once, for the sum
        // and for its fields; it ends exactly at the payload's end or the frame is left to the
        // layered path, so every octet of the message is summed exactly once.
        @inline(__always) func add(_ sum: UInt64, _ word: UInt64) -> UInt64 {
            ICMPv6Checksum.onesComplementAdd(sum, word)
        }
        var sum = add(
            fixed.littleEndianUInt64(at: IPv6Field.source), fixed.littleEndianUInt64(at: IPv6Field.source + 8))
        sum = add(sum, fixed.littleEndianUInt64(at: IPv6Field.destination))
        sum = add(sum, fixed.littleEndianUInt64(at: IPv6Field.destination + 8))
        sum = add(sum, (UInt64(payloadLength) << 32 | UInt64(IPProtocol.icmpv6)).byteSwapped)
        sum = add(sum, icmpWord)
        sum = add(sum, fixed.littleEndianUInt64(at: icmp + 8))
        sum = add(sum, fixed.littleEndianUInt64(at: icmp + 16))

        // Options (§4.6): Type (1), Length (1, in 8-octet units), data. Only SLLA (the first one)
        // and Nonce matter here; the rest are skipped by their length.
        let optionsStart = ipOffset &+ fixedLength
        let options = frame.extracting(optionsStart..<(optionsStart &+ payloadLength &- NeighborMessageField.options))
        var sourceLinkLayerAddress = MACAddress.absent
        var hasNonce = false
        var cursor = 0
        while cursor < options.count {
            // `cursor` and the options' length are multiples of 8: a whole unit is always there.
            let raw = options.extracting(cursor..<(cursor &+ 8)).littleEndianUInt64(at: 0)
            sum = add(sum, raw)
            let unit = raw.byteSwapped
            let optionLength = Int(truncatingIfNeeded: unit >> 48 & 0xFF) &* 8
            guard optionLength > 0, optionLength <= options.count &- cursor else { return nil }
            let type = UInt8(truncatingIfNeeded: unit >> 56)
            if type == NDOptionType.sourceLinkLayerAddress {
                if sourceLinkLayerAddress == MACAddress.absent { sourceLinkLayerAddress = unit & 0xFFFF_FFFF_FFFF }
            } else if type == NDOptionType.nonce {
                hasNonce = true
            }
            var next = cursor &+ 8
            cursor &+= optionLength
            while next < cursor {
                sum = add(sum, options.littleEndianUInt64(at: next))
                next &+= 8
            }
        }
        guard ICMPv6Checksum.nativeFold(sum) == 0xFFFF else { return nil }
        // Addresses the IP layer drops (`IPv6Discard`) are left to the layered path, which names
        // them: a source `::1`, a destination in ::/64 (`::`, `::1`) or in ff00::/16 or ff01::/16
        // (multicast scope 0 or 1: the scope nibble with its low bit masked is 0). Tested once
        // the message is summed, when the rest of the work is done.
        guard source.high | (source.low ^ 1) != 0, destination.high != 0,
            destination.high >> 48 & 0xFF0E != 0xFF00
        else { return nil }
        // DAD (§7.1.1): to a solicited-node group, and no SLLA.
        if source.isUnspecified {
            guard destination.isSolicitedNodeMulticast, sourceLinkLayerAddress == MACAddress.absent else {
                return nil
            }
        }

        let macs = addresses.uint64(at: 0)  // destination (48 bits) and the source's first 16
        self.source = source
        self.destination = destination
        self.targetAddress = targetAddress
        self.packedSourceLinkLayerAddress = sourceLinkLayerAddress
        self.hasNonce = hasNonce
        self.packedLinkLayerDestination = macs >> 16
        self.packedLinkLayerSource = (macs & 0xFFFF) << 32 | UInt64(addresses.uint32(at: 8))
        self.vlanTags = tags
    }
}
