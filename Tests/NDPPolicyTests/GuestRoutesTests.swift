import NDPPolicy
import NDPWire
import Testing

/// The routes live mode keeps for `guest-interfaces = "routes"`: only those that overlap a
/// target prefix; the kernel's lookup (longest prefix, then lowest metric; a route that leads
/// nowhere hides shorter ones); a bound.
struct GuestRoutesTests {
    static func prefix(_ text: String) -> IPv6Prefix { try! IPv6Prefix.parse(text).get() }

    static func table(_ routes: [(String, Int32?, UInt32)], capacity: Int = 16) -> GuestRoutes {
        var table = GuestRoutes(relevant: [prefix("2001:db8:0:96d0::/64")], capacity: capacity)
        for (text, interface, metric) in routes {
            table.add(GuestRoutes.Route(interfaceIndex: interface, metric: metric), for: prefix(text))
        }
        return table
    }

    /// Routes, an address, and the interface its lookup gives (nil: no route, or nowhere).
    @Test(
        arguments: [
            ([("2001:db8:0:96d0::/64", Int32?(7), UInt32(1024))], "2001:db8:0:96d0::10", Int32?(7)),
            ([("::/0", 2, 1024)], "2001:db8:0:96d0::10", 2),
            ([("::/0", 2, 1024), ("2001:db8:0:96d0::10", 7, 1024)], "2001:db8:0:96d0::10", 7),
            ([("::/0", 2, 1024), ("2001:db8:0:96d0::10", 7, 1024)], "2001:db8:0:96d0::11", 2),
            ([("2001:db8:0:96d0::/64", 7, 1024), ("2001:db8:0:96d0::/64", 8, 256)], "2001:db8:0:96d0::10", 8),
            ([("2001:db8::/32", 7, 1024), ("2001:db8:0:96d0::/64", nil, 1024)], "2001:db8:0:96d0::10", nil),
            ([("2001:db8:0:96d0::/64", 7, 1024)], "2001:db8:0:96d1::10", nil),
            ([], "2001:db8:0:96d0::10", nil),
        ] as [([(String, Int32?, UInt32)], String, Int32?)])
    func theKernelsLookup(routes: [(String, Int32?, UInt32)], address: String, interface: Int32?) {
        #expect(Self.table(routes).route(to: IPv6Address(address)!)?.interfaceIndex == interface)
    }

    @Test func onlyRoutesThatOverlapATargetPrefixAreKept() {
        var table = Self.table([])
        let route = GuestRoutes.Route(interfaceIndex: 7, metric: 1024)
        #expect(table.add(route, for: Self.prefix("2001:db8:1::/64")) == .unchanged)
        #expect(table.add(route, for: Self.prefix("2001:db8:0:96d0::/80")) == .changed)
        #expect(table.add(route, for: Self.prefix("2001:db8::/32")) == .changed)
        #expect(table.add(route, for: Self.prefix("2001:db8::/32")) == .unchanged)
        #expect(table.count == 2)
        #expect(table.interfaceIndexes == [7])
    }

    @Test func aRouteOfTheSameMetricIsReplacedAndRemovalForgetsIt() {
        var table = Self.table([("2001:db8:0:96d0::/64", 7, 1024)])
        #expect(
            table.add(GuestRoutes.Route(interfaceIndex: 8, metric: 1024), for: Self.prefix("2001:db8:0:96d0::/64"))
                == .changed)
        #expect(table.count == 1 && table.interfaceIndexes == [8])
        #expect(table.remove(Self.prefix("2001:db8:0:96d0::/64"), metric: 256) == .unchanged)
        #expect(table.remove(Self.prefix("2001:db8:0:96d0::/64"), metric: 1024) == .changed)
        #expect(table.count == 0 && table.route(to: IPv6Address("2001:db8:0:96d0::1")!) == nil)
        #expect(table.interfaceIndexes.isEmpty)
    }

    @Test func theTableIsBounded() {
        var table = Self.table([], capacity: 2)
        for (index, text) in ["2001:db8:0:96d0::1", "2001:db8:0:96d0::2", "2001:db8:0:96d0::3"].enumerated() {
            let change = table.add(GuestRoutes.Route(interfaceIndex: 7, metric: 1024), for: Self.prefix(text))
            #expect(change == (index < 2 ? .changed : .refused))
        }
        #expect(table.count == 2)
        // Replacing a kept route needs no room.
        #expect(
            table.add(GuestRoutes.Route(interfaceIndex: 8, metric: 1024), for: Self.prefix("2001:db8:0:96d0::1"))
                == .changed)
    }

    /// Above the few routes looked up by scanning, the lookup goes by prefix length; both give
    /// the kernel's answer. 40 host routes (metrics 100 and 200 for the even ones), a /64 and
    /// the default route.
    @Test func manyRoutesAreLookedUpAlike() {
        var table = GuestRoutes(relevant: [Self.prefix("2001:db8:0:96d0::/64")])
        table.add(GuestRoutes.Route(interfaceIndex: 2, metric: 1024), for: Self.prefix("::/0"))
        table.add(GuestRoutes.Route(interfaceIndex: 7, metric: 1024), for: Self.prefix("2001:db8:0:96d0::/64"))
        for host in 1...40 {
            let prefix = Self.prefix("2001:db8:0:96d0::\(String(host, radix: 16))")
            table.add(GuestRoutes.Route(interfaceIndex: Int32(100 + host), metric: 200), for: prefix)
            if host % 2 == 0 { table.add(GuestRoutes.Route(interfaceIndex: 9, metric: 100), for: prefix) }
        }
        #expect(table.count == 62)
        for host in 1...40 {
            let address = IPv6Address("2001:db8:0:96d0::\(String(host, radix: 16))")!
            #expect(table.route(to: address)?.interfaceIndex == (host % 2 == 0 ? 9 : Int32(100 + host)))
        }
        #expect(table.route(to: IPv6Address("2001:db8:0:96d0::ffff")!)?.interfaceIndex == 7)
        #expect(table.route(to: IPv6Address("2001:db8:0:96d1::1")!)?.interfaceIndex == 2)
        // Back under the limit, the scan gives the same answers.
        for host in 1...40 { table.remove(Self.prefix("2001:db8:0:96d0::\(String(host, radix: 16))"), metric: 200) }
        #expect(table.count == 22)
        #expect(table.route(to: IPv6Address("2001:db8:0:96d0::2")!)?.interfaceIndex == 9)
        #expect(table.route(to: IPv6Address("2001:db8:0:96d0::3")!)?.interfaceIndex == 7)
    }
}
