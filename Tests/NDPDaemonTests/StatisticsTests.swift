import NDPPolicy
import NDPWire
import TestSupport
import Testing

@testable import NDPDaemon

@Suite("Statistics counters")
struct StatisticsTests {
    @Test("one counter per reason, at the reason's ordinal: every ignore and invalid reason counts once")
    func everyReasonHasItsOwnCounter() {
        var statistics = Statistics()
        for reason in IgnoreReason.allCases { statistics.count(.ignore(reason)) }
        let rejections = NDRejection.oneOfEach
        #expect(rejections.map(\.reason) == NDRejection.allReasons)
        for rejection in rejections { statistics.count(.invalid(rejection)) }
        // The fixed-size counter storage matches the reason lists exactly.
        #expect(statistics.ignored == [Int](repeating: 1, count: IgnoreReason.allCases.count))
        #expect(statistics.invalid == [Int](repeating: 1, count: NDRejection.allReasons.count))
        #expect(statistics.reasonCounts.count == IgnoreReason.allCases.count + NDRejection.allReasons.count)
        #expect(statistics.reasonCounts.allSatisfy { $0.count == 1 })
        #expect(statistics.ignoredTotal == IgnoreReason.allCases.count && statistics.invalidTotal == rejections.count)
    }
}
