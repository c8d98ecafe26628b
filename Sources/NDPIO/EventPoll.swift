import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// The descriptors the daemon waits on, in one epoll instance: each is registered once, with a
/// token its owner chooses, and stays registered until it is removed. A wait then costs one
/// `epoll_wait(2)` whatever the number of descriptors, and nothing is re-registered per wake-up
/// (poll(2) would pass the whole set to the kernel on every call).
///
/// Level-triggered: a descriptor that still holds input after its owner read a bounded batch is
/// reported again by the next wait.
public struct EventPoll: ~Copyable {
    private let instance: Descriptor
    /// The ready events of the last wait; allocated once, reused. Raw memory, not an array: an
    /// array would be retained and released around every wait and every `token(at:)`.
    private let events: UnsafeMutablePointer<epoll_event>
    private let capacity: Int32
    /// How many entries of `events` the last wait filled.
    public private(set) var readyCount = 0

    /// Creates the instance; one wait reports at most `capacity` ready descriptors (the rest
    /// are reported by the next wait).
    public init(capacity: Int = 32) throws(IOError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw .system("epoll_create1") }
        instance = Descriptor(adopting: fd)
        let count = max(1, capacity)
        events = .allocate(capacity: count)
        events.initialize(repeating: epoll_event(), count: count)
        self.capacity = Int32(clamping: count)
    }

    deinit { events.deallocate() }

    /// Registers `descriptor` for input, reported with `token`.
    public func add(_ descriptor: Int32, token: UInt64) throws(IOError) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = token
        guard epoll_ctl(instance.rawValue, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            throw .system("epoll_ctl(EPOLL_CTL_ADD, \(descriptor))")
        }
    }

    /// Unregisters `descriptor`. A descriptor already closed has left the set by itself (the
    /// kernel drops a closed file from every epoll set): that is not an error.
    public func remove(_ descriptor: Int32) {
        var unused = epoll_event()
        _ = epoll_ctl(instance.rawValue, EPOLL_CTL_DEL, descriptor, &unused)
    }

    /// Waits until a descriptor is ready or `timeoutMilliseconds` pass (-1: forever); returns how
    /// many are ready (their tokens: `token(at:)`). A signal ends the wait early: EINTR is retried
    /// by the one helper that does so, and the signal pipe is then readable, so the retry
    /// returns at once.
    public mutating func wait(timeoutMilliseconds: Int32) throws(IOError) -> Int {
        let fd = instance.rawValue
        let events = events
        let capacity = capacity
        let ready = retryingOnInterrupt { epoll_wait(fd, events, capacity, timeoutMilliseconds) }
        guard ready >= 0 else {
            readyCount = 0
            throw .system("epoll_wait")
        }
        readyCount = Int(ready)
        return readyCount
    }

    /// The token of the `index`th ready descriptor of the last wait (0 ..< `readyCount`). Input,
    /// an error or a hang-up: in each case the owner must read it (reading reports the error).
    public func token(at index: Int) -> UInt64 {
        events[index].data.u64
    }
}
