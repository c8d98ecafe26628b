import NDPWire

/// An IPv6 prefix: an address and how many of its leading bits count. A /128 is one address.
public struct IPv6Prefix: Hashable, Sendable, CustomStringConvertible {
    /// The network address, host bits zero.
    public let address: IPv6Address
    /// The prefix length, 0...128.
    public let length: Int

    /// Creates a prefix; host bits of `address` past `length` are cleared.
    public init(address: IPv6Address, length: Int) {
        precondition((0...128).contains(length), "prefix length \(length) outside 0...128")
        self.address = address.masked(to: length)
        self.length = length
    }

    /// A prefix from a network address whose host bits are already zero (the target table's
    /// lookups, which mask with a precomputed mask).
    init(network: IPv6Address, length: Int) {
        self.address = network
        self.length = length
    }

    /// Why a prefix text was refused.
    public enum ParseError: Error, Equatable, Sendable {
        /// The address part is not an IPv6 address.
        case badAddress
        /// The length part is not an integer in 0...128.
        case badLength
        /// Bits are set past the prefix length (`2001:db8::1/64`): almost always a typo.
        case hostBitsSet
    }

    /// Parses `address` (a /128) or `address/length`, refusing host bits past the length.
    public static func parse(_ text: some StringProtocol) -> Result<IPv6Prefix, ParseError> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPv6Address(parts[0]) else { return .failure(.badAddress) }
        var length = 128
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isWholeNumber), parts[1].count <= 3,
                let value = Int(parts[1]), (0...128).contains(value)
            else { return .failure(.badLength) }
            length = value
        }
        guard address.masked(to: length) == address else { return .failure(.hostBitsSet) }
        return .success(IPv6Prefix(address: address, length: length))
    }

    /// True if `candidate` lies inside this prefix.
    @inline(__always)
    public func contains(_ candidate: IPv6Address) -> Bool { candidate.masked(to: length) == address }

    /// True if `other` lies wholly inside this prefix (or equals it).
    public func contains(_ other: IPv6Prefix) -> Bool { other.length >= length && contains(other.address) }

    public var description: String { length == 128 ? address.description : "\(address)/\(length)" }
}
