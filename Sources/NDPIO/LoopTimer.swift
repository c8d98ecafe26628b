import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// The event loop's timer: a timerfd in the loop's epoll set, so that the wait itself never
/// carries a timeout (a wait with one starts and cancels a kernel timer on every sleep). It is
/// set again only when the earliest deadline moves, so a wake-up for frames alone makes no
/// system call for it.
public final class LoopTimer {
    private let timer: Descriptor
    /// The deadline it is set for; nil while disarmed.
    public private(set) var deadline: ContinuousClock.Instant?

    /// The timer, for the event poll.
    public var descriptor: Int32 { timer.rawValue }

    /// Creates a disarmed timer on CLOCK_MONOTONIC.
    public init() throws(IOError) {
        let fd = ndpd_timer_create()
        guard fd >= 0 else { throw .system("timerfd_create(CLOCK_MONOTONIC)") }
        timer = Descriptor(adopting: fd)
    }

    /// Sets the timer to fire at `deadline` (at once if it has passed), or disarms it for nil.
    /// Nothing is done when it is set for that deadline already.
    public func set(_ deadline: ContinuousClock.Instant?, now: ContinuousClock.Instant) throws(IOError) {
        guard deadline != self.deadline else { return }
        var nanoseconds: Int64 = -1
        if let deadline {
            let (seconds, attoseconds) = max(.zero, deadline - now).components
            nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        }
        guard ndpd_timer_set(timer.rawValue, nanoseconds) == 0 else { throw .system("timerfd_settime") }
        self.deadline = deadline
    }

    /// Reads the expiry count, so that the descriptor is no longer ready; the timer is then
    /// disarmed until set again.
    public func acknowledge() {
        var expirations: UInt64 = 0
        let fd = timer.rawValue
        _ = withUnsafeMutableBytes(of: &expirations) { bytes in
            retryingOnInterrupt { read(fd, bytes.baseAddress, bytes.count) }
        }
        deadline = nil
    }
}
