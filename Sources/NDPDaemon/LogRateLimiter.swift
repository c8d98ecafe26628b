/// Lets through at most one log line per `interval`, counting the events it held back, so a
/// failure that repeats per packet (a send error under a flood) costs one line per interval,
/// not one per packet, and the line still says how many there were.
public struct LogRateLimiter: Sendable {
    /// The shortest time between two lines.
    public let interval: Duration
    private var lastLine: ContinuousClock.Instant?
    /// Events held back since the last line.
    public private(set) var suppressed = 0

    /// A limiter letting one line through per `interval` (10 s by default).
    public init(interval: Duration = .seconds(10)) { self.interval = interval }

    /// Records one event at `now`. Returns nil when it must stay silent; otherwise the line
    /// may be written, and the result is how many events were held back before it.
    public mutating func admit(at now: ContinuousClock.Instant) -> Int? {
        if let lastLine, now - lastLine < interval {
            suppressed += 1
            return nil
        }
        lastLine = now
        defer { suppressed = 0 }
        return suppressed
    }
}
