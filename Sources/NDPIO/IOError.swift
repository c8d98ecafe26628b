#if canImport(Glibc)
    import Glibc
#endif

/// A failed system or libpcap call, with the call's name and what the system said.
public struct IOError: Error, CustomStringConvertible, Sendable {
    /// The function that failed, e.g. `socket(AF_PACKET)` or `pcap_activate`.
    public var call: String
    /// errno, when the call reports one.
    public var errno: Int32?
    /// The message (strerror, or libpcap's error buffer).
    public var message: String

    /// An error from a call that set errno.
    public static func system(_ call: String, errno: Int32 = Glibc.errno) -> IOError {
        IOError(call: call, errno: errno, message: String(cString: strerror(errno)))
    }

    /// An error with a message of its own (libpcap, or a check of ours).
    public static func message(_ call: String, _ message: String) -> IOError {
        IOError(call: call, errno: nil, message: message)
    }

    public var description: String { "\(call): \(message)" }
}

/// Runs a system call, retrying while it fails with EINTR: the one place signals are absorbed.
@inline(__always)
func retryingOnInterrupt<T: BinaryInteger>(_ body: () -> T) -> T {
    while true {
        let result = body()
        if result >= 0 || errno != EINTR { return result }
    }
}

/// Calls write(2) until all `count` bytes from `bytes` are out: the one place short writes are
/// handled (EINTR through `retryingOnInterrupt`). Returns nil when everything was written, else
/// the result of the call that stopped it: -1 (errno says why) or 0 (nothing written).
func writeFully(_ fd: Int32, _ bytes: UnsafeRawPointer, count: Int) -> Int? {
    var done = 0
    while done < count {
        let written = retryingOnInterrupt { Glibc.write(fd, bytes + done, count - done) }
        if written <= 0 { return written }
        done += written
    }
    return nil
}

/// Binds `socket` to `address` (a sockaddr_* value), or throws the errno with `what` as the
/// call's name.
func bind<Address>(_ socket: borrowing Descriptor, to address: Address, describing what: String) throws(IOError) {
    var address = address
    let fd = socket.rawValue
    let bound = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.bind(fd, $0, socklen_t(MemoryLayout<Address>.size))
        }
    }
    guard bound == 0 else { throw .system(what) }
}
