import NDPPolicy
import NDPWire
import Testing

/// Live mode's decision: static mode's checks first, exact targets as before, then the table.
struct DecideLiveTests {
    static let hostMAC = MACAddress("02:00:00:00:00:01")!
    static let router = MACAddress("02:00:00:00:0a:01")!
    static let routerAddress = IPv6Address("fe80::a:1")!
    static let guestA = MACAddress("02:00:00:00:0b:02")!
    static let guestB = MACAddress("02:00:00:00:0b:03")!
    static let target = IPv6Address("2001:db8:0:96ce::2")!
    static let gateway = IPv6Address("2001:db8:0:96ff:ff:ff:ff:ff")!

    static func rule(dad: DADPolicy = .ignore) -> ProxyRule {
        ProxyRule(
            interface: "br0",
            targets: TargetTable(
                ["2001:db8:0:96ce::/64", "2001:db8:0:96ff:ff:ff:ff:ff"].map { try! IPv6Prefix.parse($0).get() }),
            exclude: TargetTable([try! IPv6Prefix.parse("2001:db8:0:96ce::dead").get()]), dad: dad)
    }

    static let facts = InterfaceFacts(name: "br0", mac: hostMAC, addresses: [IPv6Address.linkLocal(for: hostMAC)])

    static func ns(for target: IPv6Address) -> NeighborSolicitation {
        NeighborSolicitation(
            source: routerAddress, destination: target.solicitedNodeMulticast, targetAddress: target,
            sourceLinkLayerAddress: router, linkLayerSource: router)
    }

    static func dad(for target: IPv6Address, from prober: MACAddress) -> NeighborSolicitation {
        NeighborSolicitation(
            source: .unspecified, destination: target.solicitedNodeMulticast, targetAddress: target,
            linkLayerSource: prober)
    }

    /// The table with `target` in `state` (owner `guestA`), at time 0.
    static func guests(_ state: GuestState?) -> GuestNeighborCache {
        var guests = GuestNeighborCache(settings: LiveSettings())
        let evidence: GuestEvidence? =
            switch state {
            case .live: .advertisement(guestA)
            case .stale: .kernel(.stale, guestA)
            case .tentative: .duplicateAddressProbe(guestA)
            case .probing, .invalid, nil: nil
            }
        if let evidence { guests.observe(evidence, for: target, at: 0) { _, _ in } }
        if state == .probing {
            _ = guests.solicit(
                target, from: WaitingSolicitation(solicitation: ns(for: target), frameIndex: 0, time: 0), at: 0)
        }
        return guests
    }

    static func answer(_ solicitation: NeighborSolicitation, dad: DADPolicy = .ignore) -> Decision {
        decide(solicitation, rule: rule(dad: dad), interface: facts, knownOwner: guestA)
    }

    @Test(
        "upstream NS in live mode",
        arguments: [
            (
                "an unknown guest: the solicitor waits, the first probe leaves", ns(for: target), DADPolicy.ignore,
                GuestState?.none,
                LiveVerdict.waiting, ProbeRequest?.some(ProbeRequest(target: target, destination: .solicitedNode))
            ),
            ("a LIVE guest: answered", ns(for: target), .ignore, .live, .decided(answer(ns(for: target))), nil),
            (
                "a STALE guest: answered and re-probed at its MAC", ns(for: target), .ignore, .stale,
                .decided(answer(ns(for: target))),
                ProbeRequest(target: target, destination: .unicast(guestA))
            ),
            ("a TENTATIVE guest: ignored", ns(for: target), .ignore, .tentative, .ignored(.tentative), nil),
            (
                "the exact target: answered as in static mode", ns(for: gateway), .ignore, nil,
                .decided(answer(ns(for: gateway))), nil
            ),
            (
                "outside the targets: static mode's reason", ns(for: IPv6Address("2001:db8:1::1")!), .ignore, nil,
                .decided(.ignore(.notConfigured)), nil
            ),
            (
                "excluded: static mode's reason", ns(for: IPv6Address("2001:db8:0:96ce::dead")!), .ignore, nil,
                .decided(.ignore(.excluded)), nil
            ),
            (
                "a DAD probe with dad = ignore", dad(for: target, from: guestB), .ignore, .live,
                .decided(.ignore(.dad)), nil
            ),
            (
                "defend: an impostor's DAD probe for a LIVE guest is answered", dad(for: target, from: guestB), .defend,
                .live,
                .decided(answer(dad(for: target, from: guestB), dad: .defend)), nil
            ),
            (
                "defend: the owner's own DAD probe is not", dad(for: target, from: guestA), .defend, .live,
                .decided(.ignore(.dadFromOwner)), nil
            ),
            (
                "defend: nor a probe for a STALE address", dad(for: target, from: guestB), .defend, .stale,
                .decided(.ignore(.dad)), nil
            ),
            (
                "defend: nor for an unknown one, and it is not probed", dad(for: target, from: guestB), .defend, nil,
                .decided(.ignore(.dad)), nil
            ),
        ])
    func verdicts(
        _ name: String, _ solicitation: NeighborSolicitation, _ dad: DADPolicy, _ state: GuestState?,
        _ verdict: LiveVerdict, _ probe: ProbeRequest?
    ) {
        var guests = Self.guests(state)
        let before = guests.count
        let result = decideLive(
            solicitation, rule: Self.rule(dad: dad), interface: Self.facts, guests: &guests,
            frameIndex: 1, at: 10)
        #expect(result.verdict == verdict, "\(name)")
        #expect(result.probe == probe, "\(name)")
        if case .decided(.ignore) = verdict { #expect(guests.count == before, "\(name): the table is not asked") }
    }

    @Test("a probe request becomes a frame from the guest interface's link-local address and MAC")
    func probeFrame() throws {
        let request = ProbeRequest(target: Self.target, destination: .unicast(Self.guestA))
        let probe = try #require(request.probe(from: Self.facts))
        #expect(probe.source == IPv6Address.linkLocal(for: Self.hostMAC))
        #expect(probe.interfaceMAC == Self.hostMAC)
        #expect(probe.ethernetDestination == Self.guestA)
        #expect(probe.ipDestination == Self.target)
    }
}
