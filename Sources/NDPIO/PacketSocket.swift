import CPcap
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
    /// The socket.
    public private(set) var descriptor: Int32
    /// Where frames go: the interface, EtherType IPv6 (the frame holds its own header).
    private var destination: sockaddr_ll

    /// Opens the socket on `interfaceIndex`, and joins all-multicast if `allMulticast`.
    ///
    /// Bound with protocol 0, the socket receives nothing: it only sends, so no receive
    /// queue fills up under a flood. Non-blocking: a full transmit queue is a counted send
    /// error, never a stall of the capture loop.
    public init(interfaceIndex: Int32, allMulticast: Bool = true) throws(IOError) {
        self.interfaceIndex = interfaceIndex
        let fd = socket(AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .system("socket(AF_PACKET, SOCK_RAW)") }
        try bind(fd, to: ndpd_sockaddr_ll(interfaceIndex, 0), describing: "bind(AF_PACKET, ifindex \(interfaceIndex))")
        if allMulticast {
            var request = ndpd_allmulti_mreq(interfaceIndex)
            let joined = setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &request,
                                    socklen_t(MemoryLayout<packet_mreq>.size))
            guard joined == 0 else {
                let error = IOError.system("setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_ALLMULTI)")
                Glibc.close(fd)
                throw error
            }
        }
        descriptor = fd
        destination = ndpd_sockaddr_ll(interfaceIndex, UInt16(ETH_P_IPV6).bigEndian)
    }

    deinit { close() }

    /// Closes the socket, which also ends its all-multicast membership (idempotent).
    public func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    /// Sends one whole Ethernet frame now. Returns 0, or the errno of the failed `sendto`
    /// (EAGAIN/ENOBUFS when the queue is full, ENETDOWN/ENXIO when the interface went away).
    /// No allocation: the frame's bytes go straight from the caller's buffer to the kernel.
    public func send(_ frame: Span<UInt8>) -> Int32 {
        let fd = descriptor
        guard fd >= 0 else { return EBADF }
        let sent = frame.withUnsafeBufferPointer { bytes in
            withUnsafePointer(to: &destination) { address in
                address.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    retryingOnInterrupt {
                        sendto(fd, bytes.baseAddress, bytes.count, 0, socketAddress,
                               socklen_t(MemoryLayout<sockaddr_ll>.size))
                    }
                }
            }
        }
        if sent == frame.count { return 0 }
        return sent < 0 ? errno : EMSGSIZE
    }
}

/// The text of an errno value (for logs).
public func errnoDescription(_ code: Int32) -> String { String(cString: strerror(code)) }
