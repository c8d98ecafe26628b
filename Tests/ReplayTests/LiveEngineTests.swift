import NDPDaemon
import NDPIO
import NDPPolicy
import NDPWire
import TestSupport
import Testing

/// The engine in live mode (ARCHITECTURE.md, "Live guests"), fed frames on a clock of its own:
/// a first contact is answered in the turn of the guest's advertisement and reported with it,
/// an absent address is probed `probes` times then ignored, a guest's DAD is never answered,
/// and every solicitation gets exactly one outcome.
struct LiveEngineTests {
    // The host, guest and gateway of TestSupport's Fixture; a router of its own.
    static let hostMAC = Fixture.interfaceMAC
    static let routerMAC = MACAddress("52:54:00:00:00:fe")!
    static let guestMAC = Fixture.guestMAC
    static let router = IPv6Address("fe80::5054:ff:fe00:fe")!
    static let guest = Fixture.target
    static let gateway = Fixture.routerGlobal

    static func rule(_ change: (inout LiveSettings) -> Void = { _ in }) -> ProxyRule {
        var settings = LiveSettings()
        change(&settings)
        return ProxyRule(
            interface: "br0",
            targets: TargetTable(
                ["2001:db8:0:96ce::/64", "2001:db8:0:96ff:ff:ff:ff:ff"].map { try! IPv6Prefix.parse($0).get() }),
            mode: .live, live: settings)
    }
    static let facts = InterfaceFacts(name: "br0", mac: hostMAC, addresses: [IPv6Address.linkLocal(for: hostMAC)])

    /// The router's multicast NS for `target` (built as a probe is: same wire form).
    static func upstreamSolicitation(_ target: IPv6Address) -> [UInt8] {
        SolicitationProbe(target: target, source: router, interfaceMAC: routerMAC)!.frameBytes
    }

    /// The guest's solicited NA for `target`, to the host's link-local address.
    static func guestAdvertisement(_ target: IPv6Address, from mac: MACAddress = guestMAC) -> [UInt8] {
        let na = NeighborAdvertisement(
            ethernetDestination: hostMAC, ethernetSource: mac, source: target,
            destination: IPv6Address.linkLocal(for: hostMAC), flags: [.solicited, .override],
            targetAddress: target, targetLinkLayerAddress: mac)
        return na.frameBytes
    }

    /// A DAD probe for `target` from the guest (RFC 4862 §5.4.2): source `::`, no option.
    static func dadProbe(_ target: IPv6Address) -> [UInt8] { TestFrames.dadProbe(target, from: guestMAC) }

    /// What the engine did, frame by frame.
    struct Run: ~Copyable {
        var engine: Engine
        var outcomes: [(frame: Int, outcome: SolicitationOutcome)] = []
        var answers: [(frame: [UInt8], time: FrameTime)] = []
        var probes: [(frame: [UInt8], time: FrameTime)] = []
        var index = 0

        init(rule: ProxyRule) { engine = Engine(rule: rule, interface: LiveEngineTests.facts) }

        /// Hands `frame` to the engine at `milliseconds`; returns its index.
        @discardableResult
        mutating func take(_ frame: [UInt8], at milliseconds: Int64) -> Int {
            index += 1
            let header = PacketHeader(
                index: index, seconds: Int(milliseconds / 1_000), microseconds: Int(milliseconds % 1_000) * 1_000,
                capturedLength: frame.count, originalLength: frame.count)
            var outcomes = self.outcomes
            var answers = self.answers
            var probes = self.probes
            engine.handle(
                frame: frame.span, linkType: .ethernet, header: header,
                send: { bytes, header in answers.append((Self.copy(bytes), Self.time(header))) },
                probe: { bytes, header, _ in probes.append((Self.copy(bytes), Self.time(header))) },
                emit: { outcome, header in outcomes.append((header.index, outcome)) })
            (self.outcomes, self.answers, self.probes) = (outcomes, answers, probes)
            return index
        }

        /// Runs the timers until every waiting solicitation is decided (the end of a replay).
        mutating func settle() {
            var outcomes = self.outcomes
            var answers = self.answers
            var probes = self.probes
            engine.settle(
                send: { bytes, header in answers.append((Self.copy(bytes), Self.time(header))) },
                probe: { bytes, header, _ in probes.append((Self.copy(bytes), Self.time(header))) },
                emit: { outcome, header in outcomes.append((header.index, outcome)) })
            (self.outcomes, self.answers, self.probes) = (outcomes, answers, probes)
        }

        static func copy(_ bytes: Span<UInt8>) -> [UInt8] { (0..<bytes.count).map { bytes[$0] } }

        static func time(_ header: PacketHeader) -> FrameTime {
            FrameTime(header.seconds) * 1_000_000 + FrameTime(header.microseconds)
        }
    }

    @Test func firstContactIsAnsweredWhenTheGuestAnswersTheProbe() throws {
        var run = Run(rule: Self.rule())
        let asked = run.take(Self.upstreamSolicitation(Self.guest), at: 1_000)
        #expect(run.outcomes.isEmpty, "the solicitation waits for the guest")
        #expect(run.answers.isEmpty)
        // One probe, in the same turn: to 33:33:ff + the target's last 24 bits, from the host's
        // link-local address and MAC, with the host's SLLA.
        let probe = try #require(run.probes.first)
        #expect(run.probes.count == 1 && probe.time == 1_000_000)
        let decoded = try NeighborSolicitation(decoding: probe.frame.span, linkType: .ethernet)
        #expect(decoded.targetAddress == Self.guest)
        #expect(decoded.source == IPv6Address.linkLocal(for: Self.hostMAC))
        #expect(decoded.destination == Self.guest.solicitedNodeMulticast)
        #expect(decoded.sourceLinkLayerAddress == Self.hostMAC)
        #expect(Array(probe.frame[0..<6]) == [0x33, 0x33, 0xFF, 0x00, 0x00, 0x02])
        #expect(Array(probe.frame[6..<12]) == [0x02, 0, 0, 0, 0, 0x01])

        let confirming = run.take(Self.guestAdvertisement(Self.guest), at: 1_002)
        let reported = try #require(run.outcomes.first)
        #expect(run.outcomes.count == 1)
        #expect(reported.frame == asked && reported.outcome.confirmedBy == confirming)
        guard case .answer(let advertisement) = reported.outcome.decision else {
            Issue.record("not answered: \(reported.outcome.decision)")
            return
        }
        #expect(advertisement.targetAddress == Self.guest && advertisement.targetLinkLayerAddress == Self.hostMAC)
        // The answer leaves when the guest's NA is handled.
        #expect(run.answers.count == 1 && run.answers.first?.time == 1_002_000)
        let table = run.engine.guests
        let guests = try #require(table)
        #expect(guests.state(of: Self.guest) == .live)
        #expect(guests.counters.roundTrips.count == 1 && guests.counters.roundTrips.sum == 2_000)
        #expect(run.engine.statistics.answered == 1 && run.engine.statistics.solicitations == 1)

        // Now LIVE: the next solicitation is answered at once, with no probe.
        run.take(Self.upstreamSolicitation(Self.guest), at: 2_000)
        #expect(run.outcomes.count == 2 && run.outcomes[1].outcome.confirmedBy == nil)
        #expect(run.probes.count == 1 && run.answers.count == 2)
    }

    @Test func anAbsentAddressIsProbedThenIgnoredNotLive() throws {
        let absent = IPv6Address("2001:db8:0:96ce::a:b5e")!
        var run = Run(rule: Self.rule())
        let first = run.take(Self.upstreamSolicitation(absent), at: 0)
        // The router asks again every 200 ms for 3 s, while the probes run and after.
        for step in 1...15 { run.take(Self.upstreamSolicitation(absent), at: Int64(step) * 200) }
        run.settle()
        #expect(run.answers.isEmpty)
        // 3 probes 500 ms apart, then not-live for `negative` (3 s): no more probes.
        #expect(run.probes.map(\.time) == [0, 500_000, 1_000_000])
        #expect(run.outcomes.count == 16, "one outcome per solicitation")
        #expect(Set(run.outcomes.map(\.frame)) == Set(1...16))
        let firstOutcome = try #require(run.outcomes.first { $0.frame == first })
        #expect(firstOutcome.outcome.decision == .ignore(.notLive))
        // While probing (0 to 1.5 s), the queue takes 4 solicitors (at 0, 0.2, 0.4 and 0.6 s); those
        // at 0.8 to 1.4 s find it full; the 4 queued and every later one are not-live.
        let reasons = run.outcomes.sorted { $0.frame < $1.frame }.map { $0.outcome.decision.reason ?? "answer" }
        #expect(
            reasons == [
                "not-live", "not-live", "not-live", "not-live", "queue-full", "queue-full", "queue-full",
                "queue-full",
            ] + Array(repeating: "not-live", count: 8))
        #expect(run.engine.statistics.ignoredTotal == 16)
    }

    @Test func aGuestsDADIsNeverAnsweredThenLearned() throws {
        var run = Run(rule: Self.rule())
        run.take(Self.dadProbe(Self.guest), at: 0)
        #expect(run.outcomes.count == 1 && run.outcomes[0].outcome.decision == .ignore(.dad))
        run.take(Self.upstreamSolicitation(Self.guest), at: 500)
        #expect(run.outcomes.count == 2 && run.outcomes[1].outcome.decision == .ignore(.tentative))
        #expect(run.probes.isEmpty && run.answers.isEmpty)
        // 1.2 s after the last DAD probe the address is LIVE: answered with no probe.
        run.take(Self.upstreamSolicitation(Self.guest), at: 1_300)
        guard case .answer = run.outcomes[2].outcome.decision else {
            Issue.record("\(run.outcomes[2].outcome.decision)")
            return
        }
        #expect(run.probes.isEmpty)
    }

    /// An NA from a MAC learned behind the uplink port is no guest's evidence: the address stays
    /// unknown, and the next solicitation for it is probed rather than answered.
    @Test func advertisementsFromUpstreamAreNoEvidence() {
        var run = Run(rule: Self.rule())
        run.engine.upstreamMACs = [Self.routerMAC]
        run.take(Self.guestAdvertisement(Self.guest, from: Self.routerMAC), at: 0)
        #expect(run.engine.guests?.state(of: Self.guest) == nil)
        run.take(Self.upstreamSolicitation(Self.guest), at: 10)
        #expect(run.outcomes.isEmpty && run.probes.count == 1)
        // The same NA from a guest's MAC is.
        run.take(Self.guestAdvertisement(Self.guest), at: 20)
        #expect(run.engine.guests?.state(of: Self.guest) == .live && run.outcomes.count == 1)
    }

    /// Guests on another interface (`guest-interfaces = ["vmbr1"]`): the probe is built from
    /// that interface's address and MAC, leaves on it, and the guest's NA captured there answers
    /// the solicitor on the rule's interface.
    @Test func probesLeaveOnTheGuestInterfaceAndItsFramesConfirm() throws {
        let vmbr1MAC = MACAddress("02:00:00:00:00:11")!
        var engine = Engine(rule: Self.rule(), interface: Self.facts)
        engine.guestSides = [
            InterfaceFacts(name: "vmbr1", mac: vmbr1MAC, addresses: [IPv6Address.linkLocal(for: vmbr1MAC)])
        ]
        var probes: [(frame: [UInt8], side: Int)] = []
        var outcomes: [SolicitationOutcome] = []
        var answers = 0
        let ns = Self.upstreamSolicitation(Self.guest)
        engine.handle(
            frame: ns.span, linkType: .ethernet,
            header: PacketHeader(
                index: 1, seconds: 0, microseconds: 0, capturedLength: ns.count, originalLength: ns.count),
            send: { _, _ in answers += 1 }, probe: { bytes, _, side in probes.append((Run.copy(bytes), side)) },
            emit: { outcome, _ in outcomes.append(outcome) })
        let probe = try #require(probes.first)
        #expect(probes.count == 1 && probe.side == 0)
        #expect(Array(probe.frame[6..<12]) == [0x02, 0, 0, 0, 0, 0x11])
        #expect(
            try NeighborSolicitation(decoding: probe.frame.span, linkType: .ethernet).source
                == IPv6Address.linkLocal(for: vmbr1MAC))
        let na = Self.guestAdvertisement(Self.guest)
        engine.observeGuestFrame(
            na.span, linkType: .ethernet,
            header: PacketHeader(
                index: 1, seconds: 0, microseconds: 500, capturedLength: na.count, originalLength: na.count),
            side: 0, send: { _, _ in answers += 1 }, probe: { _, _, _ in },
            emit: { outcome, _ in outcomes.append(outcome) })
        #expect(answers == 1 && outcomes.count == 1)
        #expect(engine.guests?.state(of: Self.guest) == .live)
    }

    /// `guest-interfaces = "routes"`: an address no route leads to a guest side is ignored with
    /// `no-guest-route` (no probe); one whose route leads to side 1 is probed there only, and
    /// only a frame of that side is its evidence.
    @Test func routesChooseTheGuestSide() throws {
        let macs = [MACAddress("02:00:00:00:00:11")!, MACAddress("02:00:00:00:00:12")!]
        var engine = Engine(rule: Self.rule(), interface: Self.facts)
        engine.guestSides = macs.enumerated().map { index, mac in
            InterfaceFacts(name: "vmbr\(index + 1)", mac: mac, addresses: [IPv6Address.linkLocal(for: mac)])
        }
        engine.guestSideIndexes = [11, 12]
        var routes = GuestRoutes(for: Self.rule())
        // The default route leads back upstream (index 2, not a guest side); the guest's /128 to vmbr2.
        routes.add(GuestRoutes.Route(interfaceIndex: 2, metric: 1024), for: try IPv6Prefix.parse("::/0").get())
        routes.add(
            GuestRoutes.Route(interfaceIndex: 12, metric: 1024), for: try IPv6Prefix.parse("\(Self.guest)").get())
        engine.guestRoutes = routes
        var probes: [Int] = []
        var outcomes: [SolicitationOutcome] = []
        var answers = 0
        func take(_ frame: [UInt8], side: Int? = nil, at microseconds: Int) {
            let header = PacketHeader(
                index: 1, seconds: 0, microseconds: microseconds, capturedLength: frame.count,
                originalLength: frame.count)
            if let side {
                engine.observeGuestFrame(
                    frame.span, linkType: .ethernet, header: header, side: side, send: { _, _ in answers += 1 },
                    probe: { _, _, side in probes.append(side) }, emit: { outcome, _ in outcomes.append(outcome) })
            } else {
                engine.handle(
                    frame: frame.span, linkType: .ethernet, header: header, send: { _, _ in answers += 1 },
                    probe: { _, _, side in probes.append(side) }, emit: { outcome, _ in outcomes.append(outcome) })
            }
        }
        let other = IPv6Address("2001:db8:0:96ce::3")!
        take(Self.upstreamSolicitation(other), at: 0)
        #expect(outcomes.last?.decision == .ignore(.noGuestRoute) && probes.isEmpty)
        take(Self.upstreamSolicitation(Self.guest), at: 10)
        #expect(probes == [1] && answers == 0)
        // The guest's NA seen on vmbr1, where its route does not lead: no evidence.
        take(Self.guestAdvertisement(Self.guest), side: 0, at: 20)
        #expect(answers == 0 && engine.guests?.state(of: Self.guest) != .live)
        take(Self.guestAdvertisement(Self.guest), side: 1, at: 30)
        #expect(answers == 1 && engine.guests?.state(of: Self.guest) == .live)
        let evidence = [
            engine.isGuestEvidence(Self.guest, onInterface: 12), engine.isGuestEvidence(Self.guest, onInterface: 11),
            engine.isGuestEvidence(other, onInterface: 11),
        ]
        #expect(evidence == [true, false, false])
    }

    @Test func exactTargetsAreAnsweredAtOnce() {
        var run = Run(rule: Self.rule())
        run.take(Self.upstreamSolicitation(Self.gateway), at: 0)
        #expect(run.outcomes.count == 1 && run.answers.count == 1 && run.probes.isEmpty)
    }

    @Test func aStaleGuestIsAnsweredAndReprobedByUnicast() throws {
        var run = Run(rule: Self.rule { $0.reachable = .seconds(2) })
        run.take(Self.guestAdvertisement(Self.guest), at: 0)
        #expect(run.engine.guests?.state(of: Self.guest) == .live)
        run.take(Self.upstreamSolicitation(Self.guest), at: 2_500)
        #expect(run.engine.guests?.state(of: Self.guest) == .stale)
        #expect(run.answers.count == 1)
        let probe = try #require(run.probes.first)
        // Unicast to the known MAC (RFC 4861 §7.3.3).
        #expect(Array(probe.frame[0..<6]) == [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef])
        run.take(Self.guestAdvertisement(Self.guest), at: 2_501)
        #expect(run.engine.guests?.state(of: Self.guest) == .live)
        #expect(run.engine.guests?.counters.reprobesSent == 1)
    }

    @Test func liveModeDecidesEachSolicitationAsItArrives() {
        let engine = Engine(rule: Self.rule(), interface: Self.facts, lookahead: 8)
        #expect(engine.waitingCount == 0)
        var run = Run(rule: Self.rule())
        run.take(Self.upstreamSolicitation(Self.gateway), at: 0)
        #expect(run.engine.waitingCount == 0 && run.outcomes.count == 1)
    }
}
