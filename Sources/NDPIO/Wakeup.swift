import CPcap
#if canImport(Glibc)
import Glibc
#endif

/// A pipe another thread writes one byte into to wake the poll loop (a finished background
/// configuration load). `notify` is a single write(2): safe from any thread.
public final class Wakeup: Sendable {
    /// The read end, for the poll set.
    public let descriptor: Int32
    private let writeEnd: Int32

    /// Creates the pipe (both ends non-blocking, close-on-exec).
    public init() throws(IOError) {
        (descriptor, writeEnd) = try makeNonBlockingPipe()
    }

    deinit {
        close(descriptor)
        close(writeEnd)
    }

    /// Wakes the loop. A full pipe (EAGAIN) already means "wake up": nothing is lost.
    public func notify() {
        var byte: UInt8 = 1
        _ = retryingOnInterrupt { write(writeEnd, &byte, 1) }
    }

    /// Empties the pipe.
    public func drain() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &buffer, { bytes in
            retryingOnInterrupt { read(descriptor, bytes.baseAddress, bytes.count) }
        }) > 0 {}
    }
}

/// A pipe with both ends non-blocking and close-on-exec: (read end, write end).
func makeNonBlockingPipe() throws(IOError) -> (Int32, Int32) {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { throw .system("pipe") }
    guard ndpd_set_nonblocking_cloexec(ends[0]) == 0, ndpd_set_nonblocking_cloexec(ends[1]) == 0 else {
        let error = IOError.system("fcntl(O_NONBLOCK, FD_CLOEXEC)")
        close(ends[0])
        close(ends[1])
        throw error
    }
    return (ends[0], ends[1])
}
