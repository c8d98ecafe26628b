import NDPPolicy
import NDPWire
import Testing

/// The TOML loader and the command-line flags validate through one `RuleValidator`: every row,
/// valid or not, goes through both front ends and must get the same verdict and the same
/// messages. Only the location differs (`file:line: proxy[1].mac` against `command line: --mac`).
struct FrontEndAgreementTests {
    /// One rule, written once and rendered for each front end.
    struct Row: CustomTestStringConvertible, Sendable {
        var interface = "br0"
        var targets = ["2001:db8::/32"]
        var exclude: [String] = []
        var dad: String?
        var source: String?
        var mac: String?
        var hostAddresses: [String] = []
        /// The expected verdict: nil if the rule is accepted, else the fields refused, in order.
        var refused: [RuleField]?

        var testDescription: String {
            var parts = ["interface \(interface)", "targets \(targets)"]
            if !exclude.isEmpty { parts.append("exclude \(exclude)") }
            if let dad { parts.append("dad \(dad)") }
            if let source { parts.append("source \(source)") }
            if let mac { parts.append("mac \(mac)") }
            if !hostAddresses.isEmpty { parts.append("host addresses \(hostAddresses)") }
            return parts.joined(separator: ", ")
        }

        var toml: String {
            func list(_ values: [String]) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
            var lines = ["[[proxy]]", "interface = \"\(interface)\""]
            if !targets.isEmpty { lines.append("targets = \(list(targets))") }
            if !exclude.isEmpty { lines.append("exclude = \(list(exclude))") }
            if let dad { lines.append("dad = \"\(dad)\"") }
            if let source { lines.append("source = \"\(source)\"") }
            if let mac { lines.append("mac = \"\(mac)\"") }
            if !hostAddresses.isEmpty { lines.append("host-addresses = \(list(hostAddresses))") }
            return lines.joined(separator: "\n") + "\n"
        }

        var flags: CommandLineRule {
            var flags = CommandLineRule(interface: interface)
            flags.targets = targets
            flags.exclude = exclude
            flags.dad = dad
            flags.source = source
            flags.mac = mac
            flags.hostAddresses = hostAddresses
            return flags
        }
    }

    static let rows: [Row] = [
        Row(),
        // interface
        Row(interface: "br/0", refused: [.interface]),
        Row(interface: "eth0:1", refused: [.interface]),
        Row(interface: "", refused: [.interface]),
        Row(interface: "a-name-of-16-chr", refused: [.interface]),
        Row(interface: "a-name-of-15-ch"),
        // targets
        Row(targets: ["2001:db8:0:96ce::/64", "2001:db8:0:96ff:ff:ff:ff:ff"]),
        Row(targets: [], refused: [.targets]),
        Row(targets: ["2001:db8::zz"], refused: [.targets]),
        Row(targets: ["2001:db8::1/64"], refused: [.targets]),
        Row(targets: ["2001:db8::/129"], refused: [.targets]),
        Row(targets: ["2001:db8::/64", "2001:db8::/64"], refused: [.targets]),
        Row(targets: ["ff02::1"], refused: [.targets]),
        Row(targets: ["fe80::1"], refused: [.targets]),
        Row(targets: ["::"], refused: [.targets]),
        Row(targets: ["::1"], refused: [.targets]),
        Row(targets: ["::/0"], refused: [.targets]),
        // exclude
        Row(exclude: ["2001:db8:0:96ce::1", "2001:db8:1::/48"]),
        Row(exclude: ["nonsense"], refused: [.exclude]),
        Row(exclude: ["2001:db8:1::/48", "2001:db8:1::/48"], refused: [.exclude]),
        Row(targets: ["2001:db8::1"], exclude: ["2001:db8::/64"], refused: [.exclude]),
        Row(targets: ["2001:db8::1"], exclude: ["2001:db8::1"], refused: [.exclude]),
        // dad
        Row(dad: "ignore"),
        Row(dad: "defend"),
        Row(dad: "maybe", refused: [.dad]),
        Row(dad: "Defend", refused: [.dad]),
        // source
        Row(source: "auto"),
        Row(source: "link-local"),
        Row(source: "target"),
        Row(source: "2001:db8::7"),
        Row(source: "ff02::1", refused: [.source]),
        Row(source: "::", refused: [.source]),
        Row(source: "automatic", refused: [.source]),
        // mac
        Row(mac: "02:00:00:00:00:09"),
        Row(mac: "00:00:00:00:00:00", refused: [.mac]),
        Row(mac: "01:00:5e:00:00:01", refused: [.mac]),
        Row(mac: "33:33:00:00:00:01", refused: [.mac]),
        Row(mac: "ff:ff:ff:ff:ff:ff", refused: [.mac]),
        Row(mac: "02:00:00:00:00", refused: [.mac]),
        // host addresses
        Row(hostAddresses: ["2001:db8::1", "fe80::1"]),
        Row(hostAddresses: ["ff02::1"], refused: [.hostAddresses]),
        Row(hostAddresses: ["::"], refused: [.hostAddresses]),
        Row(hostAddresses: ["nonsense"], refused: [.hostAddresses]),
        // several at once: every problem is reported, in the same order by both
        Row(interface: "br/0", targets: ["ff02::1"], dad: "maybe", source: "ff02::1", mac: "00:00:00:00:00:00",
            hostAddresses: ["::"], refused: [.interface, .targets, .dad, .source, .mac, .hostAddresses]),
    ]

    @Test(arguments: rows)
    func bothFrontEndsGiveTheSameVerdict(_ row: Row) throws {
        let fromTOML = Result { () throws(ConfigurationErrors) in try ConfigurationLoader.parse(row.toml, file: "rule.toml") }
        let fromFlags = Result { () throws(ConfigurationErrors) in try row.flags.build() }
        switch (fromTOML, fromFlags) {
        case let (.success(a), .success(b)):
            #expect(row.refused == nil, "accepted by both front ends, but the row expects a refusal")
            let toml = try #require(a.proxies.first)
            #expect(a.proxies.count == 1)
            #expect(toml.interface == b.interface)
            #expect(toml.targets.exactCount == b.targets.exactCount && toml.targets.prefixCount == b.targets.prefixCount)
            #expect(toml.exclude.exactCount == b.exclude.exactCount && toml.exclude.prefixCount == b.exclude.prefixCount)
            #expect(toml.dad == b.dad && toml.source == b.source && toml.mac == b.mac)
            #expect(toml.hostAddresses == b.hostAddresses)
            #expect(toml.router == b.router && toml.override == b.override)
        case let (.failure(a), .failure(b)):
            let expected = try #require(row.refused, "refused by both front ends: \(a.problems)")
            #expect(a.problems.map(\.message) == b.problems.map(\.message))
            #expect(a.problems.map(\.key) == expected.map { "proxy[1]." + Self.tomlKey($0) })
            #expect(b.problems.map(\.key) == expected.map { CommandLineRule.flag($0) })
            #expect(a.problems.allSatisfy { $0.file == "rule.toml" && $0.line != nil }, "\(a.problems)")
            #expect(b.problems.allSatisfy { $0.file == "command line" && $0.line == nil })
        case let (.success, .failure(b)):
            Issue.record("TOML accepts what the command line refuses: \(b.problems)")
        case let (.failure(a), .success):
            Issue.record("the command line accepts what TOML refuses: \(a.problems)")
        }
    }

    /// The drift this validator removed: each of these was accepted by one front end only.
    @Test(arguments: [
        ("--mac", "00:00:00:00:00:00"),
        ("--host-address", "ff02::1"),
        ("--host-address", "::"),
    ])
    func commandLineRefusesWhatTOMLRefuses(_ flag: String, _ value: String) {
        var flags = CommandLineRule(interface: "br0")
        flags.targets = ["2001:db8::/32"]
        if flag == "--mac" { flags.mac = value } else { flags.hostAddresses = [value] }
        #expect(throws: ConfigurationErrors.self) { try flags.build() }
    }

    static func tomlKey(_ field: RuleField) -> String {
        switch field {
        case .interface: return "interface"
        case .targets: return "targets"
        case .exclude: return "exclude"
        case .dad: return "dad"
        case .source: return "source"
        case .mac: return "mac"
        case .hostAddresses: return "host-addresses"
        }
    }
}
