/// The `[proxy.live]` keys of a `[[proxy]]` block in `mode = "live"` (ARCHITECTURE.md, "Live guests"): how
/// long evidence lasts, how unknown addresses are probed, and the bounds that keep a scan of a
/// /64 at a fixed cost. Every key is optional; `init()` holds the documented defaults.
public struct LiveSettings: Sendable, Equatable {
    /// `reachable`: a LIVE entry lasts this long after the last evidence, then turns STALE.
    public var reachable: Duration = .seconds(30)
    /// `idle`: a STALE entry nobody asked for and no evidence renewed is dropped after this.
    public var idle: Duration = .seconds(600)
    /// `probes`: solicitations sent for an unknown address before it counts as absent.
    public var probes = 3
    /// `probe-interval`: the spacing of those solicitations.
    public var probeInterval: Duration = .milliseconds(500)
    /// `negative`: an address that answered no probe is not probed again for this long.
    public var negative: Duration = .seconds(3)
    /// `max-entries`: known addresses (LIVE, STALE, TENTATIVE) at most.
    public var maxEntries = 65_536
    /// `max-probing`: addresses being probed at once (and, while room is short, the negative
    /// entries of addresses that did not answer) at most.
    public var maxProbing = 1_024
    /// `probe-rate`: first-contact probes per second on the guest side at most; re-probes of
    /// known guests have a budget of the same size of their own.
    public var probeRate = 200

    /// The documented defaults.
    public init() {}

    /// The keys of `[proxy.live]`, in the order ARCHITECTURE.md's "Live guests" lists them.
    public static let keys = [
        "reachable", "idle", "probes", "probe-interval", "negative", "max-entries", "max-probing", "probe-rate",
    ]

    /// A value as the configuration file gives it: durations are strings, counts integers.
    public enum Value: Sendable, Equatable {
        /// A TOML string, such as `"30s"`.
        case string(String)
        /// A TOML integer.
        case integer(Int)
    }

    /// The bounds `problems()` holds each key to: wide enough for any sensible deployment,
    /// narrow enough that no value overflows the microsecond clock or stalls the table.
    public enum Limits {
        /// `reachable`: 1 s to 1 h (RFC 4861 §10's REACHABLE_TIME is 30 s).
        public static let reachable: ClosedRange<Duration> = .seconds(1) ... .seconds(3_600)
        /// `idle`: 1 s to 1 day.
        public static let idle: ClosedRange<Duration> = .seconds(1) ... .seconds(86_400)
        /// `probes`: 1 to 10 (RFC 4861 §10's MAX_MULTICAST_SOLICIT is 3).
        public static let probes: ClosedRange<Int> = 1...10
        /// `probe-interval`: 10 ms to 10 s (RFC 4861 §10's RETRANS_TIMER is 1 s).
        public static let probeInterval: ClosedRange<Duration> = .milliseconds(10) ... .seconds(10)
        /// `negative`: 100 ms to 1 h.
        public static let negative: ClosedRange<Duration> = .milliseconds(100) ... .seconds(3_600)
        /// `max-entries`: 1 to 16 Mi.
        public static let maxEntries: ClosedRange<Int> = 1...16_777_216
        /// `max-probing`: 1 to 1 Mi.
        public static let maxProbing: ClosedRange<Int> = 1...1_048_576
        /// `probe-rate`: 1 to 1 M per second.
        public static let probeRate: ClosedRange<Int> = 1...1_000_000
    }

    /// Sets `key` from `value`. Returns what is wrong, in words an administrator can act on, or
    /// nil when the value was taken; a refused value leaves the setting as it was.
    public mutating func set(_ key: String, to value: Value) -> String? {
        switch key {
        case "reachable": return setDuration(value, key, \.reachable)
        case "idle": return setDuration(value, key, \.idle)
        case "probe-interval": return setDuration(value, key, \.probeInterval)
        case "negative": return setDuration(value, key, \.negative)
        case "probes": return setCount(value, key, \.probes)
        case "max-entries": return setCount(value, key, \.maxEntries)
        case "max-probing": return setCount(value, key, \.maxProbing)
        case "probe-rate": return setCount(value, key, \.probeRate)
        default:
            return "unknown key \"\(key)\" in [proxy.live] (known: \(Self.keys.joined(separator: ", ")))"
        }
    }

    /// The settings from every key of a `[proxy.live]` table, and every problem found (all of
    /// them, not just the first): each bad value, then each value out of its bounds.
    public static func parse(_ table: [(key: String, value: Value)]) -> (settings: LiveSettings, problems: [String]) {
        var settings = LiveSettings()
        var problems: [String] = []
        for (key, value) in table {
            if let problem = settings.set(key, to: value) { problems.append(problem) }
        }
        return (settings, problems + settings.problems())
    }

    /// What is wrong with these settings: each value outside its `Limits`, each as
    /// `key: message`. Empty when the settings can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        func check<T: Comparable>(_ key: String, _ value: T, _ range: ClosedRange<T>, _ text: (T) -> String) {
            if !range.contains(value) {
                problems.append(
                    "\(key): \(text(value)) is outside \(text(range.lowerBound)) ... \(text(range.upperBound))")
            }
        }
        check("reachable", reachable, Limits.reachable, Self.text(of:))
        check("idle", idle, Limits.idle, Self.text(of:))
        check("probes", probes, Limits.probes, String.init)
        check("probe-interval", probeInterval, Limits.probeInterval, Self.text(of:))
        check("negative", negative, Limits.negative, Self.text(of:))
        check("max-entries", maxEntries, Limits.maxEntries, String.init)
        check("max-probing", maxProbing, Limits.maxProbing, String.init)
        check("probe-rate", probeRate, Limits.probeRate, String.init)
        return problems
    }

    /// Parses a duration: a whole number followed by `ms`, `s`, `m` or `h` (`"500ms"`, `"30s"`,
    /// `"10m"`, `"1h"`), no sign, no space, no fraction. Nil for anything else, and for values
    /// beyond a day.
    public static func duration(_ text: String) -> Duration? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 9, let number = Int64(digits) else { return nil }
        let duration: Duration
        switch unit {
        case "ms": duration = .milliseconds(number)
        case "s": duration = .seconds(number)
        case "m": duration = .seconds(number * 60)
        case "h": duration = .seconds(number * 3_600)
        default: return nil
        }
        return duration <= .seconds(86_400) ? duration : nil
    }

    /// A duration in the units `duration(_:)` reads, the largest that is exact: `"30s"`,
    /// `"500ms"`, `"10m"`.
    public static func text(of duration: Duration) -> String {
        let milliseconds = duration.microseconds / 1_000
        if milliseconds % 3_600_000 == 0, milliseconds != 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0, milliseconds != 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1_000 == 0 { return "\(milliseconds / 1_000)s" }
        return "\(milliseconds)ms"
    }

    private mutating func setDuration(
        _ value: Value, _ key: String,
        _ field: WritableKeyPath<LiveSettings, Duration>
    ) -> String? {
        guard case .string(let text) = value else {
            return "\(key): a duration is a string such as \"30s\", \"500ms\" or \"10m\""
        }
        guard let duration = Self.duration(text) else {
            return "\(key): \"\(text)\" is not a duration (a whole number and ms, s, m or h, at most a day)"
        }
        self[keyPath: field] = duration
        return nil
    }

    private mutating func setCount(_ value: Value, _ key: String, _ field: WritableKeyPath<LiveSettings, Int>)
        -> String?
    {
        guard case .integer(let number) = value else { return "\(key): expected an integer" }
        self[keyPath: field] = number
        return nil
    }
}

extension Duration {
    /// The duration in whole microseconds (the unit of `FrameTime`), rounded toward zero.
    var microseconds: FrameTime {
        let (seconds, attoseconds) = components
        return seconds &* 1_000_000 &+ attoseconds / 1_000_000_000_000
    }
}
