import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// A non-blocking rtnetlink socket that listens to some multicast groups (rtnetlink(7)): the one
/// socket and drain loop behind `InterfaceWatcher` and `KernelNeighbourWatcher`.
final class NetlinkSubscription {
    private let socket: Descriptor
    /// One receive buffer for the socket's lifetime.
    private var buffer: [UInt8]

    /// The socket, for the event poll.
    var descriptor: Int32 { socket.rawValue }

    /// Opens a socket that listens to `groups` (RTMGRP_* bits); `name` names them in errors.
    init(groups: UInt32, named name: String, bufferSize: Int) throws(IOError) {
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
