import NDPWire

/// The set of addresses and prefixes a proxy block answers for (or excludes).
///
/// Exact /128 entries live in a hash set; prefixes live in one hash set per distinct length and
/// are matched longest first. A lookup therefore costs one hash probe plus one per distinct
/// prefix length (a handful in practice, 128 at most), whatever the number of entries: a table
/// of a million guests answers as fast as a table of ten.
public struct TargetTable: Sendable {
    private var exact = AddressSet()
    /// One set of network addresses per distinct prefix length, longest first: the order of a
    /// longest-prefix match. An array, not a dictionary, so a lookup hashes only addresses.
    private var prefixSets: [PrefixSet] = []

    /// The networks of one prefix length, with that length's mask precomputed: a lookup masks
    /// with two ANDs instead of branching on the length.
    private struct PrefixSet: Sendable {
        var length: Int
        var maskHigh: UInt64
        var maskLow: UInt64
        var networks: AddressSet

        init(length: Int) {
            self.length = length
            let mask = IPv6Address(high: .max, low: .max).masked(to: length)
            maskHigh = mask.high
            maskLow = mask.low
            networks = AddressSet()
        }

        /// The network of this length that holds `address`.
        @inline(__always)
        func network(of address: IPv6Address) -> IPv6Address {
            IPv6Address(high: address.high & maskHigh, low: address.low & maskLow)
        }
    }

    /// An empty table.
    public init() {}

    /// A table holding `entries`.
    public init(_ entries: some Sequence<IPv6Prefix>) {
        for entry in entries { insert(entry) }
    }

    /// Adds an entry; returns false if it was already present.
    @discardableResult
    public mutating func insert(_ entry: IPv6Prefix) -> Bool {
        isEmpty = false
        if entry.length == 128 { return exact.insert(entry.address) }
        if let index = prefixSets.firstIndex(where: { $0.length == entry.length }) {
            defer { hasLargePrefixSets = hasLargePrefixSets || prefixSets[index].networks.outgrowsCache }
            return prefixSets[index].networks.insert(entry.address)
        }
        var set = PrefixSet(length: entry.length)
        set.networks.insert(entry.address)
        prefixSets.append(set)
        prefixSets.sort { $0.length > $1.length }
        return true
    }

    /// Reserves room for `count` exact entries (bulk loading of target files).
    public mutating func reserveExactCapacity(_ count: Int) { exact.reserveCapacity(count) }

    /// How many /128 entries the table holds.
    public var exactCount: Int { exact.count }
    /// How many shorter prefixes the table holds.
    public var prefixCount: Int { prefixSets.reduce(0) { $0 + $1.networks.count } }

    /// True if some prefix length holds enough networks to outgrow the cache.
    private var hasLargePrefixSets = false

    /// True if `visitLookupMemory` visits anything: some set of the table outgrows the cache.
    /// The engine holds solicitations back for prefetching only then.
    public var outgrowsCache: Bool { exact.outgrowsCache || hasLargePrefixSets }

    /// True if the table holds nothing. Stored (entries are never removed), so the per-packet
    /// check of an empty `exclude` list is one load, not a call.
    public private(set) var isEmpty = true

    /// True if `address` is an exact entry.
    @inline(__always)
    public func containsExact(_ address: IPv6Address) -> Bool { !exact.isEmpty && exact.contains(address) }

    /// The longest prefix (shorter than /128) that holds `address`, if any.
    public func longestPrefix(containing address: IPv6Address) -> IPv6Prefix? {
        // Indices, not `for set in`: iterating would copy each element and retain its storage.
        for i in prefixSets.indices {
            let network = prefixSets[i].network(of: address)
            if prefixSets[i].networks.contains(network) {
                return IPv6Prefix(network: network, length: prefixSets[i].length)
            }
        }
        return nil
    }

    /// Calls `visit` with the memory a lookup of `address` reads first in each of the table's
    /// sets that is too large to stay in cache (the exact set of a million guests, say), so that
    /// the engine can prefetch it a few solicitations ahead. Visits nothing for small tables.
    // Not inlinable: inlined into the engine's loop, it pushed the decision out of line there,
    // and replay --quiet then built every outcome.
    public func visitLookupMemory(of address: IPv6Address, _ visit: (RawSpan) -> Void) {
        exact.visitLookupMemory(of: address, visit)
        // Most tables have a handful of prefixes: one stored flag skips the walk over their sets.
        guard hasLargePrefixSets else { return }
        // Through a span: indexing the array around the `visit` call copies each set (retaining
        // its two buffers, atomic operations that also wait for every load in flight).
        let sets = prefixSets.span
        for i in sets.indices {
            sets[i].networks.visitLookupMemory(of: sets[i].network(of: address), visit)
        }
    }

    /// True if `address` is an exact entry or inside any prefix.
    public func contains(_ address: IPv6Address) -> Bool {
        containsExact(address) || longestPrefix(containing: address) != nil
    }

    /// Every entry, exact ones first (for reports and `check`).
    public var entries: [IPv6Prefix] {
        exact.elements.sorted().map { IPv6Prefix(address: $0, length: 128) }
            + prefixSets.flatMap { set in
                set.networks.elements.sorted().map { IPv6Prefix(address: $0, length: set.length) }
            }
    }

    /// The exact entries (unsolicited advertisements are sent for these).
    public var exactAddresses: [IPv6Address] { exact.elements }
}
