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

        /// A live rule whose `[proxy.live]` table holds `key = value` alone, refused for it.
        static func refusedLive(_ key: String, _ value: LiveSettings.Value) -> Row {
            Row(refused: [.live]) {
                $0.mode = "live"
                $0.live = [(key, value)]
            }
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
            if let mode = text.mode { lines.append("mode = \"\(mode)\"") }
            switch text.guestInterfaces {
            case nil: break
            case .word(let word): lines.append("guest-interfaces = \"\(word)\"")
            case .names(let names): lines.append("guest-interfaces = \(list(names))")
            }
            if let port = text.uplinkPort { lines.append("uplink-port = \"\(port)\"") }
            // The table comes last: every key after its header belongs to it.
            if let live = text.live {
                lines.append("[proxy.live]")
                for (key, value) in live {
                    switch value {
                    case .string(let text): lines.append("\(key) = \"\(text)\"")
                    case .integer(let number): lines.append("\(key) = \(number)")
                    }
                }
            }
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
        Row(refused: [.exclude]) {
            $0.targets = ["2001:db8::1"]
            $0.exclude = ["2001:db8::/64"]
        },
        Row(refused: [.exclude]) {
            $0.targets = ["2001:db8::1"]
            $0.exclude = ["2001:db8::1"]
        },
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
        // mode
        Row { $0.mode = "static" },
        Row { $0.mode = "live" },
        Row(refused: [.mode]) { $0.mode = "auto" },
        Row(refused: [.mode]) { $0.mode = "Live" },
        // guest-interfaces
        Row {
            $0.mode = "live"
            $0.guestInterfaces = .names(["br0"])
        },
        Row {
            $0.mode = "live"
            $0.guestInterfaces = .names(["vmbr1", "vmbr2"])
        },
        Row {
            $0.mode = "live"
            $0.guestInterfaces = .word("routes")
        },
        Row(refused: [.guestInterfaces]) {
            $0.mode = "live"
            $0.guestInterfaces = .word("route")
        },
        Row(refused: [.guestInterfaces]) {
            $0.mode = "live"
            $0.guestInterfaces = .names(["vm/1"])
        },
        Row(refused: [.guestInterfaces]) {
            $0.mode = "live"
            $0.guestInterfaces = .names(["vmbr1", "vmbr1"])
        },
        Row(refused: [.guestInterfaces]) { $0.guestInterfaces = .names(["vmbr1"]) },
        // uplink-port
        Row {
            $0.mode = "live"
            $0.uplinkPort = "eth0"
        },
        Row(refused: [.uplinkPort]) {
            $0.mode = "live"
            $0.uplinkPort = "eth 0"
        },
        Row(refused: [.uplinkPort]) { $0.uplinkPort = "eth0" },
        // [proxy.live]
        Row {
            $0.mode = "live"
            $0.live = []
        },
        Row {
            $0.mode = "live"
            $0.live = [
                ("reachable", .string("2s")), ("idle", .string("30s")), ("probes", .integer(3)),
                ("probe-interval", .string("500ms")), ("negative", .string("3s")),
                ("max-entries", .integer(65_536)), ("max-probing", .integer(1_024)), ("probe-rate", .integer(200)),
            ]
        },
        .refusedLive("reachable", .string("soon")),
        .refusedLive("reachable", .integer(30)),
        .refusedLive("probes", .string("3")),
        .refusedLive("probes", .integer(0)),
        .refusedLive("probe-interval", .string("1ms")),
        .refusedLive("max-entries", .integer(0)),
        .refusedLive("probe-rate", .integer(2_000_000)),
        .refusedLive("reachabel", .string("30s")),
        Row(refused: [.live]) { $0.live = [("probes", .integer(3))] },
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
        let fromTOML = Result { () throws(ConfigurationErrors) in
            try ConfigurationLoader.parse(row.toml, file: "rule.toml")
        }
        let fromFlags = Result { () throws(ConfigurationErrors) in try row.text.build() }
        switch (fromTOML, fromFlags) {
        case (.success(let a), .success(let b)):
            #expect(row.refused == nil, "accepted by both front ends, but the row expects a refusal")
            let toml = try #require(a.proxies.first)
            #expect(a.proxies.count == 1)
            #expect(toml.interface == b.interface)
            #expect(
                toml.targets.exactCount == b.targets.exactCount && toml.targets.prefixCount == b.targets.prefixCount)
            #expect(
                toml.exclude.exactCount == b.exclude.exactCount && toml.exclude.prefixCount == b.exclude.prefixCount)
            #expect(toml.dad == b.dad && toml.source == b.source && toml.mac == b.mac)
            #expect(toml.hostAddresses == b.hostAddresses)
            #expect(toml.router == b.router && toml.override == b.override)
            #expect(toml.mode == b.mode && toml.guestInterfaces == b.guestInterfaces && toml.uplinkPort == b.uplinkPort)
            #expect(toml.live == b.live)
        case (.failure(let a), .failure(let b)):
            let expected = try #require(row.refused, "refused by both front ends: \(a.problems)")
            #expect(a.problems.map(\.message) == b.problems.map(\.message))
            #expect(a.problems.map(\.key) == expected.map { "proxy[1]." + ConfigurationLoader.key($0) })
            #expect(b.problems.map(\.key) == expected.map { CommandLineRule.flag($0) })
            #expect(a.problems.allSatisfy { $0.file == "rule.toml" && $0.line != nil }, "\(a.problems)")
            #expect(b.problems.allSatisfy { $0.file == "command line" && $0.line == nil })
        case (.success, .failure(let b)):
            Issue.record("TOML accepts what the command line refuses: \(b.problems)")
        case (.failure(let a), .success):
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

/// What the live-mode keys build: the values reach the rule, and the defaults are README's.
struct LiveModeConfigurationTests {
    @Test func liveKeysReachTheRule() throws {
        let configuration = try ConfigurationLoader.parse(
            """
            [[proxy]]
            interface = "br0"
            targets = ["2001:db8:0:96ce::/64"]
            mode = "live"
            guest-interfaces = ["br0", "vmbr1"]
            uplink-port = "up0"

            [proxy.live]
            reachable = "2s"
            probes = 5
            probe-rate = 50
            """, file: "live.toml")
        let rule = try #require(configuration.proxies.first)
        #expect(rule.mode == .live)
        #expect(rule.guestInterfaces == .named(["br0", "vmbr1"]))
        #expect(!rule.isBridged)
        #expect(rule.uplinkPort == "up0")
        #expect(rule.live.reachable == .seconds(2) && rule.live.probes == 5 && rule.live.probeRate == 50)
        #expect(rule.live.idle == LiveSettings().idle)
    }

    @Test func defaultsAreStaticAndBridged() throws {
        let rule = try #require(
            try ConfigurationLoader.parse(
                "[[proxy]]\ninterface = \"br0\"\ntargets = [\"2001:db8::/64\"]\n", file: "f.toml"
            ).proxies.first)
        #expect(rule.mode == .static && rule.isBridged && rule.guestInterfaces == .named(["br0"]))
        #expect(rule.uplinkPort == nil && rule.live == LiveSettings())
    }

    /// A [proxy.live] problem names the table's own line.
    @Test func liveProblemsPointAtTheirLine() {
        let text =
            "[[proxy]]\ninterface = \"br0\"\ntargets = [\"2001:db8::/64\"]\nmode = \"live\"\n\n[proxy.live]\nidle = \"10m\"\nprobes = 0\n"
        #expect {
            try ConfigurationLoader.parse(text, file: "f.toml")
        } throws: { error in
            guard let problems = (error as? ConfigurationErrors)?.problems else { return false }
            return problems.map(\.description) == ["f.toml:8: proxy[1].live: probes: 0 is outside 1 ... 10"]
        }
    }

    @Test func flagsFillTheLiveTable() throws {
        let table = try #require(CommandLineRule.liveTable(flags: ["reachable=2s", "probes=4"]))
        #expect(table.map(\.key) == ["reachable", "probes"])
        #expect(table.map(\.value) == [.string("2s"), .integer(4)])
        #expect(CommandLineRule.liveTable(flags: ["reachable"]) == nil)
        #expect(CommandLineRule.guestInterfaces(flags: ["routes"]) == .word("routes"))
        #expect(CommandLineRule.guestInterfaces(flags: []) == nil)
        #expect(CommandLineRule.guestInterfaces(flags: ["a", "b"]) == .names(["a", "b"]))
    }
}
