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
    /// Frames waiting for `sendQueued`, one `slotSize` slot each, and their lengths; allocated
    /// once. Raw memory, not arrays: writing into an array a class holds tests its buffer's
    /// uniqueness and retains and releases it, on every frame.
    private let queue: UnsafeMutableRawPointer
    private let queuedLengths: UnsafeMutablePointer<UInt16>
    /// Unchecked exclusivity: a socket is used by one thread, and nothing inside `queue` or
    /// `sendQueued` reaches it again, so the dynamic check Swift puts on a class's stored
    /// property (a runtime call and a thread-local lookup per access) would never fire.
    @exclusivity(unchecked) private var queuedCount = 0

    /// The longest frame `queue` takes: two VLAN tags and a TLLA option make an NA 94 bytes.
    public static let slotSize = 128
    /// How many frames wait at most: a fuller queue goes out at once, so an answer waits for
    /// no more than this many others to be built.
    public static let queueCapacity = 64

    /// Opens the socket on `interfaceIndex`, and joins all-multicast if `allMulticast`.
    ///
    /// Bound with protocol 0, the socket receives nothing: it only sends, so no receive
    /// queue fills up under a flood. Bound to the interface, it needs no address per frame:
    /// `send(2)` goes to the bound interface, and the kernel reads the EtherType from the
    /// frame's own header. Non-blocking: a full transmit queue is a counted send error, never
    /// a stall of the capture loop.
    public init(interfaceIndex: Int32, allMulticast: Bool = true) throws(IOError) {
        self.interfaceIndex = interfaceIndex
        let fd = Glibc.socket(
            AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .system("socket(AF_PACKET, SOCK_RAW)") }
        let socket = Descriptor(adopting: fd)
        try bind(
            socket, to: ndpd_sockaddr_ll(interfaceIndex, 0), describing: "bind(AF_PACKET, ifindex \(interfaceIndex))")
        if allMulticast {
            var request = ndpd_allmulti_mreq(interfaceIndex)
            let joined = setsockopt(
                fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &request,
                socklen_t(MemoryLayout<packet_mreq>.size))
            guard joined == 0 else { throw .system("setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_ALLMULTI)") }
        }
        self.socket = socket
        queue = .allocate(byteCount: Self.slotSize * Self.queueCapacity, alignment: 16)
        queuedLengths = .allocate(capacity: Self.queueCapacity)
        queuedLengths.initialize(repeating: 0, count: Self.queueCapacity)
    }

    deinit {
        queue.deallocate()
        queuedLengths.deallocate()
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

    /// Queues one whole Ethernet frame (at most `slotSize` bytes; a longer one is sent at once)
    /// for `sendQueued`, which the caller calls before it waits again. A full queue is sent
    /// first. Returns what that send refused, as `sendQueued` does.
    ///
    /// One wake-up under a flood decides many solicitations: their answers then leave in one
    /// `sendmmsg(2)` per `queueCapacity` frames, where one `send` each costs a system call each.
    public func queue(_ frame: Span<UInt8>) -> SendFailures {
        guard frame.count <= Self.slotSize else {
            do throws(Errno) { try send(frame) } catch { return SendFailures(count: 1, last: error) }
            return SendFailures()
        }
        var failures = SendFailures()
        if queuedCount == Self.queueCapacity { failures = sendQueued() }
        frame.withUnsafeBytes { bytes in
            guard let source = bytes.baseAddress else { return }
            (queue + queuedCount * Self.slotSize).copyMemory(from: source, byteCount: bytes.count)
        }
        queuedLengths[queuedCount] = UInt16(frame.count)
        queuedCount += 1
        return failures
    }

    /// Sends every queued frame now: one `send` for a single frame, `sendmmsg` for more. A frame
    /// the kernel refuses is skipped and counted, the others still go out.
    public func sendQueued() -> SendFailures {
        let count = queuedCount
        guard count > 0 else { return SendFailures() }
        queuedCount = 0
        if count == 1 {
            do throws(Errno) {
                try send(
                    UnsafeBufferPointer(start: queue.assumingMemoryBound(to: UInt8.self), count: Int(queuedLengths[0]))
                        .span)
            } catch {
                return SendFailures(count: 1, last: error)
            }
            return SendFailures()
        }
        var lastError: Int32 = 0
        let fd = socket.rawValue
        let base = UnsafePointer(queue.assumingMemoryBound(to: UInt8.self))
        let refused = ndpd_send_frames(fd, base, UInt32(Self.slotSize), queuedLengths, UInt32(count), &lastError)
        return refused == 0 ? SendFailures() : SendFailures(count: Int(refused), last: Errno(rawValue: lastError))
    }
}

/// Frames a send refused: how many, and the last one's errno.
public struct SendFailures: Sendable {
    /// How many frames were refused.
    public var count = 0
    /// Why the last one was (nil when none was).
    public var last: Errno?

    /// No failure.
    public init() {}

    /// `count` failures, the last for `last`.
    public init(count: Int, last: Errno) {
        self.count = count
        self.last = last
    }
}
