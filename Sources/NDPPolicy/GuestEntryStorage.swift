import NDPWire

// The memory behind `GuestNeighborCache`: a slab of fixed-size entries, one hash index from
// address to slot, one intrusive list per timer, and the solicitor queues of the addresses
// being probed. Everything is sized by `max-entries` and `max-probing`, never by traffic.

/// The timer an entry waits on. Every entry of a list waits the same duration from the moment
/// it joined, and the clock never goes back (`GuestNeighborCache` holds it), so each list is
/// in deadline order: its head is the next entry due, and "least recently used" is the head
/// of `stale`.
enum TimerList: Int, CaseIterable {
    /// PROBING: the next first-contact probe, `probe-interval` after the last.
    case probing
    /// STALE being re-probed: the next re-probe, one RetransTimer after the last.
    case reprobing
    /// TENTATIVE: the end of the guest's DAD.
    case tentative
    /// INVALID: the end of `negative`.
    case invalid
    /// LIVE: `reachable` after the last evidence.
    case live
    /// STALE, not being re-probed: `idle` after it went STALE or was last asked for.
    case stale
}

/// One address: 48 bytes, so that an entry, its index slot and its share of the queues stay
/// under the 128 bytes ARCHITECTURE.md promises (Tests/NDPPolicyTests/GuestNeighborCacheTests.swift
/// prints the figure).
struct GuestEntry {
    /// The address.
    var target: IPv6Address
    /// Its guest's MAC (the prober's while TENTATIVE), `GuestEntry.noMAC` when unknown.
    var mac: UInt64
    /// When its timer runs out (see `TimerList`).
    var deadline: FrameTime
    /// Neighbours in its timer list, `GuestEntry.none` at the ends.
    var previous: UInt32
    var next: UInt32
    /// Its solicitor queue while PROBING, else `GuestEntry.none`.
    var queue: UInt32
    /// Its state.
    var state: GuestState
    /// Its timer list's raw value.
    var list: UInt8
    /// Probes sent in the current round (first contact or re-probe).
    var probesSent: UInt8

    /// No slot.
    static let none = UInt32.max
    /// No MAC: bit 63, which no 48-bit address has.
    static let noMAC = UInt64.max

    /// The MAC, if known.
    var linkLayerAddress: MACAddress? { mac == Self.noMAC ? nil : MACAddress(rawValue: mac) }
}

/// The two ends of one timer list.
struct ListEnds {
    var head = GuestEntry.none
    var tail = GuestEntry.none
}

/// The solicitors waiting for each address being probed: at most `limit` each, in arrival
/// order, in one flat array reused as addresses come and go.
struct SolicitorQueues<Solicitor: Sendable>: Sendable {
    /// Solicitors per queue at most.
    let limit: Int
    private var items: [Solicitor?] = []
    private var lengths: [UInt8] = []
    private var free: [UInt32] = []

    init(limit: Int) { self.limit = limit }

    /// An empty queue.
    mutating func allocate() -> UInt32 {
        if let queue = free.popLast() { return queue }
        lengths.append(0)
        items.append(contentsOf: repeatElement(nil, count: limit))
        return UInt32(lengths.count - 1)
    }

    /// Adds `solicitor` to `queue`; false when it is full.
    mutating func append(_ solicitor: Solicitor, to queue: UInt32) -> Bool {
        let length = Int(lengths[Int(queue)])
        guard length < limit else { return false }
        items[Int(queue) * limit + length] = solicitor
        lengths[Int(queue)] = UInt8(length + 1)
        return true
    }

    /// Hands every solicitor of `queue` to `body`, oldest first, and frees the queue. Returns
    /// how many there were.
    mutating func drain(_ queue: UInt32, _ body: (Solicitor) -> Void) -> Int {
        let length = Int(lengths[Int(queue)])
        for position in 0..<length {
            let slot = Int(queue) * limit + position
            if let solicitor = items[slot] { body(solicitor) }
            items[slot] = nil
        }
        lengths[Int(queue)] = 0
        free.append(queue)
        return length
    }

    /// Queues in use.
    var inUse: Int { lengths.count - free.count }

    /// The bytes the queues' storage holds.
    var storageBytes: Int {
        items.capacity * MemoryLayout<Solicitor?>.stride + lengths.capacity + free.capacity * MemoryLayout<UInt32>.stride
    }
}
