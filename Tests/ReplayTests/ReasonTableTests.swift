import Foundation
import NDPPolicy
import NDPWire
import TestSupport
import Testing

/// README's "Reason words" table documents the words replay, logs and metrics print: it must list
/// exactly the declared reasons, invalid ones then ignore ones, each kind in its declared (checked)
/// order.
struct ReasonTableTests {
    /// The table's rows as (decision, word), in order.
    static func readmeRows() throws -> [(decision: String, word: String)] {
        let readme = try String(
            contentsOf: TestEnvironment.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(
            lines.firstIndex(of: "### Reason words"), "README.md has a \"### Reason words\" section")
        var rows: [(String, String)] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("#") { break }
            // | decision | `word` | meaning |
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, cells[2].hasPrefix("`"), cells[2].hasSuffix("`") else { continue }
            rows.append((cells[1], String(cells[2].dropFirst().dropLast())))
        }
        return rows
    }

    @Test("README's reason table lists exactly NDRejection.Reason's words then IgnoreReason's, in declaration order")
    func readmeListsEveryReasonInOrder() throws {
        let rows = try Self.readmeRows()
        let declared =
            NDRejection.Reason.allCases.map { ("invalid", $0.rawValue) }
            + IgnoreReason.allCases.map { ("ignore", $0.rawValue) }
        #expect(rows.map { "\($0.decision) \($0.word)" } == declared.map { "\($0.0) \($0.1)" })
    }

    @Test("Every reason word is distinct, and each case sits at its own counter position")
    func wordsAreDistinctAndPositionsFollowTheDeclaration() {
        let words = NDRejection.Reason.allCases.map(\.rawValue) + IgnoreReason.allCases.map(\.rawValue)
        #expect(Set(words).count == words.count)
        #expect(NDRejection.Reason.allCases.map(\.position) == Array(NDRejection.Reason.allCases.indices))
        #expect(IgnoreReason.allCases.map(\.position) == Array(IgnoreReason.allCases.indices))
    }

    @Test("Each IP-layer discard rule has a reason word of its own")
    func everyDiscardHasItsWord() {
        let kinds = IPv6Discard.allCases.map { NDRejection.discarded($0).kind }
        #expect(Set(kinds).count == IPv6Discard.allCases.count)
    }
}
