import NDPWire

/// What the engine knows about an interface: read from the system live, from the config in replay.
public struct InterfaceFacts: Sendable, Equatable {
    /// The interface name.
    public var name: String
    /// Its MAC: the TLLA of every answer and the Ethernet source.
    public var mac: MACAddress {
        didSet { linkLocal = Self.linkLocal(addresses, mac) }
    }
    /// Every IPv6 address it holds, link-local included: the host's own, never proxied.
    public var addresses: [IPv6Address] {
        didSet { linkLocal = Self.linkLocal(addresses, mac) }
    }
    /// The interface's link-local address (its own, else the EUI-64 one of its MAC). Kept with
    /// the facts rather than searched for on every answer.
    public private(set) var linkLocal: IPv6Address

    /// Creates the facts.
    public init(name: String, mac: MACAddress, addresses: [IPv6Address]) {
        self.name = name
        self.mac = mac
        self.addresses = addresses
        self.linkLocal = Self.linkLocal(addresses, mac)
    }

    private static func linkLocal(_ addresses: [IPv6Address], _ mac: MACAddress) -> IPv6Address {
        addresses.first(where: \.isLinkLocal) ?? IPv6Address.linkLocal(for: mac)
    }

    /// The facts replay uses for `rule`: its `mac` (or the default), the link-local address
    /// derived from it, and its `host-addresses`.
    public static func replay(_ rule: ProxyRule) -> InterfaceFacts {
        let mac = rule.mac ?? ProxyRule.defaultReplayMAC
        return InterfaceFacts(
            name: rule.interface, mac: mac,
            addresses: [IPv6Address.linkLocal(for: mac)] + rule.hostAddresses)
    }

    /// The global address sharing the longest prefix with `peer` (RFC 6724 rule 8), if any.
    public func globalAddress(closestTo peer: IPv6Address) -> IPv6Address? {
        var best: IPv6Address?
        var bestLength = -1
        for address in addresses where !address.isLinkLocal && !address.isMulticast && !address.isUnspecified {
            let length = commonPrefixLength(address, peer)
            if length > bestLength {
                best = address
                bestLength = length
            }
        }
        return best
    }

    private func commonPrefixLength(_ a: IPv6Address, _ b: IPv6Address) -> Int {
        let high = a.high ^ b.high
        return high != 0 ? high.leadingZeroBitCount : 64 + (a.low ^ b.low).leadingZeroBitCount
    }
}

/// Why a valid solicitation is not answered. `rawValue` is the stable word of logs and JSON.
public enum IgnoreReason: String, Sendable, CaseIterable {
    /// Sent by this host itself (its MAC or one of its addresses): seen in captures that hold
    /// both directions (replay of `tcpdump -i any`), never worth an answer.
    case fromSelf = "from-self"
    /// Target `::`.
    case unspecifiedTarget = "unspecified-target"
    /// Target in fe80::/10: link-local addresses are each host's own business.
    case linkLocalTarget = "link-local-target"
    /// The host's own address: its kernel answers for it.
    case ownAddress = "own-address"
    /// Listed in `exclude`.
    case excluded
    /// The Subnet-Router anycast address of a proxied prefix (RFC 4291 §2.6.1).
    case subnetRouterAnycast = "subnet-router-anycast"
    /// A reserved subnet anycast address of a proxied prefix (RFC 2526).
    case reservedAnycast = "reserved-anycast"
    /// Not among the targets.
    case notConfigured = "not-configured"
    /// A DAD probe: never answered with `dad = "ignore"`, nor when no owner is known yet.
    case dad
    /// `dad = "defend"`, and the probe comes from the address's known owner.
    case dadFromOwner = "dad-from-owner"
    // Live mode only (ARCHITECTURE.md, "Live guests"): checked after every reason above, for an
    // address of a target prefix that static mode would answer.
    /// `guest-interfaces = "routes"`, and no kernel route leads to the target on a guest side
    /// (no route, or one back out of the rule's interface).
    case noGuestRoute = "no-guest-route"
    /// A guest's DAD for the address runs: an answer would take the address from it
    /// (RFC 4862 §5.4.3).
    case tentative
    /// The address answered no probe lately (INVALID), or stopped answering while solicitors
    /// waited.
    case notLive = "not-live"
    /// Being probed, and `GuestNeighborCache.queueLimit` solicitors wait already: the first
    /// answer will serve this solicitor's router too.
    case queueFull = "queue-full"
    /// Unknown, and no probe may start: the probe budget is spent, or `max-probing`
    /// addresses are being probed already.
    case probeLimit = "probe-limit"
}

/// The outcome for one Neighbor Solicitation.
public enum Decision: Sendable, Equatable {
    /// Send this advertisement.
    case answer(NeighborAdvertisement)
    /// A valid solicitation ndpd does not answer, and why.
    case ignore(IgnoreReason)
    /// A solicitation that fails RFC 4861 §7.1.1 / RFC 6980, and which check.
    case invalid(NDRejection)

    /// "answer", "ignore" or "invalid".
    public var word: String {
        switch self {
        case .answer: return "answer"
        case .ignore: return "ignore"
        case .invalid: return "invalid"
        }
    }

    /// The reason word; nil for an answer.
    public var reason: String? {
        switch self {
        case .answer: return nil
        case .ignore(let reason): return reason.rawValue
        case .invalid(let rejection): return rejection.reason
        }
    }
}

/// Decides what to do with a validated solicitation on an interface governed by `rule`.
///
/// Pure: the same inputs give the same decision. `knownOwner` is the MAC the target was last
/// seen using (from `OwnerTable`); it matters only to `dad = "defend"`.
///
/// Checks run in a fixed order, so each solicitation gets exactly one documented reason:
/// from self, unspecified, link-local, own address, excluded, anycast, not configured, then DAD.
// Inlinable: inlined into the engine's loop, the compiler builds in place only what the caller
// reads of the decision (replay --quiet reads none of the advertisement).
@inlinable @inline(__always)
public func decide(
    _ solicitation: NeighborSolicitation, rule: ProxyRule, interface: InterfaceFacts,
    knownOwner: MACAddress?
) -> Decision {
    if solicitation.linkLayerSource == interface.mac || solicitation.sourceLinkLayerAddress == interface.mac
        || (!solicitation.source.isUnspecified && interface.addresses.contains(solicitation.source))
    {
        return .ignore(.fromSelf)
    }
    let target = solicitation.targetAddress
    if target.isUnspecified { return .ignore(.unspecifiedTarget) }
    if target.isLinkLocal { return .ignore(.linkLocalTarget) }
    if interface.addresses.contains(target) { return .ignore(.ownAddress) }
    if !rule.exclude.isEmpty && rule.exclude.contains(target) { return .ignore(.excluded) }

    let prefix = rule.targets.longestPrefix(containing: target)
    if let prefix, let reason = anycastReason(target, in: prefix) { return .ignore(reason) }
    guard prefix != nil || rule.targets.containsExact(target) else { return .ignore(.notConfigured) }

    if solicitation.isDuplicateAddressDetection {
        // RFC 4862 §5.4.3: answering a probe makes the prober give the address up. By default
        // the guest's own probe must succeed; "defend" fails only an impostor's.
        guard rule.dad == .defend, let owner = knownOwner else { return .ignore(.dad) }
        // A probe whose sender cannot be seen (a raw-IP capture) cannot be told apart: leave it.
        guard let prober = solicitation.linkLayerSource else { return .ignore(.dad) }
        guard prober != owner else { return .ignore(.dadFromOwner) }
    }

    return .answer(
        NeighborAdvertisement(
            answering: solicitation, interfaceMAC: interface.mac,
            source: advertisementSource(for: target, to: solicitation.source, rule: rule, interface: interface),
            router: rule.router, override: rule.override))
}

/// The unsolicited advertisement of `target` for the upstream router at `router` (RFC 4861
/// §7.2.6): to all-nodes with S = 0, R and O as configured, built by the same constructor and
/// with the same source selection as every answer. It goes to the router's MAC only, never to
/// the all-nodes group: on a bridge the group reaches every port, the guest that holds
/// `target` included, and an NA for an address whose DAD runs makes it `dadfailed` (RFC 4862
/// §5.4.5). README's "Running as a service" states the rule.
public func announcement(
    of target: IPv6Address, to router: MACAddress, rule: ProxyRule,
    interface: InterfaceFacts
) -> NeighborAdvertisement {
    NeighborAdvertisement(
        advertising: target, to: .allNodes(linkLayer: router), interfaceMAC: interface.mac,
        source: advertisementSource(for: target, to: .allNodes, rule: rule, interface: interface),
        router: rule.router, override: rule.override)
}

/// The IPv6 source of an advertisement of `target` sent to `peer`, as the rule's `source`
/// says. `auto` is the kernel's choice: an interface address of the peer's scope (RFC 6724
/// §5 rule 2), so a global one closest to a global solicitor, else the link-local address
/// (a link-local solicitor, a DAD probe's `::`, the link-scoped all-nodes group).
@inlinable
public func advertisementSource(
    for target: IPv6Address, to peer: IPv6Address, rule: ProxyRule,
    interface: InterfaceFacts
) -> IPv6Address {
    switch rule.source {
    case .automatic:
        if !peer.isLinkLocal && !peer.isUnspecified && !peer.isMulticast,
            let global = interface.globalAddress(closestTo: peer)
        {
            return global
        }
        return interface.linkLocal
    case .linkLocal: return interface.linkLocal
    case .target: return target
    case .address(let address): return address
    }
}

/// The anycast addresses inside a proxied prefix that are never answered for: the
/// Subnet-Router anycast address (RFC 4291 §2.6.1, interface identifier zero) and the reserved
/// subnet anycast addresses (RFC 2526 §2: the top 128 interface identifiers).
@usableFromInline
func anycastReason(_ target: IPv6Address, in prefix: IPv6Prefix) -> IgnoreReason? {
    if prefix.length <= 64 {
        // A /64 (or shorter) prefix holds /64 subnets with EUI-64-format identifiers:
        // the reserved ones are fdff:ffff:ffff:ff80 ... fdff:ffff:ffff:ffff (RFC 2526 §2).
        if target.low == 0 { return .subnetRouterAnycast }
        if target.low >= 0xFDFF_FFFF_FFFF_FF80 && target.low <= 0xFDFF_FFFF_FFFF_FFFF { return .reservedAnycast }
        return nil
    }
    // Longer prefixes: host bits zero is the Subnet-Router anycast address (except /127 and
    // /128, RFC 6164), and the highest 128 addresses are reserved (RFC 2526 §2, non-EUI-64).
    let hostBits = 128 - prefix.length
    guard hostBits >= 2 else { return nil }
    let host = target.low & (UInt64.max >> UInt64(64 - hostBits))
    if host == 0 { return .subnetRouterAnycast }
    if hostBits > 7 && host >= (UInt64.max >> UInt64(64 - hostBits)) - 127 { return .reservedAnycast }
    return nil
}
