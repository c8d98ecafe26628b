import NDPPolicy
import NDPWire

/// What the engine made of one frame that was a Neighbor Solicitation.
public struct SolicitationOutcome: Sendable {
    /// The solicitor's IPv6 source address.
    public var source: IPv6Address
    /// The IPv6 destination.
    public var destination: IPv6Address
    /// The target, when the frame held it.
    public var targetAddress: IPv6Address?
    /// The decision.
    public var decision: Decision
}

/// The one engine behind both the daemon and replay: bytes in, decision, bytes out.
///
/// Not thread-safe: one engine runs on one thread (the capture loop). Reload swaps the rule
/// between two frames, so no solicitation is decided half under the old rule.
public struct Engine: ~Copyable {
    /// The rule in force.
    public private(set) var rule: ProxyRule
    /// The interface facts in force.
    public private(set) var interface: InterfaceFacts
    /// Counters since start.
    public private(set) var statistics = Statistics()
    /// Who was last seen using each address (for `dad = "defend"`).
    public private(set) var owners: OwnerTable
    /// Where advertisements are built: reused for every frame, never reallocated.
    private var outputBuffer = [UInt8](repeating: 0, count: 128)

    /// An engine for one interface.
    public init(rule: ProxyRule, interface: InterfaceFacts, ownerCapacity: Int = 65_536) {
        self.rule = rule
        self.interface = interface
        self.owners = OwnerTable(capacity: ownerCapacity)
    }

    /// Replaces the rule (configuration reload); counters and learned owners are kept.
    public mutating func update(rule: ProxyRule) { self.rule = rule }

    /// Replaces the interface facts (address or MAC change, interface recreated).
    public mutating func update(interface: InterfaceFacts) { self.interface = interface }

    /// Counts a send that failed.
    public mutating func countSendError() { statistics.sendErrors += 1 }

    /// Handles one captured frame: decodes it, decides, and for an answer builds the
    /// advertisement and passes its bytes to `send` (valid only during that call).
    /// Returns what was decided, or nil when the frame was not a Neighbor Solicitation.
    // Always inlined into the capture loops: a caller that drops the outcome (replay --quiet)
    // then builds none of it, which saves copying it (~150 bytes) per packet.
    @inline(__always)
    public mutating func handle(frame: Span<UInt8>, linkType: LinkType,
                                send: (Span<UInt8>) -> Void) -> SolicitationOutcome? {
        process(frame: frame, linkType: linkType, buildsAdvertisements: true, send: send)
    }

    /// Handles one frame with no sink (a replay that writes nothing): decides and counts, but
    /// builds no advertisement frame, since nothing would read it.
    @inline(__always)
    public mutating func handle(frame: Span<UInt8>, linkType: LinkType) -> SolicitationOutcome? {
        process(frame: frame, linkType: linkType, buildsAdvertisements: false, send: { _ in })
    }

    // `send` stays a plain (non-escaping) closure: an optional one would escape, and cost a
    // context allocation per frame.
    @inline(__always)
    private mutating func process(frame: Span<UInt8>, linkType: LinkType, buildsAdvertisements: Bool,
                                  send: (Span<UInt8>) -> Void) -> SolicitationOutcome? {
        statistics.framesReceived += 1
        let solicitation: NeighborSolicitation
        do {
            solicitation = try NeighborSolicitation(decoding: frame, linkType: linkType)
        } catch {
            switch error {
            case .undecodable:
                statistics.framesUndecodable += 1
                return nil
            case .notSolicitation:
                statistics.framesOtherICMPv6 += 1
                return nil
            case let .invalid(invalid):
                statistics.solicitations += 1
                let decision = Decision.invalid(invalid.rejection)
                statistics.count(decision)
                return SolicitationOutcome(source: invalid.source, destination: invalid.destination,
                                           targetAddress: invalid.targetAddress, decision: decision)
            }
        }
        statistics.solicitations += 1
        if rule.dad == .defend { owners.learn(from: solicitation) }
        let decision = decide(solicitation, rule: rule, interface: interface,
                              knownOwner: solicitation.isDuplicateAddressDetection
                                  ? owners.owner(of: solicitation.targetAddress) : nil)
        statistics.count(decision)
        if buildsAdvertisements, case let .answer(advertisement) = decision {
            var output = outputBuffer.mutableSpan
            // The buffer holds the largest advertisement (two tags + TLLA = 94 bytes).
            if let length = try? advertisement.write(into: &output) {
                _ = consume output
                send(outputBuffer.span.extracting(0..<length))
            }
        }
        return SolicitationOutcome(source: solicitation.source, destination: solicitation.destination,
                                   targetAddress: solicitation.targetAddress, decision: decision)
    }
}
