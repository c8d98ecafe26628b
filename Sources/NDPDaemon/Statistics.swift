import NDPPolicy
import NDPWire

/// The engine's counters: what arrived, what was decided and why, what failed to send.
/// Indexed by reason position, so counting costs no hashing on the hot path.
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
    /// Valid solicitations not answered, one count per `IgnoreReason`, in `allCases` order.
    public var ignored: [Int] { ignoredCounts.all }
    /// Invalid solicitations, one count per `NDRejection.Reason`, in `allCases` order.
    public var invalid: [Int] { invalidCounts.all }
    private var ignoredCounts = ReasonCounters<IgnoreReason>()
    private var invalidCounts = ReasonCounters<NDRejection.Reason>()
    /// Advertisements that could not be sent.
    public var sendErrors = 0

    /// All zero.
    public init() {}

    /// Counts one decision.
    @inline(__always)
    public mutating func count(_ decision: Decision) {
        switch decision {
        case .answer: answered += 1
        case .ignore(let reason): ignoredCounts.count(reason)
        case .invalid(let rejection): invalidCounts.count(rejection.kind)
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
        for (i, reason) in NDRejection.Reason.allCases.enumerated() where invalid[i] > 0 {
            out.append(("invalid", reason.rawValue, invalid[i]))
        }
        return out
    }

    public static func == (a: Statistics, b: Statistics) -> Bool {
        a.framesReceived == b.framesReceived && a.framesUndecodable == b.framesUndecodable
            && a.framesOtherICMPv6 == b.framesOtherICMPv6 && a.solicitations == b.solicitations
            && a.answered == b.answered && a.advertisementsSent == b.advertisementsSent && a.ignored == b.ignored
            && a.invalid == b.invalid
            && a.sendErrors == b.sendErrors
    }
}

/// One counter per case of `Reason`, at the case's position in `allCases`: the reason enum is the
/// one list, and the counters follow it.
struct ReasonCounters<Reason: CaseIterable & Equatable>: Sendable where Reason.AllCases == [Reason], Reason: Sendable {
    // Stored inline: counting is one add, with no copy-on-write check of an array buffer on every
    // packet. The capacity is a type parameter, a bound on the number of cases that `init` checks.
    private var counts = InlineArray<32, Int>(repeating: 0)
    // The reason counted last and its position. A burst of frames repeats one reason, so counting
    // is a compare and an add; the position is looked up in `allCases` only when the reason changes
    // (that lookup builds the `allCases` array, too slow for every packet).
    private var last: Reason
    private var lastPosition = 0

    init() {
        precondition(Reason.allCases.count <= counts.count, "more reasons than counters")
        last = Reason.allCases[0]
    }

    @inline(__always)
    mutating func count(_ reason: Reason) {
        if reason != last {
            last = reason
            lastPosition = Self.position(of: reason)
        }
        counts[lastPosition] += 1
    }

    @inline(never)
    private static func position(of reason: Reason) -> Int { reason.position }

    /// The counts in `allCases` order.
    var all: [Int] { Reason.allCases.indices.map { counts[$0] } }
}
