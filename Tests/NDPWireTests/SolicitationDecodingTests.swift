// The engine's one call, `NeighborSolicitation(decoding:linkType:)`, against the layered
// decoders it must agree with (`NDFrame` + `init(validating:in:)`): on the corpus, on the
// project's fixtures, on every prefix, and on every single-byte change of valid frames, with the
// checksum both left alone and repaired (so that the changes reach the checks behind it).
// The single pass (`init?(acceptingEthernet:)`) is checked on its own too: it may only accept
// what the layered path accepts, field for field, and it must take the common frames.

import Foundation
import TestSupport
import Testing

@testable import NDPWire

/// The one-call outcome, in the layered outcome's terms.
func decodeSolicitation(_ frame: [UInt8], linkType: LinkType) -> NSOutcome {
    do throws(SolicitationFrameError) {
        return .accepted(try NeighborSolicitation(decoding: frame.span, linkType: linkType))
    } catch {
        switch error {
        case .undecodable(let wire): return .wireError(wire)
        case .notSolicitation(let type): return .notSolicitation(icmpType: type)
        case .invalid(let invalid): return .invalid(invalid)
        }
    }
}

/// What the single pass alone makes of `frame`.
func acceptEthernetSinglePass(_ frame: [UInt8]) -> NeighborSolicitation? {
    NeighborSolicitation(acceptingEthernet: frame.span)
}

/// `frame` with its ICMPv6 checksum recomputed, when NDFrame finds a whole message in it.
func repairingChecksum(_ frame: [UInt8], linkType: LinkType) -> [UInt8] {
    guard case .success(let parsed) = decodeFrame(frame, linkType: linkType), let range = parsed.messageRange,
        range.count >= 4
    else { return frame }
    var bytes = frame
    bytes[range.lowerBound + 2] = 0
    bytes[range.lowerBound + 3] = 0
    let checksum = computedChecksum(Array(bytes[range]), source: parsed.ip.source, destination: parsed.ip.destination)
    bytes[range.lowerBound + 2] = UInt8(checksum >> 8)
    bytes[range.lowerBound + 3] = UInt8(checksum & 0xFF)
    return bytes
}

@Suite("One-call NS decoding agrees with the layered decoders")
struct SolicitationDecodingTests {
    /// Valid NS frames of every shape the single pass takes, and some it leaves to the layers.
    static let validFrames: [(name: String, linkType: LinkType, bytes: [UInt8])] = {
        var out = GoldenFrames.validSolicitations.map { ($0.name, $0.linkType, $0.bytes) }
        let dad = TestPacket(
            link: Fixture.ethernet(tags: [SolicitationValidationTests.sTag, SolicitationValidationTests.qTag]),
            source: .unspecified, destination: Fixture.targetSolicitedNode,
            message: ND.solicitation(target: Fixture.target, options: ND.nonce()))
        out.append(("QinQ DAD + nonce", .ethernet, dad.bytes))
        let twoOptions = TestPacket(
            link: Fixture.ethernet(tags: []), source: Fixture.routerGlobal,
            destination: Fixture.targetSolicitedNode,
            message: ND.solicitation(
                target: Fixture.target,
                options: ND.slla(Fixture.routerMAC) + [200, 2] + [UInt8](repeating: 7, count: 14)
                    + ND.slla(Fixture.guestMAC)))
        out.append(("untagged, SLLA + 16-octet unknown option + second SLLA", .ethernet, twoOptions.bytes))
        let nud = TestPacket(
            link: Fixture.ethernet(tags: []), source: Fixture.routerGlobal, destination: Fixture.target,
            message: ND.solicitation(target: Fixture.target))
        out.append(("untagged NUD, no option", .ethernet, nud.bytes))
        var chained = Fixture.multicastNS(link: Fixture.ethernet(tags: [SolicitationValidationTests.qTag]))
        chained.extensionHeaders = [.hopByHopPadN]
        out.append(("802.1Q + hop-by-hop (layered path)", .ethernet, chained.bytes))
        return out
    }()

    @Test("every valid test frame is accepted by both, with the same fields")
    func validFramesAgree() {
        var singlePass = 0
        for frame in Self.validFrames {
            let layered = validateSolicitation(frame.bytes, linkType: frame.linkType)
            #expect(layered.isAccepted, "\(frame.name)")
            #expect(decodeSolicitation(frame.bytes, linkType: frame.linkType) == layered, "\(frame.name)")
            if frame.linkType == .ethernet, let fast = acceptEthernetSinglePass(frame.bytes) {
                singlePass += 1
                #expect(NSOutcome.accepted(fast) == layered, "\(frame.name)")
            }
        }
        // The untagged, tagged, QinQ, two-option and NUD frames take the single pass.
        #expect(singlePass >= 5, "single pass took \(singlePass) of \(Self.validFrames.count)")
        let hopByHop = Self.validFrames.first { $0.name.contains("hop-by-hop") }!
        #expect(acceptEthernetSinglePass(hopByHop.bytes) == nil, "extension headers are left to the layered path")
    }

    @Test("every prefix, every single-byte change (checksum kept and repaired): same outcome")
    func mutationsAgree() {
        var compared = 0
        var acceptedByBoth = 0
        for frame in Self.validFrames {
            var variants: [[UInt8]] = []
            for n in 0..<frame.bytes.count { variants.append(Array(frame.bytes[0..<n])) }
            for offset in frame.bytes.indices {
                for value: UInt8 in [
                    0x00, 0xFF, frame.bytes[offset] ^ 0x01, frame.bytes[offset] ^ 0x80, 0x3A, 0x87, 0x02,
                ] {
                    var changed = frame.bytes
                    changed[offset] = value
                    variants.append(changed)
                    variants.append(repairingChecksum(changed, linkType: frame.linkType))
                }
            }
            for bytes in variants {
                let layered = validateSolicitation(bytes, linkType: frame.linkType)
                let combined = decodeSolicitation(bytes, linkType: frame.linkType)
                compared += 1
                if combined != layered {
                    Issue.record(
                        "\(frame.name): \(bytes.map { String($0, radix: 16) }.joined(separator: " ")): one call \(combined), layered \(layered)"
                    )
                }
                if frame.linkType == .ethernet, let fast = acceptEthernetSinglePass(bytes) {
                    #expect(
                        NSOutcome.accepted(fast) == layered,
                        "\(frame.name): single pass accepted what the layers say is \(layered)")
                }
                if layered.isAccepted { acceptedByBoth += 1 }
            }
        }
        // Mutations of reserved bits, addresses and MACs stay valid with a repaired checksum:
        // the property is exercised on accepted frames, not only on rejections.
        #expect(acceptedByBoth > 1000, "only \(acceptedByBoth) of \(compared) variants were valid NS")
    }

    @Test("every frame of the project's fixtures: same outcome", arguments: Self.fixtureNames)
    func fixturesAgree(_ name: String) throws {
        let capture = try Capture(path: TestEnvironment.captures.appendingPathComponent(name).path)
        let linkType = try #require(capture.linkType)
        for record in capture.records {
            #expect(
                decodeSolicitation(record.bytes, linkType: linkType)
                    == validateSolicitation(record.bytes, linkType: linkType),
                "\(name) frame \(record.header.index)")
        }
    }

    static let fixtureNames: [String] = {
        let folder = TestEnvironment.captures
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        // damaged-cut and not-a-capture cannot be read whole; their readable part is in the corpus test.
        return names.filter { Corpus.isCaptureName($0) && !$0.contains("damaged") && !$0.contains("not-a-capture") }
            .sorted()
    }()

    @Test(
        "every frame of the public corpus: same outcome; the single pass takes most valid NS",
        .needsCorpus)
    func corpusAgrees() throws {
        var solicitations = 0
        var valid = 0
        var singlePass = 0
        for name in try Corpus.fileNames() where Corpus.isCaptureName(name) {
            guard let capture = try? Corpus.capture(name), let linkType = capture.linkType else { continue }
            for record in capture.records {
                let layered = validateSolicitation(record.bytes, linkType: linkType)
                let combined = decodeSolicitation(record.bytes, linkType: linkType)
                #expect(combined == layered, "\(name) frame \(record.header.index)")
                if case .notSolicitation = layered { continue }
                if case .wireError = layered { continue }
                solicitations += 1
                if layered.isAccepted { valid += 1 }
                if linkType == .ethernet, let fast = acceptEthernetSinglePass(record.bytes) {
                    singlePass += 1
                    #expect(NSOutcome.accepted(fast) == layered, "\(name) frame \(record.header.index)")
                }
            }
        }
        #expect(solicitations > 100 && valid > 50, "\(solicitations) NS, \(valid) valid")
        #expect(singlePass * 2 > valid, "single pass took \(singlePass) of \(valid) valid NS")
    }
}
