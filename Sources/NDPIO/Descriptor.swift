#if canImport(Glibc)
    import Glibc
#endif

/// A file descriptor with one owner: closed exactly once, when the owner is done with it.
///
/// Not copyable, so no second copy can close it again or outlive the close; `deinit` closes it
/// on every path, including a throwing initializer's. `close()` ends it early and reports the
/// error (a buffered write whose failure shows only then); `deinit` ignores close's result, as
/// there is no one left to tell.
public struct Descriptor: ~Copyable, Sendable {
    /// The descriptor number, valid while this value lives.
    public let rawValue: Int32

    /// Takes ownership of `rawValue` (a descriptor just returned by the system).
    public init(adopting rawValue: Int32) {
        self.rawValue = rawValue
    }

    deinit {
        _ = Glibc.close(rawValue)
    }

    /// Closes the descriptor now, or throws why close(2) failed (the descriptor is released
    /// either way). close(2) is not retried on EINTR: Linux releases the descriptor whatever it
    /// returns, and a retry could close a descriptor opened meanwhile.
    public consuming func close() throws(Errno) {
        let result = Glibc.close(rawValue)
        discard self
        if result != 0 { throw Errno.current }
    }
}

/// An errno value: why a system call failed.
public struct Errno: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number (EAGAIN, ENOBUFS, ...).
    public var rawValue: Int32

    /// The errno `rawValue`.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's errno now.
    static var current: Errno { Errno(rawValue: Glibc.errno) }

    /// What strerror(3) says.
    public var description: String { String(cString: strerror(rawValue)) }
}
