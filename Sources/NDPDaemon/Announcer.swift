import NDPWire

/// The schedule of unsolicited Neighbor Advertisements for one interface (RFC 4861 §7.2.6):
/// each exact target is announced `advertisementCount` times, the announcements of a target
/// at least `spacing` apart, and at most `ratePerSecond` targets per second, so that a
/// configuration of a million guests trickles out instead of bursting.
///
/// Pure bookkeeping on any clock: the daemon's poll loop drives it with the monotonic clock,
/// replay with the capture's timestamps. `nextDeadline` tells the loop when to wake up,
/// `due(at:)` which targets to send then. Nothing sleeps.
public struct Announcer<Instant: InstantProtocol & Sendable>: Sendable where Instant.Duration == Duration {
    /// MAX_NEIGHBOR_ADVERTISEMENT (RFC 4861 §10): at most 3 unsolicited advertisements.
    public static var advertisementCount: Int { 3 }
    /// RetransTimer (RFC 4861 §10, 1 s): the spacing §7.2.6 asks between repetitions.
    public static var spacing: Duration { .seconds(1) }
    /// The pacing granularity: targets are released in slices of this length.
    public static var slice: Duration { .milliseconds(50) }

    /// The targets, announced in this order in every round.
    public let targets: [IPv6Address]
    /// Targets released per slice (ratePerSecond / 20, at least 1).
    public let perSlice: Int
    /// The round under way (0-based); `advertisementCount` when finished.
    public private(set) var round = 0
    /// The next target to send in this round.
    public private(set) var position = 0
    private var roundStart: Instant

    /// A schedule for `targets` starting at `start`.
    public init(targets: [IPv6Address], start: Instant, ratePerSecond: Int = 1_000) {
        self.targets = targets
        self.perSlice = max(1, ratePerSecond / 20)
        self.roundStart = start
    }

    /// True once every round was sent (or there was nothing to announce).
    public var isFinished: Bool { targets.isEmpty || round >= Self.advertisementCount }

    /// When the next targets are due; nil once finished.
    public var nextDeadline: Instant? {
        guard !isFinished else { return nil }
        return roundStart.advanced(by: Self.slice * (position / perSlice))
    }

    /// The targets (indices into `targets`) due at `now`, marked as sent.
    ///
    /// A round ends when its last target is released; the next one starts `spacing` later,
    /// so every target's announcements are at least `spacing` apart whatever the round's
    /// length.
    public mutating func due(at now: Instant) -> Range<Int> {
        guard !isFinished, now >= roundStart else { return position..<position }
        let elapsedSlices = Int(roundStart.duration(to: now) / Self.slice)
        let allowed =
            elapsedSlices >= targets.count ? targets.count : min(targets.count, (elapsedSlices + 1) * perSlice)
        guard allowed > position else { return position..<position }
        let released = position..<allowed
        position = allowed
        if position == targets.count {
            round += 1
            position = 0
            roundStart = now.advanced(by: Self.spacing)
        }
        return released
    }
}
