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

    /// Creates a router entry.
    public init(mac: MACAddress, confirmedAgo: Duration) {
        self.mac = mac
        self.confirmedAgo = confirmedAgo
    }
}

/// Reads the kernel's IPv6 neighbour table over rtnetlink (never /proc). Unprivileged.
public enum KernelNeighbours {
    // rtnetlink constants (linux/netlink.h, linux/rtnetlink.h, linux/neighbour.h), named as
    // there: these values are part of the kernel's stable user-space ABI.
    private static let NETLINK_ROUTE: Int32 = 0
    private static let RTM_NEWNEIGH: UInt16 = 28
    private static let RTM_GETNEIGH: UInt16 = 30
    private static let NLMSG_ERROR: UInt16 = 2
    private static let NLMSG_DONE: UInt16 = 3
    private static let NLM_F_REQUEST: UInt16 = 0x1
    private static let NLM_F_DUMP: UInt16 = 0x300
    private static let NDA_LLADDR: UInt16 = 2
    private static let NDA_CACHEINFO: UInt16 = 3
    private static let NTF_ROUTER: UInt8 = 0x80
    private static let NUD_REACHABLE: UInt16 = 0x02
    private static let NUD_STALE: UInt16 = 0x04
    private static let NUD_DELAY: UInt16 = 0x08
    private static let NUD_PROBE: UInt16 = 0x10
    private static let NUD_PERMANENT: UInt16 = 0x80
    /// struct nlmsghdr and struct ndmsg sizes.
    private static let headerSize = 16
    private static let ndmsgSize = 12

    /// The entries on interface `index` that are routers with a usable link-layer address
    /// (REACHABLE, STALE, DELAY, PROBE or PERMANENT; never INCOMPLETE or FAILED).
    public static func routers(onInterface index: Int32) throws(IOError) -> [KernelRouter] {
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NETLINK_ROUTE)
        guard fd >= 0 else { throw .system("socket(AF_NETLINK, NETLINK_ROUTE)") }
        defer { close(fd) }
        // A dump request: nlmsghdr, then an ndmsg that names the family (and the interface,
        // which kernels with strict checking filter on; the others dump all, filtered below).
        var request = [UInt8](repeating: 0, count: headerSize + ndmsgSize)
        request.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(of: UInt32(headerSize + ndmsgSize), toByteOffset: 0, as: UInt32.self)
            bytes.storeBytes(of: RTM_GETNEIGH, toByteOffset: 4, as: UInt16.self)
            bytes.storeBytes(of: NLM_F_REQUEST | NLM_F_DUMP, toByteOffset: 6, as: UInt16.self)
            bytes.storeBytes(of: UInt32(1), toByteOffset: 8, as: UInt32.self)
            bytes.storeBytes(of: UInt8(AF_INET6), toByteOffset: headerSize, as: UInt8.self)
            bytes.storeBytes(of: index, toByteOffset: headerSize + 4, as: Int32.self)
        }
        let sent = request.withUnsafeBytes { bytes in
            retryingOnInterrupt { send(fd, bytes.baseAddress, bytes.count, 0) }
        }
        guard sent == request.count else { throw .system("send(RTM_GETNEIGH)") }

        let ticksPerSecond = max(1, sysconf(Int32(_SC_CLK_TCK)))
        var routers: [KernelRouter] = []
        var buffer = [UInt8](repeating: 0, count: 32_768)
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in
                retryingOnInterrupt { recv(fd, bytes.baseAddress, bytes.count, 0) }
            }
            guard count > 0 else { throw .system("recv(RTM_GETNEIGH)") }
            var done = false
            buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset + headerSize <= count {
                    let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                    let type = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)
                    guard length >= headerSize, offset + length <= count else { done = true; return }
                    if type == NLMSG_DONE || type == NLMSG_ERROR { done = true; return }
                    if type == RTM_NEWNEIGH, length >= headerSize + ndmsgSize,
                       let router = router(in: UnsafeRawBufferPointer(rebasing: bytes[(offset + headerSize)..<(offset + length)]),
                                           interface: index, ticksPerSecond: ticksPerSecond) {
                        routers.append(router)
                    }
                    offset += (length + 3) & ~3
                }
            }
            if done { return routers }
        }
    }

    /// The router in one RTM_NEWNEIGH payload (ndmsg, then attributes), if it is one.
    private static func router(in payload: UnsafeRawBufferPointer, interface: Int32, ticksPerSecond: Int) -> KernelRouter? {
        guard payload[0] == UInt8(AF_INET6),
              payload.loadUnaligned(fromByteOffset: 4, as: Int32.self) == interface,
              payload[10] & NTF_ROUTER != 0 else { return nil }
        let state = payload.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        guard state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT) != 0 else { return nil }
        var mac: MACAddress?
        var confirmedTicks: UInt32 = 0
        var offset = ndmsgSize
        while offset + 4 <= payload.count {
            let length = Int(payload.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            let type = payload.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self) & 0x3FFF
            guard length >= 4, offset + length <= payload.count else { break }
            if type == NDA_LLADDR, length == 4 + 6 {
                let b = (0..<6).map { payload[offset + 4 + $0] }
                mac = MACAddress(b[0], b[1], b[2], b[3], b[4], b[5])
            } else if type == NDA_CACHEINFO, length >= 4 + 4 {
                confirmedTicks = payload.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            }
            offset += (length + 3) & ~3
        }
        guard let mac else { return nil }
        let ago: Duration = state & NUD_PERMANENT != 0
            ? .zero : .milliseconds(Int64(confirmedTicks) * 1_000 / Int64(ticksPerSecond))
        return KernelRouter(mac: mac, confirmedAgo: ago)
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
