import NDPWire

/// A hash set of IPv6 addresses for the per-solicitation lookups: open addressing with linear
/// probing over one flat array of 16-byte slots, and a multiply-xorshift hash of the 128 bits.
///
/// `Set<IPv6Address>` spends most of a lookup in SipHash; this table's hash is a handful of
/// instructions, and a
/// probe touches one cache line. The multipliers are drawn at random per table, so chosen
/// addresses cannot be made to collide: an attacker does not know which ones do.
public struct AddressSet: Sendable {
    /// `::` marks an empty slot; whether `::` itself is a member is kept aside in `containsZero`.
    private var slots: [IPv6Address]
    /// One bit per quarter slot, set for each member's hash: most misses are answered here, from
    /// a bitmap 32 times smaller than the slots, so a large table's misses (floods of random
    /// targets) stay in cache instead of costing a memory access each.
    private var filter: [UInt64]
    private var containsZero = false
    private var mask: Int
    /// 64 - log2(slot count): the index is the product's top bits, which depend on every input bit.
    private var shift: UInt64
    private let multiplierHigh: UInt64
    private let multiplierLow: UInt64
    /// How many addresses the set holds.
    public private(set) var count = 0

    /// An empty set with room for `capacity` addresses before it grows.
    public init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [IPv6Address](repeating: .unspecified, count: size)
        filter = [UInt64](repeating: 0, count: size / 16)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        var generator = SystemRandomNumberGenerator()
        multiplierHigh = generator.next() | 1
        multiplierLow = generator.next() | 1
    }

    /// True if the set holds nothing.
    public var isEmpty: Bool { count == 0 }

    /// Multiplicative hashing with a random odd multiplier per half; the top bits index. Which
    /// addresses collide depends on the multipliers, so it cannot be known from outside.
    @inline(__always)
    private func hash(_ address: IPv6Address) -> UInt64 {
        address.high &* multiplierHigh &+ (address.low ^ (address.low >> 29)) &* multiplierLow
    }

    @inline(__always)
    private func slot(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> shift) }

    /// The filter bit: the slot index refined by two more hash bits (4 filter bits per slot).
    @inline(__always)
    private func filterBit(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> (shift - 2)) }

    /// True if `address` is in the set.
    @inline(__always)
    public func contains(_ address: IPv6Address) -> Bool {
        if address.isUnspecified { return containsZero }
        let h = hash(address)
        let bit = filterBit(h)
        if filter[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        var i = slot(h)
        while true {
            let candidate = slots[i]
            if candidate == address { return true }
            if candidate.isUnspecified { return false }
            i = (i &+ 1) & mask
        }
    }

    /// Sets with fewer slots than this (1 MB of them, 32k addresses or fewer) are left out of
    /// `visitLookupMemory`: they stay in the second-level cache, where a lookup costs less than
    /// holding solicitations back to prefetch for them.
    public static let prefetchThreshold = 1 << 16

    /// True if the set is large enough for `visitLookupMemory` to visit anything.
    public var outgrowsCache: Bool { slots.count >= Self.prefetchThreshold }

    /// Calls `visit` with the memory a lookup of `address` reads first, its filter word then its
    /// home slot, when the set is too large to stay in cache. A caller that knows which addresses
    /// come next can have these lines fetched ahead (`Prefetch` in NDPIO), so that the misses of
    /// a million-entry set overlap instead of costing a memory access each, one after another.
    /// Reading the spans changes nothing; small sets visit nothing.
    @inline(__always)
    public func visitLookupMemory(of address: IPv6Address, _ visit: (RawSpan) -> Void) {
        guard outgrowsCache, !address.isUnspecified else { return }
        let h = hash(address)
        let word = filterBit(h) >> 6
        let home = slot(h)
        visit(filter.span.extracting(word..<word + 1).bytes)
        visit(slots.span.extracting(home..<home + 1).bytes)
    }

    /// Adds `address`; returns false if it was already present.
    @discardableResult
    public mutating func insert(_ address: IPv6Address) -> Bool {
        if address.isUnspecified {
            defer { containsZero = true }
            if !containsZero { count += 1 }
            return !containsZero
        }
        // Keep the table at most half full: probe chains stay short.
        if (count + 1) * 2 > slots.count { grow(to: slots.count * 2) }
        let h = hash(address)
        var i = slot(h)
        while !slots[i].isUnspecified {
            if slots[i] == address { return false }
            i = (i &+ 1) & mask
        }
        slots[i] = address
        let bit = filterBit(h)
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
        count += 1
        return true
    }

    /// Makes room for `capacity` addresses without growing again.
    public mutating func reserveCapacity(_ capacity: Int) {
        var size = slots.count
        while size < capacity * 2 { size <<= 1 }
        if size > slots.count { grow(to: size) }
    }

    private mutating func grow(to size: Int) {
        let old = slots
        slots = [IPv6Address](repeating: .unspecified, count: size)
        filter = [UInt64](repeating: 0, count: size / 16)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        count = containsZero ? 1 : 0
        for address in old where !address.isUnspecified { insert(address) }
    }

    /// Every address, in table order.
    public var elements: [IPv6Address] {
        (containsZero ? [IPv6Address.unspecified] : []) + slots.filter { !$0.isUnspecified }
    }
}
