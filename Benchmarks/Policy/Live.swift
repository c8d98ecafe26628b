import NDPPolicy
import NDPWire
import TestSupport

/// What live mode adds to the decision for a LIVE guest (ARCHITECTURE.md, "Live guests"), in
/// instructions, which repeat exactly whatever the caches do:
///
///     ndpd-policy-bench live-count static|live GUESTS QUERIES
///
/// builds a /64 rule and a live table of GUESTS LIVE guests in it, then decides QUERIES
/// solicitations for those guests, untimed, with `decide` (static) or `decideLive` (live).
/// Under `valgrind --tool=callgrind`, (Ir(QUERIES) - Ir(0)) / QUERIES is the cost per decision.
enum LiveBenchmark {
    static func count(_ arguments: [String]) {
        guard arguments.count == 3, let guests = Int(arguments[1]), let queries = Int(arguments[2]),
            ["static", "live"].contains(arguments[0]), guests > 0
        else {
            print("usage: ndpd-policy-bench live-count static|live GUESTS QUERIES")
            return
        }
        let rule = ProxyRule(
            interface: "br0", targets: TargetTable([IPv6Prefix(address: IPv6Address("2001:db8:0:96ce::")!, length: 64)])
        )
        let facts = InterfaceFacts(name: "br0", mac: MACAddress(rawValue: 0x0200_0000_0001), addresses: [])
        var settings = LiveSettings()
        settings.maxEntries = max(guests, 1)
        var table = GuestNeighborCache(settings: settings)
        var generator = SplitMix64(seed: 7)
        var addresses: [IPv6Address] = []
        for _ in 0..<guests {
            let address = IPv6Address(high: 0x2001_0DB8_0000_96CE, low: generator.next() | 0x100)
            addresses.append(address)
            table.observe(
                .advertisement(MACAddress(rawValue: 0x5254_0000_0000 | (address.low & 0xFFFF))), for: address, at: 0
            ) { _, _ in }
        }
        let answers =
            arguments[0] == "live"
            ? decideLive(addresses, queries, rule, facts, &table)
            : decideStatic(addresses, queries, rule, facts)
        print("answers=\(answers)")
    }

    nonisolated static func decideStatic(
        _ addresses: [IPv6Address], _ queries: Int, _ rule: ProxyRule,
        _ facts: InterfaceFacts
    ) -> Int {
        var answers = 0
        for i in 0..<queries {
            if case .answer = decide(
                solicitation(addresses[i % addresses.count]), rule: rule, interface: facts, knownOwner: nil)
            {
                answers += 1
            }
        }
        return answers
    }

    nonisolated static func decideLive(
        _ addresses: [IPv6Address], _ queries: Int, _ rule: ProxyRule,
        _ facts: InterfaceFacts, _ table: inout GuestNeighborCache
    ) -> Int {
        var answers = 0
        for i in 0..<queries {
            let (verdict, _) = NDPPolicy.decideLive(
                solicitation(addresses[i % addresses.count]), rule: rule, interface: facts,
                guests: &table, frameIndex: i, at: 1)
            if case .decided(.answer) = verdict { answers += 1 }
        }
        return answers
    }

    @inline(__always)
    static func solicitation(_ target: IPv6Address) -> NeighborSolicitation {
        NeighborSolicitation(
            source: IPv6Address(high: 0xFE80_0000_0000_0000, low: 1),
            destination: target.solicitedNodeMulticast, targetAddress: target,
            sourceLinkLayerAddress: MACAddress(rawValue: 0x0200_0000_0A01))
    }
}
