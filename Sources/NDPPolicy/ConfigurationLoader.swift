import Foundation
import NDPWire
import TOMLKit

/// Reads the TOML configuration of README.md ("Configuration") into a `Configuration`,
/// collecting every problem instead of stopping at the first.
public enum ConfigurationLoader {
    /// The keys a `[[proxy]]` block may hold. Anything else is an error, never ignored.
    public static let proxyKeys: Set<String> = [
        "interface", "targets", "targets-file", "exclude", "router", "override", "dad", "source",
        "mac", "host-addresses", "unsolicited-na", "mode", "guest-interfaces", "uplink-port", "live",
    ]

    /// The keys of a block's `[proxy.live]` table (`LiveSettings.keys`), as the documentation
    /// names them: `live.reachable` and so on.
    public static var liveKeys: [String] { LiveSettings.keys.map { "live.\($0)" } }

    /// Loads the file at `path`.
    public static func load(path: String) throws(ConfigurationErrors) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationErrors(problems: [
                ConfigurationProblem(file: path, message: "cannot read: \(describe(error))")
            ])
        }
        return try parse(text, file: path)
    }

    /// Parses configuration `text`; `file` names it in messages and anchors relative targets-file paths.
    public static func parse(_ text: String, file: String) throws(ConfigurationErrors) -> Configuration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationErrors(problems: [
                ConfigurationProblem(
                    file: file, line: error.source.begin.line, message: "TOML syntax: \(error.description)")
            ])
        } catch {
            throw ConfigurationErrors(problems: [ConfigurationProblem(file: file, message: "TOML: \(error)")])
        }
        var builder = Builder(file: file, locator: SourceLocator(text))
        let configuration = builder.build(table)
        guard builder.problems.isEmpty else { throw ConfigurationErrors(problems: builder.problems) }
        return configuration
    }

    /// The key that sets `field` in a `[[proxy]]` block.
    public static func key(_ field: RuleField) -> String {
        switch field {
        case .interface: return "interface"
        case .targets: return "targets"
        case .exclude: return "exclude"
        case .dad: return "dad"
        case .source: return "source"
        case .mac: return "mac"
        case .hostAddresses: return "host-addresses"
        case .mode: return "mode"
        case .guestInterfaces: return "guest-interfaces"
        case .uplinkPort: return "uplink-port"
        case .live: return "live"
        }
    }

    static func describe(_ error: Error) -> String {
        (error as NSError).localizedDescription
    }
}

/// Finds the line of a key or value in the TOML text. TOMLKit reports positions only for
/// syntax errors, so semantic errors are located by searching the block's own lines.
struct SourceLocator {
    private let lines: [Substring]
    /// 1-based line of each `[[proxy]]` header.
    private let blockStarts: [Int]

    init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.lines = lines
        blockStarts = lines.indices.filter {
            lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("[[proxy]]")
        }.map { $0 + 1 }
    }

    private func range(ofBlock block: Int) -> Range<Int> {
        guard block < blockStarts.count else { return 1..<(lines.count + 1) }
        let end = block + 1 < blockStarts.count ? blockStarts[block + 1] : lines.count + 1
        return blockStarts[block]..<end
    }

    /// The line of `key = ...` in block `block`.
    func line(ofKey key: String, inBlock block: Int) -> Int? {
        range(ofBlock: block).first { number in
            let line = lines[number - 1].drop { $0 == " " || $0 == "\t" }
            return line.hasPrefix(key) && line.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }.first == "="
        }
    }

    /// The line where the quoted string `value` appears in block `block` (arrays may span lines).
    func line(ofValue value: String, inBlock block: Int) -> Int? {
        let quoted = ["\"\(value)\"", "'\(value)'"]
        return range(ofBlock: block).first { number in quoted.contains { lines[number - 1].contains($0) } }
    }

    /// The line of block `block`'s `[proxy.live]` header, if it has one.
    func line(ofLiveTable block: Int) -> Int? {
        range(ofBlock: block).first { lines[$0 - 1].trimmingCharacters(in: .whitespaces).hasPrefix("[proxy.live]") }
    }

    /// The line of block `block`'s header.
    func line(ofBlock block: Int) -> Int? { block < blockStarts.count ? blockStarts[block] : nil }
}

/// Walks the parsed TOML, building rules and recording problems.
private struct Builder {
    let file: String
    let locator: SourceLocator
    var problems: [ConfigurationProblem] = []

    init(file: String, locator: SourceLocator) {
        self.file = file
        self.locator = locator
    }

    mutating func problem(_ message: String, key: String? = nil, line: Int? = nil) {
        problems.append(ConfigurationProblem(file: file, line: line, key: key, message: message))
    }

    mutating func build(_ table: TOMLTable) -> Configuration {
        var rules: [ProxyRule] = []
        for (key, _) in table where key != "proxy" {
            problem(
                "unknown top-level key (expected [[proxy]] blocks)", key: key,
                line: locator.line(ofKey: key, inBlock: Int.max))
        }
        guard let blocks = table["proxy"]?.array else {
            if table["proxy"] != nil {
                problem("must be an array of tables: write [[proxy]]", key: "proxy")
            } else {
                problem("no [[proxy]] block: nothing to answer for")
            }
            return Configuration(proxies: [])
        }
        var seenInterfaces: [String: Int] = [:]
        for (index, value) in blocks.enumerated() {
            guard let block = value.table else {
                problem("must be a table", key: "proxy[\(index + 1)]")
                continue
            }
            guard let rule = buildRule(block, index: index) else { continue }
            if let first = seenInterfaces[rule.interface] {
                problem(
                    "interface \"\(rule.interface)\" already has block proxy[\(first + 1)]; merge them",
                    key: "proxy[\(index + 1)].interface", line: locator.line(ofKey: "interface", inBlock: index))
            } else {
                seenInterfaces[rule.interface] = index
            }
            rules.append(rule)
        }
        return Configuration(proxies: rules)
    }

    mutating func buildRule(_ block: TOMLTable, index: Int) -> ProxyRule? {
        let name = "proxy[\(index + 1)]"
        func keyName(_ key: String) -> String { "\(name).\(key)" }
        let before = problems.count

        for (key, _) in block where !ConfigurationLoader.proxyKeys.contains(key) {
            problem(
                "unknown key (known: \(ConfigurationLoader.proxyKeys.sorted().joined(separator: ", ")))",
                key: keyName(key), line: locator.line(ofKey: key, inBlock: index))
        }

        func string(_ key: String) -> String? {
            guard let value = block[key] else { return nil }
            guard let text = value.string else {
                problem("must be a string", key: keyName(key), line: locator.line(ofKey: key, inBlock: index))
                return nil
            }
            return text
        }
        func bool(_ key: String, default defaultValue: Bool) -> Bool {
            guard let value = block[key] else { return defaultValue }
            guard let flag = value.bool else {
                problem("must be true or false", key: keyName(key), line: locator.line(ofKey: key, inBlock: index))
                return defaultValue
            }
            return flag
        }
        func strings(_ key: String) -> [String] {
            guard let value = block[key] else { return [] }
            guard let array = value.array else {
                problem(
                    "must be an array of strings", key: keyName(key), line: locator.line(ofKey: key, inBlock: index))
                return []
            }
            var out: [String] = []
            for element in array {
                guard let text = element.string else {
                    problem(
                        "must be an array of strings", key: keyName(key), line: locator.line(ofKey: key, inBlock: index)
                    )
                    return []
                }
                out.append(text)
            }
            return out
        }

        if block["interface"] == nil {
            problem(
                "missing: every block names its interface", key: keyName("interface"),
                line: locator.line(ofBlock: index))
        }
        var text = RuleText(interface: string("interface"))
        text.targets = block["targets"] == nil ? nil : strings("targets")
        if let targetsFile = string("targets-file") {
            let path =
                targetsFile.hasPrefix("/")
                ? targetsFile
                : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(targetsFile).path
            text.targetsFile = (name: targetsFile, path: path)
        }
        text.exclude = strings("exclude")
        // An absent key keeps RuleText's default, the one default for both front ends.
        text.router = bool("router", default: text.router)
        text.override = bool("override", default: text.override)
        text.dad = string("dad")
        text.source = string("source")
        text.mac = string("mac")
        text.hostAddresses = strings("host-addresses")
        text.unsolicitedAdvertisements = bool("unsolicited-na", default: text.unsolicitedAdvertisements)
        text.mode = string("mode")
        if let value = block["guest-interfaces"] {
            // A string is a word ("routes"); a list is interface names.
            text.guestInterfaces = value.string.map(GuestInterfacesText.word) ?? .names(strings("guest-interfaces"))
        }
        text.uplinkPort = string("uplink-port")
        if let value = block["live"] {
            if let table = value.table {
                var live: [(key: String, value: LiveSettings.Value)] = []
                for (key, element) in table {
                    if let number = element.int {
                        live.append((key, .integer(number)))
                    } else if let text = element.string {
                        live.append((key, .string(text)))
                    } else {
                        problem(
                            "\(key): must be a string (a duration) or an integer (a count)", key: keyName("live"),
                            line: locator.line(ofKey: key, inBlock: index))
                    }
                }
                text.live = live
            } else {
                problem(
                    "must be a table: write [proxy.live]", key: keyName("live"),
                    line: locator.line(ofKey: "live", inBlock: index))
            }
        }

        let rule = RuleValidator.validate(
            text, file: file,
            report: { field, value, message in
                let key = ConfigurationLoader.key(field)
                // A list's value is found on its own line (arrays may span lines); anything
                // else at its key, or at the block's header when the key is absent.
                var line: Int?
                if let value, Self.listFields.contains(field) { line = locator.line(ofValue: value, inBlock: index) }
                // A [proxy.live] problem's value is its key, on its own line of the table.
                if let value, field == .live {
                    line = locator.line(ofKey: value, inBlock: index) ?? locator.line(ofLiveTable: index)
                }
                if value == nil, field == .live { line = locator.line(ofLiveTable: index) }
                line = line ?? locator.line(ofKey: key, inBlock: index) ?? locator.line(ofBlock: index)
                problem(message, key: keyName(key), line: line)
            },
            reportFile: { problems.append($0) })
        return problems.count == before ? rule : nil
    }

    /// The fields given as arrays, whose problems point at the value's own line.
    static let listFields: Set<RuleField> = [.targets, .exclude, .hostAddresses, .guestInterfaces]
}
