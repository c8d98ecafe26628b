import NDPWire

/// The command-line flags of a rule: `--interface`, `--proxy` (`targets`, repeatable),
/// `--exclude`, `--router/--no-router`, `--override`, `--dad`, `--source`, `--mac` and
/// `--host-address` (`hostAddresses`, repeatable), `--mode`, `--guest-interface` (repeatable, or
/// the one word `routes`), `--uplink-port` and `--live-setting KEY=VALUE` (repeatable) fill the same `RuleText` a `[[proxy]]` block
/// does, and `build()` checks it with the same `RuleValidator`.
public typealias CommandLineRule = RuleText

extension RuleText {
    /// The rule, or every problem with the flags (`RuleValidator`'s checks, as for TOML).
    /// No `--proxy` flag gives no targets at all, as a block without `targets` does.
    public func build() throws(ConfigurationErrors) -> ProxyRule {
        var text = self
        if text.targets?.isEmpty == true { text.targets = nil }
        var problems: [ConfigurationProblem] = []
        if text.interface == nil {
            problems.append(
                ConfigurationProblem(file: Self.commandLine, key: Self.flag(.interface), message: "missing"))
        }
        let rule = RuleValidator.validate(
            text, file: Self.commandLine,
            report: { field, _, message in
                problems.append(ConfigurationProblem(file: Self.commandLine, key: Self.flag(field), message: message))
            },
            reportFile: { problems.append($0) })
        guard let rule, problems.isEmpty else { throw ConfigurationErrors(problems: problems) }
        return rule
    }

    /// `--guest-interface` values as `guest-interfaces`: none is the default, the single value
    /// `routes` the word, anything else a list of names.
    public static func guestInterfaces(flags values: [String]) -> GuestInterfacesText? {
        if values.isEmpty { return nil }
        if values == ["routes"] { return .word("routes") }
        return .names(values)
    }

    /// `--live-setting KEY=VALUE` values as a `[proxy.live]` table: a value of digits only is an integer
    /// (as TOML reads `probes = 3`), anything else a string (as `reachable = "30s"`). A value
    /// without `=` is nil: the caller says which.
    public static func liveTable(flags values: [String]) -> [(key: String, value: LiveSettings.Value)]? {
        var table: [(key: String, value: LiveSettings.Value)] = []
        for item in values {
            guard let equals = item.firstIndex(of: "=") else { return nil }
            let key = String(item[..<equals])
            let text = String(item[item.index(after: equals)...])
            if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(text) {
                table.append((key, .integer(number)))
            } else {
                table.append((key, .string(text)))
            }
        }
        return table
    }

    /// What problems with the flags give as their file.
    static let commandLine = "command line"

    /// The flag that sets `field`.
    public static func flag(_ field: RuleField) -> String {
        switch field {
        case .interface: return "--interface"
        case .targets: return "--proxy"
        case .exclude: return "--exclude"
        case .dad: return "--dad"
        case .source: return "--source"
        case .mac: return "--mac"
        case .hostAddresses: return "--host-address"
        case .mode: return "--mode"
        case .guestInterfaces: return "--guest-interface"
        case .uplinkPort: return "--uplink-port"
        case .live: return "--live-setting"
        }
    }

    /// The rule replay uses when given neither `--config` nor `--proxy`: the seed scenario of
    /// `Captures/seed.pcap` (guest /64, the provider gateway, the host's own address).
    public static var demo: ProxyRule {
        var flags = CommandLineRule(interface: "br0")
        flags.targets = ["2001:db8:0:96ce::/64", "2001:db8:0:96ff:ff:ff:ff:ff"]
        flags.hostAddresses = ["2001:db8:0:96ce::1"]
        flags.mac = "02:00:00:00:00:01"
        // The demo is a constant: a failure here is a programming error, caught by the tests.
        return try! flags.build()
    }
}
