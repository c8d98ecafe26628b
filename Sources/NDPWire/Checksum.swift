/// The Internet checksum (RFC 1071) as ICMPv6 uses it: over the IPv6 pseudo-header
/// (RFC 8200 §8.1, RFC 4443 §2.3) followed by the ICMPv6 message.
public enum ICMPv6Checksum {
    /// The one's-complement sum of the pseudo-header, not yet folded.
    ///
    /// Pseudo-header: source (16), destination (16), upper-layer length (4), zero (3), next header (1).
    @inline(__always)
    static func pseudoHeaderSum(source: IPv6Address, destination: IPv6Address, length: Int) -> UInt64 {
        @inline(__always) func words(_ half: UInt64) -> UInt64 { (half >> 32) &+ (half & 0xFFFF_FFFF) }
        let sum = words(source.high) &+ words(source.low) &+ words(destination.high) &+ words(destination.low)
        return sum &+ UInt64(UInt32(truncatingIfNeeded: length)) &+ UInt64(IPProtocol.icmpv6)
    }

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
        fold(sum).byteSwapped
    }

    /// Folds a wide sum to 16 bits with end-around carry.
    @inline(__always)
    static func fold(_ sum: UInt64) -> UInt16 {
        var s = (sum & 0xFFFF_FFFF) &+ (sum >> 32)
        s = (s & 0xFFFF) &+ (s >> 16)
        s = (s & 0xFFFF) &+ (s >> 16)
        s = (s & 0xFFFF) &+ (s >> 16)
        return UInt16(truncatingIfNeeded: s)
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
