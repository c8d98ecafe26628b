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
