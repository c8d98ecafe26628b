import NDPWire

/// The MAC each proxied address was last seen using, learned from its own solicitations, so
/// `dad = "defend"` can tell the owner's DAD probe from an impostor's.
///
/// Bounded: at most `capacity` addresses; the oldest is forgotten first, so a flood of forged
/// sources cannot grow memory.
public struct OwnerTable: Sendable {
    private var owners: [IPv6Address: MACAddress] = [:]
    private var order: [IPv6Address] = []
    private var oldest = 0
    /// The most addresses remembered.
    public let capacity: Int

    /// An empty table.
    public init(capacity: Int = 65_536) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// How many addresses are remembered.
    public var count: Int { owners.count }

    /// The MAC `address` was last seen from.
    public func owner(of address: IPv6Address) -> MACAddress? { owners[address] }

    /// Remembers that `address` was used by `mac`.
    public mutating func learn(_ address: IPv6Address, mac: MACAddress) {
        if owners.updateValue(mac, forKey: address) != nil { return }
        if order.count < capacity {
            order.append(address)
        } else {
            // Ring buffer: overwrite (and forget) the oldest address.
            owners.removeValue(forKey: order[oldest])
            order[oldest] = address
            oldest = (oldest + 1) % capacity
        }
    }

    /// Learns from a solicitation: a non-DAD NS shows its source in use at its link-layer address.
    public mutating func learn(from solicitation: NeighborSolicitation) {
        guard !solicitation.source.isUnspecified, !solicitation.source.isLinkLocal,
              let mac = solicitation.sourceLinkLayerAddress ?? solicitation.linkLayerSource else { return }
        learn(solicitation.source, mac: mac)
    }
}
