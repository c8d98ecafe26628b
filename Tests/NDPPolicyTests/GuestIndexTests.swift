import NDPWire
import TestSupport
import Testing

@testable import NDPPolicy

/// The live table's address index against a reference set, through inserts and removals in
/// any order (removal shifts later members of a probe run back: none may get lost).
struct GuestIndexTests {
    static func entry(_ target: IPv6Address) -> GuestEntry {
        GuestEntry(
            target: target, mac: GuestEntry.noMAC, deadline: 0, previous: GuestEntry.none, next: GuestEntry.none,
            queue: GuestEntry.none, state: .live, list: 0, probesSent: 0, since: 0)
    }

    @Test("every address indexed is found at its entry, every removed one is gone", arguments: [1, 7, 64, 1_000])
    func matchesReference(limit: Int) {
        var generator = SplitMix64(seed: UInt64(limit))
        var index = GuestIndex()
        var entries: [GuestEntry] = []
        var free: [UInt32] = []
        var present: [IPv6Address: UInt32] = [:]
        // Addresses from a small pool, so the same ones come and go, with runs of neighbours.
        let pool = (0..<(limit * 2)).map { IPv6Address(high: 0x2001_0db8_0000_96ce, low: UInt64($0) &* 0x1_0000_0001) }
        for _ in 0..<(limit * 20) {
            let address = pool[Int(generator.next() % UInt64(pool.count))]
            if let slot = present[address] {
                index.remove(address, in: entries)
                present[address] = nil
                free.append(slot)
            } else if present.count < limit {
                let slot: UInt32
                if let reused = free.popLast() {
                    slot = reused
                    entries[Int(slot)] = Self.entry(address)
                } else {
                    slot = UInt32(entries.count)
                    entries.append(Self.entry(address))
                }
                index.insert(address, entry: slot, limit: limit)
                present[address] = slot
            }
            #expect(index.count == present.count)
        }
        for address in pool {
            #expect(index.find(address, in: entries) == present[address], "\(address)")
        }
        var most = 16
        while most < limit * 2 { most <<= 1 }
        #expect(index.slotCount <= most, "never grown past what the limit needs at half load")
        #expect(index.slotCount >= 2 * present.count)
    }
}
