// Big-endian stores into a raw span, and the one's-complement sum the builders compute from
// the words they store, both without `unsafe`.

extension MutableRawSpan {
    /// Stores `value` big-endian at `offset`: a `bswap` + `mov`. The store is bounds-checked;
    /// the check folds away when one length check before it covers `offset` (verified in the
    /// generated assembly of `NeighborAdvertisement.write(into:)`).
    @inline(__always)
    mutating func storeBigEndian<T: FixedWidthInteger & BitwiseCopyable>(_ value: T, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
    }
}

/// The one's-complement sum (RFC 1071) of 64-bit words.
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
        let (low, carry) = UInt64(truncatingIfNeeded: sum).addingReportingOverflow(UInt64(truncatingIfNeeded: sum >> 64))
        let s = low &+ (carry ? 1 : 0)
        // 64 -> 32 -> 16 bits: x + rotate(x, half) holds in its high half the sum of both
        // halves with the end-around carry (the carry out of the low halves lands in it).
        let s32 = UInt32(truncatingIfNeeded: (s &+ (s << 32 | s >> 32)) >> 32)
        return UInt16(truncatingIfNeeded: (s32 &+ (s32 << 16 | s32 >> 16)) >> 16)
    }
}
