import NDPPolicy
import NDPWire

/// The engine's counters: what arrived, what was decided and why, what failed to send.
/// Indexed by reason ordinal, so counting costs no hashing on the hot path.
public struct Statistics: Sendable, Equatable {
    /// Frames handed to the engine.
    public var framesReceived = 0
    /// Frames that were not a decodable ICMPv6 packet (another protocol, or broken headers).
    public var framesUndecodable = 0
    /// Frames that were ICMPv6 but not a Neighbor Solicitation.
    public var framesOtherICMPv6 = 0
    /// Neighbor Solicitations seen (valid or not).
    public var solicitations = 0
    /// Solicitations decided `answer`, whether or not their advertisement then left.
    public var answered = 0
    /// Answers actually sent (live) or written (replay `--write`): fewer than `answered` when a
    /// send fails, and none in a replay that writes nothing.
    public var advertisementsSent = 0
    /// Valid solicitations not answered, per `IgnoreReason` ordinal.
    public var ignored: [Int] { (0..<ignoredCounts.count).map { ignoredCounts[$0] } }
    /// Invalid solicitations, per `NDRejection.allReasons` position.
    public var invalid: [Int] { (0..<invalidCounts.count).map { invalidCounts[$0] } }
    // Fixed-size counters stored inline: counting is one add, with no copy-on-write check of an
    // array buffer on every packet.
    private var ignoredCounts = InlineArray<10, Int>(repeating: 0)
    private var invalidCounts = InlineArray<12, Int>(repeating: 0)
    /// Advertisements that could not be sent.
    public var sendErrors = 0

    /// All zero.
    public init() {}

    /// Counts one decision.
    @inline(__always)
    public mutating func count(_ decision: Decision) {
        switch decision {
        case .answer: answered += 1
        case let .ignore(reason): ignoredCounts[reason.ordinal] += 1
        case let .invalid(rejection): invalidCounts[rejection.ordinal] += 1
        }
    }

    /// Total ignored solicitations.
    public var ignoredTotal: Int { ignored.reduce(0, +) }
    /// Total invalid solicitations.
    public var invalidTotal: Int { invalid.reduce(0, +) }

    /// Non-zero reason counts, ignore reasons then invalid ones, as (decision, reason, count).
    public var reasonCounts: [(decision: String, reason: String, count: Int)] {
        var out: [(String, String, Int)] = []
        for (i, reason) in IgnoreReason.allCases.enumerated() where ignored[i] > 0 {
            out.append(("ignore", reason.rawValue, ignored[i]))
        }
        for (i, reason) in NDRejection.allReasons.enumerated() where invalid[i] > 0 {
            out.append(("invalid", reason, invalid[i]))
        }
        return out
    }

    public static func == (a: Statistics, b: Statistics) -> Bool {
        a.framesReceived == b.framesReceived && a.framesUndecodable == b.framesUndecodable
            && a.framesOtherICMPv6 == b.framesOtherICMPv6 && a.solicitations == b.solicitations
            && a.answered == b.answered && a.advertisementsSent == b.advertisementsSent && a.ignored == b.ignored && a.invalid == b.invalid
            && a.sendErrors == b.sendErrors
    }
}

extension IgnoreReason {
    /// Position in `allCases`, for counter arrays.
    var ordinal: Int {
        switch self {
        case .fromSelf: return 0
        case .unspecifiedTarget: return 1
        case .linkLocalTarget: return 2
        case .ownAddress: return 3
        case .excluded: return 4
        case .subnetRouterAnycast: return 5
        case .reservedAnycast: return 6
        case .notConfigured: return 7
        case .dad: return 8
        case .dadFromOwner: return 9
        }
    }
}

extension NDRejection {
    /// Position in `allReasons`, for counter arrays.
    var ordinal: Int {
        switch self {
        case .truncated: return 0
        case .fragmented: return 1
        case .hopLimit: return 2
        case .multicastSource: return 3
        case .checksum: return 4
        case .code: return 5
        case .tooShort: return 6
        case .multicastTarget: return 7
        case .zeroLengthOption: return 8
        case .optionOverrun: return 9
        case .dadWithSourceLinkLayerAddress: return 10
        case .dadNotToSolicitedNode: return 11
        }
    }
}
