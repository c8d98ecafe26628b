import NDPWire

/// The set of addresses and prefixes a proxy block answers for (or excludes).
///
/// Exact /128 entries live in a hash set; prefixes live in one hash set per distinct length and
/// are matched longest first. A lookup therefore costs one hash probe plus one per distinct
/// prefix length (a handful in practice, 128 at most), whatever the number of entries: a table
/// of a million guests answers as fast as a table of ten.
public struct TargetTable: Sendable {
    private var exact: Set<IPv6Address> = []
    private var prefixesByLength: [Int: Set<IPv6Address>] = [:]
    /// Distinct prefix lengths, longest first: the order of a longest-prefix match.
    private var lengths: [Int] = []

    /// An empty table.
    public init() {}

    /// A table holding `entries`.
    public init(_ entries: some Sequence<IPv6Prefix>) {
        for entry in entries { insert(entry) }
    }

    /// Adds an entry; returns false if it was already present.
    @discardableResult
    public mutating func insert(_ entry: IPv6Prefix) -> Bool {
        if entry.length == 128 { return exact.insert(entry.address).inserted }
        if prefixesByLength[entry.length] == nil {
            prefixesByLength[entry.length] = []
            lengths.append(entry.length)
            lengths.sort(by: >)
        }
        return prefixesByLength[entry.length]!.insert(entry.address).inserted
    }

    /// Reserves room for `count` exact entries (bulk loading of target files).
    public mutating func reserveExactCapacity(_ count: Int) { exact.reserveCapacity(count) }

    /// How many /128 entries the table holds.
    public var exactCount: Int { exact.count }
    /// How many shorter prefixes the table holds.
    public var prefixCount: Int { prefixesByLength.values.reduce(0) { $0 + $1.count } }

    /// True if `address` is an exact entry.
    @inline(__always)
    public func containsExact(_ address: IPv6Address) -> Bool { exact.contains(address) }

    /// The longest prefix (shorter than /128) that holds `address`, if any.
    public func longestPrefix(containing address: IPv6Address) -> IPv6Prefix? {
        for length in lengths {
            let network = address.masked(to: length)
            if prefixesByLength[length]!.contains(network) { return IPv6Prefix(address: network, length: length) }
        }
        return nil
    }

    /// True if `address` is an exact entry or inside any prefix.
    public func contains(_ address: IPv6Address) -> Bool {
        containsExact(address) || longestPrefix(containing: address) != nil
    }

    /// Every entry, exact ones first (for reports and `check`).
    public var entries: [IPv6Prefix] {
        exact.sorted().map { IPv6Prefix(address: $0, length: 128) }
            + lengths.flatMap { length in prefixesByLength[length]!.sorted().map { IPv6Prefix(address: $0, length: length) } }
    }

    /// The exact entries (unsolicited advertisements are sent for these).
    public var exactAddresses: Set<IPv6Address> { exact }
}
