// Big-endian field reads over borrowed spans, without `unsafe`.
//
// Each multi-byte access first carves a sub-span of exactly the field's width with
// `extracting(_:)`: that is the one bounds check, and the optimiser then knows the sub-span's
// length, folds the per-byte checks and merges the byte loads into one load plus a byte swap
// (verified in the generated assembly: `movq` + `bswapq` for a UInt64). Reading byte by byte
// through the whole span instead costs a compare-and-branch per byte.

extension Span where Element == UInt8 {
    /// The big-endian integer of `T`'s width at `offset`.
    @inline(__always)
    func bigEndian<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) -> T {
        let width = T.bitWidth / 8
        let field = extracting(offset..<(offset + width))
        var value: T = 0
        for i in 0..<width { value |= T(field[i]) &<< (8 &* i) }
        return value.byteSwapped
    }

    @inline(__always)
    func uint16(at offset: Int) -> UInt16 { bigEndian(UInt16.self, at: offset) }

    @inline(__always)
    func uint32(at offset: Int) -> UInt32 { bigEndian(UInt32.self, at: offset) }

    @inline(__always)
    func uint64(at offset: Int) -> UInt64 { bigEndian(UInt64.self, at: offset) }

    /// Eight bytes as a little-endian integer: one plain load on x86-64 and arm64.
    @inline(__always)
    func littleEndianUInt64(at offset: Int) -> UInt64 {
        let field = extracting(offset..<(offset + 8))
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(field[i]) &<< UInt64(8 &* i) }
        return value
    }

    @inline(__always)
    func ipv6Address(at offset: Int) -> IPv6Address {
        IPv6Address(high: uint64(at: offset), low: uint64(at: offset + 8))
    }

    @inline(__always)
    func macAddress(at offset: Int) -> MACAddress {
        MACAddress(rawValue: UInt64(uint16(at: offset)) << 32 | UInt64(uint32(at: offset + 2)))
    }
}
