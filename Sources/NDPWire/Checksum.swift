/// The Internet checksum (RFC 1071) as ICMPv6 uses it: over the IPv6 pseudo-header
/// (RFC 8200 §8.1, RFC 4443 §2.3) followed by the ICMPv6 message.
public enum ICMPv6Checksum {
    /// One's-complement addition with end-around carry (add + adc).
    @inline(__always)
    static func onesComplementAdd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (s, carry) = a.addingReportingOverflow(b)
        return s &+ (carry ? 1 : 0)
    }

    /// The sum of pseudo-header and `message` in the machine's byte order (RFC 1071 §2(B): the
    /// one's-complement sum is byte-order independent): the message as little-endian 64-bit words,
    /// one load and one add-with-carry each, the address halves byte-swapped once. Not folded;
    /// `nativeFold` gives the big-endian 16-bit sum.
    @inline(__always)
    static func nativeSum(_ message: Span<UInt8>, source: IPv6Address, destination: IPv6Address) -> UInt64 {
        var sum = onesComplementAdd(source.high.byteSwapped, source.low.byteSwapped)
        sum = onesComplementAdd(sum, destination.high.byteSwapped)
        sum = onesComplementAdd(sum, destination.low.byteSwapped)
        let lengthAndNextHeader = UInt64(UInt32(truncatingIfNeeded: message.count)) << 32 | UInt64(IPProtocol.icmpv6)
        sum = onesComplementAdd(sum, lengthAndNextHeader.byteSwapped)
        let count = message.count
        var i = 0
        while count &- i >= 8 {
            sum = onesComplementAdd(sum, message.littleEndianUInt64(at: i))
            i &+= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(message[i]) << shift
            shift &+= 8
            i &+= 1
        }
        return onesComplementAdd(sum, tail)
    }

    /// Folds a `nativeSum` to the big-endian 16-bit one's-complement sum.
    @inline(__always)
    static func nativeFold(_ sum: UInt64) -> UInt16 {
        OnesComplement.fold(UInt128(sum)).byteSwapped
    }

    /// The checksum field value for `message` (whose own checksum field must read zero).
    public static func compute(_ message: Span<UInt8>, source: IPv6Address, destination: IPv6Address) -> UInt16 {
        ~nativeFold(nativeSum(message, source: source, destination: destination))
    }

    /// True if `message`, checksum field included, sums to 0xffff (RFC 1071 §1: verification).
    public static func isValid(_ message: Span<UInt8>, source: IPv6Address, destination: IPv6Address) -> Bool {
        nativeFold(nativeSum(message, source: source, destination: destination)) == 0xFFFF
    }
}

/// The one's-complement sum (RFC 1071) of 64-bit words: the builders sum the words they store,
/// and every checksum is folded to 16 bits here.
///
/// 2^16 ≡ 1 (mod 2^16 - 1), so a 64-bit word whose four 16-bit fields are big-endian values
/// adds to the 16-bit sum what those four fields add: fields are summed as the words they are
/// stored as, into 128 bits (`add` + `adc`, no carry to test; the high half counts the carries
/// out of the low one), and folded once at the end.
enum OnesComplement {
    /// `a + b`, the carry kept.
    @inline(__always)
    static func sum(_ a: UInt64, _ b: UInt64) -> UInt128 {
        UInt128(a) &+ UInt128(b)
    }

    /// `sum` folded to 16 bits with end-around carry. `sum` must be below 2^72 (a sum of at
    /// most 256 words).
    @inline(__always)
    static func fold(_ sum: UInt128) -> UInt16 {
        // The carries (fewer than 2^8) back into the low word, end-around once more.
        let (low, carry) = UInt64(truncatingIfNeeded: sum).addingReportingOverflow(
            UInt64(truncatingIfNeeded: sum >> 64))
        let s = low &+ (carry ? 1 : 0)
        // 64 -> 32 -> 16 bits: x + rotate(x, half) holds in its high half the sum of both
        // halves with the end-around carry (the carry out of the low halves lands in it).
        let s32 = UInt32(truncatingIfNeeded: (s &+ (s << 32 | s >> 32)) >> 32)
        return UInt16(truncatingIfNeeded: (s32 &+ (s32 << 16 | s32 >> 16)) >> 16)
    }
}

/// The ICMPv6 checksum of a Neighbor Solicitation or Advertisement (RFC 4861 §4.3, §4.4) with at
/// most one 8-octet option, summed from the 64-bit words the builders store rather than read
/// back from the buffer just written (a store-to-load round trip per byte that costs more than
/// the sum itself). The golden-frame and tshark tests check it byte for byte.
enum NeighborMessageChecksum {
    /// RFC 4443 §2.3 over the pseudo-header (RFC 8200 §8.1) and the message: `header` is the
    /// first eight octets (type, code, checksum 0, flags/reserved), `option` the option's eight
    /// octets (0 when `messageLength` has no room for one).
    @inline(__always)
    static func compute(
        source: IPv6Address, destination: IPv6Address, header: UInt64, target: IPv6Address,
        option: UInt64, messageLength: Int
    ) -> UInt16 {
        // The pseudo-header's upper-layer length and next header (RFC 8200 §8.1), both below
        // 2^8, go into the option word (below 2^58) without a carry.
        let pseudo = UInt64(messageLength) << 32 | UInt64(IPProtocol.icmpv6)
        let addresses =
            OnesComplement.sum(source.high, source.low) &+ OnesComplement.sum(destination.high, destination.low)
        let message = OnesComplement.sum(target.high, target.low) &+ OnesComplement.sum(header, option &+ pseudo)
        return ~OnesComplement.fold(addresses &+ message)
    }
}
