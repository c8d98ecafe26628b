import CLinux
import NDPWire

#if canImport(Glibc)
    import Glibc
#endif

/// A non-blocking rtnetlink socket subscribed to one kind of kernel change (rtnetlink(7)),
/// registered once in the daemon's event poll. What its messages say is read by the kind's own
/// drain: `drainInterfaceChanges()`, `drainNeighbours(_:forwarding:)`, `drainRoutes(_:)`.
public final class NetlinkWatcher {
    /// What a watcher follows.
    public enum Kind: Sendable {
        /// Links (up, down, created, deleted, MAC changed) and IPv6 addresses
        /// (RTMGRP_LINK | RTMGRP_IPV6_IFADDR).
        case interfaces
        /// Neighbour entries, IPv6 and bridge forwarding (RTMGRP_NEIGH): live mode.
        case neighbours
        /// IPv6 routes (RTMGRP_IPV6_ROUTE): live mode with `guest-interfaces = "routes"`.
        case routes
    }

    private let socket: Descriptor
    /// One receive buffer for the socket's lifetime.
    private var buffer: [UInt8]

    /// The socket, for the event poll.
    public var descriptor: Int32 { socket.rawValue }

    /// Opens a socket subscribed to the changes of `kind`.
    public init(watching kind: Kind) throws(IOError) {
        let (groups, name, bufferSize) =
            switch kind {
            case .interfaces: (ndpd_rtnetlink_groups(), "RTMGRP_LINK | RTMGRP_IPV6_IFADDR", 16_384)
            case .neighbours: (ndpd_rtnetlink_neighbour_groups(), "RTMGRP_NEIGH", 32_768)
            case .routes: (ndpd_rtnetlink_route_groups(), "RTMGRP_IPV6_ROUTE", 32_768)
            }
        let fd = Glibc.socket(
            AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
            NETLINK_ROUTE)
        guard fd >= 0 else { throw .system("socket(AF_NETLINK, NETLINK_ROUTE)") }
        let socket = Descriptor(adopting: fd)
        try bind(socket, to: ndpd_sockaddr_nl(groups), describing: "bind(AF_NETLINK, \(name))")
        self.socket = socket
        buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    /// Reads every pending message without blocking, each datagram to `datagram` (valid only
    /// during the call). Returns whether any arrived, and whether some were lost: the kernel
    /// drops notifications when the socket's queue is full (ENOBUFS).
    func drain(_ datagram: (UnsafeRawBufferPointer) -> Void) -> (received: Bool, lost: Bool) {
        var received = false
        var lost = false
        let fd = descriptor
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in
                retryingOnInterrupt { recv(fd, bytes.baseAddress, bytes.count, 0) }
            }
            if count > 0 {
                received = true
                buffer.withUnsafeBytes { datagram(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                continue
            }
            if count < 0 && errno == ENOBUFS {
                lost = true
                continue
            }
            return (received, lost)
        }
    }
}

/// One kind of rtnetlink object that ndpd reads: the message types that carry it and the size
/// of its fixed header (the attributes follow it). The constants come from the kernel headers
/// (linux/rtnetlink.h) through CLinux: part of the kernel's stable user-space ABI.
struct NetlinkObject {
    /// The message that adds or changes one (a dump's entries, and events).
    let new: UInt16
    /// The event that says one is gone.
    let deleted: UInt16
    /// The dump request.
    let get: UInt16
    /// The fixed header's size.
    let headerSize: Int
    /// The dump request's name, in errors.
    let name: String

    /// Neighbour entries and bridge forwarding entries (struct ndmsg, 12 bytes).
    static let neighbour = NetlinkObject(
        new: UInt16(RTM_NEWNEIGH), deleted: UInt16(RTM_DELNEIGH), get: UInt16(RTM_GETNEIGH), headerSize: 12,
        name: "RTM_GETNEIGH")
    /// Routes (struct rtmsg, 12 bytes).
    static let route = NetlinkObject(
        new: UInt16(RTM_NEWROUTE), deleted: UInt16(RTM_DELROUTE), get: UInt16(RTM_GETROUTE), headerSize: 12,
        name: "RTM_GETROUTE")
}

/// rtnetlink's request and answer: a dump of one kind of object, read on a socket of its own.
enum Netlink {
    /// struct nlmsghdr's size.
    static let headerSize = 16

    /// Sends a dump request for `object` whose fixed header names `family` in its first byte
    /// and `index` at offset 4 (an ndmsg's interface; 0 leaves an rtmsg's table, protocol,
    /// scope and type unset), then hands each datagram of the answer to `messages` until it
    /// returns true (the dump's end).
    static func dump(
        _ object: NetlinkObject, family: UInt8, index: Int32 = 0, _ messages: (UnsafeRawBufferPointer) -> Bool
    ) throws(IOError) {
        let name = object.name
        let requestSize = object.headerSize
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NETLINK_ROUTE)
        guard fd >= 0 else { throw .system("socket(AF_NETLINK, NETLINK_ROUTE)") }
        let socket = Descriptor(adopting: fd)
        var request = [UInt8](repeating: 0, count: headerSize + requestSize)
        request.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(of: UInt32(headerSize + requestSize), toByteOffset: 0, as: UInt32.self)
            bytes.storeBytes(of: object.get, toByteOffset: 4, as: UInt16.self)
            bytes.storeBytes(of: UInt16(NLM_F_REQUEST) | UInt16(NLM_F_DUMP), toByteOffset: 6, as: UInt16.self)
            bytes.storeBytes(of: UInt32(1), toByteOffset: 8, as: UInt32.self)
            bytes.storeBytes(of: family, toByteOffset: headerSize, as: UInt8.self)
            bytes.storeBytes(of: index, toByteOffset: headerSize + 4, as: Int32.self)
        }
        let sent = request.withUnsafeBytes { bytes in
            retryingOnInterrupt { send(socket.rawValue, bytes.baseAddress, bytes.count, 0) }
        }
        guard sent == request.count else { throw .system("send(\(name))") }
        var buffer = [UInt8](repeating: 0, count: 32_768)
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in
                retryingOnInterrupt { recv(socket.rawValue, bytes.baseAddress, bytes.count, 0) }
            }
            guard count > 0 else { throw .system("recv(\(name))") }
            let done = buffer.withUnsafeBytes { bytes in messages(UnsafeRawBufferPointer(rebasing: bytes[0..<count])) }
            if done { return }
        }
    }

    /// Calls `body` with each message's type and payload (what follows its header) in
    /// `messages`, as one recv gave them. Returns true when the messages end a dump
    /// (NLMSG_DONE or NLMSG_ERROR) or one is cut, so nothing past it is read.
    static func forEachMessage(
        in messages: UnsafeRawBufferPointer, _ body: (UInt16, UnsafeRawBufferPointer) -> Void
    ) -> Bool {
        var offset = 0
        while offset + headerSize <= messages.count {
            let length = Int(messages.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            let type = messages.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)
            guard length >= headerSize, offset + length <= messages.count else { return true }
            if type == UInt16(NLMSG_DONE) || type == UInt16(NLMSG_ERROR) { return true }
            body(type, UnsafeRawBufferPointer(rebasing: messages[(offset + headerSize)..<(offset + length)]))
            offset += (length + 3) & ~3
        }
        return false
    }

    /// Calls `body` with the payload of each message in `messages` that carries `object`
    /// (its fixed header whole), and whether it says the object is gone. Returns true as
    /// `forEachMessage` does.
    static func forEachObject(
        _ object: NetlinkObject, in messages: UnsafeRawBufferPointer,
        _ body: (_ payload: UnsafeRawBufferPointer, _ isDeleted: Bool) -> Void
    ) -> Bool {
        forEachMessage(in: messages) { type, payload in
            guard type == object.new || type == object.deleted, payload.count >= object.headerSize else { return }
            body(payload, type == object.deleted)
        }
    }

    /// Calls `body` with each attribute's type (flags masked off) and value in `payload`, from
    /// `offset` (past the fixed header: ndmsg, rtmsg); stops at a cut attribute.
    static func forEachAttribute(
        in payload: UnsafeRawBufferPointer, from offset: Int, _ body: (UInt16, UnsafeRawBufferPointer) -> Void
    ) {
        var offset = offset
        while offset + 4 <= payload.count {
            let length = Int(payload.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            let type = payload.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self) & 0x3FFF
            guard length >= 4, offset + length <= payload.count else { return }
            body(type, UnsafeRawBufferPointer(rebasing: payload[(offset + 4)..<(offset + length)]))
            offset += (length + 3) & ~3
        }
    }

    /// The IPv6 address in a 16-octet attribute value.
    static func address(in value: UnsafeRawBufferPointer) -> IPv6Address {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(value[i]) }
        for i in 8..<16 { low = low << 8 | UInt64(value[i]) }
        return IPv6Address(high: high, low: low)
    }

    /// The MAC in a 6-octet attribute value.
    static func mac(in value: UnsafeRawBufferPointer) -> MACAddress {
        MACAddress(value[0], value[1], value[2], value[3], value[4], value[5])
    }
}
