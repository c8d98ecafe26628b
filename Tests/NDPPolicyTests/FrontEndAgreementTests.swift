import NDPPolicy
import NDPWire
import Testing

/// The TOML loader and the command-line flags validate through one `RuleValidator`: every row,
/// valid or not, goes through both front ends and must get the same verdict and the same
/// messages. Only the location differs (`file:line: proxy[1].mac` against `command line: --mac`).
struct FrontEndAgreementTests {
    /// One rule, written once as `RuleText` (what the flags fill) and rendered as TOML.
    struct Row: CustomTestStringConvertible, Sendable {
        var text: RuleText
        /// The expected verdict: nil if the rule is accepted, else the fields refused, in order.
        var refused: [RuleField]?

        /// A rule for br0 answering 2001:db8::/32, as `change` alters it.
        init(refused: [RuleField]? = nil, _ change: (inout RuleText) -> Void = { _ in }) {
            text = RuleText(interface: "br0")
            text.targets = ["2001:db8::/32"]
            change(&text)
            self.refused = refused
        }

        var testDescription: String { toml.split(separator: "\n").dropFirst().joined(separator: "; ") }

        var toml: String {
            func list(_ values: [String]) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
            var lines = ["[[proxy]]"]
            if let interface = text.interface { lines.append("interface = \"\(interface)\"") }
            if let targets = text.targets, !targets.isEmpty { lines.append("targets = \(list(targets))") }
            if !text.exclude.isEmpty { lines.append("exclude = \(list(text.exclude))") }
            if let dad = text.dad { lines.append("dad = \"\(dad)\"") }
            if let source = text.source { lines.append("source = \"\(source)\"") }
            if let mac = text.mac { lines.append("mac = \"\(mac)\"") }
            if !text.hostAddresses.isEmpty { lines.append("host-addresses = \(list(text.hostAddresses))") }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static let rows: [Row] = [
        Row(),
        // interface
        Row(refused: [.interface]) { $0.interface = "br/0" },
        Row(refused: [.interface]) { $0.interface = "eth0:1" },
        Row(refused: [.interface]) { $0.interface = "" },
        Row(refused: [.interface]) { $0.interface = "a-name-of-16-chr" },
        Row { $0.interface = "a-name-of-15-ch" },
        // targets
        Row { $0.targets = ["2001:db8:0:96ce::/64", "2001:db8:0:96ff:ff:ff:ff:ff"] },
        Row(refused: [.targets]) { $0.targets = [] },
        Row(refused: [.targets]) { $0.targets = ["2001:db8::zz"] },
        Row(refused: [.targets]) { $0.targets = ["2001:db8::1/64"] },
        Row(refused: [.targets]) { $0.targets = ["2001:db8::/129"] },
        Row(refused: [.targets]) { $0.targets = ["2001:db8::/64", "2001:db8::/64"] },
        Row(refused: [.targets]) { $0.targets = ["ff02::1"] },
        Row(refused: [.targets]) { $0.targets = ["fe80::1"] },
        Row(refused: [.targets]) { $0.targets = ["::"] },
        Row(refused: [.targets]) { $0.targets = ["::1"] },
        Row(refused: [.targets]) { $0.targets = ["::/0"] },
        // exclude
        Row { $0.exclude = ["2001:db8:0:96ce::1", "2001:db8:1::/48"] },
        Row(refused: [.exclude]) { $0.exclude = ["nonsense"] },
        Row(refused: [.exclude]) { $0.exclude = ["2001:db8:1::/48", "2001:db8:1::/48"] },
        Row(refused: [.exclude]) { $0.targets = ["2001:db8::1"]; $0.exclude = ["2001:db8::/64"] },
        Row(refused: [.exclude]) { $0.targets = ["2001:db8::1"]; $0.exclude = ["2001:db8::1"] },
        // dad
        Row { $0.dad = "ignore" },
        Row { $0.dad = "defend" },
        Row(refused: [.dad]) { $0.dad = "maybe" },
        Row(refused: [.dad]) { $0.dad = "Defend" },
        // source
        Row { $0.source = "auto" },
        Row { $0.source = "link-local" },
        Row { $0.source = "target" },
        Row { $0.source = "2001:db8::7" },
        Row(refused: [.source]) { $0.source = "ff02::1" },
        Row(refused: [.source]) { $0.source = "::" },
        Row(refused: [.source]) { $0.source = "automatic" },
        // mac
        Row { $0.mac = "02:00:00:00:00:09" },
        Row(refused: [.mac]) { $0.mac = "00:00:00:00:00:00" },
        Row(refused: [.mac]) { $0.mac = "01:00:5e:00:00:01" },
        Row(refused: [.mac]) { $0.mac = "33:33:00:00:00:01" },
        Row(refused: [.mac]) { $0.mac = "ff:ff:ff:ff:ff:ff" },
        Row(refused: [.mac]) { $0.mac = "02:00:00:00:00" },
        // host addresses
        Row { $0.hostAddresses = ["2001:db8::1", "fe80::1"] },
        Row(refused: [.hostAddresses]) { $0.hostAddresses = ["ff02::1"] },
        Row(refused: [.hostAddresses]) { $0.hostAddresses = ["::"] },
        Row(refused: [.hostAddresses]) { $0.hostAddresses = ["nonsense"] },
        // several at once: every problem is reported, in the same order by both
        Row(refused: [.interface, .targets, .dad, .source, .mac, .hostAddresses]) {
            $0.interface = "br/0"
            $0.targets = ["ff02::1"]
            $0.dad = "maybe"
            $0.source = "ff02::1"
            $0.mac = "00:00:00:00:00:00"
            $0.hostAddresses = ["::"]
        },
    ]

    @Test(arguments: rows)
    func bothFrontEndsGiveTheSameVerdict(_ row: Row) throws {
        let fromTOML = Result { () throws(ConfigurationErrors) in try ConfigurationLoader.parse(row.toml, file: "rule.toml") }
        let fromFlags = Result { () throws(ConfigurationErrors) in try row.text.build() }
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
            #expect(a.problems.map(\.key) == expected.map { "proxy[1]." + ConfigurationLoader.key($0) })
            #expect(b.problems.map(\.key) == expected.map { CommandLineRule.flag($0) })
            #expect(a.problems.allSatisfy { $0.file == "rule.toml" && $0.line != nil }, "\(a.problems)")
            #expect(b.problems.allSatisfy { $0.file == "command line" && $0.line == nil })
        case let (.success, .failure(b)):
            Issue.record("TOML accepts what the command line refuses: \(b.problems)")
        case let (.failure(a), .success):
            Issue.record("the command line accepts what TOML refuses: \(a.problems)")
        }
    }

    /// The command line refuses what TOML refuses: an all-zero MAC, a multicast or unspecified
    /// host address.
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
}
