import NDPIO
import NDPPolicy
import NDPWire

/// The capture's clock: recorded timestamps, for schedules replay runs on recorded time.
struct CaptureInstant: InstantProtocol, Sendable {
    /// Microseconds since the epoch.
    var time: FrameTime

    func advanced(by duration: Duration) -> CaptureInstant {
        let (seconds, attoseconds) = duration.components
        return CaptureInstant(time: time + seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }

    func duration(to other: CaptureInstant) -> Duration { .microseconds(other.time - time) }

    static func < (a: CaptureInstant, b: CaptureInstant) -> Bool { a.time < b.time }
}

/// The daemon's unsolicited advertisements, replayed on capture time (`unsolicited-na = true`):
/// the schedule starts at the first frame, as the daemon's starts when it opens the interface,
/// and each slice is released before the first frame recorded at or after its deadline, through
/// the same `Engine.announce`, so the written frames carry the Ethernet destinations the daemon
/// would use: the routers learned from the capture's Router Advertisements (replay has no
/// kernel neighbour table). Slices due after the last frame are not released.
struct ReplayAnnouncements {
    private let targets: [IPv6Address]
    private var schedule: Announcer<CaptureInstant>?
    /// Announcements written so far.
    private(set) var written = 0

    /// The schedule for `rule`, or nil if it announces nothing.
    init?(rule: ProxyRule) {
        guard rule.unsolicitedAdvertisements, rule.targets.exactCount > 0 else { return nil }
        targets = Array(rule.targets.exactAddresses)
    }

    /// Releases every slice due up to `header`'s time into `write`, stamped with its deadline.
    mutating func release(
        until header: PacketHeader, engine: inout Engine,
        write: Engine.Send
    ) {
        let now = CaptureInstant(time: header.frameTime)
        if schedule == nil { schedule = Announcer(targets: targets, start: now) }
        guard var current = schedule else { return }
        while let deadline = current.nextDeadline, deadline <= now {
            let released = current.due(at: deadline)
            let stamp = PacketHeader(
                index: 0, seconds: Int(deadline.time / 1_000_000),
                microseconds: Int(deadline.time % 1_000_000), capturedLength: 0, originalLength: 0)
            written +=
                engine.announce(current.targets[released], at: deadline.time) { frame in
                    write(frame, stamp)
                    return true
                }.sent
        }
        schedule = current
    }
}
