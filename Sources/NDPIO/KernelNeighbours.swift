import CLinux
import NDPWire

#if canImport(Glibc)
    import Glibc
#endif

/// A neighbour the kernel believes to be a router: its entry carries NTF_ROUTER, which the
/// kernel sets when the neighbour's Router Advertisement or its NA with R = 1 arrived
/// (RFC 4861 §6.3.4, §7.2.5).
public struct KernelRouter: Sendable, Equatable {
    /// Its link-layer address.
    public var mac: MACAddress
    /// How long ago the kernel last confirmed the entry reachable; 0 for a permanent entry.
    public var confirmedAgo: Duration
}

/// One entry of the kernel's IPv6 neighbour table, from a dump or an RTNLGRP_NEIGH event.
public struct KernelNeighbour: Sendable, Equatable {
    /// Linux's NUD states (linux/neighbour.h), as bits: RFC 4861 §7.3.2's states and Linux's own.
    public struct States: OptionSet, Sendable, Hashable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// Address resolution under way.
        public static let incomplete = States(rawValue: 0x01)
        /// Confirmed reachable lately.
        public static let reachable = States(rawValue: 0x02)
        /// Not confirmed lately.
        public static let stale = States(rawValue: 0x04)
        /// Waiting before probing a STALE entry that was sent to.
        public static let delay = States(rawValue: 0x08)
        /// Being probed by unicast.
        public static let probe = States(rawValue: 0x10)
        /// Resolution or probing failed.
        public static let failed = States(rawValue: 0x20)
        /// No resolution needed (point-to-point, loopback).
        public static let noARP = States(rawValue: 0x40)
        /// Configured by hand.
        public static let permanent = States(rawValue: 0x80)
    }

    /// The interface's index.
    public var interfaceIndex: Int32
    /// The neighbour's IPv6 address.
    public var address: IPv6Address
    /// Its state.
    public var states: States
    /// Its link-layer address, when the kernel has one.
    public var mac: MACAddress?
    /// True when the entry carries NTF_ROUTER (RFC 4861 §6.3.4, §7.2.5).
    public var isRouter: Bool
    /// How long ago the kernel last confirmed it; 0 when not given.
    public var confirmedAgo: Duration
    /// True for an RTM_DELNEIGH event: the entry is gone.
    public var isDeleted: Bool

    /// Creates an entry.
    public init(
        interfaceIndex: Int32, address: IPv6Address, states: States, mac: MACAddress?, isRouter: Bool = false,
        confirmedAgo: Duration = .zero, isDeleted: Bool = false
    ) {
        self.interfaceIndex = interfaceIndex
        self.address = address
        self.states = states
        self.mac = mac
        self.isRouter = isRouter
        self.confirmedAgo = confirmedAgo
        self.isDeleted = isDeleted
    }
}

/// One entry of a bridge's forwarding database (`bridge fdb`): a MAC learned behind a port.
public struct BridgeForwardingEntry: Sendable, Equatable {
    /// The bridge port's interface index.
    public var portIndex: Int32
    /// The MAC seen behind it.
    public var mac: MACAddress
    /// True for an RTM_DELNEIGH event: the entry aged out or was removed.
    public var isDeleted = false
}

/// Reads the kernel's IPv6 neighbour table over rtnetlink (never /proc). Unprivileged.
public enum KernelNeighbours {
    // ndmsg's attributes and flags, from linux/neighbour.h through CLinux (stable ABI).
    private static let attributeDestination = UInt16(NDA_DST)
    private static let attributeLinkLayerAddress = UInt16(NDA_LLADDR)
    private static let attributeCacheInfo = UInt16(NDA_CACHEINFO)
    private static let flagRouter = UInt8(NTF_ROUTER)
    /// Where the attributes start: past struct ndmsg.
    private static let ndmsgSize = NetlinkObject.neighbour.headerSize

    /// The entries on interface `index` that are routers with a usable link-layer address
    /// (REACHABLE, STALE, DELAY, PROBE or PERMANENT; never INCOMPLETE or FAILED).
    public static func routers(onInterface index: Int32) throws(IOError) -> [KernelRouter] {
        let usable: KernelNeighbour.States = [.reachable, .stale, .delay, .probe, .permanent]
        return try neighbours(onInterface: index).compactMap { entry in
            guard entry.isRouter, !entry.states.isDisjoint(with: usable), let mac = entry.mac else { return nil }
            return KernelRouter(mac: mac, confirmedAgo: entry.states.contains(.permanent) ? .zero : entry.confirmedAgo)
        }
    }

    /// Every IPv6 entry on interface `index` (one RTM_GETNEIGH dump).
    public static func neighbours(onInterface index: Int32) throws(IOError) -> [KernelNeighbour] {
        var entries: [KernelNeighbour] = []
        try dump(
            family: UInt8(AF_INET6), index: index,
            neighbour: { entry in
                if entry.interfaceIndex == index { entries.append(entry) }
            }, forwarding: { _ in })
        return entries
    }

    /// The MACs a bridge learned behind its port `index` (one RTM_GETNEIGH dump of family
    /// AF_BRIDGE, `bridge fdb show brport`).
    public static func forwardingEntries(onPort index: Int32) throws(IOError) -> [BridgeForwardingEntry] {
        var entries: [BridgeForwardingEntry] = []
        try dump(
            family: UInt8(AF_BRIDGE), index: index, neighbour: { _ in },
            forwarding: { entry in
                if entry.portIndex == index { entries.append(entry) }
            })
        return entries
    }

    /// One RTM_GETNEIGH dump of `family`, each entry to its closure.
    private static func dump(
        family: UInt8, index: Int32, neighbour: (KernelNeighbour) -> Void,
        forwarding: (BridgeForwardingEntry) -> Void
    ) throws(IOError) {
        // The ndmsg names the family and the interface, which kernels with strict checking
        // filter on; the others dump all, filtered by the caller.
        try Netlink.dump(.neighbour, family: family, index: index) { messages in
            forEachEntry(in: messages, neighbour: neighbour, forwarding: forwarding)
        }
    }

    /// Calls `neighbour` with each IPv6 neighbour entry in `messages` (netlink messages as one
    /// recv gave them) and `forwarding` with each bridge forwarding entry. Returns true when the
    /// messages end a dump (messageDone or messageError) or are cut.
    static func forEachEntry(
        in messages: UnsafeRawBufferPointer, neighbour body: (KernelNeighbour) -> Void,
        forwarding: (BridgeForwardingEntry) -> Void
    ) -> Bool {
        let ticksPerSecond = max(1, sysconf(Int32(_SC_CLK_TCK)))
        return Netlink.forEachObject(.neighbour, in: messages) { payload, deleted in
            if let entry = neighbour(in: payload, deleted: deleted, ticksPerSecond: ticksPerSecond) {
                body(entry)
            } else if let entry = forwardingEntry(in: payload, deleted: deleted) {
                forwarding(entry)
            }
        }
    }

    /// The bridge forwarding entry in one RTM_NEWNEIGH or RTM_DELNEIGH payload of family
    /// AF_BRIDGE: the port is the ndmsg's interface, the MAC its attributeLinkLayerAddress.
    private static func forwardingEntry(in payload: UnsafeRawBufferPointer, deleted: Bool) -> BridgeForwardingEntry? {
        guard payload[0] == UInt8(AF_BRIDGE) else { return nil }
        let port = payload.loadUnaligned(fromByteOffset: 4, as: Int32.self)
        var mac: MACAddress?
        Netlink.forEachAttribute(in: payload, from: ndmsgSize) { type, value in
            if type == attributeLinkLayerAddress, value.count == 6 { mac = Netlink.mac(in: value) }
        }
        return mac.map { BridgeForwardingEntry(portIndex: port, mac: $0, isDeleted: deleted) }
    }

    /// The IPv6 entry in one RTM_NEWNEIGH or RTM_DELNEIGH payload (ndmsg, then attributes).
    private static func neighbour(in payload: UnsafeRawBufferPointer, deleted: Bool, ticksPerSecond: Int)
        -> KernelNeighbour?
    {
        guard payload[0] == UInt8(AF_INET6) else { return nil }
        let interface = payload.loadUnaligned(fromByteOffset: 4, as: Int32.self)
        let states = KernelNeighbour.States(rawValue: payload.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        let isRouter = payload[10] & flagRouter != 0
        var address: IPv6Address?
        var mac: MACAddress?
        var confirmedTicks: UInt32 = 0
        Netlink.forEachAttribute(in: payload, from: ndmsgSize) { type, value in
            if type == attributeDestination, value.count == 16 {
                address = Netlink.address(in: value)
            } else if type == attributeLinkLayerAddress, value.count == 6 {
                mac = Netlink.mac(in: value)
            } else if type == attributeCacheInfo, value.count >= 4 {
                confirmedTicks = value.loadUnaligned(as: UInt32.self)
            }
        }
        guard let address else { return nil }
        return KernelNeighbour(
            interfaceIndex: interface, address: address, states: states, mac: mac, isRouter: isRouter,
            confirmedAgo: .milliseconds(Int64(confirmedTicks) * 1_000 / Int64(ticksPerSecond)),
            isDeleted: deleted)
    }
}

extension NetlinkWatcher {
    /// Neighbours: reads every pending notification without blocking, each IPv6 entry to
    /// `neighbour` and each bridge forwarding entry to `forwarding` (live mode follows the
    /// kernel's neighbour table on the guest interfaces so, after a dump at start, never by
    /// polling /proc; the same group says which MACs are behind the uplink port). Returns false
    /// when some were lost (ENOBUFS: the queue overflowed), so that the caller dumps again.
    public func drainNeighbours(neighbour: (KernelNeighbour) -> Void, forwarding: (BridgeForwardingEntry) -> Void)
        -> Bool
    {
        let (_, lost) = drain { datagram in
            _ = KernelNeighbours.forEachEntry(in: datagram, neighbour: neighbour, forwarding: forwarding)
        }
        return !lost
    }
}

/// The system's real-time clock, in microseconds since the Unix epoch: the clock of capture
/// timestamps, against which state learned from captured frames is aged.
public enum WallClock {
    /// Now.
    public static func microseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
    }
}
