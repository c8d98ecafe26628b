// Every proper prefix of a valid frame is rejected, and none traps. A capture cut by
// snaplen (or a hostile short frame) must never be answered and never crash the parser.

import NDPWire
import TestSupport
import Testing

@Suite("Every proper prefix of a valid frame is rejected")
struct PrefixTruncationTests {
    struct FrameCase: Sendable, CustomTestStringConvertible {
        var name: String
        var linkType: LinkType
        var bytes: [UInt8]
        var testDescription: String { "\(name) (\(bytes.count) bytes)" }
    }

    static let cases: [FrameCase] = {
        var out = GoldenFrames.validSolicitations.map {
            FrameCase(name: "golden \($0.name)", linkType: $0.linkType, bytes: $0.bytes)
        }
        // Built frames: DAD with a nonce, NUD without options, and an NS behind extension headers.
        let dad = TestPacket(
            link: Fixture.ethernet(tags: [SolicitationValidationTests.sTag, SolicitationValidationTests.qTag]),
            source: .unspecified, destination: Fixture.targetSolicitedNode,
            message: ND.solicitation(target: Fixture.target, options: ND.nonce()))
        out.append(FrameCase(name: "QinQ DAD + nonce", linkType: .ethernet, bytes: dad.bytes))
        let nud = TestPacket(
            link: .sll2(packetType: 0, interfaceIndex: 2, source: Fixture.routerMAC),
            source: Fixture.routerGlobal, destination: Fixture.target,
            message: ND.solicitation(target: Fixture.target))
        out.append(FrameCase(name: "SLL2 NUD", linkType: .linuxSLL2, bytes: nud.bytes))
        // Unicast (NUD): a routing header in a packet to a multicast group is discarded (RFC 4291 §2.7).
        var chained = Fixture.multicastNS(
            link: Fixture.ethernet(
                tags: [SolicitationValidationTests.qTag],
                destination: Fixture.interfaceMAC))
        chained.destination = Fixture.target
        chained.extensionHeaders = [.hopByHopPadN, .destinationOptions16, .routingSegmentsLeft0]
        out.append(FrameCase(name: "802.1Q + HBH/DO/RH", linkType: .ethernet, bytes: chained.bytes))
        return out
    }()

    @Test("frame[0..<n] for every n < count is refused (WireError or InvalidSolicitation)", arguments: cases)
    func everyPrefixRejected(_ c: FrameCase) {
        // The whole frame is valid: otherwise the property below would prove nothing.
        #expect(validateSolicitation(c.bytes, linkType: c.linkType).isAccepted)
        var accepted: [Int] = []
        var wireErrors = 0
        var invalid = 0
        for n in 0..<c.bytes.count {
            switch validateSolicitation(Array(c.bytes[0..<n]), linkType: c.linkType) {
            case .accepted: accepted.append(n)
            case .wireError: wireErrors += 1
            case .invalid(let i):
                invalid += 1
                // A cut frame is refused as truncated, never for a made-up reason.
                #expect(i.rejection == .truncated, "prefix \(n): \(i.rejection)")
            case .notSolicitation(let type): Issue.record("prefix \(n) decoded as ICMPv6 type \(type)")
            }
        }
        #expect(accepted.isEmpty, "accepted prefixes: \(accepted)")
        #expect(wireErrors + invalid == c.bytes.count)
        #expect(invalid > 0 && wireErrors > 0)
    }

    @Test("Every prefix of a built NA decodes without trapping, and only the whole frame is a whole NA")
    func advertisementPrefixes() throws {
        for c in AdvertisementCase.all where c.router && c.withTLLA {
            let frame = try advertisementFrame(c.advertisement)
            for n in 0..<frame.count {
                let prefix = Array(frame[0..<n])
                if case .success(let parsed) = decodeFrame(prefix, linkType: .ethernet) {
                    // Headers present but the message cut: the range must say so.
                    #expect(parsed.messageRange == nil, "\(c) prefix \(n)")
                    #expect(parsed.ip.isTruncated)
                }
            }
            let whole = try #require(try? decodeFrame(frame, linkType: .ethernet).get())
            #expect(whole.messageRange != nil)
        }
    }

    @Test("Random frames and bit flips of valid frames never trap")
    func noTrapOnNoise() {
        var rng = SplitMix64(seed: 0x6E64_7064)
        var accepted = 0
        for c in Self.cases {
            for _ in 0..<300 {
                var mutated = c.bytes
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let index = Int(rng.next() % UInt64(mutated.count))
                    mutated[index] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                }
                if validateSolicitation(mutated, linkType: c.linkType).isAccepted { accepted += 1 }
                let nd = decodeND(Array(mutated.suffix(40)))
                _ = nd
            }
        }
        for length in 0..<200 {
            let noise = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            for linkType in LinkType.allCases {
                if validateSolicitation(noise, linkType: linkType).isAccepted { accepted += 1 }
                _ = decodeND(noise)
            }
        }
        // A flipped byte is almost always caught (checksum, hop limit, lengths). A few flips in
        // fields the checksum does not cover (MAC addresses, tags) legitimately pass.
        #expect(accepted < 3 * Self.cases.count * 300 / 4)
    }
}
