import NDPWire

/// Evidence about one address, read from a frame captured on a guest interface (ARCHITECTURE.md,
/// "Live guests": where the evidence comes from). Evidence counts only when:
/// - the frame is a Neighbor Solicitation that passes RFC 4861 §7.1.1, or a Neighbor
///   Advertisement that passes §7.1.2;
/// - its address is inside a prefix of the rule's targets (exact targets are answered without
///   evidence), not excluded, not a reserved anycast address of the prefix, not link-local and
///   not the host's own;
/// - it comes from a guest: neither the frame's sender nor the advertised link-layer address is
///   the host's MAC (the host's own frames, ndpd's probes included, are captured too) or one
///   learned behind the uplink port.
public struct GuestSighting: Sendable, Equatable {
    /// The address the evidence is about.
    public var target: IPv6Address
    /// The evidence.
    public var evidence: GuestEvidence

    /// Creates a sighting from its fields.
    public init(target: IPv6Address, evidence: GuestEvidence) {
        self.target = target
        self.evidence = evidence
    }

    /// The evidence in `frame` (of link type `linkType`) for `rule` on the host's `interface`
    /// (its MAC and addresses on the guest side); nil for any frame that holds none.
    /// `isUpstream` says whether a MAC was learned behind the uplink port (bridge FDB); a frame
    /// without link-layer addresses (a raw-IP capture in replay) cannot be told apart and counts.
    public init?(
        frame: Span<UInt8>, linkType: LinkType, rule: ProxyRule, interface: InterfaceFacts,
        isUpstream: (MACAddress) -> Bool = { _ in false }
    ) {
        let sighting: GuestSighting?
        do throws(SolicitationFrameError) {
            let solicitation = try NeighborSolicitation(decoding: frame, linkType: linkType)
            sighting = GuestSighting(
                solicitation: solicitation, rule: rule, interface: interface, isUpstream: isUpstream)
        } catch {
            sighting = GuestSighting(
                advertisementIn: frame, linkType: linkType, notSolicitation: error, rule: rule, interface: interface,
                isUpstream: isUpstream)
        }
        guard let sighting else { return nil }
        self = sighting
    }

    /// The evidence in a validated solicitation: a DAD probe's target is tentative at its sender
    /// (RFC 4862 §5.4.2: no SLLA, the sender is the frame's source); otherwise the sender uses
    /// its source address, at its SLLA (RFC 4861 §7.2.3), else at the frame's source. The engine
    /// calls this with the solicitation it decodes anyway, so an upstream NS is decoded once.
    public init?(
        solicitation: NeighborSolicitation, rule: ProxyRule, interface: InterfaceFacts,
        isUpstream: (MACAddress) -> Bool = { _ in false }
    ) {
        let sender = solicitation.linkLayerSource
        if solicitation.isDuplicateAddressDetection {
            self.init(
                target: solicitation.targetAddress, evidence: .duplicateAddressProbe(sender), sender: sender,
                claimed: sender, rule: rule, interface: interface, isUpstream: isUpstream)
        } else {
            let claimed = solicitation.sourceLinkLayerAddress ?? sender
            self.init(
                target: solicitation.source, evidence: .solicitation(claimed), sender: sender, claimed: claimed,
                rule: rule, interface: interface, isUpstream: isUpstream)
        }
    }

    /// The evidence in a frame that `error` says is no valid solicitation: a Neighbor
    /// Advertisement that passes RFC 4861 §7.1.2 says its target is at its TLLA; anything else
    /// holds none.
    public init?(
        advertisementIn frame: Span<UInt8>, linkType: LinkType, notSolicitation error: SolicitationFrameError,
        rule: ProxyRule, interface: InterfaceFacts, isUpstream: (MACAddress) -> Bool = { _ in false }
    ) {
        guard case .notSolicitation(NDMessageType.neighborAdvertisement.rawValue) = error,
            let advertisement = try? ReceivedAdvertisement(decoding: frame, linkType: linkType)
        else { return nil }
        self.init(
            target: advertisement.targetAddress, evidence: .advertisement(advertisement.linkLayerAddress),
            sender: advertisement.linkLayerSource, claimed: advertisement.linkLayerAddress, rule: rule,
            interface: interface, isUpstream: isUpstream)
    }

    /// `evidence` about `target`, if it counts: from a guest (`sender`, the frame's source, and
    /// `claimed`, the address it gives, are neither the host's MAC nor multicast nor upstream),
    /// for an address a guest may hold.
    private init?(
        target: IPv6Address, evidence: GuestEvidence, sender: MACAddress?, claimed: MACAddress?, rule: ProxyRule,
        interface: InterfaceFacts, isUpstream: (MACAddress) -> Bool
    ) {
        func isGuest(_ mac: MACAddress?) -> Bool {
            guard let mac else { return true }
            return mac != interface.mac && !mac.isMulticast && !isUpstream(mac)
        }
        guard isGuest(sender), isGuest(claimed), Self.isGuestAddress(target, rule: rule, interface: interface) else {
            return nil
        }
        self.init(target: target, evidence: evidence)
    }

    /// True when `target` is an address a guest of a live prefix of `rule` may hold: inside a
    /// target prefix, not excluded, not that prefix's Subnet-Router or reserved anycast address
    /// (RFC 4291 §2.6.1, RFC 2526), not link-local, and not one of the host's.
    public static func isGuestAddress(_ target: IPv6Address, rule: ProxyRule, interface: InterfaceFacts) -> Bool {
        guard !target.isUnspecified, !target.isMulticast, !target.isLinkLocal,
            !interface.addresses.contains(target),
            let prefix = rule.targets.longestPrefix(containing: target), prefix.length < 128,
            anycastReason(target, in: prefix) == nil
        else { return false }
        return rule.exclude.isEmpty || !rule.exclude.contains(target)
    }
}
