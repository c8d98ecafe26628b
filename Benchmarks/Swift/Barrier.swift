// What keeps the optimiser honest, the Swift counterparts of nd_reference.c's
//   __asm__ volatile("" : : "r"(frame) : "memory");   and   static volatile uint64_t sink;
//
// - `clobberMemory()` is an acquire-release fence. On x86-64 it emits no instruction (only a
//   sequentially consistent fence is an `mfence`), but for the compiler it is a point where any
//   escaped memory may have been read or written by another thread: loads of the frame, of the
//   NA's fields and stores into the output buffer can neither be hoisted out of the loop nor
//   merged across iterations, exactly like the C barrier's "memory" clobber. An `@inline(never)
//   @_optimize(none)` empty function is NOT a barrier: Swift's side-effect analysis still reads
//   its (empty) body and the optimiser removed the whole loop around it in a test.
// - `sink(_:)` stores the accumulated results into an atomic the optimiser cannot drop, once
//   per batch, as C stores its accumulator into a volatile.

import Synchronization

/// The accumulated results of every batch; never read.
let benchmarkSink = Atomic<UInt64>(0)

@inline(__always)
func clobberMemory() {
    atomicMemoryFence(ordering: .acquiringAndReleasing)
}

@inline(never)
func sink(_ value: UInt64) {
    benchmarkSink.wrappingAdd(value, ordering: .relaxed)
}
