import NDPWire

/// The MAC each proxied address was last seen using, learned from its own solicitations, so
/// `dad = "defend"` can tell the owner's DAD probe from an impostor's.
///
/// Bounded: at most `capacity` addresses; the oldest is forgotten first, so a flood of forged
/// sources cannot grow memory.
public struct OwnerTable: Sendable {
    private var owners: BoundedAddressMap<MACAddress>

    /// An empty table of at most `capacity` addresses.
    public init(capacity: Int = 65_536) { owners = BoundedAddressMap(capacity: capacity) }

    /// The most addresses remembered.
    public var capacity: Int { owners.capacity }

    /// How many addresses are remembered.
    public var count: Int { owners.count }

    /// The MAC `address` was last seen from.
    public func owner(of address: IPv6Address) -> MACAddress? { owners[address] }

    /// Remembers that `address` was used by `mac`.
    public mutating func learn(_ address: IPv6Address, mac: MACAddress) { owners.set(mac, for: address) }

    /// Learns from a solicitation: a non-DAD NS shows its source in use at its link-layer address.
    public mutating func learn(from solicitation: NeighborSolicitation) {
        guard !solicitation.source.isUnspecified, !solicitation.source.isLinkLocal,
            let mac = solicitation.sourceLinkLayerAddress ?? solicitation.linkLayerSource
        else { return }
        learn(solicitation.source, mac: mac)
    }
}
