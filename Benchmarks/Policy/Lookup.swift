import CacheHints
import Foundation
import NDPDaemon
import NDPIO
import NDPPolicy
import NDPWire
import TestSupport

/// Measures what the policy adds per solicitation, at several table sizes, in one run.
enum PolicyBenchmark {
    static func main(_ arguments: [String]) {
        if arguments.first == "count" { return count(arguments.dropFirst().compactMap { Int($0) }) }
        if arguments.first == "live-count" { return LiveBenchmark.count(Array(arguments.dropFirst())) }
        let sizes = arguments.isEmpty ? [10, 10_000, 1_000_000] : arguments.compactMap { Int($0) }
        var generator = SplitMix64(seed: 42)
        let prefixes = makePrefixes(count: 1_000, generator: &generator)
        print(
            "lookup flatness: exact set of N addresses + 1k prefixes (8 lengths), 64k queries, medians of 11 alternated rounds"
        )
        print("  decide:   decide() per query, one after another (each lookup waits for its own memory access)")
        print(
            "  decide+:  the same, as the engine runs it: the table lines of the query \(Engine.defaultLookahead) ahead prefetched"
        )
        print("  table:    the table lookup alone, one after another")
        print(
            "  replay:   ndpd --replay --quiet's whole path per solicitation (read, decode, decide), engine lookahead off / as run"
        )
        print(
            "exact entries   decide  vs 10   decide+  vs 10    table  vs 10   replay off  vs 10   replay  vs 10   (ns)")
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("ndpd-policy-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: capture) }
        var baseline: [Double] = []
        for size in sizes {
            let (table, queries) = makeTable(size: size, prefixes: prefixes, generator: &generator)
            let rule = ProxyRule(interface: "br0", targets: table)
            try! ReplayPath.writeCapture(queries, to: capture)
            let perQuery = Double(queries.count)
            // Alternated within each round, so a busy moment of the machine hits all alike.
            let figures = medians(5) { which in
                switch which {
                case 0: return lookupDecide(rule, queries)
                case 1: return lookupDecideAhead(rule, queries)
                case 2: return lookupTable(table, queries)
                case 3: return ReplayPath.replay(rule, capture, lookahead: 0)
                default: return ReplayPath.replay(rule, capture, lookahead: Engine.defaultLookahead)
                }
            }.map { $0 / perQuery }
            if baseline.isEmpty { baseline = figures }
            let ratios = zip(figures, baseline).map { $0 / $1 }
            var line = pad(String(size), 13)
            for (column, width) in [(0, 9), (1, 10), (2, 9), (3, 13), (4, 9)] {
                line += pad(format(figures[column]), width) + pad(format(ratios[column]) + "x", 7)
            }
            print(line)
            if size == sizes.last && sizes.count > 1 {
                func verdict(_ ratio: Double) -> String { "\(format(ratio))x " + (ratio <= 2 ? "met" : "NOT met") }
                print(
                    "target \(size) within 2x of \(sizes[0]), as the daemon runs it: decide+ \(verdict(ratios[1])), "
                        + "replay \(verdict(ratios[4]))")
                print(
                    "  one at a time (no lookahead): decide \(verdict(ratios[0])), table \(verdict(ratios[2])), "
                        + "replay \(verdict(ratios[3]))")
            }
        }
        print(
            "reference: one dependent random read from a 32 MB array (the 1M table's slots): "
                + "\(format(memoryLatency(bytes: 32 << 20))) ns; from a 1 MB array: \(format(memoryLatency(bytes: 1 << 20))) ns"
        )
        loadTime(count: 1_000_000, generator: &generator)
    }

    /// `count SIZE QUERIES`: builds the table of SIZE exact addresses (plus the 1k prefixes) and
    /// runs `decide` over QUERIES queries once, untimed, for `valgrind --tool=callgrind`:
    /// (Ir(QUERIES) - Ir(0)) / QUERIES is the instructions per decision at that size, which
    /// repeat exactly, whatever the caches do.
    static func count(_ numbers: [Int]) {
        guard numbers.count == 2 else {
            print("usage: ndpd-policy-bench count SIZE QUERIES")
            return
        }
        var generator = SplitMix64(seed: 42)
        let prefixes = makePrefixes(count: 1_000, generator: &generator)
        let (table, queries) = makeTable(size: numbers[0], prefixes: prefixes, generator: &generator)
        let rule = ProxyRule(interface: "br0", targets: table)
        let answers = numbers[1] == 0 ? 0 : lookupDecide(rule, Array(queries.prefix(numbers[1])))
        print("answers=\(answers)")
    }

    /// ns per read when each read's index depends on the previous one: the machine's memory
    /// latency at that working-set size, which a lookup in a table that big cannot go below.
    static func memoryLatency(bytes: Int) -> Double {
        let words = [UInt64](unsafeUninitializedCapacity: bytes / 8) { buffer, count in
            for i in 0..<buffer.count { buffer[i] = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 }
            count = buffer.count
        }
        let reads = 1 << 18
        return median { chase(words, reads: reads) } / Double(reads)
    }

    nonisolated static func chase(_ words: [UInt64], reads: Int) -> Int {
        var x: UInt64 = 1
        var sum: UInt64 = 0
        for _ in 0..<reads {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 &+ (sum & 1)
            sum &+= words[Int(truncatingIfNeeded: x.multipliedFullWidth(by: UInt64(words.count)).high)]
        }
        return Int(truncatingIfNeeded: sum)
    }

    /// Writes 1M addresses to a targets-file and times ConfigurationLoader reading it.
    static func loadTime(count: Int, generator: inout SplitMix64) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ndpd-load-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = "# \(count) guests\n"
        text.reserveCapacity(count * 40)
        for address in makeAddresses(count: count, generator: &generator) { text += address.description + "\n" }
        let list = dir.appendingPathComponent("guests")
        try! text.write(to: list, atomically: false, encoding: .utf8)
        let config = dir.appendingPathComponent("ndpd.toml")
        try! "[[proxy]]\ninterface = \"br0\"\ntargets-file = \"guests\"\n".write(
            to: config, atomically: false, encoding: .utf8)
        var times: [Double] = []
        var loaded = 0
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            let configuration = try! ConfigurationLoader.load(path: config.path)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            loaded = configuration.proxies[0].targets.exactCount
        }
        times.sort()
        print(
            "targets-file load: \(loaded) addresses (\(text.utf8.count / 1_000_000) MB) in \(format(times[1] * 1000)) ms (median of 3)"
                + (times[1] < 1 ? "  (target < 1 s: met)" : "  (target < 1 s: NOT met)"))
    }

    nonisolated static func lookupTable(_ table: TargetTable, _ queries: [IPv6Address]) -> Int {
        var hits = 0
        for query in queries where table.containsExact(query) || table.longestPrefix(containing: query) != nil {
            hits += 1
        }
        return hits
    }

    /// Whether `decide` answers the router's multicast NS (from fe80::1, SLLA 02:00:00:00:0a:01)
    /// for `query`: the per-query work of `lookupDecide` and `lookupDecideAhead`.
    @inline(__always)
    nonisolated static func isAnswered(_ query: IPv6Address, _ rule: ProxyRule, _ facts: InterfaceFacts) -> Bool {
        let ns = NeighborSolicitation(
            source: IPv6Address(high: 0xFE80_0000_0000_0000, low: 1),
            destination: query.solicitedNodeMulticast, targetAddress: query,
            sourceLinkLayerAddress: MACAddress(rawValue: 0x0200_0000_0A01))
        if case .answer = decide(ns, rule: rule, interface: facts, knownOwner: nil) { return true }
        return false
    }

    /// `lookupDecide` with the engine's lookahead: before deciding query i, the table lines
    /// of query i + `Engine.defaultLookahead` are prefetched, as the engine does on a frame's arrival.
    nonisolated static func lookupDecideAhead(_ rule: ProxyRule, _ queries: [IPv6Address]) -> Int {
        let facts = InterfaceFacts(name: "br0", mac: MACAddress(rawValue: 0x0200_0000_0001), addresses: [])
        var answers = 0
        for i in queries.indices {
            if i &+ Engine.defaultLookahead < queries.count {
                rule.targets.visitLookupMemory(of: queries[i &+ Engine.defaultLookahead]) { Prefetch.read($0) }
            }
            if isAnswered(queries[i], rule, facts) { answers += 1 }
        }
        return answers
    }

    nonisolated static func lookupDecide(_ rule: ProxyRule, _ queries: [IPv6Address]) -> Int {
        let facts = InterfaceFacts(name: "br0", mac: MACAddress(rawValue: 0x0200_0000_0001), addresses: [])
        var answers = 0
        for query in queries where isAnswered(query, rule, facts) {
            answers += 1
        }
        return answers
    }

    /// Median wall time in ns of 11 runs of `body` (after one warm-up).
    static func median(_ body: () -> Int) -> Double { medians(1) { _ in body() }[0] }

    /// Median wall times in ns of 11 runs of `body(0)` ... `body(count - 1)`, the variants
    /// alternated within each round (after one warm-up round).
    static func medians(_ count: Int, _ body: (Int) -> Int) -> [Double] {
        var sink = 0
        for which in 0..<count { sink &+= body(which) }
        var times = [[Double]](repeating: [], count: count)
        for _ in 0..<11 {
            for which in 0..<count {
                let start = DispatchTime.now().uptimeNanoseconds
                sink &+= body(which)
                times[which].append(Double(DispatchTime.now().uptimeNanoseconds - start))
            }
        }
        if sink == -1 { print("") }  // keeps the work observable
        return times.map { $0.sorted()[5] }
    }

    /// A table of `size` random exact addresses plus `prefixes`, and 64k queries against it.
    static func makeTable(
        size: Int, prefixes: [IPv6Prefix],
        generator: inout SplitMix64
    ) -> (table: TargetTable, queries: [IPv6Address]) {
        let addresses = makeAddresses(count: size, generator: &generator)
        var table = TargetTable(prefixes)
        table.reserveExactCapacity(size)
        for address in addresses { table.insert(IPv6Prefix(address: address, length: 128)) }
        return (table, makeQueries(addresses: addresses, prefixes: prefixes, count: 1 << 16, generator: &generator))
    }

    /// Random guest addresses in 2001:db8:0:96ce::/64 and its neighbours.
    static func makeAddresses(count: Int, generator: inout SplitMix64) -> [IPv6Address] {
        (0..<count).map { _ in
            IPv6Address(high: 0x2001_0DB8_0000_0000 | (generator.next() & 0xFFFF), low: generator.next() | 1)
        }
    }

    /// 1k prefixes over 8 lengths, in 2001:db8:8000::/33 so they never cover the exact addresses.
    static func makePrefixes(count: Int, generator: inout SplitMix64) -> [IPv6Prefix] {
        let lengths = [32, 40, 44, 48, 52, 56, 60, 64]
        return (0..<count).map { i in
            let address = IPv6Address(high: 0x2001_0DB8_8000_0000 | (generator.next() & 0x7FFF_FFFF), low: 0)
            return IPv6Prefix(
                address: address, length: lengths[i % lengths.count] == 32 ? 33 : lengths[i % lengths.count])
        }
    }

    /// Half exact hits, a quarter prefix hits, a quarter misses, shuffled.
    static func makeQueries(addresses: [IPv6Address], prefixes: [IPv6Prefix], count: Int, generator: inout SplitMix64)
        -> [IPv6Address]
    {
        (0..<count).map { i in
            switch i % 4 {
            case 0, 1: return addresses[Int(generator.next() % UInt64(addresses.count))]
            case 2:
                let prefix = prefixes[Int(generator.next() % UInt64(prefixes.count))]
                return IPv6Address(
                    high: prefix.address.high | (prefix.length < 64 ? generator.next() >> UInt64(prefix.length) : 0),
                    low: generator.next() | 1)
            default:
                return IPv6Address(high: 0x2001_0DB9_0000_0000 | (generator.next() & 0xFFFF), low: generator.next() | 1)
            }
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
