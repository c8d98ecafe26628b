import Foundation
import NDPDaemon
import NDPIO
import NDPPolicy
import NDPWire
import TestSupport
import Testing

/// Everything a replay produces: its status, its lines (text with every ND message listed, or
/// JSON) and the advertisements it wrote, byte for byte.
private struct ReplayResult: Equatable {
    var status: Int32
    var lines: [String]
    var errors: [String]
    var written: [UInt8]
}

/// Replays `capture` writing to `written` (the same path for runs compared, since a line names it).
private func run(_ capture: String, rule: ProxyRule, lookahead: Int, json: Bool, writing writtenPath: String) throws
    -> ReplayResult
{
    defer { try? FileManager.default.removeItem(atPath: writtenPath) }
    var options = ReplayOptions(capturePath: capture)
    options.json = json
    options.allMessages = !json
    options.lookahead = lookahead
    options.writePath = writtenPath
    nonisolated(unsafe) var lines: [String] = []
    var errors: [String] = []
    let status = Replay.run(rule: rule, options: options, output: { lines.append($0) }, errors: { errors.append($0) })
    let written = (try? Data(contentsOf: URL(fileURLWithPath: writtenPath))).map { [UInt8]($0) } ?? []
    return ReplayResult(status: status, lines: lines, errors: errors, written: written)
}

/// `rule` with thousands of extra exact targets and /64 prefixes in 3fff::/20 (RFC 9637's
/// documentation prefix, used by no fixture), so that both its exact set and its /64 set
/// outgrow the cache and the engine prefetches for every solicitation.
private func enlarged(_ rule: ProxyRule) -> ProxyRule {
    var large = rule
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<AddressSet.prefetchThreshold / 2 {
        large.targets.insert(
            IPv6Prefix(
                address: IPv6Address(
                    high: 0x3FFF_0000_0000_0000 | generator.next() >> 20,
                    low: generator.next()), length: 128))
        large.targets.insert(
            IPv6Prefix(
                address: IPv6Address(high: 0x3FFF_0000_0000_0000 | generator.next() >> 20, low: 0),
                length: 64))
    }
    return large
}

/// The engine's lookahead (decide a solicitation up to `Engine.defaultLookahead` frames after it
/// arrived, its table lines prefetched meanwhile) must change nothing but speed: every output
/// is compared with the engine deciding each solicitation as it arrives (lookahead 0).
struct LookaheadTests {
    static let lookaheads = [1, 3, Engine.defaultLookahead, Engine.maximumLookahead]

    @Test(arguments: Paths.fixtures)
    func fixtureOutputsDoNotDependOnTheLookahead(_ name: String) throws {
        let base = Paths.captures.appendingPathComponent(name).path
        let configured = try #require(try ConfigurationLoader.load(path: base + ".toml").proxies.first)
        let scratch = try TemporaryDirectory()
        let out = scratch.path("out.pcap")
        for rule in [configured, enlarged(configured)] {
            for json in [true, false] {
                let reference = try run(base + ".pcap", rule: rule, lookahead: 0, json: json, writing: out)
                #expect(!reference.lines.isEmpty)
                for lookahead in Self.lookaheads {
                    let result = try run(base + ".pcap", rule: rule, lookahead: lookahead, json: json, writing: out)
                    #expect(result == reference, "\(name), lookahead \(lookahead), json \(json)")
                }
            }
        }
    }

    @Test func theEnlargedTablePrefetches() throws {
        let rule = enlarged(CommandLineRule.demo)
        var visited: [Int] = []
        rule.targets.visitLookupMemory(of: IPv6Address("3fff::1")!) { visited.append($0.byteCount) }
        // Exact set: filter word + slot; the /64 set: the same; the demo's small sets: nothing.
        #expect(visited == [8, 16, 8, 16])
        var none = 0
        CommandLineRule.demo.targets.visitLookupMemory(of: IPv6Address("2001:db8:0:96ce::2")!) { _ in none += 1 }
        #expect(none == 0, "small tables are left to the cache")
    }

    /// The public corpus: mixed traffic, other ND messages, rejected frames, cut files. A rule
    /// answering for every address (::/0) makes most solicitations answers, written to a file.
    @Test(
        .enabled(
            if: TestEnvironment.corpusDirectory != nil || TestEnvironment.isCI, "../shared/captures/public is absent"))
    func corpusOutputsDoNotDependOnTheLookahead() throws {
        let corpus = try #require(TestEnvironment.corpusDirectory, "the public corpus is required in CI")
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
        #expect(names.count > 20)
        var everything = CommandLineRule.demo
        everything.targets.insert(IPv6Prefix(address: .unspecified, length: 0))
        var solicitations = 0
        let scratch = try TemporaryDirectory()
        let out = scratch.path("out.pcap")
        let rules = [everything, enlarged(everything)]
        for name in names {
            let path = corpus.appendingPathComponent(name).path
            for rule in rules {
                let reference = try run(path, rule: rule, lookahead: 0, json: false, writing: out)
                let result = try run(path, rule: rule, lookahead: Engine.defaultLookahead, json: false, writing: out)
                #expect(result == reference, "\(name)")
                solicitations += reference.lines.filter { $0.contains(" who-has ") }.count
            }
        }
        #expect(solicitations > 100, "the corpus holds solicitations to compare")
    }

    /// `dad = "defend"` learns owners in frame order, when each solicitation is decided: a
    /// probe must not be judged by what a later frame teaches. Here a DAD probe for X comes
    /// first, when no owner of X is known (ignored), then X's owner shows itself; the other
    /// way round, the probe would come from an impostor and be answered.
    @Test func ownersAreLearnedInFrameOrder() throws {
        let scratch = try TemporaryDirectory()
        let x = IPv6Address("2001:db8:0:96ce::42")!
        let (owner, impostor) = (MACAddress(rawValue: 0x0200_0000_0A0A), MACAddress(rawValue: 0x0200_0000_0B0B))
        let frames = [
            TestFrames.dadProbe(x, from: impostor),
            TestFrames.solicitation(from: owner, source: x, target: IPv6Address("2001:db8:0:96ce::1")!, slla: owner),
            TestFrames.dadProbe(x, from: impostor),
        ]
        let capture = scratch.path("order.pcap")
        let writer = try CaptureWriter(path: capture)
        for (i, frame) in frames.enumerated() { writer.write(frame.span, seconds: i, microseconds: 0) }
        try writer.close()
        var flags = CommandLineRule(interface: "br0")
        flags.targets = ["2001:db8:0:96ce::/64"]
        flags.dad = "defend"
        let rule = try flags.build()
        let out = scratch.path("out.pcap")
        let reference = try run(capture, rule: rule, lookahead: 0, json: true, writing: out)
        #expect(
            reference.lines.prefix(3).map { $0.contains("\"reason\":\"dad\"") } == [true, false, false],
            "\(reference.lines)")
        #expect(reference.lines[2].contains("\"decision\":\"answer\""), "the impostor's probe, once the owner is known")
        for lookahead in Self.lookaheads {
            #expect(try run(capture, rule: rule, lookahead: lookahead, json: true, writing: out) == reference)
        }
    }

    /// A reload while solicitations wait: they are decided under the rule in force when their
    /// turn comes, each wholly under one rule, in frame order; a small new table holds nothing back.
    @Test func waitingSolicitationsAreDecidedUnderTheRuleInForce() throws {
        let capture = Paths.captures.appendingPathComponent("seed.pcap").path
        // The seed's valid solicitations only: any other frame would have the engine decide first.
        let frames = try readFrames(capture).filter { _, bytes in
            (try? NeighborSolicitation(decoding: bytes.span, linkType: .ethernet)) != nil
        }
        // A table that outgrows the cache: with a small one, nothing is held back.
        let large = enlarged(CommandLineRule.demo)
        var engine = Engine(rule: large, interface: InterfaceFacts.replay(large))
        var decisions: [String] = []
        var taken = 0
        for (header, frame) in frames {
            if engine.handle(
                frame: frame.span, linkType: .ethernet, header: header,
                emit: { outcome, _ in
                    decisions.append(outcome.decision.word)
                })
            {
                taken += 1
            }
            #expect(engine.waitingCount <= Engine.defaultLookahead)
            #expect(decisions.count + engine.waitingCount == taken)
        }
        #expect(taken >= 3 && decisions.isEmpty, "the seed's solicitations all wait: \(decisions)")
        engine.update(rule: ProxyRule(interface: "br0"))
        // The next solicitation, under a small table, decides the backlog first, then itself.
        var order: [Int] = []
        let (header, frame) = frames[0]
        engine.handle(
            frame: frame.span, linkType: .ethernet, header: header,
            emit: { outcome, header in
                decisions.append(outcome.reasonOrWord)
                order.append(header.index)
            })
        #expect(engine.waitingCount == 0)
        #expect(order == frames.map(\.0.index) + [header.index], "frame order kept")
        #expect(decisions.count == taken + 1)
        #expect(decisions.allSatisfy { $0 == "not-configured" || $0 == "own-address" }, "\(decisions)")
    }
}

/// Every record of `path`, copied out of the reader.
private func readFrames(_ path: String) throws -> [(PacketHeader, [UInt8])] {
    let capture = try CaptureFile(path: path)
    var frames: [(PacketHeader, [UInt8])] = []
    try capture.forEach { header, frame in
        var bytes: [UInt8] = []
        for i in frame.indices { bytes.append(frame[i]) }
        frames.append((header, bytes))
        return true
    }
    return frames
}

extension SolicitationOutcome {
    fileprivate var reasonOrWord: String { decision.reason ?? decision.word }
}
