import NDPIO
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Root, or CI (where skipping is a failure): an AF_PACKET socket needs CAP_NET_RAW.
private let canOpenPacketSockets = geteuid() == 0 || TestEnvironment.isCI

/// The packet socket's send queue: frames queued during a batch leave together, and a frame the
/// kernel refuses is counted without keeping the others from going out. Needs CAP_NET_RAW (root);
/// it sends on the loopback interface, with an EtherType no protocol of the host takes.
@Suite(
    "Packet socket send queue",
    .enabled(if: canOpenPacketSockets, "needs root (CAP_NET_RAW) to open an AF_PACKET socket"))
struct PacketSocketTests {
    /// A frame of `count` bytes to 00:00:00:00:00:00, EtherType 0x88b5 (IEEE 802 local experimental).
    static func frame(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        if count >= 14 {
            bytes[12] = 0x88
            bytes[13] = 0xb5
        }
        return bytes
    }

    /// A packet socket on the loopback interface.
    static func loopbackSocket() throws -> PacketSocket {
        let loopback = try #require(SystemInterfaces.index(of: "lo"))
        return try PacketSocket(interfaceIndex: loopback, allMulticast: false)
    }

    @Test("queued frames leave in one go; each refused frame is counted and the next ones still leave")
    func refusedFramesAreCountedOneByOne() throws {
        let socket = try Self.loopbackSocket()
        let good = Self.frame(60)
        let short = Self.frame(5)
        #expect(socket.sendQueued().count == 0, "an empty queue sends nothing")
        for bytes in [good, good, good] { #expect(socket.queue(bytes.span).count == 0) }
        #expect(socket.sendQueued().count == 0)
        // Shorter than an Ethernet header: the kernel refuses it (EINVAL), alone or in a batch.
        for bytes in [short, good, short, good] { #expect(socket.queue(bytes.span).count == 0) }
        let failures = socket.sendQueued()
        #expect(failures.count == 2)
        #expect(failures.last == Errno(rawValue: EINVAL))
        #expect(socket.queue(short.span).count == 0)
        #expect(socket.sendQueued().count == 1, "a single queued frame goes out with send(2)")
    }

    @Test("a full queue goes out before the next frame is queued")
    func fullQueueIsSent() throws {
        let socket = try Self.loopbackSocket()
        let short = Self.frame(5)
        for _ in 0..<PacketSocket.queueCapacity { #expect(socket.queue(short.span).count == 0) }
        // The queue is full: queuing one more sends the full queue, whose frames are all refused.
        #expect(socket.queue(short.span).count == PacketSocket.queueCapacity)
        #expect(socket.sendQueued().count == 1)
    }
}
