import NDPPolicy
import NDPWire
import Testing

/// The engine's learned tables: bounded, and aged on the frames' clock.
struct LearnedStateTests {
    static let target = IPv6Address("2001:db8:0:96ce::5")!
    static let guest = MACAddress("02:00:00:00:0b:02")!

    @Test("a bounded map forgets the address learned first when full, and updates in place")
    func boundedMapEvictsTheOldest() {
        var map = BoundedAddressMap<Int>(capacity: 3)
        let addresses = (1...4).map { IPv6Address(high: 0x2001_0db8_0000_96ce, low: UInt64($0)) }
        for (i, a) in addresses.prefix(3).enumerated() { map.set(i, for: a) }
        map.set(10, for: addresses[0])
        #expect(map.count == 3 && map[addresses[0]] == 10)
        map.set(3, for: addresses[3])
        #expect(map.count == 3)
        #expect(map[addresses[0]] == nil, "the first learned goes first, even if updated since")
        #expect(map[addresses[3]] == 3 && map[addresses[1]] == 1)
    }

    @Test(
        "a DAD may run for the quiet period after the last probe, and not after",
        arguments: [
            (FrameTime(0), true), (ProbeSightings.quietPeriod - 1, true), (ProbeSightings.quietPeriod, false),
        ])
    func quietPeriod(after elapsed: FrameTime, probing: Bool) {
        var probes = ProbeSightings()
        probes.record(Self.target, prober: Self.guest, at: 1_000)
        #expect(probes.mayBeProbing(Self.target, at: 1_000 + elapsed) == probing)
        #expect(!probes.mayBeProbing(IPv6Address("2001:db8:0:96ce::6")!, at: 1_000))
        #expect(probes.latest(for: Self.target)?.prober == Self.guest)
    }

    @Test("routers are used for the bridge's ageing time after they were seen; at most 8 are kept")
    func routersAge() {
        var routers = UpstreamRouters()
        let first = MACAddress("02:00:00:00:0a:01")!
        routers.learn(first, at: 0)
        #expect(routers.current(at: UpstreamRouters.lifetime - 1) == [first])
        #expect(routers.current(at: UpstreamRouters.lifetime).isEmpty)
        routers.learn(first, at: 10)
        #expect(routers.current(at: UpstreamRouters.lifetime) == [first], "seen again: fresh again")
        for i in 1...UpstreamRouters.capacity {
            routers.learn(MACAddress(0x02, 0, 0, 0, 0x0a, UInt8(i + 1)), at: FrameTime(100 + i))
        }
        #expect(routers.current(at: 200).count == UpstreamRouters.capacity)
        #expect(!routers.current(at: 200).contains(first), "the router seen longest ago went first")
    }
}
