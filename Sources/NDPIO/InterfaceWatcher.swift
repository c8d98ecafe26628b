import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// An rtnetlink socket subscribed to link and IPv6 address changes (RTMGRP_LINK |
/// RTMGRP_IPV6_IFADDR): it becomes readable when an interface goes up or down, is created
/// or deleted, changes its MAC, or gains or loses an IPv6 address.
///
/// The messages themselves are not decoded: any notification means "read the facts of the
/// served interfaces again", which is cheap and cannot get out of step with the kernel, even
/// when the kernel dropped notifications because the socket's queue was full (ENOBUFS).
public final class InterfaceWatcher {
    private let socket: Descriptor
    /// One receive buffer for the socket's lifetime.
    private var buffer = [UInt8](repeating: 0, count: 16_384)

    /// The socket, for the event poll.
    public var descriptor: Int32 { socket.rawValue }

    /// Opens and subscribes the socket.
    public init() throws(IOError) {
        let fd = Glibc.socket(
            AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
            NETLINK_ROUTE)
        guard fd >= 0 else { throw .system("socket(AF_NETLINK, NETLINK_ROUTE)") }
        let socket = Descriptor(adopting: fd)
        try bind(
            socket, to: ndpd_sockaddr_nl(ndpd_rtnetlink_groups()),
            describing: "bind(AF_NETLINK, RTMGRP_LINK | RTMGRP_IPV6_IFADDR)")
        self.socket = socket
    }

    /// Reads every pending notification without blocking. Returns true if any arrived, or
    /// if some were lost (ENOBUFS): either way the facts must be read again.
    public func drain() -> Bool {
        var changed = false
        let fd = descriptor
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in
                retryingOnInterrupt { recv(fd, bytes.baseAddress, bytes.count, 0) }
            }
            if count > 0 {
                changed = true
                continue
            }
            if count < 0 && errno == ENOBUFS {
                changed = true
                continue
            }
            return changed
        }
    }
}
