import NDPPolicy
import NDPWire
import Testing

/// The hot-path address set against the standard library's Set, as a model.
struct AddressSetTests {
    @Test func agreesWithSetUnderGrowthAndDuplicates() {
        var generator = SystemRandomNumberGenerator()
        var set = AddressSet()
        var model = Set<IPv6Address>()
        for i in 0..<20_000 {
            // Clustered addresses (one /64, sequential and random) plus the empty-slot marker `::`.
            let address =
                i % 1000 == 0
                ? IPv6Address.unspecified
                : IPv6Address(high: 0x2001_0DB8_0000_96CE, low: i % 3 == 0 ? UInt64(i / 2) : generator.next())
            #expect(set.insert(address) == model.insert(address).inserted)
        }
        #expect(set.count == model.count)
        for address in model { #expect(set.contains(address)) }
        for _ in 0..<20_000 {
            let probe = IPv6Address(high: 0x2001_0DB8_0000_96CE, low: generator.next())
            #expect(set.contains(probe) == model.contains(probe))
        }
        #expect(Set(set.elements) == model)
    }

    @Test func emptySetHoldsNothing() {
        let set = AddressSet()
        #expect(set.isEmpty)
        #expect(!set.contains(.unspecified))
        #expect(!set.contains(IPv6Address("2001:db8::1")!))
    }
}

/// What a set tells the engine to prefetch.
struct LookupMemoryTests {
    @Test func smallSetsVisitNothing() {
        var set = AddressSet()
        for i in 1...100 { set.insert(IPv6Address(high: 0x2001_0DB8_0000_96CE, low: UInt64(i))) }
        var visits = 0
        set.visitLookupMemory(of: IPv6Address(high: 0x2001_0DB8_0000_96CE, low: 7)) { _ in visits += 1 }
        #expect(!set.outgrowsCache)
        #expect(visits == 0)
    }

    /// A large set visits its filter word and the address's home slot. The slot is checked to
    /// be the real one: most members sit in their home slot, so the visited 16 bytes hold the
    /// member itself (a wrong slot would almost never hold it).
    @Test func largeSetsVisitTheHomeSlot() {
        var generator = SystemRandomNumberGenerator()
        var set = AddressSet()
        var members: [IPv6Address] = []
        for _ in 0..<AddressSet.prefetchThreshold / 2 {
            let address = IPv6Address(high: 0x2001_0DB8_0000_0000 | generator.next() >> 32, low: generator.next())
            members.append(address)
            set.insert(address)
        }
        #expect(set.outgrowsCache)
        var atHome = 0
        for member in members {
            var sizes: [Int] = []
            var slot: IPv6Address?
            set.visitLookupMemory(of: member) { bytes in
                sizes.append(bytes.byteCount)
                if bytes.byteCount == 16 { slot = bytes.unsafeLoad(as: IPv6Address.self) }
            }
            #expect(sizes == [8, 16])
            if slot == member { atHome += 1 }
        }
        #expect(atHome * 2 > members.count, "\(atHome) of \(members.count) members found in the visited slot")
        var visits = 0
        set.visitLookupMemory(of: .unspecified) { _ in visits += 1 }
        #expect(visits == 0, "`::` is never in a slot")
    }
}
