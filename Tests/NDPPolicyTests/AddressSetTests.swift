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
            let address = i % 1000 == 0 ? IPv6Address.unspecified
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
