import NDPWire

/// Builds a `ProxyRule` from command-line flags, with the same checks as the TOML loader.
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

    /// The rule, or every problem with the flags.
    public func build() throws(ConfigurationErrors) -> ProxyRule {
        var problems: [ConfigurationProblem] = []
        func problem(_ flag: String, _ message: String) {
            problems.append(ConfigurationProblem(file: "command line", key: flag, message: message))
        }
        if !InterfaceName.isValid(interface) { problem("--interface", "\"\(interface)\" is not a valid interface name") }
        var entries = TargetEntries(file: "command line")
        for text in targets { if let message = entries.addTarget(text) { problem("--proxy", message) } }
        for text in exclude { if let message = entries.addExclude(text) { problem("--exclude", message) } }
        for (target, excluded) in entries.conflicts() {
            problem("--exclude", "target \(target) is also excluded by \(excluded): it would never be answered")
        }
        if targets.isEmpty { problem("--proxy", "no targets: give at least one --proxy ADDRESS[/LENGTH]") }
        var dadPolicy = DADPolicy.ignore
        if let dad {
            if let policy = DADPolicy(rawValue: dad) { dadPolicy = policy } else { problem("--dad", "\"\(dad)\" is not one of: ignore, defend") }
        }
        var selection = SourceSelection.automatic
        if let source {
            if let parsed = SourceSelection(source) { selection = parsed } else {
                problem("--source", "\"\(source)\" is not auto, link-local, target or a unicast IPv6 address")
            }
        }
        var macAddress: MACAddress?
        if let mac {
            if let parsed = MACAddress(mac), !parsed.isMulticast { macAddress = parsed } else {
                problem("--mac", "\"\(mac)\" is not a unicast MAC address")
            }
        }
        var hosts: [IPv6Address] = []
        for text in hostAddresses {
            if let address = IPv6Address(text) { hosts.append(address) } else { problem("--host-address", "\"\(text)\" is not an IPv6 address") }
        }
        guard problems.isEmpty else { throw ConfigurationErrors(problems: problems) }
        return ProxyRule(interface: interface, targets: entries.targets, exclude: entries.exclude, router: router,
                         override: override, dad: dadPolicy, source: selection, mac: macAddress, hostAddresses: hosts)
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
