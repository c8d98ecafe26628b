import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// A signal the daemon acts on.
public struct ProcessSignal: Hashable, Sendable, CustomStringConvertible {
    /// The signal number.
    public let number: Int32
    /// SIGHUP: reload the configuration.
    public static let hangup = ProcessSignal(number: SIGHUP)
    /// SIGINT: stop.
    public static let interrupt = ProcessSignal(number: SIGINT)
    /// SIGTERM: stop.
    public static let terminate = ProcessSignal(number: SIGTERM)
    /// SIGUSR1: dump the counters.
    public static let user1 = ProcessSignal(number: SIGUSR1)

    /// The signal's name, e.g. SIGHUP.
    public var description: String {
        switch number {
        case SIGHUP: return "SIGHUP"
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGUSR1: return "SIGUSR1"
        default: return "signal \(number)"
        }
    }
}

/// The self-pipe: signal handlers only write the signal's number into a non-blocking pipe,
/// and the poll loop reads it like any other descriptor. No work ever happens in a handler
/// (only async-signal-safe write(2)), and a signal can never interrupt a frame half-handled.
public final class SignalPipe {
    private let pipe: NonBlockingPipe
    private let signals: [ProcessSignal]
    private var buffer = [UInt8](repeating: 0, count: 64)

    /// The read end, for the event poll.
    public var descriptor: Int32 { pipe.readEnd.rawValue }

    /// Creates the pipe, routes `signals` to it and unblocks them in the calling thread.
    /// SIGPIPE is ignored as well: a write to a closed pipe or socket then fails with EPIPE
    /// instead of killing the daemon.
    public init(signals: [ProcessSignal]) throws(IOError) {
        pipe = try NonBlockingPipe()
        self.signals = signals
        for signal in signals where ndpd_signal_pipe_install(pipe.writeEnd.rawValue, signal.number) != 0 {
            throw .system("sigaction(\(signal))")
        }
        _ = ndpd_signal_ignore(SIGPIPE)
        // A process inherits its signal mask: started by a parent that blocks these signals
        // (a test runner's worker thread, some supervisors), ndpd would never see SIGTERM.
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in signals { sigaddset(&mask, signal.number) }
        guard pthread_sigmask(SIG_UNBLOCK, &mask, nil) == 0 else { throw .system("pthread_sigmask(SIG_UNBLOCK)") }
    }

    deinit {
        // Handlers first: none may write to the pipe once it is closed.
        for signal in signals { _ = ndpd_signal_default(signal.number) }
    }

    /// Reads every pending signal, in arrival order.
    public func drain(_ body: (ProcessSignal) -> Void) {
        while true {
            let fd = descriptor
            let count = buffer.withUnsafeMutableBytes { bytes in
                retryingOnInterrupt { read(fd, bytes.baseAddress, bytes.count) }
            }
            guard count > 0 else { return }
            for i in 0..<count { body(ProcessSignal(number: Int32(buffer[i]))) }
        }
    }

    /// Sends `signal` to this process (tests, and the stop path of embedders). Process-
    /// directed (kill, not raise): any thread that does not block it takes it, as with a
    /// signal from outside; worker threads of a thread pool usually block them all.
    public static func raise(_ signal: ProcessSignal) { _ = kill(getpid(), signal.number) }
}
