import NDPIO
import NDPPolicy
import NDPWire

/// How `ndpd --replay` reports.
public struct ReplayOptions: Sendable {
    /// The capture to read.
    public var capturePath: String
    /// Where to write the advertisements, if anywhere.
    public var writePath: String?
    /// One JSON object per solicitation instead of text.
    public var json = false
    /// Only the summary.
    public var quiet = false
    /// Also list ND messages other than NS (text mode).
    public var allMessages = false
    /// How many solicitations the engine holds back while their table lines are fetched (see
    /// `Engine`). Outcomes are the same for any value; the policy benchmark sets 0 to measure
    /// what the lookahead saves.
    public var lookahead = Engine.defaultLookahead

    /// Options for `capturePath`.
    public init(capturePath: String) { self.capturePath = capturePath }
}

/// Exit statuses of replay and check.
public enum ExitStatus {
    /// Everything was read and decided.
    public static let success: Int32 = 0
    /// The configuration is invalid (`check`).
    public static let invalidConfiguration: Int32 = 1
    /// The input could not be read whole: not a capture, cut, or an unknown link type.
    public static let damagedInput: Int32 = 2
}

/// Runs the engine over a recorded capture: the offline twin of the daemon.
public enum Replay {
    /// Replays `options.capturePath` under `rule`, writing report lines to `output` and
    /// diagnostics to `errors`. Returns the exit status.
    public static func run(rule: ProxyRule, options: ReplayOptions,
                           output: @escaping (String) -> Void, errors: (String) -> Void) -> Int32 {
        let capture: CaptureFile
        do {
            capture = try CaptureFile(path: options.capturePath)
        } catch {
            errors("ndpd: \(options.capturePath): not a readable capture file (\(error.message))")
            return ExitStatus.damagedInput
        }
        guard let linkType = capture.linkType else {
            errors("ndpd: \(options.capturePath): unsupported link type \(capture.linkTypeNumber) "
                + "(supported: Ethernet 1, raw 101, Linux SLL 113, IPv6 229, Linux SLL2 276)")
            return ExitStatus.damagedInput
        }
        var writer: CaptureWriter?
        if let path = options.writePath {
            do {
                writer = try CaptureWriter(path: path)
            } catch {
                errors("ndpd: \(error)")
                return ExitStatus.damagedInput
            }
        }
        var engine = Engine(rule: rule, interface: InterfaceFacts.replay(rule), lookahead: options.lookahead)
        let report = Report(options: options, output: output)
        var damage: IOError?
        do throws(IOError) {
            try replayLoop(capture, linkType: linkType, engine: &engine, writer: writer, report: report)
        } catch {
            damage = error
        }
        if let writer {
            do throws(IOError) { try writer.close() } catch {
                errors("ndpd: \(error)")
                damage = damage ?? error
            }
        }
        report.summary(engine.statistics, written: writer?.framesWritten, complete: damage == nil)
        if let damage {
            errors("ndpd: \(options.capturePath): damaged after record \(capture.recordsRead): \(damage.message)")
            return ExitStatus.damagedInput
        }
        return ExitStatus.success
    }

    /// The per-packet loop, kept out of top-level code (ARCHITECTURE.md, "Invariants").
    ///
    /// `--quiet` drops each outcome unread, and without `--write` asks for no advertisement
    /// frame: the one loop below is specialised for each sink, so that the inlined engine builds
    /// none of what the sink drops (one loop with the choices made per frame builds the outcome
    /// every time). Whatever stops the loop, damage included, the solicitations still waiting in
    /// the engine are decided and reported.
    nonisolated static func replayLoop(_ capture: CaptureFile, linkType: LinkType, engine: inout Engine,
                                       writer: CaptureWriter?, report: Report) throws(IOError) {
        switch (report.isSilent, writer) {
        case (true, nil):
            try replayLoop(capture, linkType: linkType, engine: &engine, into: DiscardOutcomes())
        case let (true, writer?):
            try replayLoop(capture, linkType: linkType, engine: &engine, into: WriteAnswers(writer: writer))
        case (false, _):
            try replayLoop(capture, linkType: linkType, engine: &engine,
                           into: WriteAndReport(writer: writer, report: report))
        }
    }

    /// The loop: each frame to the engine, then each outcome due to `sink`.
    private static func replayLoop<Sink: OutcomeSink>(_ capture: CaptureFile, linkType: LinkType, engine: inout Engine,
                                                      into sink: Sink) throws(IOError) {
        // Announcements are frames to write: only a replay that writes has them.
        var announcements = sink.writer != nil ? ReplayAnnouncements(rule: engine.rule) : nil
        // Runs last, after the flush: the answers written are the frames less the announcements.
        defer { if let writer = sink.writer { engine.countSent(writer.framesWritten - (announcements?.written ?? 0)) } }
        defer {
            engine.flush()
            while let (outcome, header) = engine.nextOutcome(buildingAnswer: Sink.buildsAnswers) {
                sink.take(outcome, header, from: engine)
            }
        }
        try capture.forEach { header, frame in
            if announcements != nil { announcements!.release(until: header, engine: &engine, write: sink.write) }
            let isSolicitation = engine.take(frame: frame, linkType: linkType, header: header)
            while let (outcome, header) = engine.nextOutcome(buildingAnswer: Sink.buildsAnswers) {
                sink.take(outcome, header, from: engine)
            }
            if !isSolicitation { sink.other(frame, linkType: linkType, header: header) }
            return true
        }
    }
}

/// Where replay's outcomes go: nowhere (`--quiet`), answers to the `--write` file, lines to the
/// report. Each is a type of its own, so that the loop is specialised for it.
private protocol OutcomeSink {
    /// Whether the engine builds the advertisement of each answer (something writes it).
    static var buildsAnswers: Bool { get }
    /// The `--write` file, if any.
    var writer: CaptureWriter? { get }
    /// One outcome; the engine lends its answer's bytes.
    func take(_ outcome: SolicitationOutcome, _ header: PacketHeader, from engine: borrowing Engine)
    /// A frame that was no solicitation, once every earlier outcome was taken.
    func other(_ frame: Span<UInt8>, linkType: LinkType, header: PacketHeader)
}

extension OutcomeSink {
    /// Writes `advertisement` stamped with `header`'s time.
    func write(_ advertisement: Span<UInt8>, _ header: PacketHeader) {
        writer?.write(advertisement, seconds: header.seconds, microseconds: header.microseconds)
    }
}

/// `--quiet` without `--write`: every outcome dropped, no answer built.
private struct DiscardOutcomes: OutcomeSink {
    static var buildsAnswers: Bool { false }
    var writer: CaptureWriter? { nil }
    func take(_ outcome: SolicitationOutcome, _ header: PacketHeader, from engine: borrowing Engine) {}
    func other(_ frame: Span<UInt8>, linkType: LinkType, header: PacketHeader) {}
}

/// `--quiet --write`: answers written, outcomes dropped.
private struct WriteAnswers: OutcomeSink {
    static var buildsAnswers: Bool { true }
    let writer: CaptureWriter?
    func take(_ outcome: SolicitationOutcome, _ header: PacketHeader, from engine: borrowing Engine) {
        engine.withAnswer { write($0, header) }
    }
    func other(_ frame: Span<UInt8>, linkType: LinkType, header: PacketHeader) {}
}

/// Reporting: each outcome's line, and its answer written when `--write` is given.
private struct WriteAndReport: OutcomeSink {
    static var buildsAnswers: Bool { true }
    let writer: CaptureWriter?
    let report: Report
    func take(_ outcome: SolicitationOutcome, _ header: PacketHeader, from engine: borrowing Engine) {
        if writer != nil { engine.withAnswer { write($0, header) } }
        report.solicitation(outcome, header: header)
    }
    func other(_ frame: Span<UInt8>, linkType: LinkType, header: PacketHeader) {
        if report.listsOtherMessages { report.otherMessage(frame, linkType: linkType, header: header) }
    }
}
