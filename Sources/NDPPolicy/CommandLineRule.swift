import NDPWire

/// Builds a `ProxyRule` from command-line flags, through the same `RuleValidator` as the TOML loader.
public struct CommandLineRule: Sendable {
    /// `--interface`.
    public var interface: String
    /// `--proxy`, repeatable.
    public var targets: [String] = []
    /// `--exclude`, repeatable.
    public var exclude: [String] = []
    /// `--router/--no-router`.
    public var router = true
    /// `--override`.
    public var override = false
    /// `--dad`.
    public var dad: String?
    /// `--source`.
    public var source: String?
    /// `--mac`.
    public var mac: String?
    /// `--host-address`, repeatable (replay).
    public var hostAddresses: [String] = []

    /// Flags for `interface`.
    public init(interface: String) { self.interface = interface }

    /// The rule, or every problem with the flags (`RuleValidator`'s checks, as for TOML).
    public func build() throws(ConfigurationErrors) -> ProxyRule {
        var text = RuleText(interface: interface)
        text.targets = targets.isEmpty ? nil : targets
        text.exclude = exclude
        text.router = router
        text.override = override
        text.dad = dad
        text.source = source
        text.mac = mac
        text.hostAddresses = hostAddresses
        var problems: [ConfigurationProblem] = []
        let rule = RuleValidator.validate(
            text, file: Self.file,
            report: { field, _, message in
                problems.append(ConfigurationProblem(file: Self.file, key: Self.flag(field), message: message))
            },
            reportFile: { problems.append($0) })
        guard let rule, problems.isEmpty else { throw ConfigurationErrors(problems: problems) }
        return rule
    }

    /// Names the command line where problems name a file.
    static let file = "command line"

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
