/// A token bucket of probes (ARCHITECTURE.md, "Live guests": bounds): `ratePerSecond` tokens a second
/// accrue, up to `capacity`; a probe takes one. A flood of solicitations for random addresses
/// then costs at most `ratePerSecond` probes a second on the guest side, after one burst of
/// `capacity`, however fast it comes.
///
/// Pure bookkeeping on the frames' clock (`FrameTime`, microseconds); it starts full. Tokens
/// are counted in millionths, so that any rate accrues exactly with integer arithmetic.
public struct ProbeBudget: Sendable, Equatable {
    /// Tokens accrued per second.
    public let ratePerSecond: Int
    /// The most tokens held at once: the largest burst.
    public let capacity: Int
    /// Tokens held, in millionths of a token.
    private var millionths: Int64
    /// When `millionths` was last brought up to date; nil before the first use.
    private var updated: FrameTime?

    /// A full bucket of `capacity` tokens accruing `ratePerSecond` a second (both at least 1).
    public init(ratePerSecond: Int, capacity: Int) {
        self.ratePerSecond = max(1, ratePerSecond)
        self.capacity = max(1, capacity)
        self.millionths = Int64(self.capacity) * 1_000_000
    }

    /// Whole tokens available at `now`.
    public func available(at now: FrameTime) -> Int {
        var copy = self
        copy.accrue(to: now)
        return Int(copy.millionths / 1_000_000)
    }

    /// Takes `count` tokens at `now` if the bucket holds them all; takes none otherwise.
    public mutating func take(_ count: Int, at now: FrameTime) -> Bool {
        accrue(to: now)
        let needed = Int64(count) * 1_000_000
        guard millionths >= needed else { return false }
        millionths -= needed
        return true
    }

    /// Gives back `count` tokens taken but not spent (a reservation the guest's early answer
    /// made unnecessary), up to `capacity`.
    public mutating func refund(_ count: Int) {
        millionths = min(Int64(capacity) * 1_000_000, millionths + Int64(max(0, count)) * 1_000_000)
    }

    private mutating func accrue(to now: FrameTime) {
        defer { self.updated = max(self.updated ?? now, now) }
        guard let updated, now > updated else { return }
        let full = Int64(capacity) * 1_000_000
        // Elapsed time beyond what fills the bucket adds nothing; capping it first keeps the
        // product below 2^63 for any clock jump.
        let elapsed = min(now - updated, full / Int64(ratePerSecond) + 1)
        millionths = min(full, millionths + elapsed * Int64(ratePerSecond))
    }
}
