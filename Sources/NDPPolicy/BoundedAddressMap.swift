import NDPWire

/// What was last seen of each of at most `capacity` addresses. When full, the address learned
/// first is forgotten first, so a flood of forged sources costs a fixed amount of memory and
/// evicts only the state it displaces.
///
/// The one bounded memory behind the engine's learned tables: owners, DAD sightings.
public struct BoundedAddressMap<Value: Sendable>: Sendable {
    private var values: [IPv6Address: Value] = [:]
    private var order: [IPv6Address] = []
    private var oldest = 0
    /// The most addresses remembered.
    public let capacity: Int

    /// An empty map holding at most `capacity` addresses.
    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// How many addresses are remembered.
    public var count: Int { values.count }

    /// What was last seen of `address`.
    public subscript(address: IPv6Address) -> Value? { values[address] }

    /// Remembers `value` for `address`, replacing what was there.
    public mutating func set(_ value: Value, for address: IPv6Address) {
        if values.updateValue(value, forKey: address) != nil { return }
        if order.count < capacity {
            order.append(address)
        } else {
            // A ring: the slot of the oldest address takes the new one.
            values.removeValue(forKey: order[oldest])
            order[oldest] = address
            oldest = (oldest + 1) % capacity
        }
    }
}

/// A point on the clock of the frames: capture timestamps in microseconds since the Unix
/// epoch, live (the kernel's receive time) and in replay (the recorded time) alike, so that
/// learned state ages the same way in both.
public typealias FrameTime = Int64

/// The DAD probes seen lately (RFC 4862 §5.4.2: a solicitation from `::` for a tentative
/// address), by target: who probed and when.
///
/// While a guest's DAD for T may run, any Neighbor Advertisement for T that it receives makes
/// its address `dadfailed` (RFC 4862 §5.4.5), so no advertisement for T is sent to all-nodes
/// within `quietPeriod` of the last probe for T, and none ever goes to the prober's MAC.
public struct ProbeSightings: Sendable {
    /// One sighting: the prober's link-layer address (nil in a raw-IP capture) and the time.
    public struct Sighting: Sendable, Equatable {
        /// The prober's link-layer address.
        public var prober: MACAddress?
        /// When its latest probe for the target was seen.
        public var time: FrameTime
    }

    /// How long after the last probe for T the DAD for T may still run. A probe is followed by
    /// RetransTimer (1 s by default) of listening, repeated DupAddrDetectTransmits times (RFC
    /// 4862 §5.1); 5 s covers guests that probe more often or listen longer than the defaults.
    public static let quietPeriod: FrameTime = 5_000_000

    private var sightings: BoundedAddressMap<Sighting>

    /// An empty record of at most `capacity` targets.
    public init(capacity: Int = 4_096) { sightings = BoundedAddressMap(capacity: capacity) }

    /// How many targets are remembered.
    public var count: Int { sightings.count }

    /// Records a DAD probe for `target` from `prober` at `time`.
    public mutating func record(_ target: IPv6Address, prober: MACAddress?, at time: FrameTime) {
        sightings.set(Sighting(prober: prober, time: time), for: target)
    }

    /// The latest probe for `target`, if remembered.
    public func latest(for target: IPv6Address) -> Sighting? { sightings[target] }

    /// True if a DAD for `target` may still be running at `now`.
    public func mayBeProbing(_ target: IPv6Address, at now: FrameTime) -> Bool {
        guard let sighting = sightings[target] else { return false }
        return now - sighting.time < Self.quietPeriod
    }
}

/// The upstream routers of one interface: where unsolicited advertisements may go (RFC 4861
/// §7.2.6 wants them to reach the neighbours that cache the target; upstream, that is the
/// provider's router). Learned from valid Router Advertisements on the link and, live, from the
/// kernel's neighbour entries flagged as routers.
///
/// A router is used only while it was seen within `lifetime`: a bridge forgets where a MAC is
/// after its ageing time (300 s by default) and then floods frames for it to every port, the
/// guests' included. At most `capacity` routers are kept; the one seen longest ago goes first.
public struct UpstreamRouters: Sendable {
    /// How long a router seen once is used: the Linux bridge's default ageing time.
    public static let lifetime: FrameTime = 300_000_000
    /// The most routers remembered.
    public static let capacity = 8

    private var routers: [(mac: MACAddress, seen: FrameTime)] = []

    /// No router known.
    public init() {}

    /// Records that a router at `mac` was seen at `time`.
    public mutating func learn(_ mac: MACAddress, at time: FrameTime) {
        if let index = routers.firstIndex(where: { $0.mac == mac }) {
            routers[index].seen = max(routers[index].seen, time)
            return
        }
        if routers.count == Self.capacity,
            let stalest = routers.indices.min(by: { routers[$0].seen < routers[$1].seen })
        {
            routers.remove(at: stalest)
        }
        routers.append((mac, time))
    }

    /// The routers seen within `lifetime` before `now`, in the order first learned.
    public func current(at now: FrameTime) -> [MACAddress] {
        routers.filter { now - $0.seen < Self.lifetime }.map(\.mac)
    }
}
