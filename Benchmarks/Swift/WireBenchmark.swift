// `ndpd-bench wire` / `wire-callgrind` / `selftest` / `hex`: the driver around WireLoops.swift.
//
// Timing follows nd_reference.c exactly: one untimed warm-up batch of N operations, then 11
// timed batches (CLOCK_MONOTONIC around each), `ns_per_op` = the median batch's time / N; so a
// timed run performs 12 N operations (printed as total_ops). `wire-callgrind` runs exactly N
// operations with no clock call, for `valgrind --tool=callgrind` (Ir/op = (Ir(N) - Ir(0)) / N).

import NDPWire

#if canImport(Glibc)
    import Glibc
#endif

enum WireOperation: String {
    case parse, build
}

/// The NS frame, its expected NA, and the NA built by NDPWire from the NS (checked).
struct WireFixture {
    var frame: [UInt8]
    var expected: [UInt8]
    var advertisement: NeighborAdvertisement

    init(vlan: Bool) throws(BenchmarkFailure) {
        let frame = vlan ? WireFrames.nsVLAN : WireFrames.ns
        self.frame = frame
        expected = vlan ? WireFrames.naVLAN : WireFrames.na
        let span = frame.span
        let ns: NeighborSolicitation
        do {
            ns = try NeighborSolicitation(validating: try NDFrame(parsing: span, linkType: .ethernet), in: span)
        } catch {
            throw BenchmarkFailure("the benchmark NS does not validate: \(error)")
        }
        guard ns.targetAddress == WireFrames.target, ns.sourceLinkLayerAddress == WireFrames.sourceLinkLayerAddress,
            ns.vlanTags.count == (vlan ? 1 : 0), !vlan || ns.vlanTags.outer?.vlanIdentifier == 10
        else {
            throw BenchmarkFailure("the benchmark NS parsed to \(ns)")
        }
        // ndpd's defaults for this NS: R = 1, O = 0, source "auto" -> link-local (the solicitor is).
        advertisement = NeighborAdvertisement(
            answering: ns, interfaceMAC: WireFrames.interfaceMAC,
            source: WireFrames.interfaceLinkLocal, router: true, override: false)
    }

    /// Builds the NA into a garbage-filled buffer and compares it with the C golden bytes.
    func check() throws(BenchmarkFailure) {
        var bytes = [UInt8](repeating: 0xA5, count: 128)
        var out = bytes.mutableSpan
        let length: Int
        do { length = try advertisement.write(into: &out) } catch {
            throw BenchmarkFailure("write(into:) failed: \(error)")
        }
        guard length == expected.count, Array(bytes[0..<length]) == expected else {
            throw BenchmarkFailure(
                "the built NA differs from Benchmarks/c/nd_frames.h: \(bytes[0..<length].map { $0 })")
        }
        var small = [UInt8](repeating: 0, count: expected.count - 1)
        var smallOut = small.mutableSpan
        if (try? advertisement.write(into: &smallOut)) != nil {
            throw BenchmarkFailure("write(into:) accepted a buffer one byte short")
        }
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

private func monotonicNanoseconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1e9 + Double(ts.tv_nsec)
}

/// Runs one batch of `iterations` operations and returns its accumulator.
private func runBatch(
    _ operation: WireOperation, fixture: WireFixture, box: AdvertisementBox,
    output: inout [UInt8], iterations: Int
) -> UInt64 {
    switch operation {
    case .parse:
        return validateSolicitationLoop(fixture.frame.span, iterations: iterations)
    case .build:
        var out = output.mutableSpan
        return buildAdvertisementLoop(box, into: &out, iterations: iterations)
    }
}

/// `wire parse|build N [vlan]`: the timed benchmark, nd_reference's output format.
func timeWire(_ operation: WireOperation, iterations: Int, vlan: Bool) throws(BenchmarkFailure) {
    let fixture = try WireFixture(vlan: vlan)
    try fixture.check()
    let box = AdvertisementBox(fixture.advertisement)
    var output = [UInt8](repeating: 0, count: 128)
    let batches = 11
    var perOp: [Double] = []
    for batch in -1..<batches {
        let t0 = monotonicNanoseconds()
        let acc = runBatch(operation, fixture: fixture, box: box, output: &output, iterations: iterations)
        let t1 = monotonicNanoseconds()
        sink(acc)
        if batch >= 0 { perOp.append(iterations > 0 ? (t1 - t0) / Double(iterations) : 0) }
    }
    perOp.sort()
    print(
        "mode=\(operation.rawValue) frame=\(vlan ? "vlan10" : "untagged") frame_len=\(fixture.frame.count) "
            + "iterations=\(iterations) batches=\(batches) total_ops=\(iterations * (batches + 1)) "
            + "min_ns=\(format(perOp[0])) max_ns=\(format(perOp[batches - 1]))")
    print("ns_per_op=\(format(perOp[batches / 2]))")
}

/// `wire-callgrind parse|build N [vlan]`: exactly N operations, no clock.
func callgrindWire(_ operation: WireOperation, iterations: Int, vlan: Bool) throws(BenchmarkFailure) {
    let fixture = try WireFixture(vlan: vlan)
    try fixture.check()
    let box = AdvertisementBox(fixture.advertisement)
    var output = [UInt8](repeating: 0, count: 128)
    sink(runBatch(operation, fixture: fixture, box: box, output: &output, iterations: iterations))
    print("mode=\(operation.rawValue) frame=\(vlan ? "vlan10" : "untagged") total_ops=\(iterations)")
}

private func format(_ value: Double) -> String {
    let thousandths = Int((value * 1000).rounded())
    let fraction = String(thousandths % 1000)
    return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
}

let usage = """
    usage: ndpd-bench wire [parse|build] [N] [vlan]       time N operations per batch (default both,
                                                           N = 1000000), median of 11 batches
           ndpd-bench wire-callgrind parse|build N [vlan]  exactly N operations, no timing (valgrind)
           ndpd-bench selftest                             check the frames parse and build as in C
           ndpd-bench hex                                  print the frames as `nd_reference hex` does
    """

/// The entry point; returns the exit status.
func benchmarkMain(_ arguments: [String]) -> Int32 {
    var args = Array(arguments.dropFirst())
    guard let command = args.first else {
        print(usage)
        return 2
    }
    args.removeFirst()
    let vlan = args.last == "vlan"
    if vlan { args.removeLast() }
    do {
        switch command {
        case "selftest":
            for v in [false, true] { try WireFixture(vlan: v).check() }
            print("selftest=ok")
        case "hex":
            WireFrames.printHex()
        case "wire":
            var operations: [WireOperation] = [.parse, .build]
            if let first = args.first, let op = WireOperation(rawValue: first) {
                operations = [op]
                args.removeFirst()
            }
            var iterations = 1_000_000
            if let n = args.first {
                guard let value = Int(n), value >= 0, args.count == 1 else {
                    print(usage)
                    return 2
                }
                iterations = value
            }
            for op in operations { try timeWire(op, iterations: iterations, vlan: vlan) }
        case "wire-callgrind":
            guard args.count == 2, let op = WireOperation(rawValue: args[0]), let n = Int(args[1]), n >= 0 else {
                print(usage)
                return 2
            }
            try callgrindWire(op, iterations: n, vlan: vlan)
        default:
            print(usage)
            return 2
        }
    } catch {
        print("ndpd-bench: \(error)")
        return 1
    }
    return 0
}
