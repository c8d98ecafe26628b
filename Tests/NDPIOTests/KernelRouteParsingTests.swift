import NDPWire
import Testing

@testable import NDPIO

/// rtnetlink route messages as the kernel sends them (linux/rtnetlink.h): the main table's
/// unicast routes and the routes that lead nowhere are read, with their interface and metric;
/// other tables, other families, local routes and cached clones are not.
struct KernelRouteParsingTests {
    typealias Bytes = KernelNeighbourParsingTests

    /// nlmsghdr, rtmsg (family, dst_len, src_len, tos, table, protocol, scope, type, flags),
    /// then the attributes (RTA_DST 1, RTA_OIF 4, RTA_PRIORITY 6, RTA_MULTIPATH 9, RTA_TABLE 15).
    static func route(
        type messageType: UInt16 = 24, family: UInt8 = 10, length: UInt8, table: UInt8 = 254, kind: UInt8 = 1,
        flags: UInt32 = 0, destination: String?, interface: Int32? = nil, metric: UInt32? = nil,
        extra: [UInt8] = []
    ) -> [UInt8] {
        var attributes: [UInt8] = []
        if let destination {
            let address = IPv6Address(destination)!
            let bytes = (0..<16).map { i in
                UInt8(truncatingIfNeeded: (i < 8 ? address.high : address.low) >> (8 * UInt64(7 - i % 8)))
            }
            attributes += Bytes.attribute(1, bytes)
        }
        if let interface { attributes += Bytes.attribute(4, Bytes.le32(UInt32(bitPattern: interface))) }
        if let metric { attributes += Bytes.attribute(6, Bytes.le32(metric)) }
        let rtmsg = [family, length, 0, 0, table, 3, 0, kind] + Bytes.le32(flags)
        let body = rtmsg + attributes + extra
        return Bytes.le32(UInt32(16 + body.count)) + Bytes.le16(messageType) + Bytes.le16(0x2) + Bytes.le32(1)
            + Bytes.le32(0) + body
    }

    static func parse(_ bytes: [UInt8]) -> (routes: [KernelRoute], done: Bool) {
        var routes: [KernelRoute] = []
        let done = bytes.withUnsafeBytes { raw in KernelRoutes.forEachRoute(in: raw) { routes.append($0) } }
        return (routes, done)
    }

    @Test func mainTableRoutesAreRead() {
        let nexthop = Bytes.le16(8) + [0, 0] + Bytes.le32(9)
        let bytes =
            Self.route(length: 64, destination: "2001:db8:0:96d0::", interface: 7, metric: 1024)
            + Self.route(type: 25, length: 128, destination: "2001:db8:0:96d0::10", interface: 7, metric: 256)
            + Self.route(length: 0, destination: nil, interface: 2, metric: 1024)
            + Self.route(length: 64, kind: 6, destination: "2001:db8:0:96d1::", metric: 1024)
            + Self.route(length: 64, destination: "2001:db8:0:96d2::", extra: Bytes.attribute(9, nexthop))
            // Not the main table, a local route, a cached clone, IPv4: none is read.
            + Self.route(length: 64, table: 100, destination: "2001:db8:0:96d3::", interface: 7)
            + Self.route(length: 128, table: 255, kind: 2, destination: "2001:db8:0:96d0::1", interface: 7)
            + Self.route(length: 128, flags: 0x200, destination: "2001:db8:0:96d0::11", interface: 7)
            + Self.route(family: 2, length: 24, destination: nil, interface: 7)
            + Bytes.le32(20) + Bytes.le16(3) + Bytes.le16(0x2) + Bytes.le32(1) + Bytes.le32(0) + Bytes.le32(0)
        let (routes, done) = Self.parse(bytes)
        #expect(done, "NLMSG_DONE ends the dump")
        #expect(
            routes == [
                KernelRoute(
                    destination: IPv6Address("2001:db8:0:96d0::")!, prefixLength: 64, interfaceIndex: 7, metric: 1024),
                KernelRoute(
                    destination: IPv6Address("2001:db8:0:96d0::10")!, prefixLength: 128, interfaceIndex: 7,
                    metric: 256, isDeleted: true),
                KernelRoute(destination: .unspecified, prefixLength: 0, interfaceIndex: 2, metric: 1024),
                KernelRoute(
                    destination: IPv6Address("2001:db8:0:96d1::")!, prefixLength: 64, interfaceIndex: nil, metric: 1024),
                KernelRoute(
                    destination: IPv6Address("2001:db8:0:96d2::")!, prefixLength: 64, interfaceIndex: 9, metric: 0),
            ])
    }

    @Test func aCutMessageEndsTheBatchWithoutReadingPastIt() {
        let whole = Self.route(length: 64, destination: "2001:db8:0:96d0::", interface: 7, metric: 1024)
        let (routes, done) = Self.parse(Array(whole.prefix(whole.count - 4)))
        #expect(done && routes.isEmpty)
    }
}
