import CacheHints
import NDPPolicy
import NDPWire

/// What the engine made of one frame that was a Neighbor Solicitation.
public struct SolicitationOutcome: Sendable {
    /// The solicitor's IPv6 source address.
    public var source: IPv6Address
    /// The IPv6 destination.
    public var destination: IPv6Address
    /// The target, when the frame held it.
    public var targetAddress: IPv6Address?
    /// The decision.
    public var decision: Decision
    /// Live mode: the index of the guest's Neighbor Advertisement (or other frame of evidence)
    /// that confirmed an answer which waited for a probe; nil for a decision taken at once, or
    /// one the timers or the kernel's table took (README, "Replay").
    public var confirmedBy: Int? = nil
}

/// The one engine behind both the daemon and replay: bytes in, decision, bytes out.
///
/// Not thread-safe: one engine runs on one thread (the capture loop). Reload swaps the rule
/// between two frames, so no solicitation is decided half under the old rule.
///
/// **Lookahead.** When the rule's target table outgrows the cache (a million guests take 32 MB),
/// a solicitation is decoded when its frame arrives but decided up to `lookahead` solicitations
/// later (8 by default), and meanwhile its table lines are prefetched. One at a time, each such
/// lookup waits for memory several times as long as the rest of a decision; asked for ahead,
/// the waits overlap, and a decision costs about the same at any table size (`ndpd-policy-bench`
/// measures both ways). Small tables stay cached, and nothing is held back for them.
///
/// Outcomes still come out in frame order: a frame that is not held back (rejected, or not a
/// solicitation) first decides everything before it, and `flush` decides what is left; capture
/// loops flush at the end of every batch, so no answer waits for later traffic. Each solicitation
/// is learned from, decided and counted when its turn comes, as if alone, so the decisions are
/// those of one-at-a-time processing (ReplayTests' LookaheadTests compare every output).
public struct Engine: ~Copyable {
    /// The rule in force.
    public private(set) var rule: ProxyRule
    /// The interface facts in force.
    public private(set) var interface: InterfaceFacts
    /// Counters since start.
    public private(set) var statistics = Statistics()
    /// Who was last seen using each address (for `dad = "defend"`).
    public private(set) var owners: OwnerTable
    /// The DAD probes seen lately: no advertisement for their targets goes to all-nodes.
    public private(set) var probes = ProbeSightings()
    /// The upstream routers, where unsolicited advertisements go.
    public private(set) var routers = UpstreamRouters()
    /// Live mode: the guests known on the guest side (ARCHITECTURE.md, "Live guests"); nil in
    /// static mode.
    public internal(set) var guests: GuestNeighborCache?
    /// Live mode, bridged: MACs learned behind the uplink port, never a guest's.
    public var upstreamMACs: Set<MACAddress> = []
    /// Live mode with `guest-interfaces` other than the rule's interface: the facts of each
    /// guest interface open now (probes leave on each, built from its link-local address and
    /// MAC). Empty in the bridged case, where `interface` is the guest side.
    public var guestSides: [InterfaceFacts] = []
    /// Live mode with `guest-interfaces = "routes"`, in the daemon: the kernel's routes into the
    /// target prefixes, which say on which guest side each address lives; nil otherwise (replay
    /// reads no kernel state, and probes on its one link).
    public var guestRoutes: GuestRoutes?
    /// The interface index of each of `guestSides`, in the same order (routes mode).
    public var guestSideIndexes: [Int32] = []
    /// Where advertisements are built: reused for every frame, never reallocated.
    private var outputBuffer = [UInt8](repeating: 0, count: 128)

    /// How many solicitations wait for their table lines by default before the oldest is
    /// decided. A memory access costs a few decisions' time, so a few in flight hide it; eight
    /// leave room for slower memory.
    public static let defaultLookahead = 8
    /// The most `lookahead` can be: one less than the ring, whose last place takes the
    /// solicitation that has just arrived.
    public static let maximumLookahead = Ring.count - 1
    /// How many solicitations this engine holds back when the rule's table outgrows the cache;
    /// 0 decides each one as it arrives. With a small table nothing is held back: its lines stay
    /// cached, and holding back costs copying each solicitation in and out of the ring.
    public let lookahead: Int
    /// `lookahead` under the rule in force (0 for a table that stays cached).
    private var effectiveLookahead: Int
    /// The waiting solicitations: a ring, oldest at `waitingHead`. Its size is a power of two,
    /// so positions wrap with a mask. Free places hold a placeholder, never read.
    private typealias Ring = InlineArray<16, Waiting>
    private var waiting = Ring(repeating: Waiting.placeholder)
    private var waitingHead = 0
    /// How many solicitations are waiting to be decided.
    public private(set) var waitingCount = 0

    /// A decoded solicitation and the header of its frame, waiting for its turn.
    private struct Waiting {
        var solicitation: NeighborSolicitation
        var header: PacketHeader

        static let placeholder = Waiting(
            solicitation: NeighborSolicitation(
                source: .unspecified, destination: .unspecified, targetAddress: .unspecified),
            header: PacketHeader(index: 0, seconds: 0, microseconds: 0, capturedLength: 0, originalLength: 0))
    }

    /// An engine for one interface, holding up to `lookahead` solicitations back (clamped to
    /// 0 ... `maximumLookahead`).
    public init(
        rule: ProxyRule, interface: InterfaceFacts, ownerCapacity: Int = 65_536,
        lookahead: Int = Engine.defaultLookahead
    ) {
        self.lookahead = min(max(lookahead, 0), Self.maximumLookahead)
        self.effectiveLookahead = Self.effectiveLookahead(lookahead: self.lookahead, rule: rule)
        self.rule = rule
        self.interface = interface
        self.owners = OwnerTable(capacity: ownerCapacity)
        if rule.mode == .live { guests = GuestNeighborCache(settings: rule.live) }
    }

    /// Replaces the rule (configuration reload); counters and learned owners are kept.
    /// Solicitations still waiting are decided under the new rule. Live mode's table is kept
    /// while its settings stay; it starts empty when they change (its state is soft: ARCHITECTURE.md,
    /// "Live guests"), and goes in static mode.
    public mutating func update(rule: ProxyRule) {
        self.rule = rule
        effectiveLookahead = Self.effectiveLookahead(lookahead: lookahead, rule: rule)
        if rule.mode != .live {
            guests = nil
        } else if guests?.settings != rule.live {
            guests = GuestNeighborCache(settings: rule.live)
        }
    }

    /// No lookahead in live mode: a solicitation there may start a probe, which leaves in the
    /// loop turn of the solicitation (ARCHITECTURE.md, "Live guests"), and evidence in the frames
    /// between must be seen before the solicitations after it are decided.
    private static func effectiveLookahead(lookahead: Int, rule: ProxyRule) -> Int {
        rule.mode == .live || !rule.targets.outgrowsCache ? 0 : lookahead
    }

    /// Replaces the interface facts (address or MAC change, interface recreated).
    public mutating func update(interface: InterfaceFacts) { self.interface = interface }

    /// Counts a send that failed.
    public mutating func countSendError() { statistics.sendErrors += 1 }

    /// Counts `count` answers that left: sent by the packet socket, or written to a file.
    public mutating func countSent(_ count: Int) { statistics.advertisementsSent += count }

    /// Takes one captured frame. A solicitation joins the waiting ones; when they are more
    /// than `lookahead`, the oldest is decided: its outcome goes to `emit` with its frame's header,
    /// and for an answer the advertisement's bytes go to `send` (valid only during that call).
    /// In live mode every frame is first evidence about the guests, a solicitation may wait for
    /// a probe's answer (its outcome is emitted when it is decided), and probes go to `send`
    /// too: use the variant with a `probe` sink to tell them apart.
    ///
    /// Returns true if the frame was a Neighbor Solicitation, valid or not (its outcome is
    /// emitted now or later). Returns false otherwise; every earlier outcome has then been
    /// emitted, so the caller may report the frame in order (in static mode).
    // Always inlined into the capture loops: a caller that drops the outcome (replay --quiet)
    // then builds none of it, which saves copying it (~150 bytes) per packet.
    @inline(__always) @discardableResult
    public mutating func handle(
        frame: Span<UInt8>, linkType: LinkType, header: PacketHeader,
        send: Send, emit: Emit
    ) -> Bool {
        take(
            frame, linkType, header, buildsAdvertisements: true, send: send,
            probe: { bytes, header, _ in send(bytes, header) },
            emit: emit)
    }

    /// `handle`, with live mode's probes going to `probe` (their bytes valid only during that
    /// call, stamped with the time they leave, with the index of the guest side in
    /// `guestSides` they leave on; 0 in the bridged case) rather than to `send`.
    @inline(__always) @discardableResult
    public mutating func handle(
        frame: Span<UInt8>, linkType: LinkType, header: PacketHeader,
        send: Send, probe: Probe, emit: Emit
    ) -> Bool {
        take(frame, linkType, header, buildsAdvertisements: true, send: send, probe: probe, emit: emit)
    }

    /// `handle` with no sink (a replay that writes nothing): decides and counts, but builds no
    /// advertisement frame, since nothing would read it.
    @inline(__always) @discardableResult
    public mutating func handle(
        frame: Span<UInt8>, linkType: LinkType, header: PacketHeader,
        emit: Emit
    ) -> Bool {
        take(frame, linkType, header, buildsAdvertisements: false, send: { _, _ in }, probe: { _, _, _ in }, emit: emit)
    }

    /// Decides every waiting solicitation, oldest first. Call it when no frame follows at once:
    /// at the end of a capture loop's batch, at the end of a file.
    @inline(__always)
    public mutating func flush(
        send: Send, emit: Emit
    ) {
        decideWaiting(downTo: 0, buildsAdvertisements: true, send: send, emit: emit)
    }

    /// `flush` with no sink: builds no advertisement frame.
    @inline(__always)
    public mutating func flush(emit: Emit) {
        decideWaiting(downTo: 0, buildsAdvertisements: false, send: { _, _ in }, emit: emit)
    }

    // `send` and `emit` stay plain (non-escaping) closures: optional ones would escape, and
    // cost a context allocation per frame.
    @inline(__always)
    private mutating func take(
        _ frame: Span<UInt8>, _ linkType: LinkType, _ header: PacketHeader,
        buildsAdvertisements: Bool, send: Send, probe: Probe, emit: Emit
    ) -> Bool {
        statistics.framesReceived += 1
        // The rule's mode, not `guests != nil`: a byte of the rule is all the static path reads.
        if rule.mode == .live {
            return takeLive(
                frame, linkType, header, buildsFrames: buildsAdvertisements, send: send, probe: probe, emit: emit)
        }
        let solicitation: NeighborSolicitation
        do {
            solicitation = try NeighborSolicitation(decoding: frame, linkType: linkType)
        } catch {
            // Not queued: what came before is decided first, so outcomes stay in frame order.
            if waitingCount > 0 {
                decideWaiting(downTo: 0, buildsAdvertisements: buildsAdvertisements, send: send, emit: emit)
            }
            return takeUndecoded(error, frame, linkType, header, emit: emit)
        }
        statistics.solicitations += 1
        // One place decides, whichever solicitation is due: inlined into the capture loop
        // once, it builds only what the caller reads of the outcome (a second inlined copy made
        // the optimiser keep it out of line, and replay --quiet then built every outcome).
        let arrived = Waiting(solicitation: solicitation, header: header)
        let due: Waiting
        if effectiveLookahead == 0 && waitingCount == 0 {
            due = arrived
        } else {
            rule.targets.visitLookupMemory(of: solicitation.targetAddress) { Prefetch.read($0) }
            if waitingCount > effectiveLookahead {
                // Only after a reload shrank the lookahead: the backlog beyond it goes first.
                decideWaiting(
                    downTo: effectiveLookahead, buildsAdvertisements: buildsAdvertisements, send: send, emit: emit)
            }
            waiting[(waitingHead &+ waitingCount) & (Ring.count &- 1)] = arrived
            if waitingCount < effectiveLookahead {
                waitingCount &+= 1
                return true
            }
            // Full: the arrival took the place after the newest; the oldest is due.
            due = waiting[waitingHead]
            waitingHead = (waitingHead &+ 1) & (Ring.count &- 1)
        }
        decide(due.solicitation, due.header, buildsAdvertisements: buildsAdvertisements, send: send, emit: emit)
        return true
    }

    /// Decides the oldest waiting solicitations until no more than `limit` wait: all of them
    /// (flush, a frame that is not held back), or the backlog after a reload shrank the lookahead.
    /// Out of line: the per-frame path keeps a single inlined copy of `decide`.
    @inline(never)
    private mutating func decideWaiting(
        downTo limit: Int, buildsAdvertisements: Bool,
        send: Send, emit: Emit
    ) {
        while waitingCount > limit {
            let next = waiting[waitingHead]
            waitingHead = (waitingHead &+ 1) & (Ring.count &- 1)
            waitingCount &-= 1
            decide(next.solicitation, next.header, buildsAdvertisements: buildsAdvertisements, send: send, emit: emit)
        }
    }

    /// Learns from `solicitation`, decides, counts, builds and sends the answer, and emits the
    /// outcome.
    @inline(__always)
    private mutating func decide(
        _ solicitation: NeighborSolicitation, _ header: PacketHeader, buildsAdvertisements: Bool,
        send: Send, emit: Emit
    ) {
        if rule.dad == .defend { owners.learn(from: solicitation) }
        if solicitation.isDuplicateAddressDetection {
            probes.record(solicitation.targetAddress, prober: solicitation.linkLayerSource, at: header.frameTime)
        }
        let decision = NDPPolicy.decide(
            solicitation, rule: rule, interface: interface,
            knownOwner: solicitation.isDuplicateAddressDetection
                ? owners.owner(of: solicitation.targetAddress) : nil)
        statistics.count(decision)
        if buildsAdvertisements, case .answer(let advertisement) = decision {
            var output = outputBuffer.mutableSpan
            // The buffer holds the largest advertisement (two tags + TLLA = 94 bytes).
            if let length = try? advertisement.write(into: &output) {
                _ = consume output
                send(outputBuffer.span.extracting(0..<length), header)
            }
        }
        emit(
            SolicitationOutcome(
                source: solicitation.source, destination: solicitation.destination,
                targetAddress: solicitation.targetAddress, decision: decision), header)
    }

    // MARK: Live mode

    /// When the live table's next timer runs out (a probe to repeat, a wait to end, a state to
    /// age); nil in static mode or when nothing waits on a timer. The daemon's loop wakes then.
    public var nextDeadline: FrameTime? { guests?.nextDeadline }

    /// Live mode: solicitations that wait for a guest's answer to a probe.
    public var solicitationsWaitingForGuests: Int { guests?.count(in: .probing) ?? 0 }

    /// Runs the live table's timers due at `time` or before, each at its own deadline, in order:
    /// probes go to `probe` stamped with their deadline, solicitors whose wait ended are decided
    /// (an answer's bytes to `send`) and emitted with their own frame's header.
    public mutating func runTimers(
        until time: FrameTime, send: Send, probe: Probe, emit: Emit
    ) {
        // Each tick moves every entry due at `deadline` to a later deadline or drops it: the loop ends.
        while let deadline = guests?.nextDeadline, deadline <= time {
            tick(at: deadline, buildsFrames: true, send: send, probe: probe, emit: emit)
        }
    }

    /// `runTimers` with no sink: decides and counts, builds no frame.
    public mutating func runTimers(until time: FrameTime, emit: Emit) {
        while let deadline = guests?.nextDeadline, deadline <= time {
            tick(at: deadline, buildsFrames: false, send: { _, _ in }, probe: { _, _, _ in }, emit: emit)
        }
    }

    /// Runs the timers until no solicitation waits for a guest any more: the end of a replayed
    /// capture, where time would have gone on (README, "Replay").
    public mutating func settle(
        send: Send, probe: Probe, emit: Emit
    ) {
        while solicitationsWaitingForGuests > 0, let deadline = guests?.nextDeadline {
            tick(at: deadline, buildsFrames: true, send: send, probe: probe, emit: emit)
        }
    }

    /// `settle` with no sink.
    public mutating func settle(emit: Emit) {
        while solicitationsWaitingForGuests > 0, let deadline = guests?.nextDeadline {
            tick(at: deadline, buildsFrames: false, send: { _, _ in }, probe: { _, _, _ in }, emit: emit)
        }
    }

    /// Learns from the kernel's neighbour entry for `target` on a guest interface (a dump at
    /// start, then RTNLGRP_NEIGH events), at `time`. Solicitors it releases are decided as a
    /// guest's answer would decide them.
    public mutating func observeKernel(
        _ target: IPv6Address, state: KernelNeighborState, mac: MACAddress?,
        at time: FrameTime, send: Send, emit: Emit
    ) {
        guard guests != nil, GuestSighting.isGuestAddress(target, rule: rule, interface: interface) else { return }
        if let mac, mac == interface.mac || upstreamMACs.contains(mac) { return }
        observe(
            GuestSighting(target: target, evidence: .kernel(state, mac)), at: time, confirming: nil,
            header: Self.header(at: time, index: 0), buildsFrames: true, send: send, emit: emit)
    }

    private mutating func tick(
        at time: FrameTime, buildsFrames: Bool, send: Send, probe: Probe, emit: Emit
    ) {
        guard var table = guests else { return }
        // The table is taken out while it runs, so that its callbacks may use the engine; with
        // `guests` nil meanwhile, `table` is its storage's only holder and nothing is copied.
        guests = nil
        var requests: [ProbeRequest] = []
        var released: [(WaitingSolicitation, QueueRelease)] = []
        table.tick(at: time, probe: { requests.append($0) }, release: { released.append(($0, $1)) })
        guests = table
        let header = Self.header(at: time, index: 0)
        for request in requests where buildsFrames { sendProbe(request, header: header, probe: probe) }
        for (waiting, release) in released {
            decideReleased(
                waiting, release, confirmedBy: nil, answerHeader: header, buildsFrames: buildsFrames,
                send: send, emit: emit)
        }
    }

    /// One frame in live mode: the timers due by its time first, then its evidence about the
    /// guests, then, for a solicitation, its decision (ARCHITECTURE.md, "Live guests").
    // Out of line: inlined into the static path's loop, it pushed the static decision out of
    // line, and replay --quiet then built every outcome.
    @inline(never)
    private mutating func takeLive(
        _ frame: Span<UInt8>, _ linkType: LinkType, _ header: PacketHeader,
        buildsFrames: Bool, send: Send, probe: Probe, emit: Emit
    ) -> Bool {
        let now = header.frameTime
        while let deadline = guests?.nextDeadline, deadline <= now {
            tick(at: deadline, buildsFrames: buildsFrames, send: send, probe: probe, emit: emit)
        }
        // The frame is decoded once: as a solicitation, whose evidence is read from it, or, when
        // it is none, as an advertisement (the guests' answers).
        let upstream = upstreamMACs
        let solicitation: NeighborSolicitation
        do {
            solicitation = try NeighborSolicitation(decoding: frame, linkType: linkType)
        } catch {
            if let sighting = GuestSighting(
                advertisementIn: frame, linkType: linkType, notSolicitation: error, rule: rule, interface: interface,
                isUpstream: { upstream.contains($0) })
            {
                observe(
                    sighting, at: now, confirming: header.index, header: header, buildsFrames: buildsFrames,
                    send: send, emit: emit)
            }
            return takeUndecoded(error, frame, linkType, header, emit: emit)
        }
        if let sighting = GuestSighting(
            solicitation: solicitation, rule: rule, interface: interface, isUpstream: { upstream.contains($0) })
        {
            observe(
                sighting, at: now, confirming: header.index, header: header, buildsFrames: buildsFrames,
                send: send, emit: emit)
        }
        statistics.solicitations += 1
        if rule.dad == .defend { owners.learn(from: solicitation) }
        if solicitation.isDuplicateAddressDetection {
            probes.record(solicitation.targetAddress, prober: solicitation.linkLayerSource, at: now)
        }
        let hasGuestRoute = guestRoutes == nil || routedSide(of: solicitation.targetAddress) != nil
        // The table is moved out for the call, and back: passing `&guests!` while reading the
        // rule and the facts of `self` made Swift copy both (every reference they hold retained
        // and released) on each solicitation.
        var table = guests.take()!
        let (verdict, request) = decideLive(
            solicitation, rule: rule, interface: interface, guests: &table, hasGuestRoute: hasGuestRoute,
            frameIndex: header.index, at: now)
        guests = consume table
        // The probe leaves in this loop turn, before the answers (RFC 4861 §7.2.2's order does
        // not bind a proxy; sending it first only shortens the guest's round trip).
        if let request, buildsFrames { sendProbe(request, header: header, probe: probe) }
        switch verdict {
        case .waiting:
            // Decided, counted and emitted when the table releases it.
            break
        case .ignored(let reason):
            let decision = Decision.ignore(reason)
            statistics.count(decision)
            emit(
                SolicitationOutcome(
                    source: solicitation.source, destination: solicitation.destination,
                    targetAddress: solicitation.targetAddress, decision: decision), header)
        case .decided(let decision):
            statistics.count(decision)
            if buildsFrames, case .answer(let advertisement) = decision {
                sendAdvertisement(advertisement, header, send)
            }
            emit(
                SolicitationOutcome(
                    source: solicitation.source, destination: solicitation.destination,
                    targetAddress: solicitation.targetAddress, decision: decision), header)
        }
        return true
    }

    /// Hands `sighting` to the table; the solicitors it releases are decided now, their answers
    /// stamped with `header` (the frame that confirmed them, `confirming`).
    private mutating func observe(
        _ sighting: GuestSighting, at time: FrameTime, confirming: Int?, header: PacketHeader,
        buildsFrames: Bool, send: Send, emit: Emit
    ) {
        guard var table = guests else { return }
        guests = nil
        var released: [(WaitingSolicitation, QueueRelease)] = []
        table.observe(sighting.evidence, for: sighting.target, at: time, release: { released.append(($0, $1)) })
        guests = table
        for (waiting, release) in released {
            decideReleased(
                waiting, release, confirmedBy: confirming, answerHeader: header, buildsFrames: buildsFrames,
                send: send, emit: emit)
        }
    }

    /// Decides a solicitation the table held: an answer is built as at once (the rule may have
    /// been reloaded meanwhile, so the static checks run again), sent stamped with
    /// `answerHeader`, and reported with the solicitation's own frame.
    private mutating func decideReleased(
        _ waiting: WaitingSolicitation, _ release: QueueRelease, confirmedBy: Int?,
        answerHeader: PacketHeader, buildsFrames: Bool,
        send: Send, emit: Emit
    ) {
        let solicitation = waiting.solicitation
        let decision: Decision
        switch release {
        case .answer:
            decision = NDPPolicy.decide(solicitation, rule: rule, interface: interface, knownOwner: nil)
        case .ignore(let reason):
            decision = .ignore(reason)
        }
        statistics.count(decision)
        if buildsFrames, case .answer(let advertisement) = decision {
            sendAdvertisement(advertisement, answerHeader, send)
        }
        var outcome = SolicitationOutcome(
            source: solicitation.source, destination: solicitation.destination,
            targetAddress: solicitation.targetAddress, decision: decision)
        if case .answer = decision { outcome.confirmedBy = confirmedBy }
        emit(outcome, Self.header(at: waiting.time, index: waiting.frameIndex))
    }

    /// Builds the probe `request` asks for, from the interface's link-local address and MAC
    /// (the bridged case: the guests are on this interface), and hands it to `probe`.
    private mutating func sendProbe(
        _ request: ProbeRequest, header: PacketHeader, probe: Probe
    ) {
        // With routes, the probe leaves where the kernel's route to the address leads; else the
        // guest may be behind any guest interface, and the probe leaves on each.
        let sides: Range<Int>
        if guestRoutes != nil {
            guard let side = routedSide(of: request.target) else { return }
            sides = side..<side + 1
        } else {
            sides = 0..<max(1, guestSides.count)
        }
        for side in sides {
            guard let frame = request.probe(from: guestSides.isEmpty ? interface : guestSides[side]) else { continue }
            var output = outputBuffer.mutableSpan
            guard let length = try? frame.write(into: &output) else { continue }
            _ = consume output
            probe(outputBuffer.span.extracting(0..<length), header, side)
        }
    }

    /// A frame captured on guest interface `side` (not the rule's interface): evidence about
    /// the guests only; its solicitations are the guests' business with the host, never
    /// answered. Solicitors it releases are answered through `send`.
    public mutating func observeGuestFrame(
        _ frame: Span<UInt8>, linkType: LinkType, header: PacketHeader, side: Int,
        send: Send, probe: Probe, emit: Emit
    ) {
        guard guests != nil, side < guestSides.count else { return }
        let now = header.frameTime
        while let deadline = guests?.nextDeadline, deadline <= now {
            tick(at: deadline, buildsFrames: true, send: send, probe: probe, emit: emit)
        }
        let upstream = upstreamMACs
        guard
            let sighting = GuestSighting(
                frame: frame, linkType: linkType, rule: rule, interface: guestSides[side],
                isUpstream: { upstream.contains($0) }),
            guestRoutes == nil || routedSide(of: sighting.target) == side
        else { return }
        observe(sighting, at: now, confirming: nil, header: header, buildsFrames: true, send: send, emit: emit)
    }

    /// Routes mode: the guest side the kernel's route to `address` leads to; nil when no route
    /// holds it, or its route leads nowhere, back out of the rule's interface, or to an
    /// interface not open as a guest side.
    public func routedSide(of address: IPv6Address) -> Int? {
        guard let index = guestRoutes?.route(to: address)?.interfaceIndex else { return nil }
        return guestSideIndexes.firstIndex(of: index)
    }

    /// Whether a kernel neighbour entry for `address` on interface `index` is a guest's
    /// evidence: on a guest side, and with routes, on the side the address's route leads to.
    public func isGuestEvidence(_ address: IPv6Address, onInterface index: Int32) -> Bool {
        guard guestRoutes != nil else { return true }
        guard let side = routedSide(of: address) else { return false }
        return guestSideIndexes[side] == index
    }

    private mutating func sendAdvertisement(
        _ advertisement: NeighborAdvertisement, _ header: PacketHeader,
        _ send: Send
    ) {
        var output = outputBuffer.mutableSpan
        if let length = try? advertisement.write(into: &output) {
            _ = consume output
            send(outputBuffer.span.extracting(0..<length), header)
        }
    }

    /// A header for a frame that is not a capture's (a timer's deadline, a waiting solicitation's
    /// time): `index` and the time, no bytes.
    static func header(at time: FrameTime, index: Int) -> PacketHeader {
        let seconds = time >= 0 ? time / 1_000_000 : (time - 999_999) / 1_000_000
        return PacketHeader(
            index: index, seconds: Int(seconds), microseconds: Int(time - seconds * 1_000_000),
            capturedLength: 0, originalLength: 0)
    }

    // MARK: Upstream routers and unsolicited advertisements

    /// A frame that decoded to no valid solicitation, in either mode: counted; an invalid
    /// solicitation's outcome emitted; a Router Advertisement learned from. Returns whether the
    /// frame was a solicitation.
    @inline(__always)
    private mutating func takeUndecoded(
        _ error: SolicitationFrameError, _ frame: Span<UInt8>, _ linkType: LinkType, _ header: PacketHeader,
        emit: Emit
    ) -> Bool {
        switch error {
        case .undecodable:
            statistics.framesUndecodable += 1
            return false
        case .notSolicitation:
            statistics.framesOtherICMPv6 += 1
            learnRouter(from: frame, linkType, header)
            return false
        case .invalid(let invalid):
            statistics.solicitations += 1
            let decision = Decision.invalid(invalid.rejection)
            statistics.count(decision)
            emit(
                SolicitationOutcome(
                    source: invalid.source, destination: invalid.destination,
                    targetAddress: invalid.targetAddress, decision: decision), header)
            return true
        }
    }

    /// Learns an upstream router from a valid Router Advertisement (RFC 4861 §6.1.2). Out of
    /// line: frames other than solicitations are rare on the capture path.
    @inline(never)
    private mutating func learnRouter(from frame: Span<UInt8>, _ linkType: LinkType, _ header: PacketHeader) {
        guard let sender = RouterAdvertisementSender(frame: frame, linkType: linkType),
            sender.linkLayerAddress != interface.mac
        else { return }
        routers.learn(sender.linkLayerAddress, at: header.frameTime)
    }

    /// Learns an upstream router from outside the link's frames (live: the kernel's neighbour
    /// entries flagged as routers), as seen at `time`.
    public mutating func learnRouter(_ mac: MACAddress, at time: FrameTime) {
        guard mac != interface.mac, !mac.isMulticast else { return }
        routers.learn(mac, at: time)
    }

    /// Sends the unsolicited advertisement of each of `targets` to each upstream router known at
    /// `now` (RFC 4861 §7.2.6), built as answers are. An advertisement never reaches the guest
    /// that holds a target while its DAD may run (RFC 4862 §5.4.5), so a target is skipped:
    /// - when it is the host's own (the kernel announces those);
    /// - within `ProbeSightings.quietPeriod` of a DAD probe for it seen on the link;
    /// - for a router whose MAC is the target's known owner or its last prober.
    /// `send` gets each frame's bytes (valid only during the call) and returns whether it left.
    public mutating func announce(
        _ targets: some Sequence<IPv6Address>, at now: FrameTime,
        send: (Span<UInt8>) -> Bool
    ) -> AnnouncementTally {
        var tally = AnnouncementTally()
        let destinations = routers.current(at: now)
        for target in targets {
            if interface.addresses.contains(target) { continue }
            guard !destinations.isEmpty else {
                tally.withoutRouter += 1
                continue
            }
            if probes.mayBeProbing(target, at: now) {
                tally.duringProbe += 1
                continue
            }
            let prober = probes.latest(for: target)?.prober
            let owner = owners.owner(of: target)
            for router in destinations where router != prober && router != owner {
                let advertisement = NDPPolicy.announcement(of: target, to: router, rule: rule, interface: interface)
                var output = outputBuffer.mutableSpan
                guard let length = try? advertisement.write(into: &output) else { continue }
                _ = consume output
                if send(outputBuffer.span.extracting(0..<length)) { tally.sent += 1 } else { tally.failed += 1 }
            }
        }
        return tally
    }
}

extension Engine {
    /// Takes an advertisement's bytes (valid only during the call) and the header of the frame
    /// it answers, or the stamp of the time it leaves.
    public typealias Send = (Span<UInt8>, PacketHeader) -> Void
    /// Takes a live-mode probe's bytes (valid only during the call), the stamp of the time it
    /// leaves, and the guest side it leaves on (0 in the bridged case).
    public typealias Probe = (Span<UInt8>, PacketHeader, Int) -> Void
    /// Takes a decided solicitation's outcome and the header of its frame.
    public typealias Emit = (SolicitationOutcome, PacketHeader) -> Void
}

/// What one call of `Engine.announce` did.
public struct AnnouncementTally: Sendable, Equatable {
    /// Advertisements that left (one per target and router).
    public var sent = 0
    /// Advertisements whose send failed.
    public var failed = 0
    /// Targets not announced because no upstream router was known.
    public var withoutRouter = 0
    /// Targets not announced because a DAD probe for them was seen lately.
    public var duringProbe = 0

    /// Nothing yet.
    public init() {}
}

extension PacketHeader {
    /// The capture time as a `FrameTime` (microseconds since the epoch).
    var frameTime: FrameTime { FrameTime(seconds) &* 1_000_000 &+ FrameTime(microseconds) }
}
