import NDPWire

/// A field of a proxy rule. Each front end names it in its own way: `proxy[1].mac` in TOML,
/// `--mac` on the command line.
public enum RuleField: Sendable, Hashable, CaseIterable {
    /// `interface`, `--interface`.
    case interface
    /// `targets` (and `targets-file`), `--proxy`.
    case targets
    /// `exclude`, `--exclude`.
    case exclude
    /// `dad`, `--dad`.
    case dad
    /// `source`, `--source`.
    case source
    /// `mac`, `--mac`.
    case mac
    /// `host-addresses`, `--host-address`.
    case hostAddresses
    /// `mode`, `--mode`.
    case mode
    /// `guest-interfaces`, `--guest-interface`.
    case guestInterfaces
    /// `uplink-port`, `--uplink-port`.
    case uplinkPort
    /// The `[proxy.live]` table, `--live-setting KEY=VALUE`.
    case live
}

/// `guest-interfaces` as written: a list of interface names, or a word (only `"routes"` is one).
public enum GuestInterfacesText: Sendable, Equatable {
    /// A list of interface names.
    case names([String])
    /// A single word instead of a list.
    case word(String)
}

/// One proxy rule as text, as a `[[proxy]]` block or the command-line flags (`CommandLineRule`)
/// give it once their syntax is read (TOML types, flags), before any value is checked.
public struct RuleText: Sendable {
    /// The interface name; nil when the front end found none it could use (it says why).
    public var interface: String?
    /// The targets; nil when none were given at all (no `targets` key, no `--proxy`).
    public var targets: [String]?
    /// The targets-file as written, and the path it is read from.
    public var targetsFile: (name: String, path: String)?
    /// Addresses and prefixes never answered.
    public var exclude: [String] = []
    /// The R flag.
    public var router = true
    /// The O flag.
    public var override = false
    /// `ignore` or `defend`; nil for the default.
    public var dad: String?
    /// `auto`, `link-local`, `target` or an address; nil for the default.
    public var source: String?
    /// The replay MAC; nil for the default.
    public var mac: String?
    /// The host's own addresses.
    public var hostAddresses: [String] = []
    /// Whether unsolicited advertisements are sent (off unless asked for: README, "Unsolicited
    /// advertisements and DAD").
    public var unsolicitedAdvertisements = false
    /// `static` or `live`; nil for the default (`static`).
    public var mode: String?
    /// Where live guests are; nil for the default (the rule's interface).
    public var guestInterfaces: GuestInterfacesText?
    /// The bridge port towards the upstream router; nil for none.
    public var uplinkPort: String?
    /// The `[proxy.live]` keys and values, in the order given; nil when the table is absent.
    public var live: [(key: String, value: LiveSettings.Value)]?

    /// A rule for `interface` with every other field at its default.
    public init(interface: String?) { self.interface = interface }
}

/// The one place that decides whether a rule's values are acceptable, behind both the TOML
/// loader and the command-line flags, so that the two accept and refuse the same values with
/// the same words (README, "Configuration").
public enum RuleValidator {
    /// Checks every field of `text` and builds the rule, or returns nil. `file` names the
    /// configuration (its path, or `command line`).
    ///
    /// Each problem goes to `report` with its field, the offending value when there is one (the
    /// TOML loader finds its line by it) and the message; every field is checked, not only up to
    /// the first problem. A targets-file's problems carry their own file and line, and go to
    /// `reportFile`. Returns nil when anything was reported, or when `text.interface` is nil.
    public static func validate(
        _ text: RuleText, file: String,
        report: (_ field: RuleField, _ value: String?, _ message: String) -> Void,
        reportFile: (ConfigurationProblem) -> Void
    ) -> ProxyRule? {
        var valid = true
        func problem(_ field: RuleField, _ value: String?, _ message: String) {
            valid = false
            report(field, value, message)
        }
        /// `value` read by `parse`; `absent` when there is no value, and a problem ("VALUE
        /// `refusal`") and `absent` when `parse` refuses it.
        func parsed<Value>(
            _ value: String?, _ field: RuleField, absent: Value, refusal: String, _ parse: (String) -> Value?
        ) -> Value {
            guard let value else { return absent }
            if let parsed = parse(value) { return parsed }
            problem(field, value, "\"\(value)\" \(refusal)")
            return absent
        }
        if let interface = text.interface, !InterfaceName.isValid(interface) {
            problem(.interface, interface, "\"\(interface)\" is not a valid interface name")
        }

        var entries = TargetEntries(file: file)
        for target in text.targets ?? [] {
            if let message = entries.addTarget(target) { problem(.targets, target, message) }
        }
        if let file = text.targetsFile {
            for fileProblem in entries.addTargetsFile(path: file.path) {
                valid = false
                reportFile(fileProblem)
            }
        }
        for excluded in text.exclude {
            if let message = entries.addExclude(excluded) { problem(.exclude, excluded, message) }
        }
        for (target, excluded) in entries.conflicts() {
            problem(
                .exclude, nil,
                "target \(target) is also excluded by \(excluded): it would never be answered; remove one")
        }
        if text.targets == nil && text.targetsFile == nil {
            problem(.targets, nil, "no targets: give at least one address or prefix to answer for")
        }

        let dad = parsed(text.dad, .dad, absent: DADPolicy.ignore, refusal: "is not one of: ignore, defend") {
            DADPolicy(rawValue: $0)
        }
        let source = parsed(
            text.source, .source, absent: SourceSelection.automatic,
            refusal: "is not auto, link-local, target or a unicast IPv6 address"
        ) { SourceSelection($0) }
        // The interface's own MAC is the Ethernet source and TLLA of every answer: a group
        // address (I/G bit set, IEEE 802 §8.2) or all zeros is no station's.
        var mac: MACAddress?
        if let value = text.mac {
            if let parsed = MACAddress(value), !parsed.isMulticast, parsed.rawValue != 0 {
                mac = parsed
            } else {
                problem(.mac, value, "\"\(value)\" is not a unicast MAC address (aa:bb:cc:dd:ee:ff)")
            }
        }
        // An interface holds unicast addresses only (RFC 4291 §2.7: a multicast address is never
        // a source; §2.5.2: `::` is never assigned).
        var hostAddresses: [IPv6Address] = []
        for value in text.hostAddresses {
            if let address = IPv6Address(value), !address.isMulticast, !address.isUnspecified {
                hostAddresses.append(address)
            } else {
                problem(.hostAddresses, value, "\"\(value)\" is not a unicast IPv6 address")
            }
        }

        let mode = parsed(text.mode, .mode, absent: ProxyMode.static, refusal: "is not one of: static, live") {
            ProxyMode(rawValue: $0)
        }
        // The live-mode keys mean nothing in static mode: a block that sets them without
        // `mode = "live"` was most likely meant to be live, so it is refused rather than read
        // as static (ARCHITECTURE.md, "Live guests").
        let onlyLive = "applies only in live mode: set mode = \"live\" (--mode live)"
        var guests: GuestInterfaces?
        switch text.guestInterfaces {
        case nil:
            break
        case .word(let word):
            if word == "routes" {
                guests = .routes
            } else {
                problem(.guestInterfaces, word, "\"\(word)\" is neither a list of interfaces nor \"routes\"")
            }
        case .names(let names):
            if names.isEmpty { problem(.guestInterfaces, nil, "no interfaces: give at least one, or \"routes\"") }
            var seen: Set<String> = []
            for name in names {
                if !InterfaceName.isValid(name) {
                    problem(.guestInterfaces, name, "\"\(name)\" is not a valid interface name")
                } else if !seen.insert(name).inserted {
                    problem(.guestInterfaces, name, "\"\(name)\" is listed twice")
                }
            }
            guests = .named(names)
        }
        if text.guestInterfaces != nil, mode != .live { problem(.guestInterfaces, nil, onlyLive) }
        if let port = text.uplinkPort {
            if !InterfaceName.isValid(port) { problem(.uplinkPort, port, "\"\(port)\" is not a valid interface name") }
            if mode != .live { problem(.uplinkPort, nil, onlyLive) }
        }
        var live = LiveSettings()
        if let table = text.live {
            for (key, value) in table {
                if let message = live.set(key, to: value) { problem(.live, key, message) }
            }
            // `problems()` words each one `key: message`: the key locates it.
            for message in live.problems() {
                problem(.live, String(message.prefix { $0 != ":" }), message)
            }
            if mode != .live { problem(.live, nil, onlyLive) }
        }

        guard valid, let interface = text.interface else { return nil }
        return ProxyRule(
            interface: interface, targets: entries.targets, exclude: entries.exclude,
            router: text.router, override: text.override, dad: dad, source: source, mac: mac,
            hostAddresses: hostAddresses, unsolicitedAdvertisements: text.unsolicitedAdvertisements,
            targetsFile: text.targetsFile?.name, mode: mode, guestInterfaces: guests, uplinkPort: text.uplinkPort,
            live: live)
    }
}

/// Interface names as Linux accepts them (IFNAMSIZ - 1 bytes, no '/', ':' or whitespace).
enum InterfaceName {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 15 && name != "." && name != ".."
            && !name.contains { $0 == "/" || $0 == ":" || $0.isWhitespace }
    }
}
