// The timed loops of `ndpd-bench wire`: plain `nonisolated` functions in their own file, not
// top-level code of main.swift, where Swift 6 inserts executor checks (ARCHITECTURE.md, "Invariants").
//
// Each loop mirrors its counterpart in Benchmarks/c/nd_reference.c (bench_parse, bench_build):
// one memory barrier per iteration (Barrier.swift), the whole operation redone, its result
// folded into an accumulator that is returned and sunk by the caller.

import NDPWire

/// (a) Validates the NS in `frame` and extracts its target and SLLA, `iterations` times:
/// `NeighborSolicitation(decoding:linkType:)`, as the engine does for every captured frame.
/// `frame` is a span made once, outside the loop.
///
/// Accumulates as C does: target's last byte XOR SLLA's last byte, or the error in bits 32+.
@inline(never)
nonisolated func validateSolicitationLoop(_ frame: Span<UInt8>, iterations: Int) -> UInt64 {
    var acc: UInt64 = 0
    for _ in 0..<iterations {
        clobberMemory()
        do throws(SolicitationFrameError) {
            let ns = try NeighborSolicitation(decoding: frame, linkType: .ethernet)
            acc &+= (ns.targetAddress.low ^ (ns.sourceLinkLayerAddress?.rawValue ?? 0)) & 0xFF
        } catch {
            switch error {
            case .invalid: acc &+= 2 << 32
            default: acc &+= 1 << 32
            }
        }
    }
    return acc
}

/// The NA to build, made once outside the timed loops.
final class AdvertisementBox {
    let advertisement: NeighborAdvertisement
    init(_ advertisement: NeighborAdvertisement) { self.advertisement = advertisement }
}

/// (b) Builds the NA with its checksum into `buffer` (preallocated, reused), `iterations`
/// times: `NeighborAdvertisement.write(into:)` on a MutableSpan.
///
/// The NA lives in this function's frame and `write(into:)` reads it in place, as C's builder
/// reads `prm`. `write(into:)` is a public, non-inlinable function of another module, so each
/// iteration makes the whole call on the fields in memory: nothing of it can be hoisted out of
/// the loop (Benchmarks/wire.sh checks the disassembly for the call). Reading the NA from a
/// class or pointer instead makes Swift copy the 89-byte struct to the stack before every call,
/// which C does not do.
///
/// Accumulates the returned lengths, then adds the first byte of the buffer, as C does.
@inline(never)
nonisolated func buildAdvertisementLoop(
    _ box: AdvertisementBox, into buffer: inout MutableSpan<UInt8>,
    iterations: Int
) -> UInt64 {
    let advertisement = box.advertisement
    var acc: UInt64 = 0
    for _ in 0..<iterations {
        clobberMemory()
        do throws(BufferTooSmall) {
            acc &+= UInt64(try advertisement.write(into: &buffer))
        } catch {
            acc &+= 1 << 32
        }
    }
    clobberMemory()
    return acc &+ UInt64(buffer[0])
}
