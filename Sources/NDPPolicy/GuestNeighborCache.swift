import NDPWire

/// The live guests of one proxy rule (ARCHITECTURE.md, "Live guests"): which addresses of a live prefix a
/// guest really holds, learned from evidence on the guest side and confirmed by probing, so
/// that upstream solicitations are answered only for them.
///
/// A neighbour cache in the sense of RFC 4861 §5.1 with the states of `GuestState`:
///
/// | state | entered when | an upstream NS |
/// |---|---|---|
/// | PROBING | an upstream NS for an unknown address | waits (at most `queueLimit`) for the guest's answer |
/// | LIVE | evidence | answered at once |
/// | STALE | `reachable` after the last evidence | answered at once, and re-probed: 3 unicast NS 1 s apart, then one multicast |
/// | TENTATIVE | a guest's DAD probe | ignored (`tentative`); LIVE `dadWait` after the last probe, unless another MAC claims the address |
/// | INVALID | the probes went unanswered | ignored (`not-live`) for `negative`; evidence ends it |
///
/// **Bounds.** At most `max-entries` LIVE, STALE and TENTATIVE entries: when full, the least
/// recently used STALE entry is evicted, and without one the newcomer is refused and counted;
/// LIVE entries are never evicted. At most `max-probing` PROBING and INVALID entries: negative
/// entries give way first (oldest first), since losing one costs at most one more probe round.
/// First-contact probes draw on one `ProbeBudget` of `probe-rate` a second, reserving a whole
/// round (`probes` tokens) up front so that a started round is never cut short; re-probes of
/// known guests draw on a second budget of their own, so a scan cannot starve them. Unspent
/// reservations go back when the guest answers early.
///
/// **Time.** Pure bookkeeping on the frames' clock (`FrameTime`, microseconds): the daemon drives
/// it with capture times, replay with the recorded ones. The clock never goes back: an earlier
/// time than one already seen counts as the latest seen. Call `tick(at:probe:release:)` whenever
/// `nextDeadline` has come, before the next `solicit` or `observe` at that time.
///
/// Not generic over what waits: called from another module, a generic table would run
/// unspecialised, looking up type metadata on every call.
public struct GuestNeighborCache: Sendable {
    /// Solicitors that may wait for one address.
    public static var queueLimit: Int { 4 }
    /// Unicast re-probes of a STALE guest before the last, multicast one (RFC 4861 §10
    /// MAX_UNICAST_SOLICIT).
    public static var unicastReprobes: Int { 3 }
    /// Re-probes in all: the unicast ones and one to the solicited-node group, in case the
    /// guest's MAC changed.
    public static var reprobes: Int { unicastReprobes + 1 }
    /// The spacing of re-probes and the wait after the last (RFC 4861 §10 RETRANS_TIMER).
    public static var reprobeInterval: FrameTime { 1_000_000 }
    /// How long after a guest's last DAD probe its DAD is over: one RetransTimer (1 s, RFC 4862
    /// §5.4 with RFC 4861 §10's default) and a margin for the guest's timer and the bridge.
    public static var dadWait: FrameTime { 1_200_000 }

    /// The settings in force.
    public let settings: LiveSettings
    /// Counters since the table was made.
    public private(set) var counters = GuestCacheCounters()
    /// The budget of first-contact probes.
    public private(set) var firstContactBudget: ProbeBudget
    /// The budget of re-probes of known guests.
    public private(set) var reprobeBudget: ProbeBudget

    private let reachable: FrameTime
    private let idle: FrameTime
    private let probeInterval: FrameTime
    private let negative: FrameTime
    private let probes: Int

    private var entries: [GuestEntry] = []
    /// Free slots of `entries`, linked through their `next`.
    private var freeHead = GuestEntry.none
    private var index = GuestIndex()
    private let maxEntries: Int
    private let maxProbing: Int
    /// The most entries ever held: `max-entries` known and `max-probing` probing or negative.
    private var capacity: Int { maxEntries + maxProbing }
    private var lists = [ListEnds](repeating: ListEnds(), count: TimerList.allCases.count)
    private var stateCounts = [Int](repeating: 0, count: GuestState.allCases.count)
    private var queues: SolicitorQueues
    /// The latest time seen.
    private var clock = FrameTime.min

    /// An empty table. `settings` should have no `problems()`; values outside the limits are
    /// clamped to them, so a table can always be made.
    public init(settings: LiveSettings) {
        self.settings = settings
        func clamp<T: Comparable>(_ value: T, _ range: ClosedRange<T>) -> T {
            min(max(value, range.lowerBound), range.upperBound)
        }
        reachable = clamp(settings.reachable, LiveSettings.Limits.reachable).microseconds
        idle = clamp(settings.idle, LiveSettings.Limits.idle).microseconds
        probeInterval = clamp(settings.probeInterval, LiveSettings.Limits.probeInterval).microseconds
        negative = clamp(settings.negative, LiveSettings.Limits.negative).microseconds
        probes = clamp(settings.probes, LiveSettings.Limits.probes)
        let rate = clamp(settings.probeRate, LiveSettings.Limits.probeRate)
        // One second's worth of probes as the burst, and at least one whole round.
        firstContactBudget = ProbeBudget(ratePerSecond: rate, capacity: max(rate, probes))
        reprobeBudget = ProbeBudget(ratePerSecond: rate, capacity: max(rate, Self.reprobes))
        queues = SolicitorQueues(limit: Self.queueLimit)
        maxEntries = clamp(settings.maxEntries, LiveSettings.Limits.maxEntries)
        maxProbing = clamp(settings.maxProbing, LiveSettings.Limits.maxProbing)
    }

    // MARK: Reading

    /// Addresses held, in every state.
    public var count: Int { index.count }

    /// Addresses held in `state`.
    public func count(in state: GuestState) -> Int { stateCounts[Int(state.rawValue)] }

    /// The state of `target`, nil when unknown.
    public func state(of target: IPv6Address) -> GuestState? {
        index.find(target, in: entries).map { entries[Int($0)].state }
    }

    /// The MAC `target` was last seen at (the prober's while TENTATIVE), nil when unknown.
    /// `dad = "defend"` answers a DAD probe only for a LIVE address and a MAC other than this.
    public func linkLayerAddress(of target: IPv6Address) -> MACAddress? {
        index.find(target, in: entries).flatMap { entries[Int($0)].linkLayerAddress }
    }

    /// Every address held, with its MAC, state and when it entered that state, in the order of
    /// the timer lists (for `ndpd status --live`; not on the per-frame path).
    public var snapshot: [GuestSnapshot] {
        var out: [GuestSnapshot] = []
        out.reserveCapacity(count)
        for ends in lists {
            var slot = ends.head
            while slot != GuestEntry.none {
                let entry = entries[Int(slot)]
                out.append(
                    GuestSnapshot(
                        address: entry.target, linkLayerAddress: entry.linkLayerAddress, state: entry.state,
                        since: entry.since))
                slot = entry.next
            }
        }
        return out
    }

    /// When the next timer runs out; nil when no entry waits on one.
    public var nextDeadline: FrameTime? {
        var earliest: FrameTime?
        for ends in lists where ends.head != GuestEntry.none {
            let deadline = entries[Int(ends.head)].deadline
            if earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        return earliest
    }

    // MARK: Upstream solicitations

    /// Decides an upstream solicitation for `target` (already known to be inside a live prefix,
    /// not excluded, not the host's, and not a DAD probe) from `solicitor` at `time`.
    /// `solicitor` is evaluated only if it has to wait.
    public mutating func solicit(
        _ target: IPv6Address, from solicitor: @autoclosure () -> WaitingSolicitation,
        at time: FrameTime
    ) -> LiveDecision {
        let now = advance(to: time)
        guard let slot = index.find(target, in: entries) else { return startProbing(target, for: solicitor, at: now) }
        let entry = entries[Int(slot)]
        switch entry.state {
        case .live:
            return .answer
        case .stale:
            if entry.list == UInt8(TimerList.reprobing.rawValue) { return .answer }
            guard reprobeBudget.take(Self.reprobes, at: now) else {
                counters.reprobesRefused += 1
                // Asked for: the least recently used no more.
                move(slot, to: .stale, list: .stale, deadline: now + idle)
                return .answer
            }
            entries[Int(slot)].probesSent = 1
            counters.reprobesSent += 1
            move(slot, to: .stale, list: .reprobing, deadline: now + Self.reprobeInterval)
            return .answerAndProbe(reprobe(slot))
        case .probing:
            return queues.append(solicitor(), to: entry.queue) ? .queued(probe: nil) : .ignore(.queueFull)
        case .tentative:
            return .ignore(.tentative)
        case .invalid:
            return .ignore(.notLive)
        }
    }

    private mutating func startProbing(
        _ target: IPv6Address, for solicitor: () -> WaitingSolicitation,
        at now: FrameTime
    ) -> LiveDecision {
        guard firstContactBudget.available(at: now) >= probes else {
            counters.probesRefused += 1
            return .ignore(.probeLimit)
        }
        guard makeRoomForProbing() else {
            counters.probingFull += 1
            return .ignore(.probeLimit)
        }
        _ = firstContactBudget.take(probes, at: now)
        let queue = queues.allocate()
        _ = queues.append(solicitor(), to: queue)
        let slot = insert(target, state: .probing, list: .probing, deadline: now + probeInterval, mac: nil)
        entries[Int(slot)].queue = queue
        entries[Int(slot)].probesSent = 1
        counters.probesSent += 1
        return .queued(probe: ProbeRequest(target: target, destination: .solicitedNode))
    }

    // MARK: Evidence

    /// Learns from `evidence` about `target` at `time`. Solicitors that waited for `target` are
    /// handed to `release`, with what to do with them. Returns the state `target` is in
    /// afterwards (nil when not held).
    @discardableResult
    public mutating func observe(
        _ evidence: GuestEvidence, for target: IPv6Address, at time: FrameTime,
        release: (WaitingSolicitation, QueueRelease) -> Void
    ) -> GuestState? {
        let now = advance(to: time)
        switch evidence {
        case .advertisement(let mac):
            return confirm(target, at: mac, now: now, answersProbe: true, fromKernel: false, release: release)
        case .solicitation(let mac):
            return confirm(target, at: mac, now: now, answersProbe: false, fromKernel: false, release: release)
        case .duplicateAddressProbe(let mac):
            return beginTentative(target, prober: mac, now: now, release: release)
        case .kernel(let kernelState, let mac):
            switch kernelState {
            case .reachable, .delay, .probe, .permanent:
                return confirm(target, at: mac, now: now, answersProbe: false, fromKernel: true, release: release)
            case .stale:
                return kernelStale(target, at: mac, now: now, release: release)
            case .failed, .deleted:
                return kernelGone(target)
            case .incomplete:
                return state(of: target)
            }
        }
    }

    /// Evidence that a guest at `mac` uses `target`: LIVE.
    private mutating func confirm(
        _ target: IPv6Address, at mac: MACAddress?, now: FrameTime, answersProbe: Bool,
        fromKernel: Bool, release: (WaitingSolicitation, QueueRelease) -> Void
    ) -> GuestState? {
        guard let slot = index.find(target, in: entries) else {
            return insertKnown(target, .live, list: .live, deadline: now + reachable, mac: mac)
        }
        let entry = entries[Int(slot)]
        switch entry.state {
        case .tentative:
            // RFC 4862 §5.4.3-5.4.4: another node answering for, or using, a tentative address
            // makes the prober's DAD fail; that node keeps it. The kernel's table predates the
            // DAD, and the prober's own frames say nothing until its DAD is over.
            guard !fromKernel, let mac, let prober = entry.linkLayerAddress, mac != prober else { return .tentative }
        case .probing:
            if answersProbe { counters.roundTrips.record(now - (entry.deadline - probeInterval)) }
            firstContactBudget.refund(probes - Int(entry.probesSent))
            counters.queueAnswered += UInt64(queues.drain(entry.queue) { release($0, .answer) })
            entries[Int(slot)].queue = GuestEntry.none
            guard roomForKnown(droppingOnRefusal: slot) else { return nil }
        case .stale where entry.list == UInt8(TimerList.reprobing.rawValue):
            if answersProbe { counters.roundTrips.record(now - (entry.deadline - Self.reprobeInterval)) }
            reprobeBudget.refund(Self.reprobes - Int(entry.probesSent))
        case .invalid:
            guard roomForKnown(droppingOnRefusal: slot) else { return nil }
        case .live, .stale:
            break
        }
        if let mac { entries[Int(slot)].mac = mac.rawValue }
        move(slot, to: .live, list: .live, deadline: now + reachable)
        return .live
    }

    /// A guest's DAD probe for `target` from `prober`: TENTATIVE until `dadWait` after the last.
    private mutating func beginTentative(
        _ target: IPv6Address, prober: MACAddress?, now: FrameTime,
        release: (WaitingSolicitation, QueueRelease) -> Void
    ) -> GuestState? {
        guard let slot = index.find(target, in: entries) else {
            return insertKnown(target, .tentative, list: .tentative, deadline: now + Self.dadWait, mac: prober)
        }
        let entry = entries[Int(slot)]
        switch entry.state {
        case .probing:
            // RFC 4862 §5.4.3: no answer for an address whose DAD runs, so the waiting
            // solicitors are dropped rather than answered.
            firstContactBudget.refund(probes - Int(entry.probesSent))
            counters.queueDropped += UInt64(queues.drain(entry.queue) { release($0, .ignore(.tentative)) })
            entries[Int(slot)].queue = GuestEntry.none
            guard roomForKnown(droppingOnRefusal: slot) else { return nil }
        case .invalid:
            guard roomForKnown(droppingOnRefusal: slot) else { return nil }
        case .stale where entry.list == UInt8(TimerList.reprobing.rawValue):
            reprobeBudget.refund(Self.reprobes - Int(entry.probesSent))
        case .live, .stale, .tentative:
            break
        }
        // The latest prober is the one whose DAD the timer follows.
        entries[Int(slot)].mac = prober?.rawValue ?? GuestEntry.noMAC
        move(slot, to: .tentative, list: .tentative, deadline: now + Self.dadWait)
        return .tentative
    }

    /// The kernel's entry for `target` is STALE: a guest held it lately. Never a reason to
    /// doubt fresher evidence, so LIVE and TENTATIVE entries stay as they are.
    private mutating func kernelStale(
        _ target: IPv6Address, at mac: MACAddress?, now: FrameTime,
        release: (WaitingSolicitation, QueueRelease) -> Void
    ) -> GuestState? {
        guard let slot = index.find(target, in: entries) else {
            return insertKnown(target, .stale, list: .stale, deadline: now + idle, mac: mac)
        }
        let entry = entries[Int(slot)]
        switch entry.state {
        case .live, .stale:
            if let mac { entries[Int(slot)].mac = mac.rawValue }
            return entry.state
        case .tentative:
            return .tentative
        case .probing:
            // STALE is answered at once: so are the solicitors that waited.
            firstContactBudget.refund(probes - Int(entry.probesSent))
            counters.queueAnswered += UInt64(queues.drain(entry.queue) { release($0, .answer) })
            entries[Int(slot)].queue = GuestEntry.none
        case .invalid:
            break
        }
        guard roomForKnown(droppingOnRefusal: slot) else { return nil }
        if let mac { entries[Int(slot)].mac = mac.rawValue }
        move(slot, to: .stale, list: .stale, deadline: now + idle)
        return .stale
    }

    /// The kernel's entry for `target` FAILED or was deleted: the entry is dropped, unless
    /// ndpd's own probes or a guest's DAD are under way (they decide then).
    private mutating func kernelGone(_ target: IPv6Address) -> GuestState? {
        guard let slot = index.find(target, in: entries) else { return nil }
        let entry = entries[Int(slot)]
        switch entry.state {
        case .probing, .tentative:
            return entry.state
        case .stale where entry.list == UInt8(TimerList.reprobing.rawValue):
            reprobeBudget.refund(Self.reprobes - Int(entry.probesSent))
        case .live, .stale, .invalid:
            break
        }
        remove(slot)
        return nil
    }

    // MARK: Timers

    /// Runs every timer due at `time`: probes to send go to `probe`, solicitors whose wait ended
    /// go to `release`. Entries move on as the states say: PROBING probes again or turns
    /// INVALID, a re-probed STALE entry probes again or turns INVALID, TENTATIVE turns LIVE,
    /// LIVE turns STALE, INVALID and idle STALE entries are dropped.
    public mutating func tick(
        at time: FrameTime, probe: (ProbeRequest) -> Void,
        release: (WaitingSolicitation, QueueRelease) -> Void
    ) {
        let now = advance(to: time)
        for list in TimerList.allCases {
            // Each expiry moves its entry to a later deadline or drops it: the loop ends.
            while true {
                let slot = lists[list.rawValue].head
                guard slot != GuestEntry.none, entries[Int(slot)].deadline <= now else { break }
                expire(slot, in: list, now: now, probe: probe, release: release)
            }
        }
    }

    private mutating func expire(
        _ slot: UInt32, in list: TimerList, now: FrameTime, probe: (ProbeRequest) -> Void,
        release: (WaitingSolicitation, QueueRelease) -> Void
    ) {
        let entry = entries[Int(slot)]
        switch list {
        case .probing:
            if Int(entry.probesSent) < probes {
                entries[Int(slot)].probesSent += 1
                counters.probesSent += 1
                probe(ProbeRequest(target: entry.target, destination: .solicitedNode))
                move(slot, to: .probing, list: .probing, deadline: now + probeInterval)
                return
            }
            counters.queueDropped += UInt64(queues.drain(entry.queue) { release($0, .ignore(.notLive)) })
            entries[Int(slot)].queue = GuestEntry.none
            move(slot, to: .invalid, list: .invalid, deadline: now + negative)
        case .reprobing:
            if Int(entry.probesSent) < Self.reprobes {
                entries[Int(slot)].probesSent += 1
                counters.reprobesSent += 1
                probe(reprobe(slot))
                move(slot, to: .stale, list: .reprobing, deadline: now + Self.reprobeInterval)
                return
            }
            // From the known entries to the negative ones; without room, simply forgotten.
            if makeRoomForProbing() {
                move(slot, to: .invalid, list: .invalid, deadline: now + negative)
            } else {
                remove(slot)
            }
        case .tentative:
            move(slot, to: .live, list: .live, deadline: now + reachable)
        case .live:
            move(slot, to: .stale, list: .stale, deadline: now + idle)
        case .invalid, .stale:
            remove(slot)
        }
    }

    /// The re-probe numbered `probesSent` (from 1): unicast to the known MAC for the first
    /// `unicastReprobes` (RFC 4861 §7.3.3), then to the solicited-node group.
    private func reprobe(_ slot: UInt32) -> ProbeRequest {
        let entry = entries[Int(slot)]
        if Int(entry.probesSent) <= Self.unicastReprobes, let mac = entry.linkLayerAddress {
            return ProbeRequest(target: entry.target, destination: .unicast(mac))
        }
        return ProbeRequest(target: entry.target, destination: .solicitedNode)
    }

    // MARK: Room

    /// LIVE, STALE and TENTATIVE entries, against `max-entries`.
    private var knownCount: Int {
        stateCounts[Int(GuestState.live.rawValue)] + stateCounts[Int(GuestState.stale.rawValue)]
            + stateCounts[Int(GuestState.tentative.rawValue)]
    }

    /// PROBING and INVALID entries, against `max-probing`.
    private var probingCount: Int {
        stateCounts[Int(GuestState.probing.rawValue)] + stateCounts[Int(GuestState.invalid.rawValue)]
    }

    /// A new known entry for `target` in `state` (on `list` until `deadline`) when there is room
    /// for it (`roomForKnown`): its state, or nil.
    private mutating func insertKnown(
        _ target: IPv6Address, _ state: GuestState, list: TimerList, deadline: FrameTime, mac: MACAddress?
    ) -> GuestState? {
        guard roomForKnown() else { return nil }
        insert(target, state: state, list: list, deadline: deadline, mac: mac)
        return state
    }

    /// Room for one more known entry (`makeRoomForKnown`); when there is none, the refusal is
    /// counted and `slot`, if given (the entry that was to become known), is dropped.
    private mutating func roomForKnown(droppingOnRefusal slot: UInt32? = nil) -> Bool {
        if makeRoomForKnown() { return true }
        counters.refusedFull += 1
        if let slot { remove(slot) }
        return false
    }

    /// True when one more known entry fits, after evicting the least recently used STALE
    /// entry if it had to.
    private mutating func makeRoomForKnown() -> Bool {
        makeRoom(used: knownCount, limit: maxEntries, droppingOldestOf: .stale, countingEviction: true)
    }

    /// True when one more PROBING or INVALID entry fits, after dropping the oldest INVALID
    /// entry if it had to.
    private mutating func makeRoomForProbing() -> Bool {
        makeRoom(used: probingCount, limit: maxProbing, droppingOldestOf: .invalid, countingEviction: false)
    }

    /// True when `used` is below `limit`, or once the head of `list` (its oldest entry) is removed
    /// to make room, counted as an eviction if `countingEviction`; false when `list` is empty.
    private mutating func makeRoom(
        used: Int, limit: Int, droppingOldestOf list: TimerList, countingEviction: Bool
    ) -> Bool {
        if used < limit { return true }
        let victim = lists[list.rawValue].head
        guard victim != GuestEntry.none else { return false }
        remove(victim)
        if countingEviction { counters.evictions += 1 }
        return true
    }

    // MARK: Storage

    private mutating func advance(to time: FrameTime) -> FrameTime {
        clock = max(clock, time)
        return clock
    }

    @discardableResult
    private mutating func insert(
        _ target: IPv6Address, state: GuestState, list: TimerList, deadline: FrameTime,
        mac: MACAddress?
    ) -> UInt32 {
        let entry = GuestEntry(
            target: target, mac: mac?.rawValue ?? GuestEntry.noMAC, deadline: deadline,
            previous: GuestEntry.none, next: GuestEntry.none, queue: GuestEntry.none,
            state: state, list: UInt8(list.rawValue), probesSent: 0, since: clock)
        let slot: UInt32
        if freeHead != GuestEntry.none {
            slot = freeHead
            freeHead = entries[Int(slot)].next
            entries[Int(slot)] = entry
        } else {
            // Grown by doubling as usual, but never past `capacity`: the memory ARCHITECTURE.md promises
            // for a full table is the most it ever takes.
            if entries.count == entries.capacity { entries.reserveCapacity(min(max(2 * entries.count, 64), capacity)) }
            slot = UInt32(entries.count)
            entries.append(entry)
        }
        index.insert(target, entry: slot, limit: capacity)
        stateCounts[Int(state.rawValue)] += 1
        link(slot, list)
        return slot
    }

    private mutating func remove(_ slot: UInt32) {
        let entry = entries[Int(slot)]
        if entry.queue != GuestEntry.none { _ = queues.drain(entry.queue) { _ in } }
        unlink(slot)
        stateCounts[Int(entry.state.rawValue)] -= 1
        index.remove(entry.target, in: entries)
        entries[Int(slot)].queue = GuestEntry.none
        entries[Int(slot)].next = freeHead
        freeHead = slot
    }

    /// The bytes the table's storage holds, from the capacities of its arrays.
    var storageBytes: Int {
        entries.capacity * MemoryLayout<GuestEntry>.stride + index.storageBytes + queues.storageBytes
    }

    /// Puts the entry in `state`, at the tail of `list`, due at `deadline`.
    private mutating func move(_ slot: UInt32, to state: GuestState, list: TimerList, deadline: FrameTime) {
        unlink(slot)
        stateCounts[Int(entries[Int(slot)].state.rawValue)] -= 1
        stateCounts[Int(state.rawValue)] += 1
        if entries[Int(slot)].state != state { entries[Int(slot)].since = clock }
        entries[Int(slot)].state = state
        entries[Int(slot)].list = UInt8(list.rawValue)
        entries[Int(slot)].deadline = deadline
        if list != .probing && list != .reprobing { entries[Int(slot)].probesSent = 0 }
        link(slot, list)
    }

    private mutating func link(_ slot: UInt32, _ list: TimerList) {
        let tail = lists[list.rawValue].tail
        entries[Int(slot)].previous = tail
        entries[Int(slot)].next = GuestEntry.none
        entries[Int(slot)].list = UInt8(list.rawValue)
        if tail == GuestEntry.none {
            lists[list.rawValue].head = slot
        } else {
            entries[Int(tail)].next = slot
        }
        lists[list.rawValue].tail = slot
    }

    private mutating func unlink(_ slot: UInt32) {
        let entry = entries[Int(slot)]
        let list = Int(entry.list)
        if entry.previous == GuestEntry.none {
            lists[list].head = entry.next
        } else {
            entries[Int(entry.previous)].next = entry.next
        }
        if entry.next == GuestEntry.none {
            lists[list].tail = entry.previous
        } else {
            entries[Int(entry.next)].previous = entry.previous
        }
    }
}

/// One address of the live table as `ndpd status --live` shows it.
public struct GuestSnapshot: Sendable, Equatable {
    /// The address.
    public var address: IPv6Address
    /// Its guest's MAC (the prober's while TENTATIVE), if known.
    public var linkLayerAddress: MACAddress?
    /// Its state.
    public var state: GuestState
    /// When it entered that state, on the frames' clock.
    public var since: FrameTime
}
