import Foundation
import NDPImport
import NDPPolicy
import TestSupport
import Testing

/// `ndpd import` on the peers' shipped example files (Fixtures/upstream, see SOURCES.md there)
/// and on real-world layouts written for these tests: each output and each warning list must be
/// exactly the one stored beside the input, and every output that answers for something must
/// load (what `ndpd check` runs).
struct ImportFixtureTests {
    static let folder = TestEnvironment.packageRoot.appendingPathComponent("Tests/NDPImportTests/Fixtures")

    /// Fixture, the format its name or content must be detected as, and whether anything in it
    /// maps to a target.
    static let cases: [(file: String, format: ImportFormat, answers: Bool)] = [
        ("upstream/ndppd-0.2.5.conf-dist", .ndppd, false),
        ("upstream/ndppd-0.2-master.conf-dist", .ndppd, false),
        ("upstream/ndppd-1.0-devel.conf-dist", .ndppd, false),
        ("upstream/ndppd-1.0-devel.test.conf", .ndppd, false),
        ("upstream/npd6.conf.sample", .npd6, true),
        ("ovh-ndppd.conf", .ndppd, true),
        ("proxmox-ndppd.conf", .ndppd, true),
        ("docker-ndppd.conf", .ndppd, true),
        ("ndppd-quirks.conf", .ndppd, true),
        ("npd6-blacklist.conf", .npd6, true),
        ("npd6-whitelist.conf", .npd6, true),
        ("ovh-ip-neigh.txt", .ipNeigh, true),
        ("docker-ip-neigh.txt", .ipNeigh, true),
        ("ovh.network", .networkd, true),
    ]

    @Test(arguments: cases.map(\.file))
    func fixtureMatchesExpectedOutput(file: String) throws {
        let entry = try #require(Self.cases.first { $0.file == file })
        let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
        let format = try #require(ImportFormat.detect(name: file, text: text))
        #expect(format == entry.format)
        var result = ImportedConfiguration()
        format.read(text, file: file, into: &result)
        let output = result.render()
        let expected = try String(
            contentsOf: Self.folder.appendingPathComponent(file + ".expected.toml"), encoding: .utf8)
        #expect(output == expected)
        let warnings = try String(
            contentsOf: Self.folder.appendingPathComponent(file + ".expected-warnings"), encoding: .utf8)
        #expect(result.warnings == warnings.split(separator: "\n").map(String.init))
        #expect(result.answeringBlocks.isEmpty == !entry.answers)
        if entry.answers {
            let configuration = try ConfigurationLoader.parse(output, file: file + ".expected.toml")
            #expect(configuration.proxies.map(\.interface) == result.answeringBlocks.map(\.interface))
        } else {
            // Nothing maps: the output is only comments, and says so.
            #expect(output.split(separator: "\n").allSatisfy { $0.hasPrefix("#") })
        }
    }

    /// Every fixture in the folder is in the table (a new one cannot be forgotten).
    @Test func everyFixtureIsListed() throws {
        let inputs = try FileManager.default.subpathsOfDirectory(atPath: Self.folder.path).filter { path in
            !path.hasSuffix(".expected.toml") && !path.hasSuffix(".expected-warnings") && !path.hasSuffix(".md")
                && !path.hasSuffix("COPYING.GPL-3") && path != "upstream"
        }
        #expect(Set(inputs) == Set(Self.cases.map(\.file)))
    }
}
