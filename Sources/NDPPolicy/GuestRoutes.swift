import NDPWire

/// The kernel's IPv6 routes that a live rule with `guest-interfaces = "routes"` needs
/// (ARCHITECTURE.md, "Live guests"): the route to a target names the guest interface to probe
/// on. Only routes that overlap one of the rule's target prefixes are kept (a route inside one,
/// or one that holds one, such as the default route), so a host carrying a full routing table
/// holds a handful, and the table is bounded by `capacity` whatever the kernel holds.
///
/// The lookup is the kernel's: the longest prefix wins; among routes of one prefix, the lowest
/// metric. A route that leads nowhere (unreachable, blackhole, prohibit) is kept as such: it
/// hides shorter routes, as in the kernel. Pure: the daemon fills it from a netlink dump and
/// then from route events; replay, which reads no kernel state, has none.
public struct GuestRoutes: Sendable, Equatable {
    /// One route: where it leads, and its metric (the kernel's `priority`).
    public struct Route: Sendable, Equatable {
        /// The output interface's index; nil for a route that leads nowhere.
        public var interfaceIndex: Int32?
        /// The metric: among routes of one prefix, the lowest is used.
        public var metric: UInt32

        /// Creates a route.
        public init(interfaceIndex: Int32?, metric: UInt32) {
            self.interfaceIndex = interfaceIndex
            self.metric = metric
        }
    }

    /// What a change did to the table.
    public enum Change: Sendable, Equatable {
        /// The table changed.
        case changed
        /// The route overlaps no target prefix, or was already so: nothing changed.
        case unchanged
        /// The table is full: the route was not kept.
        case refused
    }

    /// The prefixes whose routes matter: the rule's target prefixes (not its exact targets,
    /// which are answered without a guest).
    public let relevant: [IPv6Prefix]
    /// The most routes kept.
    public let capacity: Int
    /// The routes of each prefix, any metric; `routes[prefix]` is never empty.
    private var routes: [IPv6Prefix: [Route]] = [:]
    /// The prefix lengths present, longest first: the lookup tries each.
    private var lengths: [Int] = []
    /// How many routes are kept.
    public private(set) var count = 0
    /// While few routes are kept (the common case: a route or two per guest interface, and the
    /// default route), all of them, longest prefix first and then lowest metric: the lookup
    /// takes the first that holds the address, a few comparisons where the dictionary costs a
    /// hash per prefix length. Empty above `scanLimit`.
    private var ordered: [Ordered] = []

    /// A route with its prefix, as `ordered` holds it.
    private struct Ordered: Sendable, Equatable {
        var prefix: IPv6Prefix
        var route: Route
    }

    /// The most routes looked up by scanning `ordered`.
    static let scanLimit = 32

    /// A default capacity far above what a host routes into its guests' prefixes.
    public static let defaultCapacity = 65_536

    /// An empty table for the routes that overlap `relevant`.
    public init(relevant: [IPv6Prefix], capacity: Int = GuestRoutes.defaultCapacity) {
        self.relevant = relevant
        self.capacity = capacity
    }

    /// The routes for the target prefixes of `rule`.
    public init(for rule: ProxyRule, capacity: Int = GuestRoutes.defaultCapacity) {
        self.init(relevant: rule.targets.entries.filter { $0.length < 128 }, capacity: capacity)
    }

    /// True when `prefix` overlaps a relevant prefix: a route there can decide where one of its
    /// addresses leads.
    public func isRelevant(_ prefix: IPv6Prefix) -> Bool {
        relevant.contains { $0.contains(prefix) || prefix.contains($0) }
    }

    /// Adds `route` for `prefix`, or replaces the one of the same metric (the kernel's
    /// RTM_NEWROUTE, from a dump or an event).
    @discardableResult
    public mutating func add(_ route: Route, for prefix: IPv6Prefix) -> Change {
        guard isRelevant(prefix) else { return .unchanged }
        var kept = routes[prefix] ?? []
        if let index = kept.firstIndex(where: { $0.metric == route.metric }) {
            if kept[index] == route { return .unchanged }
            kept[index] = route
        } else {
            guard count < capacity else { return .refused }
            kept.append(route)
            count += 1
            if kept.count == 1 { insertLength(prefix.length) }
        }
        routes[prefix] = kept
        reorder()
        return .changed
    }

    /// Removes the route of `prefix` with `metric` (the kernel's RTM_DELROUTE).
    @discardableResult
    public mutating func remove(_ prefix: IPv6Prefix, metric: UInt32) -> Change {
        guard var kept = routes[prefix], let index = kept.firstIndex(where: { $0.metric == metric }) else {
            return .unchanged
        }
        kept.remove(at: index)
        count -= 1
        if kept.isEmpty {
            routes[prefix] = nil
            if !routes.keys.contains(where: { $0.length == prefix.length }) {
                lengths.removeAll { $0 == prefix.length }
            }
        } else {
            routes[prefix] = kept
        }
        reorder()
        return .changed
    }

    /// Rebuilds `ordered` after a change, while few routes are kept.
    private mutating func reorder() {
        guard count <= Self.scanLimit else {
            ordered = []
            return
        }
        ordered = routes.flatMap { prefix, kept in kept.map { Ordered(prefix: prefix, route: $0) } }.sorted {
            $0.prefix.length != $1.prefix.length
                ? $0.prefix.length > $1.prefix.length : $0.route.metric < $1.route.metric
        }
    }

    /// The route the kernel uses for `address`: the longest prefix holding it, lowest metric
    /// first; nil when no kept route holds it.
    public func route(to address: IPv6Address) -> Route? {
        if count <= Self.scanLimit {
            return ordered.first { $0.prefix.contains(address) }?.route
        }
        for length in lengths {
            if let kept = routes[IPv6Prefix(address: address, length: length)] {
                return kept.min { $0.metric < $1.metric }
            }
        }
        return nil
    }

    /// The output interfaces of the routes kept, each once, in index order: the guest
    /// interfaces to open (the caller leaves out the rule's own interface).
    public var interfaceIndexes: [Int32] {
        Array(Set(routes.values.joined().compactMap(\.interfaceIndex))).sorted()
    }

    private mutating func insertLength(_ length: Int) {
        guard !lengths.contains(length) else { return }
        lengths.append(length)
        lengths.sort(by: >)
    }
}
