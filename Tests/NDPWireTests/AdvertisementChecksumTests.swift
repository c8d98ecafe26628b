// The NA builder sums its fields as 64-bit words with carries and folds once at the end
// (ByteWriting.swift): check that sum against the textbook RFC 1071 one (16-bit words, one
// end-around carry at a time) where the carries pile up: all-ones addresses and MACs, zeros,
// and seeded pseudo-random fields, for every tag count, with and without the TLLA option.

import NDPWire
import TestSupport
import Testing

@Suite("NA checksum summed from the fields")
struct AdvertisementChecksumTests {
    /// Fields drawn from `word`: every address half, MAC and flag word comes from it.
    static func advertisement(_ word: () -> UInt64, tagCount: Int, withTLLA: Bool) -> NeighborAdvertisement {
        func address() -> IPv6Address { IPv6Address(high: word(), low: word()) }
        func mac() -> MACAddress { MACAddress(rawValue: word()) }
        var tags = VLANTags()
        for _ in 0..<tagCount {
            // A TPID of 0 means "absent" in VLANTags: keep it non-zero.
            let w = word()
            tags.append(
                VLANTag(
                    tagProtocolIdentifier: UInt16(truncatingIfNeeded: w >> 16) | 0x0100,
                    tagControlInformation: UInt16(truncatingIfNeeded: w)))
        }
        return NeighborAdvertisement(
            ethernetDestination: mac(), ethernetSource: mac(), vlanTags: tags, source: address(),
            destination: address(), flags: NeighborAdvertisementFlags(rawValue: UInt32(truncatingIfNeeded: word())),
            targetAddress: address(), targetLinkLayerAddress: withTLLA ? mac() : nil)
    }

    /// Writes `na` over garbage and checks the checksum field against RFC 1071 and `checksum`.
    static func check(_ na: NeighborAdvertisement, _ label: String) throws {
        let (length, buffer) = try writeAdvertisement(na, capacity: 128, fill: 0x5A)
        #expect(length == na.frameLength, "\(label)")
        #expect(buffer[length...].allSatisfy { $0 == 0x5A }, "\(label): bytes after the frame were touched")
        var message = Array(buffer[(length - na.messageLength)..<length])
        let written = UInt16(message[2]) << 8 | UInt16(message[3])
        message[2] = 0
        message[3] = 0
        let expected = rfc1071Checksum(source: na.source, destination: na.destination, message: message)
        #expect(written == expected, "\(label)")
        #expect(na.checksum == expected, "\(label)")
    }

    @Test("All-ones, all-zero and alternating fields: the carries of every word")
    func extremes() throws {
        for pattern: UInt64 in [
            0, ~0, 0xFFFF_FFFF_0000_0000, 0x0000_0000_FFFF_FFFF, 0xFF00_FF00_FF00_FF00,
            0x8000_0000_0000_0001, 0xFFFE_FFFF_FFFF_FFFF,
        ] {
            for tagCount in 0...2 {
                for withTLLA in [false, true] {
                    let na = Self.advertisement({ pattern }, tagCount: tagCount, withTLLA: withTLLA)
                    try Self.check(na, "pattern 0x\(String(pattern, radix: 16)) tags=\(tagCount) tlla=\(withTLLA)")
                }
            }
        }
    }

    @Test("A 64-bit sum that ends at or near 2^64 - 1 after several carries: the last end-around carry")
    func lastCarry() throws {
        // Every field all-ones except the target's low half, chosen so that the builder's words
        // (address halves, the NA's first eight octets, the TLLA option plus the pseudo-header's
        // length and next header) add up to 2^64 - 1 + delta modulo 2^64, with five carries out.
        let ones = IPv6Address(high: ~0, low: ~0)
        let mac = MACAddress(rawValue: ~0)
        let header: UInt64 = 0x8800_0000_E000_0000
        let option: UInt64 = 0x0201 << 48 | mac.rawValue
        let pseudo: UInt64 = 32 << 32 | 58
        let others = [~0, ~0, ~0, ~0, ~0, header, option &+ pseudo].reduce(UInt64(0), &+)
        for delta: UInt64 in 0...40 {
            let low = (~0 &- others) &+ delta &- 20
            let na = NeighborAdvertisement(
                ethernetDestination: mac, ethernetSource: mac, source: ones, destination: ones,
                flags: NeighborAdvertisementFlags(rawValue: ~0), targetAddress: IPv6Address(high: ~0, low: low),
                targetLinkLayerAddress: mac)
            try Self.check(na, "target low 0x\(String(low, radix: 16))")
        }
    }

    @Test("Seeded random fields")
    func random() throws {
        var generator = SplitMix64(seed: 0x4E41_4353)
        for i in 0..<3000 {
            let na = Self.advertisement({ generator.next() }, tagCount: i % 3, withTLLA: i % 2 == 0)
            try Self.check(na, "case \(i)")
        }
    }
}
