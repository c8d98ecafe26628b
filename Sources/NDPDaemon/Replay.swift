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
    public static func run(
        rule: ProxyRule, options: ReplayOptions,
        output: @escaping (String) -> Void, errors: (String) -> Void
    ) -> Int32 {
        let capture: CaptureFile
        do {
            capture = try CaptureFile(path: options.capturePath)
        } catch {
            errors("ndpd: \(options.capturePath): not a readable capture file (\(error.message))")
            return ExitStatus.damagedInput
        }
        guard let linkType = capture.linkType else {
            errors(
                "ndpd: \(options.capturePath): unsupported link type \(capture.linkTypeNumber) "
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
    /// `--quiet` gets loops of its own that drop each outcome unread, so that the inlined engine
    /// builds none of it; without `--write` it builds no advertisement frame either (one loop
    /// with the choices made per frame inside builds the outcome every time). Whatever stops the
    /// loop, damage included, the
    /// solicitations still waiting in the engine are decided and reported; in live mode the
    /// timers then run on until no solicitation waits for a guest.
    nonisolated static func replayLoop(
        _ capture: CaptureFile, linkType: LinkType, engine: inout Engine,
        writer: CaptureWriter?, report: Report
    ) throws(IOError) {
        func write(_ advertisement: Span<UInt8>, _ header: PacketHeader) {
            writer?.write(advertisement, seconds: header.seconds, microseconds: header.microseconds)
        }
        // Live mode's probes go to the same file, stamped with the time they would leave.
        var probesWritten = 0
        func writeProbe(_ probe: Span<UInt8>, _ header: PacketHeader, _: Int) {
            writer?.write(probe, seconds: header.seconds, microseconds: header.microseconds)
            probesWritten += 1
        }
        func solicitation(_ outcome: SolicitationOutcome, _ header: PacketHeader) {
            report.solicitation(outcome, header: header)
        }
        // Announcements are frames to write: only a replay that writes has them.
        var announcements = writer != nil ? ReplayAnnouncements(rule: engine.rule) : nil
        // Runs last, after the flush: the answers written are the frames less the announcements
        // and the probes.
        defer {
            if let writer { engine.countSent(writer.framesWritten - (announcements?.written ?? 0) - probesWritten) }
        }
        switch (report.isSilent, writer != nil) {
        case (true, false):
            defer {
                engine.flush(emit: { _, _ in })
                engine.settle(emit: { _, _ in })
            }
            try capture.forEach { header, frame in
                engine.handle(frame: frame, linkType: linkType, header: header, emit: { _, _ in })
                return true
            }
        case (true, true):
            defer {
                engine.flush(send: write, emit: { _, _ in })
                engine.settle(send: write, probe: writeProbe, emit: { _, _ in })
            }
            try capture.forEach { header, frame in
                if announcements != nil { announcements!.release(until: header, engine: &engine, write: write) }
                engine.handle(
                    frame: frame, linkType: linkType, header: header, send: write, probe: writeProbe,
                    emit: { _, _ in })
                return true
            }
        case (false, _):
            defer {
                if writer != nil {
                    engine.flush(send: write, emit: solicitation)
                    engine.settle(send: write, probe: writeProbe, emit: solicitation)
                } else {
                    engine.flush(emit: solicitation)
                    engine.settle(emit: solicitation)
                }
            }
            try capture.forEach { header, frame in
                if announcements != nil { announcements!.release(until: header, engine: &engine, write: write) }
                let isSolicitation =
                    writer != nil
                    ? engine.handle(
                        frame: frame, linkType: linkType, header: header, send: write, probe: writeProbe,
                        emit: solicitation)
                    : engine.handle(frame: frame, linkType: linkType, header: header, emit: solicitation)
                if !isSolicitation && report.listsOtherMessages {
                    report.otherMessage(frame, linkType: linkType, header: header)
                }
                return true
            }
        }
    }
}
