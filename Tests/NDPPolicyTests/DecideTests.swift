import NDPPolicy
import NDPWire
import Testing

/// Table-driven cases for `decide`: one row per rule of ARCHITECTURE.md "Protocol rules".
struct DecideTests {
    static let mac = MACAddress("02:00:00:00:00:01")!
    static let router = MACAddress("02:00:00:00:0a:01")!
    static let guest = MACAddress("02:00:00:00:0b:02")!
    /// The provider's gateway, a global solicitor.
    static let gateway = "2001:db8:0:96ff:ff:ff:ff:ff"

    static func rule(
        dad: DADPolicy = .ignore, source: SourceSelection = .automatic,
        routerFlag: Bool = true, override: Bool = false
    ) -> ProxyRule {
        ProxyRule(
            interface: "br0",
            targets: TargetTable(
                ["2001:db8:0:96ce::/64", "2001:db8:0:96ff:ff:ff:ff:ff", "2001:db8:1::/120"]
                    .map { try! IPv6Prefix.parse($0).get() }),
            exclude: TargetTable([try! IPv6Prefix.parse("2001:db8:0:96ce::dead").get()]),
            router: routerFlag, override: override, dad: dad, source: source)
    }

    static let facts = InterfaceFacts(
        name: "br0", mac: mac,
        addresses: [
            IPv6Address.linkLocal(for: mac), IPv6Address("2001:db8:0:96ce::1")!, IPv6Address("2001:db8:0:96ff::1")!,
        ])

    static func ns(
        _ source: String, target: String, slla: MACAddress? = router,
        linkSource: MACAddress = router
    ) -> NeighborSolicitation {
        let src = IPv6Address(source)!
        let tgt = IPv6Address(target)!
        return NeighborSolicitation(
            source: src, destination: src.isUnspecified ? tgt.solicitedNodeMulticast : tgt.solicitedNodeMulticast,
            targetAddress: tgt, sourceLinkLayerAddress: src.isUnspecified ? nil : slla,
            linkLayerSource: linkSource)
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var source: String
        var target: String
        var expected: String  // "answer" or the reason word
        var testDescription: String { name }

        /// `name`: an NS from `source` for `target` is answered (`expected` "answer") or ignored
        /// for the reason `expected`.
        init(_ name: String, _ target: String, _ expected: String, from source: String = "fe80::1") {
            (self.name, self.source, self.target, self.expected) = (name, source, target, expected)
        }
    }

    static let rows: [Row] = [
        Row("guest /128 inside the /64", "2001:db8:0:96ce::2", "answer", from: gateway),
        Row("random address of the /64", "2001:db8:0:96ce:5e1a:7f3b:c2d9:84e6", "answer", from: gateway),
        Row("gateway /128", gateway, "answer", from: "2001:db8:0:96ce::2"),
        Row("host's own global", "2001:db8:0:96ce::1", "own-address", from: gateway),
        Row("host's own link-local", "fe80::ff:fe00:1", "link-local-target"),
        Row("link-local target", "fe80::2", "link-local-target"),
        Row("unspecified target", "::", "unspecified-target"),
        Row("excluded", "2001:db8:0:96ce::dead", "excluded"),
        Row("subnet-router anycast", "2001:db8:0:96ce::", "subnet-router-anycast"),
        Row("RFC 2526 lowest", "2001:db8:0:96ce:fdff:ffff:ffff:ff80", "reserved-anycast"),
        Row("RFC 2526 highest", "2001:db8:0:96ce:fdff:ffff:ffff:ffff", "reserved-anycast"),
        Row("just below RFC 2526", "2001:db8:0:96ce:fdff:ffff:ffff:ff7f", "answer"),
        Row("/120 subnet-router anycast", "2001:db8:1::", "subnet-router-anycast"),
        Row("/120 reserved top", "2001:db8:1::ff", "reserved-anycast"),
        Row("/120 lowest reserved", "2001:db8:1::80", "reserved-anycast"),
        Row("/120 below reserved", "2001:db8:1::7f", "answer"),
        Row("/120 low host", "2001:db8:1::5", "answer"),
        Row("outside every target", "2001:db8:0:96cf::2", "not-configured"),
        Row("the host's own NS (its address)", "2001:db8:0:96ce::2", "from-self", from: "2001:db8:0:96ce::1"),
        Row("the host's own NS (its link-local)", "2001:db8:0:96ce::2", "from-self", from: "fe80::ff:fe00:1"),
        Row("DAD probe, default policy", "2001:db8:0:96ce::2", "dad", from: "::"),
    ]

    /// The advertisement `decide` answers `ns` with under `rule`; an issue (and nil) when it
    /// does not answer.
    static func answer(
        _ ns: NeighborSolicitation, rule: ProxyRule = rule(), knownOwner: MACAddress? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> NeighborAdvertisement? {
        let decision = decide(ns, rule: rule, interface: facts, knownOwner: knownOwner)
        guard case .answer(let na) = decision else {
            Issue.record("expected an answer, got \(decision)", sourceLocation: sourceLocation)
            return nil
        }
        return na
    }

    @Test(arguments: rows)
    func decision(_ row: Row) {
        let decision = decide(
            Self.ns(row.source, target: row.target), rule: Self.rule(), interface: Self.facts, knownOwner: nil)
        #expect((decision.reason ?? "answer") == row.expected, "\(row.name): \(decision)")
    }

    @Test func unicastAnswerIsSolicitedToTheSolicitorsLinkAddress() throws {
        guard let na = Self.answer(Self.ns("fe80::a", target: "2001:db8:0:96ce::2")) else { return }
        #expect(na.flags == [.router, .solicited])
        #expect(na.destination == IPv6Address("fe80::a")!)
        #expect(na.ethernetDestination == Self.router)
        #expect(na.ethernetSource == Self.mac)
        #expect(na.targetLinkLayerAddress == Self.mac)
        #expect(na.source == Self.facts.linkLocal, "auto source for a link-local solicitor is link-local")
    }

    @Test func autoSourceIsGlobalForAGlobalSolicitorClosestPrefixFirst() throws {
        guard let na = Self.answer(Self.ns(Self.gateway, target: "2001:db8:0:96ce::2")) else { return }
        #expect(na.source == IPv6Address("2001:db8:0:96ff::1")!)
    }

    @Test(arguments: [
        (SourceSelection.linkLocal, "fe80::ff:fe00:1"),
        (SourceSelection.target, "2001:db8:0:96ce::2"),
        (SourceSelection.address(IPv6Address("2001:db8::99")!), "2001:db8::99"),
    ])
    func sourceSelection(_ selection: SourceSelection, _ expected: String) {
        let ns = Self.ns(Self.gateway, target: "2001:db8:0:96ce::2")
        guard let na = Self.answer(ns, rule: Self.rule(source: selection)) else { return }
        #expect(na.source == IPv6Address(expected)!)
    }

    @Test func flagsFollowTheRule() {
        let ns = Self.ns("fe80::a", target: "2001:db8:0:96ce::2")
        guard let na = Self.answer(ns, rule: Self.rule(routerFlag: false, override: true)) else { return }
        #expect(na.flags == [.solicited, .override])
    }

    @Test func nudProbeWithoutSLLAIsAnsweredToTheFrameSource() {
        let ns = Self.ns("fe80::a", target: "2001:db8:0:96ce::2", slla: nil, linkSource: Self.guest)
        guard let na = Self.answer(ns) else { return }
        #expect(na.ethernetDestination == Self.guest)
    }

    @Test func defendAnswersAnImpostorsProbeToAllNodesWithoutSAtTheImpostorsMAC() {
        let probe = Self.ns("::", target: "2001:db8:0:96ce::2", linkSource: Self.router)
        guard let na = Self.answer(probe, rule: Self.rule(dad: .defend), knownOwner: Self.guest) else { return }
        #expect(!na.flags.contains(.solicited), "never S=1 to a multicast destination")
        #expect(na.destination == IPv6Address.allNodes)
        // Only the impostor hears it: the owner, which may be doing DAD itself, never does.
        #expect(na.ethernetDestination == Self.router)
    }

    @Test func defendLeavesTheOwnersProbeAndUnknownOwners() {
        let probe = Self.ns("::", target: "2001:db8:0:96ce::2", linkSource: Self.guest)
        #expect(
            decide(probe, rule: Self.rule(dad: .defend), interface: Self.facts, knownOwner: Self.guest)
                == .ignore(.dadFromOwner))
        #expect(decide(probe, rule: Self.rule(dad: .defend), interface: Self.facts, knownOwner: nil) == .ignore(.dad))
        #expect(
            decide(probe, rule: Self.rule(dad: .ignore), interface: Self.facts, knownOwner: Self.router)
                == .ignore(.dad))
    }

    @Test func ownerTableIsBoundedAndForgetsTheOldest() {
        var table = OwnerTable(capacity: 3)
        for i in 1...5 { table.learn(IPv6Address(high: 1, low: UInt64(i)), mac: Self.guest) }
        #expect(table.count == 3)
        #expect(table.owner(of: IPv6Address(high: 1, low: 1)) == nil)
        #expect(table.owner(of: IPv6Address(high: 1, low: 2)) == nil)
        #expect(table.owner(of: IPv6Address(high: 1, low: 5)) == Self.guest)
        table.learn(IPv6Address(high: 1, low: 5), mac: Self.router)
        #expect(table.owner(of: IPv6Address(high: 1, low: 5)) == Self.router)
        #expect(table.count == 3)
    }
}
