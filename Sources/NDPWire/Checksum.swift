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

    /// Adds the bytes of `message` to `sum` as big-endian 16-bit words (an odd last byte padded).
    @inline(__always)
    static func add(_ message: Span<UInt8>, to sum: UInt64) -> UInt64 {
        var sum = sum
        let count = message.count
        var i = 0
        // Eight bytes per step into a 64-bit accumulator: carries are folded at the end, so the
        // order of additions does not matter (RFC 1071 §2(B)), and 32-bit words never overflow it.
        while i + 8 <= count {
            let word = message.uint64(at: i)
            sum &+= (word >> 32) &+ (word & 0xFFFF_FFFF)
            i += 8
        }
        while i + 2 <= count {
            sum &+= UInt64(message.uint16(at: i))
            i += 2
        }
        if i < count { sum &+= UInt64(message[i]) << 8 }
        return sum
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
        ~fold(add(message, to: pseudoHeaderSum(source: source, destination: destination, length: message.count)))
    }

    /// True if `message`, checksum field included, sums to 0xffff (RFC 1071 §1: verification).
    public static func isValid(_ message: Span<UInt8>, source: IPv6Address, destination: IPv6Address) -> Bool {
        fold(add(message, to: pseudoHeaderSum(source: source, destination: destination, length: message.count))) == 0xFFFF
    }
}
