import NDPPolicy
import NDPWire
import Testing

/// Table-driven cases for `decide`: one row per rule of ARCHITECTURE.md "Protocol rules".
struct DecideTests {
    static let mac = MACAddress("02:00:00:00:00:01")!
    static let router = MACAddress("02:00:00:00:0a:01")!
    static let guest = MACAddress("02:00:00:00:0b:02")!

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
    }

    static let rows: [Row] = [
        Row(
            name: "guest /128 inside the /64", source: "2001:db8:0:96ff:ff:ff:ff:ff", target: "2001:db8:0:96ce::2",
            expected: "answer"),
        Row(
            name: "random address of the /64", source: "2001:db8:0:96ff:ff:ff:ff:ff",
            target: "2001:db8:0:96ce:5e1a:7f3b:c2d9:84e6", expected: "answer"),
        Row(
            name: "gateway /128", source: "2001:db8:0:96ce::2", target: "2001:db8:0:96ff:ff:ff:ff:ff",
            expected: "answer"),
        Row(
            name: "host's own global", source: "2001:db8:0:96ff:ff:ff:ff:ff", target: "2001:db8:0:96ce::1",
            expected: "own-address"),
        Row(name: "host's own link-local", source: "fe80::1", target: "fe80::ff:fe00:1", expected: "link-local-target"),
        Row(name: "link-local target", source: "fe80::1", target: "fe80::2", expected: "link-local-target"),
        Row(name: "unspecified target", source: "fe80::1", target: "::", expected: "unspecified-target"),
        Row(name: "excluded", source: "fe80::1", target: "2001:db8:0:96ce::dead", expected: "excluded"),
        Row(
            name: "subnet-router anycast", source: "fe80::1", target: "2001:db8:0:96ce::",
            expected: "subnet-router-anycast"),
        Row(
            name: "RFC 2526 lowest", source: "fe80::1", target: "2001:db8:0:96ce:fdff:ffff:ffff:ff80",
            expected: "reserved-anycast"),
        Row(
            name: "RFC 2526 highest", source: "fe80::1", target: "2001:db8:0:96ce:fdff:ffff:ffff:ffff",
            expected: "reserved-anycast"),
        Row(
            name: "just below RFC 2526", source: "fe80::1", target: "2001:db8:0:96ce:fdff:ffff:ffff:ff7f",
            expected: "answer"),
        Row(
            name: "/120 subnet-router anycast", source: "fe80::1", target: "2001:db8:1::",
            expected: "subnet-router-anycast"),
        Row(name: "/120 reserved top", source: "fe80::1", target: "2001:db8:1::ff", expected: "reserved-anycast"),
        Row(name: "/120 lowest reserved", source: "fe80::1", target: "2001:db8:1::80", expected: "reserved-anycast"),
        Row(name: "/120 below reserved", source: "fe80::1", target: "2001:db8:1::7f", expected: "answer"),
        Row(name: "/120 low host", source: "fe80::1", target: "2001:db8:1::5", expected: "answer"),
        Row(name: "outside every target", source: "fe80::1", target: "2001:db8:0:96cf::2", expected: "not-configured"),
        Row(
            name: "the host's own NS (its address)", source: "2001:db8:0:96ce::1", target: "2001:db8:0:96ce::2",
            expected: "from-self"),
        Row(
            name: "the host's own NS (its link-local)", source: "fe80::ff:fe00:1", target: "2001:db8:0:96ce::2",
            expected: "from-self"),
        Row(name: "DAD probe, default policy", source: "::", target: "2001:db8:0:96ce::2", expected: "dad"),
    ]

    @Test(arguments: rows)
    func decision(_ row: Row) {
        let decision = decide(
            Self.ns(row.source, target: row.target), rule: Self.rule(), interface: Self.facts, knownOwner: nil)
        #expect((decision.reason ?? "answer") == row.expected, "\(row.name): \(decision)")
    }

    @Test func unicastAnswerIsSolicitedToTheSolicitorsLinkAddress() throws {
        let decision = decide(
            Self.ns("fe80::a", target: "2001:db8:0:96ce::2"), rule: Self.rule(), interface: Self.facts, knownOwner: nil)
        guard case .answer(let na) = decision else {
            Issue.record("expected an answer, got \(decision)")
            return
        }
        #expect(na.flags == [.router, .solicited])
        #expect(na.destination == IPv6Address("fe80::a")!)
        #expect(na.ethernetDestination == Self.router)
        #expect(na.ethernetSource == Self.mac)
        #expect(na.targetLinkLayerAddress == Self.mac)
        #expect(na.source == Self.facts.linkLocal, "auto source for a link-local solicitor is link-local")
    }

    @Test func autoSourceIsGlobalForAGlobalSolicitorClosestPrefixFirst() throws {
        let decision = decide(
            Self.ns("2001:db8:0:96ff:ff:ff:ff:ff", target: "2001:db8:0:96ce::2"), rule: Self.rule(),
            interface: Self.facts, knownOwner: nil)
        guard case .answer(let na) = decision else {
            Issue.record("expected an answer")
            return
        }
        #expect(na.source == IPv6Address("2001:db8:0:96ff::1")!)
    }

    @Test(arguments: [
        (SourceSelection.linkLocal, "fe80::ff:fe00:1"),
        (SourceSelection.target, "2001:db8:0:96ce::2"),
        (SourceSelection.address(IPv6Address("2001:db8::99")!), "2001:db8::99"),
    ])
    func sourceSelection(_ selection: SourceSelection, _ expected: String) {
        let decision = decide(
            Self.ns("2001:db8:0:96ff:ff:ff:ff:ff", target: "2001:db8:0:96ce::2"),
            rule: Self.rule(source: selection), interface: Self.facts, knownOwner: nil)
        guard case .answer(let na) = decision else {
            Issue.record("expected an answer")
            return
        }
        #expect(na.source == IPv6Address(expected)!)
    }

    @Test func flagsFollowTheRule() {
        let decision = decide(
            Self.ns("fe80::a", target: "2001:db8:0:96ce::2"),
            rule: Self.rule(routerFlag: false, override: true), interface: Self.facts, knownOwner: nil)
        guard case .answer(let na) = decision else {
            Issue.record("expected an answer")
            return
        }
        #expect(na.flags == [.solicited, .override])
    }

    @Test func nudProbeWithoutSLLAIsAnsweredToTheFrameSource() {
        let ns = Self.ns("fe80::a", target: "2001:db8:0:96ce::2", slla: nil, linkSource: Self.guest)
        guard case .answer(let na) = decide(ns, rule: Self.rule(), interface: Self.facts, knownOwner: nil) else {
            Issue.record("expected an answer")
            return
        }
        #expect(na.ethernetDestination == Self.guest)
    }

    @Test func defendAnswersAnImpostorsProbeToAllNodesWithoutSAtTheImpostorsMAC() {
        let probe = Self.ns("::", target: "2001:db8:0:96ce::2", linkSource: Self.router)
        let decision = decide(probe, rule: Self.rule(dad: .defend), interface: Self.facts, knownOwner: Self.guest)
        guard case .answer(let na) = decision else {
            Issue.record("expected an answer, got \(decision)")
            return
        }
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
