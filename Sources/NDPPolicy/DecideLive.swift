import NDPWire

/// What live mode makes of one upstream solicitation (ARCHITECTURE.md, "Live guests").
public enum LiveVerdict: Sendable, Equatable {
    /// Decided as static mode decides: an answer (an exact target, or a LIVE or STALE guest), or
    /// static mode's own ignore or refusal.
    case decided(Decision)
    /// Not answered: the live table's reason.
    case ignored(IgnoreReason)
    /// The solicitor waits in the table for the guest's answer to a probe; the table hands it
    /// back through `observe` or `tick` (answer it then with `decide(_:rule:interface:knownOwner:)`,
    /// which gives the same advertisement as now).
    case waiting
}

/// Decides a validated upstream solicitation on an interface whose `rule` is in live mode:
/// `decide(_:rule:interface:knownOwner:)` first, so every static reason keeps its place in the
/// order, then, for an answer to an address of a target prefix, the live table.
///
/// - Exact targets (the gateway proxied for the guests) are answered as in static mode.
/// - A DAD probe is answered only as `dad = "defend"` says, and only for a LIVE address: the
///   table's MAC for it is the owner `decide` compares the prober with (RFC 4862 §5.4.3).
/// - With `guest-interfaces = "routes"`, an address no kernel route leads to on a guest side
///   (`hasGuestRoute` false) is ignored with `no-guest-route`, whatever the table knows.
/// - Otherwise the table decides: answer (LIVE, STALE), wait for a probe, or ignore.
///
/// `frameIndex` and `time` are the solicitation's frame's, kept with it if it waits. Returns
/// the verdict and the probe to send now, if any (the first probe of a PROBING address, or a
/// STALE guest's re-probe: both leave in the loop turn of the solicitation that asked).
// Inlinable, like `decide`: inlined into the engine's loop, only what the caller reads of the
// verdict is built.
@inlinable
public func decideLive(
    _ solicitation: NeighborSolicitation, rule: ProxyRule, interface: InterfaceFacts,
    guests: inout GuestNeighborCache, hasGuestRoute: Bool = true, frameIndex: Int, at time: FrameTime
)
    -> (verdict: LiveVerdict, probe: ProbeRequest?)
{
    let target = solicitation.targetAddress
    // Only a DAD probe's decision reads the owner: other solicitations skip the lookup.
    let owner =
        solicitation.isDuplicateAddressDetection && guests.state(of: target) == .live
        ? guests.linkLayerAddress(of: target) : nil
    let decision = decide(solicitation, rule: rule, interface: interface, knownOwner: owner)
    guard case .answer = decision, !solicitation.isDuplicateAddressDetection,
        !rule.targets.containsExact(target)
    else { return (.decided(decision), nil) }
    guard hasGuestRoute else { return (.ignored(.noGuestRoute), nil) }
    switch guests.solicit(
        target, from: WaitingSolicitation(solicitation: solicitation, frameIndex: frameIndex, time: time),
        at: time)
    {
    case .answer:
        return (.decided(decision), nil)
    case .answerAndProbe(let probe):
        return (.decided(decision), probe)
    case .queued(let probe):
        return (.waiting, probe)
    case .ignore(let reason):
        return (.ignored(reason), nil)
    }
}
