// Big-endian field reads over a borrowed `Span<UInt8>`. Every caller checks the span's length once
// before reading a run of fields; the per-byte bounds checks below are then provably redundant and
// the optimiser folds them, which is what keeps this path within reach of C.

extension Span where Element == UInt8 {
    @inline(__always)
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    @inline(__always)
    func uint32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16
            | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }

    @inline(__always)
    func uint64(at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(self[offset + i]) }
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

extension MutableSpan where Element == UInt8 {
    @inline(__always)
    mutating func store(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    @inline(__always)
    mutating func store(_ value: UInt32, at offset: Int) {
        store(UInt16(truncatingIfNeeded: value >> 16), at: offset)
        store(UInt16(truncatingIfNeeded: value), at: offset + 2)
    }

    @inline(__always)
    mutating func store(_ value: UInt64, at offset: Int) {
        store(UInt32(truncatingIfNeeded: value >> 32), at: offset)
        store(UInt32(truncatingIfNeeded: value), at: offset + 4)
    }

    @inline(__always)
    mutating func store(_ address: IPv6Address, at offset: Int) {
        store(address.high, at: offset)
        store(address.low, at: offset + 8)
    }

    @inline(__always)
    mutating func store(_ mac: MACAddress, at offset: Int) {
        store(UInt16(truncatingIfNeeded: mac.rawValue >> 32), at: offset)
        store(UInt32(truncatingIfNeeded: mac.rawValue), at: offset + 2)
    }
}
