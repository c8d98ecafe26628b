import NDPWire
import Testing

@testable import NDPDaemon

@Suite("Rate-limited logging")
struct LogRateLimiterTests {
    @Test("one line per interval; the next line reports how many were held back")
    func limits() {
        var limiter = LogRateLimiter(interval: .seconds(10))
        let start = ContinuousClock.now
        #expect(limiter.admit(at: start) == 0)
        for i in 1...500 {
            #expect(limiter.admit(at: start + .milliseconds(i * 10)) == nil)
        }
        #expect(limiter.suppressed == 500)
        #expect(limiter.admit(at: start + .seconds(10)) == 500)
        #expect(limiter.suppressed == 0)
        #expect(limiter.admit(at: start + .seconds(11)) == nil)
        #expect(limiter.admit(at: start + .seconds(30)) == 1)
    }
}

@Suite("Unsolicited advertisement schedule (RFC 4861 §7.2.6)")
struct AnnouncerTests {
    func addresses(_ count: Int) -> [IPv6Address] {
        (0..<count).map { IPv6Address(high: 0x2001_0db8_0000_96ce, low: UInt64($0 + 1)) }
    }

    /// Runs the schedule to the end, waking exactly at each deadline, and returns the send
    /// times of every target.
    func run(_ announcer: inout Announcer<ContinuousClock.Instant>, from start: ContinuousClock.Instant)
        -> [[ContinuousClock.Instant]]
    {
        var sends = [[ContinuousClock.Instant]](repeating: [], count: announcer.targets.count)
        var now = start
        var wakeUps = 0
        while let deadline = announcer.nextDeadline {
            now = max(now, deadline)
            for index in announcer.due(at: now) { sends[index].append(now) }
            wakeUps += 1
            precondition(wakeUps < 1_000_000)
        }
        return sends
    }

    /// The schedule is over: finished, and no deadline left to wake for.
    func expectFinished(
        _ announcer: Announcer<ContinuousClock.Instant>, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(announcer.isFinished, sourceLocation: sourceLocation)
        #expect(announcer.nextDeadline == nil, sourceLocation: sourceLocation)
    }

    @Test("a few targets: three rounds, one second apart")
    func fewTargets() {
        let start = ContinuousClock.now
        var announcer = Announcer(targets: addresses(3), start: start)
        #expect(announcer.nextDeadline == start)
        #expect(announcer.due(at: start) == 0..<3)
        #expect(announcer.nextDeadline == start + .seconds(1))
        #expect(announcer.due(at: start + .milliseconds(500)).isEmpty)
        #expect(announcer.due(at: start + .seconds(1)) == 0..<3)
        #expect(announcer.due(at: start + .seconds(2)) == 0..<3)
        expectFinished(announcer)
    }

    @Test("many targets: at most the rate per second, each target exactly 3 times, at least 1 s apart")
    func manyTargets() {
        let start = ContinuousClock.now
        var announcer = Announcer(targets: addresses(2_500), start: start, ratePerSecond: 1_000)
        let sends = run(&announcer, from: start)
        for times in sends {
            #expect(times.count == Announcer<ContinuousClock.Instant>.advertisementCount)
            for (a, b) in zip(times, times.dropFirst()) { #expect(b - a >= Announcer<ContinuousClock.Instant>.spacing) }
        }
        // The rate: in any window of one second, at most 1000 + one slice of targets go out.
        let all = sends.flatMap { $0 }.sorted()
        var low = 0
        for high in all.indices {
            while all[high] - all[low] >= .seconds(1) { low += 1 }
            #expect(high - low + 1 <= 1_000 + announcer.perSlice)
        }
        // 2500 targets at 1000/s: each round takes about 2.5 s.
        #expect(all.last! - start >= .seconds(7))
    }

    @Test("nothing to announce is finished at once")
    func empty() {
        let announcer = Announcer(targets: [], start: ContinuousClock.now)
        expectFinished(announcer)
    }

    @Test("a late wake-up sends what is due, never more than the rate allows")
    func lateWakeUp() {
        let start = ContinuousClock.now
        var announcer = Announcer(targets: addresses(10_000), start: start, ratePerSecond: 1_000)
        #expect(announcer.due(at: start).count == 50)
        #expect(announcer.due(at: start + .milliseconds(999)).count == 950)
    }
}
