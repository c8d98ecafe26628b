// Big-endian stores into a raw span, and the one's-complement accumulator the builders sum
// their fields with, both without `unsafe`.

extension MutableRawSpan {
    /// Stores `value` big-endian at `offset`: a `bswap` + `mov`. The store is bounds-checked;
    /// the check folds away when one length check before it covers `offset` (verified in the
    /// generated assembly of `NeighborAdvertisement.write(into:)`).
    @inline(__always)
    mutating func storeBigEndian<T: FixedWidthInteger & BitwiseCopyable>(_ value: T, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
    }
}

/// A one's-complement sum (RFC 1071) of 64-bit words.
///
/// 2^16 ≡ 1 (mod 2^16 - 1), so a 64-bit word whose four 16-bit fields are big-endian values
/// adds to the 16-bit sum what those four fields add: fields are summed as the words they are
/// stored as, and folded once at the end. The words are added into 128 bits (`add` + `adc $0`
/// each, no carry to test), the high half counting the carries out of the low one.
struct OnesComplementSum {
    private var sum: UInt128

    @inline(__always)
    init(_ first: UInt64, _ second: UInt64) {
        sum = UInt128(first) &+ UInt128(second)
    }

    @inline(__always)
    mutating func add(_ word: UInt64) {
        sum &+= UInt128(word)
    }

    /// The sum folded to 16 bits with end-around carry.
    @inline(__always)
    var folded: UInt16 {
        // The carries (fewer than 2^8) back into the low word, end-around once more.
        let (low, carry) = UInt64(truncatingIfNeeded: sum).addingReportingOverflow(UInt64(truncatingIfNeeded: sum >> 64))
        let s = low &+ (carry ? 1 : 0)
        // 64 -> 32 -> 16 bits: x + rotate(x, half) holds in its high half the sum of both
        // halves with the end-around carry (the carry out of the low halves lands in it).
        let s32 = UInt32(truncatingIfNeeded: (s &+ (s << 32 | s >> 32)) >> 32)
        return UInt16(truncatingIfNeeded: (s32 &+ (s32 << 16 | s32 >> 16)) >> 16)
    }
}
