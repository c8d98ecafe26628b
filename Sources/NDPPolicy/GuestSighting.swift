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
        let target: IPv6Address
        let evidence: GuestEvidence
        let sender: MACAddress?
        let claimed: MACAddress?
        do throws(SolicitationFrameError) {
            let solicitation = try NeighborSolicitation(decoding: frame, linkType: linkType)
            sender = solicitation.linkLayerSource
            if solicitation.isDuplicateAddressDetection {
                // RFC 4862 §5.4.2: a DAD probe carries the tentative address as its target and
                // no SLLA; its sender is the frame's source.
                target = solicitation.targetAddress
                claimed = sender
                evidence = .duplicateAddressProbe(sender)
            } else {
                // The guest uses its source address: it is at its SLLA (RFC 4861 §7.2.3), else at
                // the frame's source.
                target = solicitation.source
                claimed = solicitation.sourceLinkLayerAddress ?? sender
                evidence = .solicitation(claimed)
            }
        } catch {
            guard case .notSolicitation(NDMessageType.neighborAdvertisement.rawValue) = error,
                let advertisement = try? ReceivedAdvertisement(decoding: frame, linkType: linkType)
            else { return nil }
            target = advertisement.targetAddress
            sender = advertisement.linkLayerSource
            claimed = advertisement.linkLayerAddress
            evidence = .advertisement(claimed)
        }
        func isGuest(_ mac: MACAddress?) -> Bool {
            guard let mac else { return true }
            return mac != interface.mac && !mac.isMulticast && !isUpstream(mac)
        }
        guard isGuest(sender), isGuest(claimed) else { return nil }
        guard Self.isGuestAddress(target, rule: rule, interface: interface) else { return nil }
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
