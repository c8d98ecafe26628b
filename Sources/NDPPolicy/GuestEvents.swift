import NDPWire

/// What is known of one guest address in live mode (ARCHITECTURE.md, "Live guests": states).
public enum GuestState: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Asked for from upstream and unknown: probed on the guest side; solicitors wait.
    case probing
    /// Evidence arrived within `reachable`: answered at once.
    case live
    /// `reachable` passed since the last evidence: still answered at once, and re-probed when
    /// asked for (RFC 4861 §7.3.2's STALE, with §7.3.3's probes).
    case stale
    /// A guest's DAD probe for it was seen: never answered, never probed (RFC 4862 §5.4.3).
    case tentative
    /// The probes went unanswered: ignored for `negative`, unless evidence arrives first.
    case invalid

    /// The state's name as logs and metrics labels spell it.
    public var description: String {
        switch self {
        case .probing: return "probing"
        case .live: return "live"
        case .stale: return "stale"
        case .tentative: return "tentative"
        case .invalid: return "invalid"
        }
    }
}

/// The state of a kernel neighbour entry on a guest interface, as RTNLGRP_NEIGH reports it
/// (Linux's NUD states; RFC 4861 §7.3.2 names the first five).
public enum KernelNeighborState: Sendable, Equatable {
    /// Address resolution under way: no evidence either way.
    case incomplete
    /// Confirmed reachable lately.
    case reachable
    /// Not confirmed lately; the kernel verifies it only when it sends to it.
    case stale
    /// Waiting to probe after sending to a STALE entry.
    case delay
    /// Being probed with unicast solicitations.
    case probe
    /// Configured by hand: never expires.
    case permanent
    /// Resolution or probing failed.
    case failed
    /// The entry was deleted (RTM_DELNEIGH).
    case deleted
}

/// A sign that a guest holds an address (ARCHITECTURE.md, "Live guests": evidence). The caller has
/// already checked that the frame is valid (RFC 4861 §7.1), that the address is inside a live
/// prefix and not excluded nor the host's, and that `mac` is a guest's (neither the host's nor
/// one learned behind the uplink port).
public enum GuestEvidence: Sendable, Equatable {
    /// A Neighbor Advertisement for the address from `mac` (the TLLA, else the frame's source):
    /// the answer to a probe, or any other.
    case advertisement(MACAddress?)
    /// A Neighbor Solicitation whose source is the address, from `mac`: the guest resolving
    /// a neighbour (its gateway, most often) with it.
    case solicitation(MACAddress?)
    /// A DAD probe for the address (source `::`, RFC 4862 §5.4.2) from `mac`.
    case duplicateAddressProbe(MACAddress?)
    /// The kernel's neighbour entry for the address on a guest interface, at `mac`.
    case kernel(KernelNeighborState, MACAddress?)
}

/// A probe to send now on the guest side: build it with `SolicitationProbe(target:source:
/// interfaceMAC:destination:)` from the host's link-local address and MAC on the guest interface.
public struct ProbeRequest: Sendable, Equatable {
    /// The address probed.
    public var target: IPv6Address
    /// The solicited-node group (first contact, and the last re-probe), or the known MAC.
    public var destination: SolicitationProbe.Destination

    /// Creates a request.
    public init(target: IPv6Address, destination: SolicitationProbe.Destination) {
        self.target = target
        self.destination = destination
    }
}

extension ProbeRequest {
    /// The probe frame to send from `interface` (the guest interface): from its link-local
    /// address and MAC. Nil only when that address is the target itself.
    public func probe(from interface: InterfaceFacts) -> SolicitationProbe? {
        SolicitationProbe(
            target: target, source: interface.linkLocal, interfaceMAC: interface.mac, destination: destination)
    }
}

/// An upstream solicitation waiting for a guest's answer to a probe: what answering it later
/// takes (the solicitation) and what reporting it takes (its frame's place in the capture).
public struct WaitingSolicitation: Sendable, Equatable {
    /// The validated solicitation.
    public var solicitation: NeighborSolicitation
    /// Its frame's index (1-based record number in a capture file, or packet count live).
    public var frameIndex: Int
    /// Its frame's capture time.
    public var time: FrameTime

    /// Creates a waiting solicitation.
    public init(solicitation: NeighborSolicitation, frameIndex: Int, time: FrameTime) {
        self.solicitation = solicitation
        self.frameIndex = frameIndex
        self.time = time
    }
}

/// What to do with an upstream solicitation for an address of a live prefix.
public enum LiveDecision: Sendable, Equatable {
    /// LIVE or STALE: answer now.
    case answer
    /// STALE: answer now, and send this re-probe now.
    case answerAndProbe(ProbeRequest)
    /// PROBING: the solicitor waits for the guest's answer; send `probe` now if there is one
    /// (the first probe leaves in the loop turn of the solicitation that asked for it).
    case queued(probe: ProbeRequest?)
    /// Not answered, and why.
    case ignore(IgnoreReason)
}

/// What became of a solicitor that waited for a probe.
public enum QueueRelease: Sendable, Equatable {
    /// The guest answered (or other evidence arrived): answer the solicitor now.
    case answer
    /// The address is not answered after all, and why.
    case ignore(IgnoreReason)
}

/// The live table's counters (ARCHITECTURE.md, "Live guests": metrics).
public struct GuestCacheCounters: Sendable, Equatable {
    /// First-contact probes sent (multicast).
    public var probesSent: UInt64 = 0
    /// Re-probes of STALE guests sent (unicast and the final multicast).
    public var reprobesSent: UInt64 = 0
    /// First-contact probes the budget refused (the solicitation was ignored with `probe-limit`).
    public var probesRefused: UInt64 = 0
    /// Re-probes the re-probe budget refused (the STALE guest was answered, not re-probed).
    public var reprobesRefused: UInt64 = 0
    /// Probes not started because `max-probing` addresses were being probed.
    public var probingFull: UInt64 = 0
    /// STALE entries evicted to make room (least recently used first).
    public var evictions: UInt64 = 0
    /// Evidence not kept because the table was full of entries that are never evicted.
    public var refusedFull: UInt64 = 0
    /// Solicitors answered once the guest's evidence arrived.
    public var queueAnswered: UInt64 = 0
    /// Solicitors dropped from a queue (probes unanswered, or a DAD probe seen).
    public var queueDropped: UInt64 = 0
    /// Round trips of answered probes.
    public var roundTrips = ProbeRoundTrips()

    /// All zero.
    public init() {}
}
