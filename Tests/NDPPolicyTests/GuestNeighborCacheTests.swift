import NDPWire
import Testing

@testable import NDPPolicy

/// The live-guest table driven on a fake clock, as the daemon's loop drives it: every timer runs
/// when `nextDeadline` comes, and every probe and released solicitor is recorded with its time.
struct GuestHarness {
    var cache: GuestNeighborCache
    var now: FrameTime = 1_000_000_000
    var probes: [(time: FrameTime, request: ProbeRequest)] = []
    var released: [(time: FrameTime, solicitor: Int, release: QueueRelease)] = []

    init(_ settings: LiveSettings = LiveSettings()) { cache = GuestNeighborCache(settings: settings) }

    /// Runs the clock to `now + microseconds`, waking at each deadline on the way.
    mutating func wait(_ microseconds: FrameTime) { run(to: now + microseconds) }

    mutating func run(to time: FrameTime) {
        while let deadline = cache.nextDeadline, deadline <= time {
            now = max(now, deadline)
            tick()
        }
        now = time
    }

    private mutating func tick() {
        var sent: [ProbeRequest] = []
        var freed: [(Int, QueueRelease)] = []
        cache.tick(at: now, probe: { sent.append($0) }, release: { freed.append(($0.frameIndex, $1)) })
        probes += sent.map { (now, $0) }
        released += freed.map { (now, $0.0, $0.1) }
    }

    /// An upstream solicitation for `target`, numbered `solicitor` (its frame index).
    static func waiting(_ target: IPv6Address, _ solicitor: Int, at time: FrameTime) -> WaitingSolicitation {
        WaitingSolicitation(
            solicitation: NeighborSolicitation(
                source: IPv6Address("fe80::a:1")!,
                destination: target.solicitedNodeMulticast,
                targetAddress: target),
            frameIndex: solicitor, time: time)
    }

    mutating func solicit(_ target: IPv6Address, _ solicitor: Int = 0) -> LiveDecision {
        let decision = cache.solicit(target, from: Self.waiting(target, solicitor, at: now), at: now)
        switch decision {
        case .queued(let probe?), .answerAndProbe(let probe): probes.append((now, probe))
        default: break
        }
        return decision
    }

    @discardableResult
    mutating func observe(_ evidence: GuestEvidence, _ target: IPv6Address) -> GuestState? {
        var freed: [(Int, QueueRelease)] = []
        let state = cache.observe(evidence, for: target, at: now) { freed.append(($0.frameIndex, $1)) }
        released += freed.map { (now, $0.0, $0.1) }
        return state
    }

    func state(_ target: IPv6Address) -> GuestState? { cache.state(of: target) }
}

enum Guests {
    static let a = IPv6Address("2001:db8:0:96ce::a")!
    static let b = IPv6Address("2001:db8:0:96ce::b")!
    static let macA = MACAddress("52:54:00:00:00:0a")!
    static let macB = MACAddress("52:54:00:00:00:0b")!
    static func address(_ n: Int) -> IPv6Address { IPv6Address(high: 0x2001_0db8_0000_96ce, low: UInt64(n)) }
    static func settings(_ change: (inout LiveSettings) -> Void) -> LiveSettings {
        var settings = LiveSettings()
        change(&settings)
        return settings
    }
    static let multicast = SolicitationProbe.Destination.solicitedNode
}

@Suite("Live guests: states, timers, bounds (ARCHITECTURE.md, \"Live guests\")")
struct GuestNeighborCacheTests {
    // MARK: First contact

    @Test("first contact: the first probe leaves with the NS; the guest's NA releases the solicitor at once")
    func firstContactAnswered() {
        var h = GuestHarness()
        #expect(h.solicit(Guests.a, 7) == .queued(probe: ProbeRequest(target: Guests.a, destination: .solicitedNode)))
        #expect(h.state(Guests.a) == .probing)
        h.wait(300)
        #expect(h.observe(.advertisement(Guests.macA), Guests.a) == .live)
        #expect(h.released.map(\.solicitor) == [7])
        #expect(h.released.first?.release == .answer)
        #expect(h.released.first?.time == h.now, "in the turn the NA arrived")
        #expect(h.cache.linkLayerAddress(of: Guests.a) == Guests.macA)
        #expect(h.cache.counters.roundTrips.counts[ProbeRoundTrips.upperBounds.firstIndex(of: 500)!] == 1)
        #expect(h.cache.counters.roundTrips.sum == 300)
        #expect(h.cache.firstContactBudget.available(at: h.now) == 199, "the unsent probes of the round went back")
        #expect(h.solicit(Guests.a) == .answer)
        h.wait(5_000_000)
        #expect(h.probes.count == 1, "an answered address is probed no more")
    }

    @Test(
        "probes follow `probe-interval` apart; unanswered, the address is INVALID for `negative`, then forgotten",
        arguments: [(3, FrameTime(500_000), FrameTime(3_000_000)), (1, 100_000, 1_000_000), (5, 1_000_000, 10_000_000)])
    func firstContactUnanswered(probes: Int, interval: FrameTime, negative: FrameTime) {
        var h = GuestHarness(
            Guests.settings {
                $0.probes = probes
                $0.probeInterval = .microseconds(interval)
                $0.negative = .microseconds(negative)
            })
        let start = h.now
        _ = h.solicit(Guests.a, 1)
        h.wait(interval * FrameTime(probes) - 1)
        #expect(h.state(Guests.a) == .probing)
        #expect(h.released.isEmpty)
        h.wait(1)
        #expect(h.state(Guests.a) == .invalid)
        #expect(h.probes.map(\.time) == (0..<probes).map { start + FrameTime($0) * interval })
        #expect(h.probes.allSatisfy { $0.request == ProbeRequest(target: Guests.a, destination: .solicitedNode) })
        #expect(h.released.map(\.release) == [.ignore(.notLive)])
        #expect(h.released.first?.time == start + FrameTime(probes) * interval)
        #expect(h.solicit(Guests.a) == .ignore(.notLive))
        h.wait(negative - 1)
        #expect(h.state(Guests.a) == .invalid)
        h.wait(1)
        #expect(h.state(Guests.a) == nil)
        #expect(h.cache.count == 0)
    }

    @Test("an absent address asked for every 100 ms costs at most `probes` probes per round plus `negative`")
    func absentAddressIsProbedSparingly() {
        var h = GuestHarness()
        let start = h.now
        for _ in 0..<300 {  // 30 s of a router asking again and again
            _ = h.solicit(Guests.a)
            h.wait(100_000)
        }
        // Each round: 3 probes over 1.5 s, then 3 s negative: 4.5 s, so 30 s hold 7 rounds.
        let window = FrameTime(3) * 500_000 + 3_000_000
        let rounds = Int((h.now - start + window - 1) / window)
        #expect(h.probes.count <= 3 * rounds)
        #expect(h.probes.count >= 3 * (rounds - 1), "and it is probed again after each window")
    }

    @Test("at most four solicitors wait; the fifth is ignored; all four are answered in order")
    func queueLimit() {
        var h = GuestHarness()
        #expect(h.solicit(Guests.a, 1) != .ignore(.queueFull))
        for solicitor in 2...4 { #expect(h.solicit(Guests.a, solicitor) == .queued(probe: nil)) }
        #expect(h.solicit(Guests.a, 5) == .ignore(.queueFull))
        h.wait(200_000)
        h.observe(.advertisement(Guests.macA), Guests.a)
        #expect(h.released.map(\.solicitor) == [1, 2, 3, 4])
        #expect(h.released.allSatisfy { $0.release == .answer })
        #expect(h.cache.counters.queueAnswered == 4)
        #expect(h.probes.count == 1)
    }

    // MARK: Evidence

    @Test(
        "each kind of evidence for an unknown address",
        arguments: [
            (GuestEvidence.advertisement(Guests.macA), GuestState?.some(.live)),
            (.solicitation(Guests.macA), .live),
            (.duplicateAddressProbe(Guests.macA), .tentative),
            (.kernel(.reachable, Guests.macA), .live),
            (.kernel(.delay, Guests.macA), .live),
            (.kernel(.probe, Guests.macA), .live),
            (.kernel(.permanent, Guests.macA), .live),
            (.kernel(.stale, Guests.macA), .stale),
            (.kernel(.incomplete, nil), nil),
            (.kernel(.failed, Guests.macA), nil),
            (.kernel(.deleted, nil), nil),
        ])
    func evidenceForUnknown(_ evidence: GuestEvidence, _ expected: GuestState?) {
        var h = GuestHarness()
        #expect(h.observe(evidence, Guests.a) == expected)
        #expect(h.state(Guests.a) == expected)
        #expect(h.cache.count == (expected == nil ? 0 : 1))
        #expect(h.probes.isEmpty, "evidence never probes")
    }

    @Test(
        "the kernel's reports on a LIVE address: STALE changes nothing, FAILED and deletion drop it",
        arguments: [
            (KernelNeighborState.stale, GuestState?.some(.live)), (.reachable, .live), (.incomplete, .live),
            (.failed, nil), (.deleted, nil),
        ])
    func kernelOnLive(_ report: KernelNeighborState, _ expected: GuestState?) {
        var h = GuestHarness()
        h.observe(.advertisement(Guests.macA), Guests.a)
        #expect(h.observe(.kernel(report, Guests.macA), Guests.a) == expected)
        #expect(h.state(Guests.a) == expected)
    }

    @Test("the kernel's STALE for an address being probed answers the waiting solicitors")
    func kernelStaleWhileProbing() {
        var h = GuestHarness()
        _ = h.solicit(Guests.a, 3)
        #expect(h.observe(.kernel(.stale, Guests.macA), Guests.a) == .stale)
        #expect(h.released.map(\.solicitor) == [3])
        #expect(h.released.first?.release == .answer)
        #expect(h.observe(.kernel(.failed, nil), Guests.a) == nil, "and FAILED drops it")
    }

    @Test(
        "an INVALID address is LIVE again at the first passive evidence",
        arguments: [
            GuestEvidence.advertisement(Guests.macA), .solicitation(Guests.macA), .kernel(.reachable, Guests.macA),
        ])
    func invalidEndsOnEvidence(_ evidence: GuestEvidence) {
        var h = GuestHarness()
        _ = h.solicit(Guests.a)
        h.wait(1_500_000)
        #expect(h.state(Guests.a) == .invalid)
        h.wait(10)
        #expect(h.observe(evidence, Guests.a) == .live)
        #expect(h.solicit(Guests.a) == .answer)
    }

    // MARK: LIVE, STALE and re-probes

    @Test(
        "LIVE lasts `reachable` after the last evidence; new evidence renews it",
        arguments: [
            FrameTime(30_000_000), 1_000_000, 300_000_000,
        ])
    func liveLastsReachable(reachable: FrameTime) {
        var h = GuestHarness(Guests.settings { $0.reachable = .microseconds(reachable) })
        h.observe(.solicitation(Guests.macA), Guests.a)
        h.wait(reachable / 2)
        h.observe(.advertisement(Guests.macA), Guests.a)
        h.wait(reachable - 1)
        #expect(h.state(Guests.a) == .live)
        h.wait(1)
        #expect(h.state(Guests.a) == .stale)
        #expect(h.solicit(Guests.a).isAnswer, "STALE is still answered")
    }

    @Test("STALE: answered at once, re-probed with 3 unicast NS 1 s apart, then one multicast; no answer: INVALID")
    func staleReprobeUnanswered() {
        var h = GuestHarness()
        h.observe(.advertisement(Guests.macA), Guests.a)
        h.wait(30_000_000)
        let start = h.now
        #expect(
            h.solicit(Guests.a) == .answerAndProbe(ProbeRequest(target: Guests.a, destination: .unicast(Guests.macA))))
        #expect(h.solicit(Guests.a) == .answer, "one re-probe at a time")
        h.wait(3_999_999)
        #expect(h.state(Guests.a) == .stale)
        #expect(h.solicit(Guests.a) == .answer)
        h.wait(1)
        #expect(h.state(Guests.a) == .invalid, "answers stop within 4 s of the NS that started the re-probe")
        #expect(h.solicit(Guests.a) == .ignore(.notLive))
        #expect(h.probes.map(\.time) == [start, start + 1_000_000, start + 2_000_000, start + 3_000_000])
        #expect(
            h.probes.map(\.request.destination) == [
                .unicast(Guests.macA), .unicast(Guests.macA),
                .unicast(Guests.macA), .solicitedNode,
            ])
        #expect(h.cache.counters.reprobesSent == 4)
        #expect(h.cache.counters.probesSent == 0, "re-probes are counted apart from first contact")
    }

    @Test("a re-probe answered: LIVE again, its round trip counted, the unsent re-probes refunded")
    func staleReprobeAnswered() {
        // One re-probe token a second, four at most: the refund shows against the accrual.
        var h = GuestHarness(Guests.settings { $0.probeRate = 1 })
        h.observe(.advertisement(Guests.macA), Guests.a)
        h.wait(30_000_000)
        _ = h.solicit(Guests.a)
        h.wait(1_000_000 + 1_200)  // answers the second unicast probe after 1.2 ms
        #expect(h.observe(.advertisement(Guests.macA), Guests.a) == .live)
        #expect(h.cache.counters.roundTrips.count == 1)
        #expect(h.cache.counters.roundTrips.sum == 1_200)
        // 4 taken, 1 accrued in the second since, 2 of the 4 unsent and given back.
        #expect(h.cache.reprobeBudget.available(at: h.now) == 3)
        h.wait(10_000_000)
        #expect(h.probes.count == 2)
    }

    @Test("a STALE guest whose MAC is unknown is re-probed at the solicited-node group only")
    func staleWithoutMAC() {
        var h = GuestHarness()
        h.observe(.kernel(.stale, nil), Guests.a)
        _ = h.solicit(Guests.a)
        h.wait(3_000_000)
        #expect(h.probes.map(\.request.destination) == Array(repeating: Guests.multicast, count: 4))
    }

    @Test("a STALE entry nobody asks for is dropped `idle` after it went STALE; asking keeps it")
    func idleStale() {
        var h = GuestHarness(Guests.settings { $0.idle = .seconds(60) })
        h.observe(.kernel(.stale, Guests.macA), Guests.a)
        h.observe(.kernel(.stale, Guests.macB), Guests.b)
        h.wait(59_999_999)
        #expect(h.state(Guests.a) == .stale)
        h.wait(1)
        #expect(h.state(Guests.a) == nil)
        #expect(h.state(Guests.b) == nil)
    }

    // MARK: DAD

    @Test("TENTATIVE: never answered, never probed; LIVE 1.2 s after the last DAD probe")
    func tentative() {
        var h = GuestHarness()
        h.observe(.duplicateAddressProbe(Guests.macA), Guests.a)
        #expect(h.solicit(Guests.a) == .ignore(.tentative))
        h.wait(1_000_000)
        h.observe(.duplicateAddressProbe(Guests.macA), Guests.a)  // a guest with DupAddrDetectTransmits = 2
        h.wait(1_199_999)
        #expect(h.state(Guests.a) == .tentative)
        #expect(
            h.observe(.advertisement(Guests.macA), Guests.a) == .tentative, "the prober's own frames change nothing")
        #expect(h.observe(.kernel(.reachable, Guests.macB), Guests.a) == .tentative, "nor the kernel's table")
        h.wait(1)
        #expect(h.state(Guests.a) == .live)
        #expect(h.cache.linkLayerAddress(of: Guests.a) == Guests.macA)
        #expect(h.solicit(Guests.a) == .answer)
        #expect(h.probes.isEmpty)
    }

    @Test(
        "another MAC's NA (or use) during a DAD: the DAD failed, the defender keeps the address",
        arguments: [
            GuestEvidence.advertisement(Guests.macB), .solicitation(Guests.macB),
        ])
    func dadFailed(_ defence: GuestEvidence) {
        var h = GuestHarness()
        h.observe(.advertisement(Guests.macB), Guests.a)
        h.observe(.duplicateAddressProbe(Guests.macA), Guests.a)
        #expect(h.state(Guests.a) == .tentative)
        h.wait(300_000)
        #expect(h.observe(defence, Guests.a) == .live)
        #expect(h.cache.linkLayerAddress(of: Guests.a) == Guests.macB)
    }

    @Test("a DAD probe for an address being probed drops its solicitors: no answer during DAD")
    func dadWhileProbing() {
        var h = GuestHarness()
        _ = h.solicit(Guests.a, 1)
        _ = h.solicit(Guests.a, 2)
        h.observe(.duplicateAddressProbe(Guests.macA), Guests.a)
        #expect(h.released.map(\.release) == [.ignore(.tentative), .ignore(.tentative)])
        #expect(h.state(Guests.a) == .tentative)
        h.wait(5_000_000)
        #expect(h.probes.count == 1, "no probe after the DAD probe")
    }

    // MARK: Bounds

    @Test("a full table evicts the least recently used STALE entry, never a LIVE one")
    func evictsLeastRecentlyUsedStale() {
        var h = GuestHarness(Guests.settings { $0.maxEntries = 3 })
        h.observe(.kernel(.stale, Guests.macA), Guests.address(1))
        h.wait(10)
        h.observe(.kernel(.stale, Guests.macA), Guests.address(2))
        h.wait(10)
        h.observe(.solicitation(Guests.macA), Guests.address(3))
        // 1 is asked for; its re-probe goes unanswered (INVALID), then the kernel reports it
        // STALE again: it is now the most recently used, and 2 the least.
        #expect(h.solicit(Guests.address(1)).isAnswer)
        h.wait(4_000_001)
        #expect(h.state(Guests.address(1)) == .invalid)
        h.observe(.kernel(.stale, Guests.macA), Guests.address(1))
        #expect(h.cache.count(in: .stale) == 2)
        #expect(h.observe(.solicitation(Guests.macB), Guests.address(4)) == .live)
        #expect(h.state(Guests.address(2)) == nil, "the least recently used STALE entry went")
        #expect(h.state(Guests.address(1)) == .stale)
        #expect(h.cache.counters.evictions == 1)
        #expect(h.observe(.solicitation(Guests.macB), Guests.address(5)) == .live)
        #expect(h.state(Guests.address(1)) == nil)
        #expect(h.observe(.solicitation(Guests.macB), Guests.address(6)) == nil, "only LIVE left: refused")
        #expect(h.cache.counters.refusedFull == 1)
        #expect([3, 4, 5].allSatisfy { h.state(Guests.address($0)) == .live })
    }

    @Test("`max-probing` bounds addresses probed at once; negative entries give way first")
    func maxProbing() {
        var h = GuestHarness(Guests.settings { $0.maxProbing = 2 })
        #expect(h.solicit(Guests.address(1)).isQueued)
        #expect(h.solicit(Guests.address(2)).isQueued)
        #expect(h.solicit(Guests.address(3)) == .ignore(.probeLimit))
        #expect(h.cache.counters.probingFull == 1)
        h.wait(1_500_000)
        #expect(h.cache.count(in: .invalid) == 2)
        #expect(h.solicit(Guests.address(3)).isQueued, "the oldest negative entry gave way")
        #expect(h.state(Guests.address(1)) == nil)
        #expect(h.state(Guests.address(2)) == .invalid)
    }

    @Test(
        "the first-contact budget: a burst of one second's probes, then `probe-rate` a second",
        arguments: [(10, 3), (200, 3), (7, 1)])
    func firstContactBudget(rate: Int, probes: Int) {
        var h = GuestHarness(
            Guests.settings {
                $0.probeRate = rate
                $0.probes = probes
                $0.maxProbing = 100_000
            })
        var admitted = 0
        for n in 0..<1_000 where h.solicit(Guests.address(n + 1)).isQueued { admitted += 1 }
        #expect(admitted == max(rate, probes) / probes, "a whole round is reserved per address")
        #expect(h.cache.counters.probesRefused == UInt64(1_000 - admitted))
        h.wait(1_000_000)
        var later = 0
        for n in 1_000..<2_000 where h.solicit(Guests.address(n + 1)).isQueued { later += 1 }
        #expect(later == rate / probes)
    }

    @Test(
        "a scan of 100k NS/s costs at most `probe-rate` probes a second; a LIVE guest is always answered, a STALE one re-probed"
    )
    func scan() {
        var h = GuestHarness()
        let live = IPv6Address("2001:db8:0:96ce::1")!
        let stale = IPv6Address("2001:db8:0:96ce::2")!
        h.observe(.advertisement(Guests.macA), live)
        h.observe(.kernel(.stale, Guests.macB), stale)
        let start = h.now
        var generator = SystemRandomNumberGenerator()
        var liveMissed = 0
        var staleReprobed = false
        let seconds = 3
        for step in 0..<(seconds * 100_000) {
            h.run(to: start + FrameTime(step) * 10)
            _ = h.solicit(
                IPv6Address(high: 0x2001_0db8_0000_96ce, low: UInt64.random(in: 0x100...UInt64.max, using: &generator)))
            if step % 1_000 == 0 {
                if !h.solicit(live).isAnswer { liveMissed += 1 }
                h.observe(.solicitation(Guests.macA), live)  // the pinged guest keeps talking
            }
            if step == 150_000, case .answerAndProbe = h.solicit(stale) { staleReprobed = true }
        }
        let firstContact = h.probes.filter { $0.request.target != stale }
        #expect(liveMissed == 0)
        #expect(staleReprobed, "the scan did not starve the re-probe budget")
        // One second's burst, then the rate: at most 200 + 200 * 3 probes in 3 s.
        #expect(firstContact.count <= 200 + 200 * seconds)
        #expect(firstContact.count >= 200 * seconds - 3, "and the budget is used, not stalled")
        #expect(h.cache.count(in: .probing) + h.cache.count(in: .invalid) <= 1_024)
        #expect(h.cache.count <= 65_536 + 1_024)
    }

    @Test("settings outside their limits are clamped to them: a table can always be made")
    func clampedSettings() {
        var h = GuestHarness(
            Guests.settings {
                $0.maxEntries = 0
                $0.maxProbing = -5
                $0.probes = 0
                $0.probeRate = 0
                $0.probeInterval = .zero
            })
        #expect(h.solicit(Guests.a, 1).isQueued, "one address may be probed")
        #expect(h.solicit(Guests.b, 2) == .ignore(.probeLimit))
        h.wait(10_000)  // probe-interval at its 10 ms floor, one probe
        #expect(h.state(Guests.a) == .invalid)
        #expect(h.probes.count == 1)
        #expect(h.observe(.advertisement(Guests.macA), Guests.b) == .live, "one address may be known")
        #expect(h.observe(.advertisement(Guests.macA), Guests.address(3)) == nil)
    }

    // MARK: Clock and memory

    @Test("a time earlier than one already seen counts as the latest: timers keep their order")
    func clockNeverGoesBack() {
        var h = GuestHarness()
        _ = h.solicit(Guests.a)
        let deadline = h.cache.nextDeadline
        h.now -= 10_000_000
        _ = h.solicit(Guests.b)
        #expect(h.cache.nextDeadline == deadline)
        var sent: [ProbeRequest] = []
        h.cache.tick(at: h.now, probe: { sent.append($0) }, release: { _, _ in })
        #expect(sent.isEmpty)
    }

    @Test("nextDeadline is the earliest timer of any state, nil when none runs")
    func nextDeadline() {
        var h = GuestHarness()
        #expect(h.cache.nextDeadline == nil)
        h.observe(.solicitation(Guests.macA), Guests.a)
        #expect(h.cache.nextDeadline == h.now + 30_000_000)
        h.observe(.duplicateAddressProbe(Guests.macB), Guests.b)
        #expect(h.cache.nextDeadline == h.now + 1_200_000)
    }

    @Test("a full table costs at most 128 bytes an entry: entries, index and queues, measured by their capacities")
    func memoryPerEntry() {
        let settings = Guests.settings { $0.probeRate = 100_000 }
        var cache = GuestNeighborCache(settings: settings)
        for n in 0..<settings.maxEntries {
            cache.observe(.solicitation(Guests.macA), for: Guests.address(n + 1), at: 0) { _, _ in }
        }
        for n in 0..<settings.maxProbing {
            let target = Guests.address(1_000_000 + n)
            for _ in 0..<GuestNeighborCache.queueLimit {
                _ = cache.solicit(target, from: GuestHarness.waiting(target, n, at: 0), at: 0)
            }
        }
        #expect(cache.count(in: .live) == settings.maxEntries)
        #expect(cache.count(in: .probing) == settings.maxProbing)
        // One more of each kind is refused: the table is full.
        #expect(
            cache.solicit(
                Guests.address(2_000_000), from: GuestHarness.waiting(Guests.address(2_000_000), 0, at: 0), at: 0)
                == .ignore(.probeLimit))
        #expect(cache.observe(.solicitation(Guests.macA), for: Guests.address(2_000_001), at: 0) { _, _ in } == nil)
        let entries = settings.maxEntries + settings.maxProbing
        let perEntry = Double(cache.storageBytes) / Double(entries)
        print(
            "live-guest table, \(entries) entries full: \(cache.storageBytes) bytes, \(perEntry) bytes an entry "
                + "(entry \(MemoryLayout<GuestEntry>.stride) B, waiting solicitation \(MemoryLayout<WaitingSolicitation?>.stride) B)"
        )
        #expect(MemoryLayout<GuestEntry>.stride == 56)
        #expect(perEntry <= 128)
    }
}

extension LiveDecision {
    var isAnswer: Bool {
        switch self {
        case .answer, .answerAndProbe: true
        default: false
        }
    }

    var isQueued: Bool {
        if case .queued = self { true } else { false }
    }
}
