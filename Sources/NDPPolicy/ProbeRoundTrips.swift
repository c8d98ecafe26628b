/// The round-trip times of answered probes (ARCHITECTURE.md, "Live guests": metrics): from the probe a
/// guest answered to its Neighbor Advertisement, counted in fixed buckets so the memory and the
/// exported series never change.
public struct ProbeRoundTrips: Sendable, Equatable {
    /// Each bucket's upper bound in microseconds, inclusive; a last, unbounded bucket follows.
    /// Spaced for a guest on the same host (well under a millisecond) up to one past its
    /// probe interval.
    public static let upperBounds: [FrameTime] = [
        100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
    ]

    /// Answers per bucket: `upperBounds.count + 1` counts, the last for anything longer.
    public private(set) var counts: [UInt64] = Array(repeating: 0, count: upperBounds.count + 1)
    /// Every answer's round trip, summed, in microseconds.
    public private(set) var sum: FrameTime = 0
    /// Answers counted.
    public var count: UInt64 { counts.reduce(0, +) }

    /// No answer yet.
    public init() {}

    /// Counts one round trip of `microseconds` (a negative one, from a clock step, as 0).
    public mutating func record(_ microseconds: FrameTime) {
        let value = max(0, microseconds)
        let bucket = Self.upperBounds.firstIndex { value <= $0 } ?? Self.upperBounds.count
        counts[bucket] &+= 1
        sum &+= value
    }
}
