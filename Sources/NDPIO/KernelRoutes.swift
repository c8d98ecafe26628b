import CLinux
import NDPWire

#if canImport(Glibc)
    import Glibc
#endif

/// One route of the kernel's main IPv6 routing table, from a dump or an RTNLGRP_IPV6_ROUTE
/// event.
public struct KernelRoute: Sendable, Equatable {
    /// The destination's network address (host bits zero).
    public var destination: IPv6Address
    /// The destination's prefix length.
    public var prefixLength: Int
    /// The output interface's index; nil for a route that leads nowhere (unreachable,
    /// blackhole, prohibit). A multipath route gives its first next hop's.
    public var interfaceIndex: Int32?
    /// The metric (RTA_PRIORITY).
    public var metric: UInt32
    /// True for an RTM_DELROUTE event: the route is gone.
    public var isDeleted = false
}

/// Reads the kernel's main IPv6 routing table over rtnetlink (never /proc/net/ipv6_route,
/// which must be read whole again after each change). Unprivileged.
public enum KernelRoutes {
    // rtmsg's attributes and values, from linux/rtnetlink.h through CLinux (stable ABI).
    private static let attributeDestination = UInt16(RTA_DST.rawValue)
    private static let attributeOutputInterface = UInt16(RTA_OIF.rawValue)
    private static let attributePriority = UInt16(RTA_PRIORITY.rawValue)
    private static let attributeTable = UInt16(RTA_TABLE.rawValue)
    private static let attributeMultipath = UInt16(RTA_MULTIPATH.rawValue)
    private static let mainTable = UInt32(RT_TABLE_MAIN.rawValue)
    private static let typeUnicast = UInt8(RTN_UNICAST)
    private static let typesLeadingNowhere: Set<UInt8> = [
        UInt8(RTN_BLACKHOLE), UInt8(RTN_UNREACHABLE), UInt8(RTN_PROHIBIT),
    ]
    /// RTM_F_CLONED: a cached exception (a PMTU or redirect clone), not a route of the table.
    private static let flagCloned = UInt32(RTM_F_CLONED)
    /// Where the attributes start: past struct rtmsg.
    private static let rtmsgSize = NetlinkObject.route.headerSize

    /// Every route of the main IPv6 table that leads to an interface or nowhere (one dump).
    public static func routes() throws(IOError) -> [KernelRoute] {
        var routes: [KernelRoute] = []
        try Netlink.dump(.route, family: UInt8(AF_INET6)) { messages in
            forEachRoute(in: messages) { routes.append($0) }
        }
        return routes
    }

    /// Calls `body` with each route of the main table in `messages` (netlink messages as one
    /// recv gave them). Returns true when the messages end a dump (messageDone or messageError)
    /// or are cut.
    static func forEachRoute(in messages: UnsafeRawBufferPointer, _ body: (KernelRoute) -> Void) -> Bool {
        Netlink.forEachObject(.route, in: messages) { payload, deleted in
            if let route = route(in: payload, deleted: deleted) { body(route) }
        }
    }

    /// The route in one RTM_NEWROUTE or RTM_DELROUTE payload (rtmsg, then attributes), whose
    /// rtmsg `Netlink.forEachObject` has found whole; nil for another family, another table, a
    /// cached clone, or a type that is neither unicast nor leading nowhere (local, anycast,
    /// multicast, throw).
    private static func route(in payload: UnsafeRawBufferPointer, deleted: Bool) -> KernelRoute? {
        guard payload[0] == UInt8(AF_INET6) else { return nil }
        let prefixLength = Int(payload[1])
        var table = UInt32(payload[4])
        let type = payload[7]
        let flags = payload.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        guard prefixLength <= 128, flags & flagCloned == 0,
            type == typeUnicast || typesLeadingNowhere.contains(type)
        else { return nil }
        var destination = IPv6Address.unspecified
        var interface: Int32?
        var metric: UInt32 = 0
        Netlink.forEachAttribute(in: payload, from: rtmsgSize) { attribute, value in
            switch attribute {
            case attributeDestination where value.count == 16:
                destination = Netlink.address(in: value)
            case attributeOutputInterface where value.count >= 4:
                interface = value.loadUnaligned(as: Int32.self)
            case attributePriority where value.count >= 4:
                metric = value.loadUnaligned(as: UInt32.self)
            case attributeTable where value.count >= 4:
                table = value.loadUnaligned(as: UInt32.self)
            case attributeMultipath where interface == nil && value.count >= 8:
                // struct rtnexthop: length (2), flags (1), hops (1), interface index (4).
                interface = value.loadUnaligned(fromByteOffset: 4, as: Int32.self)
            default:
                break
            }
        }
        guard table == mainTable else { return nil }
        return KernelRoute(
            destination: destination.masked(to: prefixLength), prefixLength: prefixLength,
            interfaceIndex: type == typeUnicast ? interface : nil, metric: metric, isDeleted: deleted)
    }
}

extension NetlinkWatcher {
    /// Routes: reads every pending notification without blocking, each route to `route` (live
    /// mode with `guest-interfaces = "routes"` follows the kernel's routes so, after a dump at
    /// start; the watcher is opened only while such a rule is loaded, so that a host whose
    /// routing daemon churns a full table pays nothing otherwise). Returns false when some were
    /// lost (ENOBUFS), so that the caller dumps the table again.
    public func drainRoutes(_ route: (KernelRoute) -> Void) -> Bool {
        let (_, lost) = drain { datagram in _ = KernelRoutes.forEachRoute(in: datagram, route) }
        return !lost
    }
}
