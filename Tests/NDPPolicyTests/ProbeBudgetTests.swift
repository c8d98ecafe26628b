import NDPPolicy
import Testing

/// The probe budget: a token bucket on the frames' clock, exact in integer arithmetic.
struct ProbeBudgetTests {
    @Test("it starts full, and a probe takes a token", arguments: [(1, 1), (200, 200), (200, 3), (3, 200)])
    func startsFull(rate: Int, capacity: Int) {
        var budget = ProbeBudget(ratePerSecond: rate, capacity: capacity)
        #expect(budget.available(at: 0) == capacity)
        for _ in 0..<capacity {
            let took = budget.take(1, at: 0)
            #expect(took)
        }
        let took1 = budget.take(1, at: 0)
        #expect(!took1, "empty")
    }

    @Test(
        "tokens accrue at the rate, exactly, up to the capacity",
        arguments: [
            // rate, microseconds elapsed, tokens back
            (200, 4_999, 0), (200, 5_000, 1), (200, 1_000_000, 200), (200, 10_000_000, 200),
            (3, 333_333, 0), (3, 333_334, 1), (1_000_000, 1, 1), (7, 1_000_000, 7),
        ])
    func accrues(rate: Int, elapsed: Int64, tokens: Int) {
        var budget = ProbeBudget(ratePerSecond: rate, capacity: rate)
        let took2 = budget.take(rate, at: 1_000)
        #expect(took2)
        #expect(budget.available(at: 1_000 + elapsed) == tokens)
    }

    @Test("a take asks for all its tokens or none")
    func allOrNothing() {
        var budget = ProbeBudget(ratePerSecond: 10, capacity: 10)
        let took3 = budget.take(8, at: 0)
        #expect(took3)
        let took4 = budget.take(3, at: 0)
        #expect(!took4)
        #expect(budget.available(at: 0) == 2)
        let took5 = budget.take(2, at: 0)
        #expect(took5)
    }

    @Test("refunds go back up to the capacity")
    func refunds() {
        var budget = ProbeBudget(ratePerSecond: 10, capacity: 10)
        let took6 = budget.take(3, at: 0)
        #expect(took6)
        budget.refund(2)
        #expect(budget.available(at: 0) == 9)
        budget.refund(100)
        #expect(budget.available(at: 0) == 10)
        budget.refund(-5)
        #expect(budget.available(at: 0) == 10)
    }

    @Test("a clock that jumps far ahead or steps back neither overflows nor mints tokens")
    func clockSteps() {
        var budget = ProbeBudget(ratePerSecond: 1_000_000, capacity: 1_000_000)
        let took7 = budget.take(1_000_000, at: 10)
        #expect(took7)
        #expect(budget.available(at: .max) == 1_000_000)
        var other = ProbeBudget(ratePerSecond: 100, capacity: 100)
        let took8 = other.take(100, at: 5_000_000)
        #expect(took8)
        #expect(other.available(at: 0) == 0, "an earlier time adds nothing")
        #expect(other.available(at: 5_010_000) == 1)
    }
}
