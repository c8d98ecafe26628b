import ArgumentParser
import Logging
import NDPDaemon
import NDPIO
import NDPPolicy
import NDPVersion

/// `ndpd`: the daemon, `--replay`, and `check`.
struct NDPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ndpd",
        abstract: "Answer IPv6 Neighbor Solicitations for proxied guest addresses and prefixes.",
        discussion: """
            Daemon:  ndpd --config /etc/ndpd/ndpd.toml
                     ndpd --interface br0 --proxy 2001:db8:0:96ce::/64 --proxy 2001:db8:0:96ff:ff:ff:ff:ff
            Replay:  ndpd --replay capture.pcap [--config F | --proxy T ...] [--write out.pcap] [--json]
            Check:   ndpd check --config F
            Import:  ndpd import /etc/ndppd.conf > ndpd.toml
            Control: ndpd status [--json]; ndpd reload
            """,
        version: NDPVersion.line,
        subcommands: [Check.self, Import.self, Status.self, Reload.self])

    @OptionGroup var configFile: ConfigFileOption
    var config: String? { configFile.config }

    @OptionGroup var flags: RuleFlags

    @Option(
        name: .long, help: ArgumentHelp("Replay a pcap/pcapng capture instead of listening.", valueName: "capture"),
        completion: .file(extensions: ["pcap", "pcapng", "cap"]))
    var replay: String?

    @Option(
        name: .long, help: ArgumentHelp("Replay: write the advertisements to this pcap.", valueName: "out.pcap"),
        completion: .file(extensions: ["pcap"]))
    var write: String?

    @OptionGroup var jsonOption: JSONOption
    var json: Bool { jsonOption.json }

    @Flag(name: .long, help: "Replay: print only the summary.")
    var quiet = false

    @Flag(name: .long, help: "Replay: also list ND messages other than solicitations.")
    var all = false

    @Option(
        name: .customLong("metrics-file"),
        help: ArgumentHelp(
            "Daemon: write the counters there every 5 s, Prometheus text format (atomic rename).", valueName: "path"),
        completion: .file(extensions: ["prom"]))
    var metricsFile: String?

    @Option(
        name: .customLong("control-socket"),
        help: ArgumentHelp(
            "Daemon: answer ndpd status and ndpd reload on this Unix socket (default \(ControlDefaults.socketPath)); none: no socket.",
            valueName: "path"), completion: .file())
    var controlSocket: String = ControlDefaults.socketPath

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "Daemon: trace, debug (one line per solicitation), info (default), notice, warning, error, critical.",
            valueName: "level"),
        completion: .list(["trace", "debug", "info", "notice", "warning", "error", "critical"]))
    var logLevel: String = "info"

    mutating func run() throws {
        guard let capture = replay else {
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw ValidationError(
                    "--log-level: \"\(logLevel)\" is not one of trace, debug, info, notice, warning, error, critical")
            }
            let rules = try loadRules(requireSomething: true)
            var options = DaemonOptions()
            options.configPath = config
            options.metricsPath = metricsFile
            options.controlPath = controlSocket == "none" ? nil : controlSocket
            options.logLevel = level
            throw ExitCode(Daemon.run(rules: rules, options: options))
        }
        var rules = try loadRules(requireSomething: false)
        if rules.isEmpty {
            standardError(
                "ndpd: no --config or --proxy: replaying with the built-in demo configuration "
                    + "(br0, mac 02:00:00:00:00:01, targets 2001:db8:0:96ce::/64 and 2001:db8:0:96ff:ff:ff:ff:ff, "
                    + "host address 2001:db8:0:96ce::1)")
            rules = [CommandLineRule.demo]
        }
        let rule = flags.interface.flatMap { name in rules.first { $0.interface == name } } ?? rules[0]
        var options = ReplayOptions(capturePath: capture)
        options.writePath = write
        options.json = json
        options.quiet = quiet
        options.allMessages = all
        let status = Replay.run(rule: rule, options: options, output: { print($0) }, errors: standardError)
        throw ExitCode(status)
    }

    /// The rules from `--config`, or from the flags; empty if neither was given.
    func loadRules(requireSomething: Bool) throws -> [ProxyRule] {
        if let config {
            guard flags.proxy.isEmpty else {
                throw ValidationError("give either --config or --proxy flags, not both")
            }
            do {
                return try ConfigurationLoader.load(path: config).proxies
            } catch {
                standardError(error.description)
                throw ExitCode(ExitStatus.damagedInput)
            }
        }
        if flags.proxy.isEmpty {
            if requireSomething {
                throw ValidationError("nothing to do: give --config FILE, or --interface and --proxy")
            }
            return []
        }
        let commandLine = try flags.commandLineRule(defaultInterface: replay == nil ? nil : "replay")
        do {
            return [try commandLine.build()]
        } catch {
            standardError(error.description)
            throw ExitCode(ExitStatus.damagedInput)
        }
    }
}

/// `--config FILE`, shared by the root command and `check` (one option, one parsed value).
struct ConfigFileOption: ParsableArguments {
    @Option(name: .long, help: "The TOML configuration file.", completion: .file(extensions: ["toml"]))
    var config: String?
}

/// `--json`, shared by the root command (replay) and `status`: one declaration, so that a
/// `--json` after `status` is not claimed by the root.
struct JSONOption: ParsableArguments {
    @Flag(name: .long, help: "JSON: replay writes one object per solicitation then a summary; status one object.")
    var json = false
}

/// The flags that build a rule without a file.
struct RuleFlags: ParsableArguments {
    // Interface names complete from the system's interfaces, read when the shell completes.
    @Option(
        name: .long, help: "The interface to serve (daemon), or the block to use (replay).",
        completion: .shellCommand("ls /sys/class/net"))
    var interface: String?

    @Option(
        name: .long,
        help: ArgumentHelp("A target address or prefix to answer for (repeatable).", valueName: "addr[/len]"))
    var proxy: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("An address or prefix never to answer for (repeatable).", valueName: "addr[/len]"))
    var exclude: [String] = []

    @Flag(name: .long, inversion: .prefixedNo, help: "Set the R (router) flag in answers.")
    var router = true

    @Flag(name: .long, help: "Set the O (override) flag in answers.")
    var override = false

    @Option(name: .long, help: "DAD probes: ignore (default) or defend.", completion: .list(["ignore", "defend"]))
    var dad: String?

    @Option(
        name: .long, help: "IPv6 source of answers: auto, link-local, target, or an address.",
        completion: .list(["auto", "link-local", "target"]))
    var source: String?

    @Option(name: .long, help: "Replay: the interface MAC (default 02:00:00:00:00:01).")
    var mac: String?

    @Option(
        name: .customLong("host-address"),
        help: ArgumentHelp("Replay: an address of the host itself (repeatable).", valueName: "addr"))
    var hostAddresses: [String] = []

    @Option(
        name: .long,
        help: "static (default): answer every address of a target prefix; live: only the guests that exist.",
        completion: .list(["static", "live"]))
    var mode: String?

    @Option(
        name: .customLong("guest-interface"),
        help: ArgumentHelp(
            "Live mode: an interface the guests are on (repeatable; default the --interface), or routes.",
            valueName: "name"),
        completion: .shellCommand("ls /sys/class/net"))
    var guestInterfaces: [String] = []

    @Option(
        name: .customLong("uplink-port"),
        help: ArgumentHelp(
            "Live mode, bridged: the bridge port towards the router (MACs behind it are no guests).", valueName: "name"),
        completion: .shellCommand("ls /sys/class/net"))
    var uplinkPort: String?

    // Not `--live`: `ndpd status --live` is the status command's flag, and the root command's
    // options are parsed after a subcommand too.
    @Option(
        name: .customLong("live-setting"),
        help: ArgumentHelp(
            "Live mode: a [proxy.live] setting, e.g. reachable=30s, probes=3 (repeatable).", valueName: "key=value"))
    var live: [String] = []

    func commandLineRule(defaultInterface: String?) throws -> CommandLineRule {
        guard let name = interface ?? defaultInterface else {
            throw ValidationError("--proxy needs --interface")
        }
        var rule = CommandLineRule(interface: name)
        rule.targets = proxy
        rule.exclude = exclude
        rule.router = router
        rule.override = override
        rule.dad = dad
        rule.source = source
        rule.mac = mac
        rule.hostAddresses = hostAddresses
        rule.mode = mode
        rule.guestInterfaces = CommandLineRule.guestInterfaces(flags: guestInterfaces)
        rule.uplinkPort = uplinkPort
        if !live.isEmpty {
            guard let table = CommandLineRule.liveTable(flags: live) else {
                throw ValidationError("--live-setting takes KEY=VALUE, e.g. --live-setting reachable=30s")
            }
            rule.live = table
        }
        return rule
    }
}

/// `ndpd check --config F`: validate, list every problem, exit non-zero if any.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate a configuration file and list every problem.")

    // The same option group as the root command's: a `--config` after `check` would otherwise
    // be claimed by the root and leave this one missing.
    @OptionGroup var configFile: ConfigFileOption

    func run() throws {
        guard let config = configFile.config else { throw ValidationError("check needs --config FILE") }
        do {
            let configuration = try ConfigurationLoader.load(path: config)
            for rule in configuration.proxies {
                print(
                    "\(config): [[proxy]] \(rule.interface): \(rule.targets.exactCount) addresses, "
                        + "\(rule.targets.prefixCount) prefixes, \(rule.exclude.exactCount + rule.exclude.prefixCount) excluded, "
                        + "router=\(rule.router) override=\(rule.override) dad=\(rule.dad.rawValue) source=\(rule.source)"
                        + " mode=\(rule.mode.rawValue)" + (rule.mode == .live ? " \(Self.liveSummary(rule))" : ""))
            }
            print("\(config): OK")
        } catch {
            standardError(error.description)
            standardError("\(config): \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s")")
            throw ExitCode(ExitStatus.invalidConfiguration)
        }
    }
}

extension Check {
    /// The live-mode settings of `rule` as `ndpd check` prints them.
    static func liveSummary(_ rule: ProxyRule) -> String {
        let guests: String
        switch rule.guestInterfaces {
        case .routes: guests = "routes"
        case .named(let names): guests = names.joined(separator: ",")
        }
        let live = rule.live
        return "guest-interfaces=\(guests)" + (rule.uplinkPort.map { " uplink-port=\($0)" } ?? "")
            + " reachable=\(LiveSettings.text(of: live.reachable)) idle=\(LiveSettings.text(of: live.idle))"
            + " probes=\(live.probes) probe-interval=\(LiveSettings.text(of: live.probeInterval))"
            + " negative=\(LiveSettings.text(of: live.negative)) max-entries=\(live.maxEntries)"
            + " max-probing=\(live.maxProbing) probe-rate=\(live.probeRate)"
    }
}

func standardError(_ text: String) { writeStandardError(text) }
