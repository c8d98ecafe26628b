// Big-endian stores into a raw span, without `unsafe`.

extension MutableRawSpan {
    /// Stores `value` big-endian at `offset`: a `bswap` + `mov`. The store is bounds-checked;
    /// the check folds away when one length check before it covers `offset` (verified in the
    /// generated assembly of `NeighborAdvertisement.write(into:)`).
    @inline(__always)
    mutating func storeBigEndian<T: FixedWidthInteger & BitwiseCopyable>(_ value: T, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
    }
}
