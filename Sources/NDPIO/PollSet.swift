#if canImport(Glibc)
import Glibc
#endif

/// The descriptors the daemon waits on, for one `poll(2)` call. The array is reused from
/// one wait to the next: rebuilt only when the set of descriptors changes.
public struct PollSet {
    private var entries: [pollfd] = []

    /// An empty set.
    public init() {}

    /// Forgets every descriptor (keeping the storage).
    public mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    /// Adds `descriptor` (waiting for input) and returns its slot.
    @discardableResult
    public mutating func add(_ descriptor: Int32) -> Int {
        entries.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0))
        return entries.count - 1
    }

    /// How many descriptors are in the set.
    public var count: Int { entries.count }

    /// Waits until a descriptor is ready or `timeoutMilliseconds` pass (-1: forever).
    /// Returns how many are ready. A signal ends the wait early: EINTR is retried by the one
    /// helper that does so, and the signal pipe is then readable, so the retry returns at once.
    public mutating func wait(timeoutMilliseconds: Int32) throws(IOError) -> Int {
        let ready = entries.withUnsafeMutableBufferPointer { buffer in
            retryingOnInterrupt { poll(buffer.baseAddress, nfds_t(buffer.count), timeoutMilliseconds) }
        }
        guard ready >= 0 else { throw .system("poll") }
        return Int(ready)
    }

    /// True if the descriptor in `slot` has input, an error, or hung up: in each case the
    /// owner must read it (reading is what reports the error).
    public func isReady(_ slot: Int) -> Bool {
        entries[slot].revents & Int16(POLLIN | POLLERR | POLLHUP | POLLNVAL) != 0
    }
}
