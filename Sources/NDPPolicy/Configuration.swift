import NDPWire

/// What to do with a Duplicate Address Detection probe for a proxied target (RFC 4862 §5.4.3).
public enum DADPolicy: String, Sendable, CaseIterable {
    /// Never answer a DAD probe: a rebooting guest keeps its address (the default).
    case ignore
    /// Answer a probe only when it comes from a MAC other than the address's known owner
    /// (RFC 6957 spirit): an impostor's DAD fails, the owner's succeeds.
    case defend
}

/// Which IPv6 source address an advertisement carries (ARCHITECTURE.md, "Protocol rules").
public enum SourceSelection: Hashable, Sendable, CustomStringConvertible {
    /// An address of the interface of the solicitor's scope: global for a global solicitor,
    /// link-local otherwise (what the kernel does).
    case automatic
    /// Always the interface's link-local address.
    case linkLocal
    /// The target address itself (what some providers' filters and ndisc6 want).
    case target
    /// A fixed address.
    case address(IPv6Address)

    /// Parses the `source` key's value.
    public init?(_ text: String) {
        switch text {
        case "auto": self = .automatic
        case "link-local": self = .linkLocal
        case "target": self = .target
        default:
            guard let address = IPv6Address(text), !address.isMulticast, !address.isUnspecified else { return nil }
            self = .address(address)
        }
    }

    public var description: String {
        switch self {
        case .automatic: return "auto"
        case .linkLocal: return "link-local"
        case .target: return "target"
        case .address(let address): return address.description
        }
    }
}

/// Whether a rule's target prefixes are answered for every address (`static`) or only for the
/// guests known to hold them (`live`; ARCHITECTURE.md, "Live guests").
public enum ProxyMode: String, Sendable, CaseIterable {
    /// Every address of a target prefix is answered (the default).
    case `static`
    /// An address of a target prefix is answered only for a live guest; exact targets at once.
    case live
}

/// Where a live rule's guests are: named interfaces, or the interface of the kernel's route to
/// each target (`"routes"`).
public enum GuestInterfaces: Sendable, Equatable {
    /// These interfaces (by default the rule's own: a bridge whose ports hold the guests).
    case named([String])
    /// The interface of the kernel's IPv6 route to the target.
    case routes
}

/// One `[[proxy]]` block: an interface and the rules for answering on it.
public struct ProxyRule: Sendable {
    /// Where solicitations arrive and advertisements leave.
    public var interface: String
    /// The addresses and prefixes answered for.
    public var targets: TargetTable
    /// Addresses and prefixes never answered for, even inside a target prefix.
    public var exclude: TargetTable
    /// The R flag.
    public var router: Bool
    /// The O flag.
    public var override: Bool
    /// DAD handling.
    public var dad: DADPolicy
    /// IPv6 source selection.
    public var source: SourceSelection
    /// Replay only: the interface's MAC (live mode reads it from the interface).
    public var mac: MACAddress?
    /// Replay only: the host's own addresses on the interface (live mode reads them).
    public var hostAddresses: [IPv6Address]
    /// Send unsolicited advertisements for exact targets at start and reload (RFC 4861 §7.2.6).
    public var unsolicitedAdvertisements: Bool
    /// The targets file this block read, if any (for messages and reload).
    public var targetsFile: String?
    /// `static` or `live`.
    public var mode: ProxyMode
    /// Live mode: where the guests are.
    public var guestInterfaces: GuestInterfaces
    /// Live mode, bridged: the bridge port towards the upstream router; MACs learned behind it
    /// are never a guest's.
    public var uplinkPort: String?
    /// Live mode: the `[proxy.live]` settings.
    public var live: LiveSettings

    /// The MAC used when replaying with no `mac` key.
    public static let defaultReplayMAC = MACAddress(0x02, 0, 0, 0, 0, 0x01)

    /// A block with the documented defaults.
    public init(
        interface: String, targets: TargetTable = TargetTable(), exclude: TargetTable = TargetTable(),
        router: Bool = true, override: Bool = false, dad: DADPolicy = .ignore,
        source: SourceSelection = .automatic, mac: MACAddress? = nil, hostAddresses: [IPv6Address] = [],
        unsolicitedAdvertisements: Bool = false, targetsFile: String? = nil, mode: ProxyMode = .static,
        guestInterfaces: GuestInterfaces? = nil, uplinkPort: String? = nil, live: LiveSettings = LiveSettings()
    ) {
        self.interface = interface
        self.targets = targets
        self.exclude = exclude
        self.router = router
        self.override = override
        self.dad = dad
        self.source = source
        self.mac = mac
        self.hostAddresses = hostAddresses
        self.unsolicitedAdvertisements = unsolicitedAdvertisements
        self.targetsFile = targetsFile
        self.mode = mode
        self.guestInterfaces = guestInterfaces ?? .named([interface])
        self.uplinkPort = uplinkPort
        self.live = live
    }

    /// True when the rule's guest side is its own interface (the bridged case): every guest
    /// interface is `interface`.
    public var isBridged: Bool {
        if case .named(let names) = guestInterfaces { return names.allSatisfy { $0 == interface } }
        return false
    }

    /// True in live mode with `guest-interfaces = "routes"`: the guests are where the kernel's
    /// routes into the target prefixes lead.
    public var followsRoutes: Bool { mode == .live && guestInterfaces == .routes }
}

/// The whole configuration: one rule per interface.
public struct Configuration: Sendable {
    /// The `[[proxy]]` blocks, in file order.
    public var proxies: [ProxyRule]

    /// Creates a configuration from its blocks.
    public init(proxies: [ProxyRule]) { self.proxies = proxies }

    /// The rule for `interface`, if one is configured.
    public func rule(for interface: String) -> ProxyRule? { proxies.first { $0.interface == interface } }
}
