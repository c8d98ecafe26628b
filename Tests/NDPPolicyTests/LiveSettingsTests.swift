import NDPPolicy
import Testing

/// The `[proxy.live]` keys: names and defaults as ARCHITECTURE.md states them, durations as text, and
/// every problem reported.
struct LiveSettingsTests {
    @Test("the defaults are those ARCHITECTURE.md states")
    func defaults() {
        let settings = LiveSettings()
        #expect(settings.reachable == .seconds(30))
        #expect(settings.idle == .seconds(600))
        #expect(settings.probes == 3)
        #expect(settings.probeInterval == .milliseconds(500))
        #expect(settings.negative == .seconds(3))
        #expect(settings.maxEntries == 65_536)
        #expect(settings.maxProbing == 1_024)
        #expect(settings.probeRate == 200)
        #expect(settings.problems().isEmpty)
        #expect(
            LiveSettings.keys == [
                "reachable", "idle", "probes", "probe-interval", "negative", "max-entries",
                "max-probing", "probe-rate",
            ])
    }

    @Test(
        "durations: a whole number and ms, s, m or h",
        arguments: [
            ("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("10m", .seconds(600)),
            ("1h", .seconds(3_600)),
            ("0s", .zero), ("86400s", .seconds(86_400)), ("1440m", .seconds(86_400)),
        ])
    func durations(_ text: String, _ expected: Duration) {
        #expect(LiveSettings.duration(text) == expected)
    }

    @Test(
        "anything else is not a duration",
        arguments: [
            "", "30", "s", "-1s", "+1s", "1.5s", " 1s", "1s ", "1 s", "1S", "1sec", "1d", "1us", "86401s", "25h",
            "9999999999s", "١s",
        ])
    func notDurations(_ text: String) {
        #expect(LiveSettings.duration(text) == nil)
    }

    @Test(
        "durations print in the largest exact unit and read back",
        arguments: [
            (Duration.milliseconds(500), "500ms"), (.seconds(30), "30s"), (.seconds(600), "10m"),
            (.seconds(3_600), "1h"),
            (.milliseconds(1_500), "1500ms"), (.seconds(90), "90s"),
        ])
    func text(_ duration: Duration, _ expected: String) {
        #expect(LiveSettings.text(of: duration) == expected)
        #expect(LiveSettings.duration(expected) == duration)
    }

    @Test("every key is read from its TOML type")
    func parsesEveryKey() {
        let (settings, problems) = LiveSettings.parse([
            ("reachable", .string("45s")), ("idle", .string("20m")), ("probes", .integer(5)),
            ("probe-interval", .string("250ms")), ("negative", .string("10s")), ("max-entries", .integer(1_000)),
            ("max-probing", .integer(64)), ("probe-rate", .integer(50)),
        ])
        #expect(problems.isEmpty)
        var expected = LiveSettings()
        expected.reachable = .seconds(45)
        expected.idle = .seconds(1_200)
        expected.probes = 5
        expected.probeInterval = .milliseconds(250)
        expected.negative = .seconds(10)
        expected.maxEntries = 1_000
        expected.maxProbing = 64
        expected.probeRate = 50
        #expect(settings == expected)
    }

    @Test(
        "each bad value is named with its key, and the default stays",
        arguments: [
            ("reachable", LiveSettings.Value.integer(30), "reachable: a duration is a string"),
            ("idle", .string("10 minutes"), "idle: \"10 minutes\" is not a duration"),
            ("probes", .string("3"), "probes: expected an integer"),
            ("probe-rate", .string("fast"), "probe-rate: expected an integer"),
            ("mode", .string("live"), "unknown key \"mode\" in [proxy.live]"),
        ])
    func badValues(_ key: String, _ value: LiveSettings.Value, _ message: String) {
        let (settings, problems) = LiveSettings.parse([(key, value)])
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(message) == true, "\(problems)")
        #expect(settings == LiveSettings())
    }

    @Test(
        "values outside their bounds are each reported",
        arguments: [
            ("reachable", LiveSettings.Value.string("0s"), "reachable: 0s is outside 1s ... 1h"),
            ("idle", .string("500ms"), "idle: 500ms is outside 1s ... 24h"),
            ("probes", .integer(0), "probes: 0 is outside 1 ... 10"),
            ("probes", .integer(11), "probes: 11 is outside 1 ... 10"),
            ("probe-interval", .string("5ms"), "probe-interval: 5ms is outside 10ms ... 10s"),
            ("negative", .string("2h"), "negative: 2h is outside 100ms ... 1h"),
            ("max-entries", .integer(0), "max-entries: 0 is outside 1 ... 16777216"),
            ("max-probing", .integer(-1), "max-probing: -1 is outside 1 ... 1048576"),
            ("probe-rate", .integer(0), "probe-rate: 0 is outside 1 ... 1000000"),
        ])
    func outOfBounds(_ key: String, _ value: LiveSettings.Value, _ message: String) {
        let (_, problems) = LiveSettings.parse([(key, value)])
        #expect(problems == [message])
    }

    @Test("problems are all reported, not just the first")
    func allProblems() {
        let (_, problems) = LiveSettings.parse([
            ("probes", .integer(0)), ("probe-rate", .integer(0)),
            ("idle", .integer(1)), ("colour", .string("red")),
        ])
        #expect(problems.count == 4)
    }
}
