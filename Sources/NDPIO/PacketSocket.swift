import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// An AF_PACKET raw socket bound to one interface: advertisements leave through it as whole
/// Ethernet frames, and it holds the interface's all-multicast membership.
///
/// The membership (`PACKET_MR_ALLMULTI`) makes the NIC deliver every multicast frame, so the
/// solicitations sent to the guests' solicited-node groups (RFC 4861 §7.2.2) reach the
/// capture. It belongs to the socket: the kernel counts it and drops it when the socket is
/// closed, even if the process is killed. The interface's IFF_ALLMULTI and IFF_PROMISC flags
/// are never touched, so nothing is left behind on the interface.
public final class PacketSocket {
    /// The interface index the socket is bound to.
    public let interfaceIndex: Int32
    /// The socket; closing it (when the last reference goes) ends the membership.
    private let socket: Descriptor

    /// Opens the socket on `interfaceIndex`, and joins all-multicast if `allMulticast`.
    ///
    /// Bound with protocol 0, the socket receives nothing: it only sends, so no receive
    /// queue fills up under a flood. Bound to the interface, it needs no address per frame:
    /// `send(2)` goes to the bound interface, and the kernel reads the EtherType from the
    /// frame's own header. Non-blocking: a full transmit queue is a counted send error, never
    /// a stall of the capture loop.
    public init(interfaceIndex: Int32, allMulticast: Bool = true) throws(IOError) {
        self.interfaceIndex = interfaceIndex
        let fd = Glibc.socket(AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .system("socket(AF_PACKET, SOCK_RAW)") }
        let socket = Descriptor(adopting: fd)
        try bind(socket, to: ndpd_sockaddr_ll(interfaceIndex, 0), describing: "bind(AF_PACKET, ifindex \(interfaceIndex))")
        if allMulticast {
            var request = ndpd_allmulti_mreq(interfaceIndex)
            let joined = setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &request,
                                    socklen_t(MemoryLayout<packet_mreq>.size))
            guard joined == 0 else { throw .system("setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_ALLMULTI)") }
        }
        self.socket = socket
    }

    /// Sends one whole Ethernet frame now, or throws the errno of the failed `send`
    /// (EAGAIN/ENOBUFS when the queue is full, ENETDOWN/ENXIO when the interface went away;
    /// EMSGSIZE when only part of the frame went out). No allocation: the frame's bytes go
    /// straight from the caller's buffer to the kernel.
    public func send(_ frame: Span<UInt8>) throws(Errno) {
        let fd = socket.rawValue
        let sent = frame.withUnsafeBufferPointer { bytes in
            retryingOnInterrupt { Glibc.send(fd, bytes.baseAddress, bytes.count, 0) }
        }
        if sent == frame.count { return }
        throw sent < 0 ? Errno.current : Errno(rawValue: EMSGSIZE)
    }
}
