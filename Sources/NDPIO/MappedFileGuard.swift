import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps a capture file that shrinks while it is mapped from killing the process.
///
/// Reading a mapped page that lies past a file's new end raises SIGBUS, whose default action ends
/// the process (another process truncated the file: `logrotate`'s `copytruncate`, an editor). A
/// reader registers the range it maps; if a SIGBUS falls inside a registered range, the handler
/// maps zero-filled memory over the rest of that range, so the faulting read completes (it reads
/// zeros), and marks the range as shrunk, with where the zeros start. The reader checks the mark
/// around every record, delivers what still lies before the cut and stops there with an error:
/// no record made of those zeros is taken for data. A SIGBUS anywhere
/// else is handed to the handler that was installed before (the Swift runtime's crash report).
///
/// The handler only uses lock-free atomics and the mmap system call.
enum MappedFileGuard {
    /// How many mappings can be guarded at once (replay maps one file; tests map several).
    static let slotCount = 8  // the InlineArrays below have this size

    /// A registered mapping: its slot, to pass to `hasShrunk` and `unregister`.
    struct Registration {
        fileprivate let slot: Int
    }

    /// Guards `[start, start + length)` until `unregister`. Nil when every slot is taken: the
    /// mapping is then read unguarded, as any mapped file is.
    static func register(start: UnsafeRawPointer, length: Int) -> Registration? {
        installHandlerOnce
        let first = UInt(bitPattern: start)
        for slot in 0..<slotCount {
            guard
                guardStarts[slot].compareExchange(expected: 0, desired: first, ordering: .acquiringAndReleasing)
                    .exchanged
            else { continue }
            guardShrunk[slot].store(false, ordering: .releasing)
            guardFirstLost[slot].store(0, ordering: .releasing)
            guardEnds[slot].store(first + UInt(length), ordering: .releasing)
            return Registration(slot: slot)
        }
        return nil
    }

    /// True once a read in the registered range found the file shorter than when it was mapped.
    @inline(__always)
    static func hasShrunk(_ registration: Registration) -> Bool {
        guardShrunk[registration.slot].load(ordering: .acquiring)
    }

    /// The address from which the mapping now holds zeros instead of the file, once it shrank.
    static func firstLostAddress(_ registration: Registration) -> UInt? {
        let address = guardFirstLost[registration.slot].load(ordering: .acquiring)
        return address == 0 ? nil : address
    }

    /// Stops guarding; call before unmapping.
    static func unregister(_ registration: Registration) {
        guardEnds[registration.slot].store(0, ordering: .releasing)
        guardStarts[registration.slot].store(0, ordering: .releasing)
    }

    /// Installs the SIGBUS handler the first time a mapping is registered, keeping the one it
    /// replaces to chain to.
    private static let installHandlerOnce: Void = {
        guardPageSize.store(UInt(sysconf(Int32(_SC_PAGESIZE))), ordering: .releasing)
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = busErrorHandler
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        sigemptyset(&action.sa_mask)
        _ = sigaction(SIGBUS, &action, &previousBusAction)
    }()
}

// Globals rather than statics, initialised from literals: the compiler lays them out statically,
// so neither the handler nor the per-record check runs any lazy initialisation (`swift_once`,
// which in a signal handler could also deadlock). Atomics only, except `previousBusAction`,
// written once while installing, before any range is registered.
private let guardStarts: InlineArray<8, Atomic<UInt>> = [
    .init(0), .init(0), .init(0), .init(0), .init(0), .init(0), .init(0), .init(0),
]
private let guardEnds: InlineArray<8, Atomic<UInt>> = [
    .init(0), .init(0), .init(0), .init(0), .init(0), .init(0), .init(0), .init(0),
]
private let guardFirstLost: InlineArray<8, Atomic<UInt>> = [
    .init(0), .init(0), .init(0), .init(0), .init(0), .init(0), .init(0), .init(0),
]
private let guardShrunk: InlineArray<8, Atomic<Bool>> = [
    .init(false), .init(false), .init(false), .init(false), .init(false), .init(false), .init(false), .init(false),
]
private let guardPageSize = Atomic<UInt>(4096)
nonisolated(unsafe) private var previousBusAction = sigaction()

private let busErrorHandler:
    @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = {
        _, info, _ in
        let address = UInt(bitPattern: info?.pointee._sifields._sigfault.si_addr)
        for slot in 0..<MappedFileGuard.slotCount {
            let start = guardStarts[slot].load(ordering: .acquiring)
            let end = guardEnds[slot].load(ordering: .acquiring)
            guard start != 0, address >= start, address < end else { continue }
            // Zero pages from the faulting one to the end of the range: one fault per shrink, and the
            // interrupted load reads zeros when the handler returns. (mmap is a bare system call in
            // glibc, safe here in practice though POSIX does not list it as async-signal-safe.)
            let page = address & ~(guardPageSize.load(ordering: .relaxed) - 1)
            _ = mmap(
                UnsafeMutableRawPointer(bitPattern: page), Int(end - page), PROT_READ,
                MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            let lost = guardFirstLost[slot].load(ordering: .acquiring)
            if lost == 0 || page < lost { guardFirstLost[slot].store(page, ordering: .releasing) }
            guardShrunk[slot].store(true, ordering: .releasing)
            return
        }
        // Not a mapped capture: put the previous action back; the faulting instruction runs again
        // and gets it (the runtime's crash report, or the default action).
        _ = sigaction(SIGBUS, &previousBusAction, nil)
    }
