import NDPWire

// The memory behind `GuestNeighborCache`: a slab of fixed-size entries, one hash index from
// address to slot (`GuestIndex`), one intrusive list per timer, and the solicitor queues of the addresses
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

/// One address: 56 bytes, so that an entry, its index slots and its share of the queues stay
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
    /// When it entered its state (for `ndpd status --live`'s age).
    var since: FrameTime

    /// No slot.
    static let none = UInt32.max
    /// No MAC: bit 63, which no 48-bit address has.
    static let noMAC = UInt64.max

    /// The MAC, if known.
    var linkLayerAddress: MACAddress? { mac == Self.noMAC ? nil : MACAddress(rawValue: mac) }
}

/// From address to entry: open addressing with linear probing over one flat array of 8-byte
/// slots, each the entry's slot number and 32 bits of its address's hash, so that a probe
/// compares addresses only when the hash bits agree. The hash is `AddressSet`'s: a multiply and
/// xorshift of the 128 bits with multipliers drawn at random per table (SipHash, as
/// `Dictionary` uses, costs several times more per lookup), so chosen addresses cannot be made
/// to collide. At most half full; grown by doubling, never past the size for `limit` entries.
struct GuestIndex: Sendable {
    /// `hash bits << 32 | entry slot`; `empty` for a free slot.
    private var slots: [UInt64]
    /// 64 - log2(slot count): a slot's home is the hash's top bits.
    private var shift: UInt64
    private let multiplierHigh: UInt64
    private let multiplierLow: UInt64
    /// Entries indexed.
    private(set) var count = 0

    private static let empty = UInt64.max

    /// An empty index.
    init() {
        slots = [UInt64](repeating: Self.empty, count: 16)
        shift = 60
        var generator = SystemRandomNumberGenerator()
        multiplierHigh = generator.next() | 1
        multiplierLow = generator.next() | 1
    }

    /// The top 32 bits of the hash of `address`.
    @inline(__always)
    private func tag(_ address: IPv6Address) -> UInt64 {
        (address.high &* multiplierHigh &+ (address.low ^ (address.low >> 29)) &* multiplierLow) >> 32
    }

    /// The home slot of a hash tag (the tag's top bits: the table never has 2^32 slots).
    @inline(__always)
    private func home(_ tag: UInt64) -> Int { Int(truncatingIfNeeded: (tag << 32) >> shift) }

    /// The entry slot of `address`, reading candidates' addresses from `entries`.
    @inline(__always)
    func find(_ address: IPv6Address, in entries: [GuestEntry]) -> UInt32? {
        position(of: address, in: entries).map { UInt32(truncatingIfNeeded: slots[$0]) }
    }

    private func position(of address: IPv6Address, in entries: [GuestEntry]) -> Int? {
        let tag = tag(address)
        let mask = slots.count - 1
        var i = home(tag)
        while true {
            let slot = slots[i]
            if slot == Self.empty { return nil }
            if slot >> 32 == tag, entries[Int(truncatingIfNeeded: slot & 0xFFFF_FFFF)].target == address { return i }
            i = (i + 1) & mask
        }
    }

    /// Indexes `address` (not yet indexed) at entry `entry`; grows first if the table would be
    /// more than half full, to at most the size that holds `limit` entries.
    mutating func insert(_ address: IPv6Address, entry: UInt32, limit: Int) {
        if (count + 1) * 2 > slots.count { grow(limit: limit) }
        place(tag(address) << 32 | UInt64(entry))
        count += 1
    }

    /// Removes `address` (indexed) and closes the gap by moving later members of its probe run
    /// back (backward-shift deletion), so that no lookup meets a hole it should have passed.
    mutating func remove(_ address: IPv6Address, in entries: [GuestEntry]) {
        guard var hole = position(of: address, in: entries) else { return }
        let mask = slots.count - 1
        var next = (hole + 1) & mask
        while slots[next] != Self.empty {
            let home = home(slots[next] >> 32)
            // The member at `next` may fill the hole unless its home lies cyclically in
            // (hole, next]: moving it before its home would hide it.
            let distanceToHome = (next - home) & mask
            let distanceToHole = (next - hole) & mask
            if distanceToHome >= distanceToHole {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = Self.empty
        count -= 1
    }

    private mutating func place(_ slot: UInt64) {
        let mask = slots.count - 1
        var i = home(slot >> 32)
        while slots[i] != Self.empty { i = (i + 1) & mask }
        slots[i] = slot
    }

    private mutating func grow(limit: Int) {
        var size = slots.count * 2
        // Never beyond what `limit` entries need at half load.
        var cap = 16
        while cap < limit * 2 { cap <<= 1 }
        size = min(size, cap)
        guard size > slots.count else { return }
        let old = slots
        slots = [UInt64](repeating: Self.empty, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
        for slot in old where slot != Self.empty { place(slot) }
    }

    /// Slots in the table.
    var slotCount: Int { slots.count }

    /// The bytes the index holds.
    var storageBytes: Int { slots.capacity * MemoryLayout<UInt64>.stride }
}

/// The two ends of one timer list.
struct ListEnds {
    var head = GuestEntry.none
    var tail = GuestEntry.none
}

/// The solicitors waiting for each address being probed: at most `limit` each, in arrival
/// order, in one flat array reused as addresses come and go.
struct SolicitorQueues: Sendable {
    /// Solicitors per queue at most.
    let limit: Int
    private var items: [WaitingSolicitation?] = []
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
    mutating func append(_ solicitor: WaitingSolicitation, to queue: UInt32) -> Bool {
        let length = Int(lengths[Int(queue)])
        guard length < limit else { return false }
        items[Int(queue) * limit + length] = solicitor
        lengths[Int(queue)] = UInt8(length + 1)
        return true
    }

    /// Hands every solicitor of `queue` to `body`, oldest first, and frees the queue. Returns
    /// how many there were.
    mutating func drain(_ queue: UInt32, _ body: (WaitingSolicitation) -> Void) -> Int {
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
        items.capacity * MemoryLayout<WaitingSolicitation?>.stride + lengths.capacity + free.capacity
            * MemoryLayout<UInt32>.stride
    }
}
