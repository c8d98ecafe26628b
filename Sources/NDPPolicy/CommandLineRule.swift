import NDPWire

/// The command-line flags of a rule: `--interface`, `--proxy` (`targets`, repeatable),
/// `--exclude`, `--router/--no-router`, `--override`, `--dad`, `--source`, `--mac` and
/// `--host-address` (`hostAddresses`, repeatable) fill the same `RuleText` a `[[proxy]]` block
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
            problems.append(ConfigurationProblem(file: Self.commandLine, key: Self.flag(.interface), message: "missing"))
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
