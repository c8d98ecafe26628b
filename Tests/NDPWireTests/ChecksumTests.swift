// The Internet checksum (RFC 1071) over the IPv6 pseudo-header (RFC 8200 §8.1): NDPWire's
// wide-word implementation against the test's naive one-word-at-a-time sum.

import NDPWire
import TestSupport
import Testing

@Suite("ICMPv6 checksum")
struct ChecksumTests {
    @Test("compute() equals the naive RFC 1071 sum for every length 0...200 (odd lengths padded)")
    func computeMatchesNaive() {
        var rng = SplitMix64(seed: 1071)
        let source = Fixture.routerLinkLocal
        let destination = Fixture.targetSolicitedNode
        for length in 0...200 {
            for _ in 0..<5 {
                var message = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if length >= 4 {
                    message[2] = 0
                    message[3] = 0
                }
                let ours = computedChecksum(message, source: source, destination: destination)
                let naive = rfc1071Checksum(source: source, destination: destination, message: message)
                #expect(ours == naive, "length \(length)")
                if length >= 4 {
                    message[2] = UInt8(ours >> 8)
                    message[3] = UInt8(ours & 0xFF)
                    #expect(checksumIsValid(message, source: source, destination: destination), "length \(length)")
                }
            }
        }
    }

    @Test("Carry-heavy inputs: all-0xff messages and addresses, all-zero messages")
    func carries() {
        let ones = IPv6Address(high: .max, low: .max)
        for length in [4, 8, 24, 32, 1500, 65_535] {
            for fill: UInt8 in [0x00, 0xFF] {
                var message = [UInt8](repeating: fill, count: length)
                message[2] = 0
                message[3] = 0
                for (s, d) in [(ones, ones), (IPv6Address.unspecified, .allNodes), (ones, .unspecified)] {
                    let ours = computedChecksum(message, source: s, destination: d)
                    #expect(ours == rfc1071Checksum(source: s, destination: d, message: message), "\(length) \(fill)")
                    message[2] = UInt8(ours >> 8)
                    message[3] = UInt8(ours & 0xFF)
                    #expect(checksumIsValid(message, source: s, destination: d))
                    message[2] = 0
                    message[3] = 0
                }
            }
        }
    }

    @Test("The pseudo-header counts: source, destination and length each change the result")
    func pseudoHeader() {
        var message = ND.solicitation(target: Fixture.target, options: ND.slla(Fixture.routerMAC))
        let sum = computedChecksum(message, source: Fixture.routerLinkLocal, destination: Fixture.targetSolicitedNode)
        message[2] = UInt8(sum >> 8)
        message[3] = UInt8(sum & 0xFF)
        #expect(checksumIsValid(message, source: Fixture.routerLinkLocal, destination: Fixture.targetSolicitedNode))
        #expect(!checksumIsValid(message, source: Fixture.routerGlobal, destination: Fixture.targetSolicitedNode))
        #expect(!checksumIsValid(message, source: Fixture.routerLinkLocal, destination: .allNodes))
        // Swapping source and destination leaves the one's-complement sum unchanged (addition commutes).
        #expect(checksumIsValid(message, source: Fixture.targetSolicitedNode, destination: Fixture.routerLinkLocal))
        // Eight zero bytes appended: same word sum, but the pseudo-header length differs.
        #expect(
            !checksumIsValid(
                message + [0, 0, 0, 0, 0, 0, 0, 0], source: Fixture.routerLinkLocal,
                destination: Fixture.targetSolicitedNode))
    }
}
