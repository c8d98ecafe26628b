import Foundation
import NDPIO
import NDPWire
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The parts of NDPIO that need no privilege: the filter, interface facts, the metrics file,
/// the signal pipe, capabilities reading.
@Suite("NDPIO without privileges")
struct UnprivilegedIOTests {
    @Test("libpcap compiles the solicitation filter")
    func filterCompiles() {
        #expect(LiveCapture.compiles(LiveCapture.solicitationFilter))
        #expect(LiveCapture.compiles(LiveCapture.liveFilter))
        #expect(
            LiveCapture.compiles(LiveCapture.filter(LiveCapture.liveFilter, sentBy: MACAddress("02:00:00:00:00:01"))))
        #expect(!LiveCapture.compiles("this is not bpf"))
    }

    @Test("the loopback interface is found, a missing one is nil")
    func interfaceFacts() throws {
        let loopback = try SystemInterfaces.state(of: "lo")
        #expect(loopback != nil)
        #expect(loopback?.index == SystemInterfaces.index(of: "lo"))
        // Loopback has no Ethernet address.
        #expect(loopback?.mac == nil)
        // The ioctls agree with sysfs: the MTU, and IFF_UP with IFF_RUNNING, which the kernel
        // sets for an operational state of "up" or "unknown" (loopback's).
        let sysfs = { (file: String) in
            try String(contentsOfFile: "/sys/class/net/lo/\(file)", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(loopback?.mtu == Int(try sysfs("mtu")))
        let flags = try #require(Int(try sysfs("flags").dropFirst(2), radix: 16))
        let operational = ["up", "unknown"].contains(try sysfs("operstate"))
        #expect(loopback?.isUp == (flags & 0x1 != 0 && operational))
        #expect(try SystemInterfaces.state(of: "ndpd-missing0") == nil)
        #expect(SystemInterfaces.index(of: "ndpd-missing0") == nil)
    }

    @Test("the metrics file is replaced whole, with no temporary file left")
    func atomicFile() throws {
        let directory = NSTemporaryDirectory() + "ndpd-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/metrics.prom"
        try AtomicFile.write("first\n", to: path)
        try AtomicFile.write("second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["metrics.prom"])
        #expect(throws: IOError.self) { try AtomicFile.write("x", to: directory + "/no/such/dir/file") }
    }

    @Test("a signal arrives through the pipe, not in a handler")
    func signalPipe() throws {
        let pipe = try SignalPipe(signals: [.user1])
        SignalPipe.raise(.user1)
        var received: [ProcessSignal] = []
        var events = try EventPoll()
        try events.add(pipe.descriptor, token: 3)
        #expect(try events.wait(timeoutMilliseconds: 1_000) == 1)
        #expect(events.token(at: 0) == 3)
        pipe.drain { received.append($0) }
        #expect(received == [.user1])
    }

    @Test("a registered descriptor stays registered: reported at every wait while it holds input, never once removed")
    func eventPollRegistersOnce() throws {
        let first = try Wakeup()
        let second = try Wakeup()
        var events = try EventPoll()
        try events.add(first.descriptor, token: 1)
        try events.add(second.descriptor, token: 2)
        #expect(try events.wait(timeoutMilliseconds: 0) == 0)
        first.notify()
        // Level-triggered: unread input is reported again by the next wait, with no new registration.
        for _ in 0..<3 {
            #expect(try events.wait(timeoutMilliseconds: 1_000) == 1)
            #expect(events.token(at: 0) == 1)
        }
        first.drain()
        #expect(try events.wait(timeoutMilliseconds: 0) == 0)
        events.remove(first.descriptor)
        first.notify()
        second.notify()
        #expect(try events.wait(timeoutMilliseconds: 1_000) == 1)
        #expect(events.token(at: 0) == 2)
        // Removing what is no longer registered (or already closed) is harmless.
        events.remove(first.descriptor)
        events.remove(-1)
    }

    @Test("an owned descriptor is closed when its owner ends, and close() reports the result")
    func descriptorClosesOnce() throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        do {
            let reader = Descriptor(adopting: ends[0])
            #expect(fcntl(reader.rawValue, F_GETFD) >= 0)
        }
        #expect(fcntl(ends[0], F_GETFD) == -1 && errno == EBADF)
        let writer = Descriptor(adopting: ends[1])
        try writer.close()
        #expect(fcntl(ends[1], F_GETFD) == -1 && errno == EBADF)
    }

    @Test("signals inherited blocked are unblocked (else SIGTERM would never arrive)")
    func inheritedMaskIsCleared() throws {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR1)
        #expect(pthread_sigmask(SIG_BLOCK, &blocked, nil) == 0)
        let pipe = try SignalPipe(signals: [.user1])
        var current = sigset_t()
        #expect(pthread_sigmask(SIG_BLOCK, nil, &current) == 0)
        #expect(sigismember(&current, SIGUSR1) == 0)
        _ = pipe
    }

    @Test("capabilities can be read")
    func capabilities() throws {
        let sets = try Capabilities.current()
        #expect(sets.effective & ~sets.permitted == 0)
    }
}

@Suite("Capture sizing")
struct CaptureSizingTests {
    @Test("the snapshot length holds the largest frame of the link, never more than 65535")
    func snapshotLength() {
        #expect(LiveCapture.snapshotLength(forMTU: 1_500) == 1_522)
        #expect(LiveCapture.snapshotLength(forMTU: 9_000) == 9_022)
        // IPv6 links have an MTU of at least 1280 (RFC 8200 §5).
        #expect(LiveCapture.snapshotLength(forMTU: 68) == 1_302)
        #expect(LiveCapture.snapshotLength(forMTU: 65_536) == 65_535)
    }
}
