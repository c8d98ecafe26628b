import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// A pipe another thread writes one byte into to wake the poll loop (a finished background
/// configuration load). `notify` is a single write(2): safe from any thread.
public final class Wakeup: Sendable {
    private let pipe: NonBlockingPipe

    /// The read end, for the event poll.
    public var descriptor: Int32 { pipe.readEnd.rawValue }

    /// Creates the pipe (both ends non-blocking, close-on-exec).
    public init() throws(IOError) {
        pipe = try NonBlockingPipe()
    }

    /// Wakes the loop. A full pipe (EAGAIN) already means "wake up": nothing is lost.
    public func notify() {
        var byte: UInt8 = 1
        let fd = pipe.writeEnd.rawValue
        _ = retryingOnInterrupt { write(fd, &byte, 1) }
    }

    /// Empties the pipe.
    public func drain() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let fd = descriptor
        while withUnsafeMutableBytes(
            of: &buffer,
            { bytes in
                retryingOnInterrupt { read(fd, bytes.baseAddress, bytes.count) }
            }) > 0
        {}
    }
}

/// A pipe with both ends non-blocking and close-on-exec, each closed with this value.
struct NonBlockingPipe: ~Copyable, Sendable {
    /// Where bytes are read.
    let readEnd: Descriptor
    /// Where bytes are written.
    let writeEnd: Descriptor

    init() throws(IOError) {
        var ends: [Int32] = [-1, -1]
        guard ndpd_pipe_nonblocking(&ends) == 0 else { throw .system("pipe2(O_NONBLOCK | O_CLOEXEC)") }
        readEnd = Descriptor(adopting: ends[0])
        writeEnd = Descriptor(adopting: ends[1])
    }
}
