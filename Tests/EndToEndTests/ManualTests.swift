import Foundation
import NDPPolicy
import TestSupport
import Testing

/// The man pages in dist/man: ndpd.toml(5), README.md's key table and the loader accept the same
/// keys; ndpd(8) names every flag and subcommand `--help` shows; both render without a groff
/// warning, through groff and through man-db as `man -l` does, with the version of VERSION.
struct ManualTests {
    static let root = TestEnvironment.packageRoot
    static let version =
        (try? String(contentsOf: root.appendingPathComponent("VERSION"), encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"

    /// The page's source with the version filled in, as scripts/build-deb.sh installs it.
    static func page(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("dist/man/\(name)"), encoding: .utf8)
            .replacingOccurrences(of: "@VERSION@", with: version)
    }

    /// Plain roff text to words: `\-` is a hyphen-minus, `\(dq` a double quote, font escapes go.
    static func plain(_ roff: some StringProtocol) -> String {
        var text = String(roff).replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\(dq", with: "\"")
        for escape in ["\\fB", "\\fI", "\\fR", "\\fP"] { text = text.replacingOccurrences(of: escape, with: "") }
        return text
    }

    /// The lines of `section` (from `.SH NAME` to the next `.SH`).
    static func section(_ name: String, of roff: String) -> [Substring] {
        let lines = roff.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == ".SH \(name)" || $0 == ".SH \"\(name)\"" }) else { return [] }
        let rest = lines[(start + 1)...]
        return Array(rest.prefix { !$0.hasPrefix(".SH ") })
    }

    /// The keys of ndpd.toml(5): each entry of KEYS is `.TP`, then `.B key`.
    static func manualKeys() throws -> Set<String> {
        let lines = section("KEYS", of: try page("ndpd.toml.5"))
        var keys: Set<String> = []
        for (index, line) in lines.enumerated() where line == ".TP" && index + 1 < lines.count {
            let next = lines[index + 1]
            if next.hasPrefix(".B ") { keys.insert(plain(next.dropFirst(3))) }
        }
        return keys
    }

    /// The keys of README.md's table under "## Configuration": rows that start with "| `key`".
    static func readmeKeys() throws -> Set<String> {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n")
        guard let start = lines.firstIndex(of: "## Configuration") else { return [] }
        var keys: Set<String> = []
        for line in lines[(start + 1)...].prefix(while: { !$0.hasPrefix("## ") }) where line.hasPrefix("| `") {
            keys.insert(String(line.dropFirst(3).prefix { $0 != "`" }))
        }
        return keys
    }

    @Test func keysAgreeEverywhere() throws {
        let manual = try Self.manualKeys()
        let readme = try Self.readmeKeys()
        // A block's keys, and its [proxy.live] table's keys as `live.KEY`.
        let loader = ConfigurationLoader.proxyKeys.union(ConfigurationLoader.liveKeys)
        #expect(!loader.isEmpty && ConfigurationLoader.proxyKeys.contains("live"))
        #expect(
            manual == loader,
            "ndpd.toml(5) vs the loader: only in the page \(manual.subtracting(loader).sorted()), only in the loader \(loader.subtracting(manual).sorted())"
        )
        #expect(
            readme == loader,
            "README vs the loader: only in README \(readme.subtracting(loader).sorted()), only in the loader \(loader.subtracting(readme).sorted())"
        )
    }

    /// Every key in the page states its default (or that it is required).
    @Test func everyKeyHasADefault() throws {
        let lines = Self.section("KEYS", of: try Self.page("ndpd.toml.5"))
        for (index, line) in lines.enumerated() where line == ".TP" && index + 2 < lines.count {
            let first = lines[index + 2]
            #expect(first.hasPrefix("Default:") || first == "Required.", "\(lines[index + 1]): \(first)")
        }
    }

    /// Each key's default in ndpd.toml(5) is the one README's table gives.
    @Test func defaultsAgreeWithReadme() throws {
        let lines = Self.section("KEYS", of: try Self.page("ndpd.toml.5"))
        var manual: [String: String] = [:]
        for (index, line) in lines.enumerated() where line == ".TP" && index + 3 < lines.count {
            let key = Self.plain(lines[index + 1].dropFirst(3))
            if lines[index + 2] == "Required." {
                manual[key] = "required"
                continue
            }
            guard lines[index + 2] == "Default:" || lines[index + 2] == "Default: none." else { continue }
            if lines[index + 2] == "Default: none." {
                manual[key] = "none"
                continue
            }
            // `.BR value .`: the value, then the full stop in roman.
            var value = Self.plain(lines[index + 3].dropFirst(4))
            if value.hasSuffix(" .") { value.removeLast(2) }
            manual[key] = value
        }
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines2 = readme.split(separator: "\n")
        let start = try #require(lines2.firstIndex(of: "## Configuration"))
        var documented: [String: String] = [:]
        for line in lines2[(start + 1)...].prefix(while: { !$0.hasPrefix("## ") }) where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            documented[String(cells[0].dropFirst().dropLast())] = cells[1].replacingOccurrences(of: "`", with: "")
        }
        #expect(!manual.isEmpty)
        #expect(manual == documented)
    }

    /// The reason words of ndpd.toml(5) are README's, in the same order.
    @Test func reasonWordsAgreeWithReadme() throws {
        let lines = Self.section("REASON WORDS", of: try Self.page("ndpd.toml.5"))
        var manual: [String] = []
        for (index, line) in lines.enumerated() where line == ".TP" && index + 1 < lines.count {
            manual.append(Self.plain(lines[index + 1].dropFirst(3)))
        }
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let words = readme.split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, ["invalid", "ignore"].contains(cells[0]), cells[1].hasPrefix("`") else {
                return nil
            }
            return String(cells[1].dropFirst().dropLast())
        }
        #expect(!words.isEmpty)
        #expect(manual == words)
    }

    /// Every flag and subcommand `--help` shows is in ndpd(8).
    @Test func manualListsEveryFlag() throws {
        let manual = Self.plain(try Self.page("ndpd.8"))
        var shown: Set<String> = []
        for command in [[], ["check"], ["import"], ["status"], ["reload"]] {
            let help = try CommandLineTests.ndpd(command + ["--help"])
            #expect(help.status == 0)
            for word in help.out.split(whereSeparator: { $0.isWhitespace || "[],/<>".contains($0) })
            where word.hasPrefix("-") {
                shown.insert(String(word.prefix { $0 == "-" || $0.isLetter || $0.isNumber }))
            }
            if command.isEmpty, let list = help.out.range(of: "SUBCOMMANDS:") {
                for line in help.out[list.upperBound...].split(separator: "\n") {
                    let words = line.split(separator: " ")
                    if line.hasPrefix("  "), !line.hasPrefix("   "), let name = words.first,
                        name.first?.isLowercase == true
                    {
                        #expect(
                            manual.contains(".BI \"\(name) ") || manual.contains(".B \(name)\n"), "subcommand \(name)")
                    }
                }
            }
        }
        #expect(
            shown.contains("--config") && shown.contains("--from") && shown.contains("--version")
                && shown.contains("--socket"))
        for flag in shown.sorted() {
            #expect(manual.contains(flag), "\(flag) is in --help but not in ndpd(8)")
        }
    }

    /// Both pages render without a warning, with groff -ww and with man -l, and carry the version.
    @Test(arguments: ["ndpd.8", "ndpd.toml.5"])
    func rendersWithoutWarnings(name: String) throws {
        let tools = ["/usr/bin/groff", "/usr/bin/man"]
        guard tools.allSatisfy(FileManager.default.isExecutableFile) else {
            if TestEnvironment.isCI {
                Issue.record("groff or man missing: scripts/setup.sh installs groff-base and man-db")
            }
            return
        }
        let scratch = try TemporaryDirectory()
        let path = scratch.path(name)
        try Data(try Self.page(name).utf8).write(to: URL(fileURLWithPath: path))
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C.UTF-8"
        environment["MANWIDTH"] = "80"
        let groff = try CommandLineTests.run(
            "/usr/bin/groff", ["-ww", "-man", "-Tutf8", "-z", path], environment: environment)
        #expect(groff.status == 0)
        #expect(groff.err.isEmpty, "groff -ww: \(groff.err)")
        let man = try CommandLineTests.run("/usr/bin/man", ["--warnings", "-l", path], environment: environment)
        #expect(man.status == 0)
        #expect(man.err.isEmpty, "man -l: \(man.err)")
        #expect(man.out.contains("ndpd \(Self.version)"))
    }
}
