import Logging
import NDPIO
import NDPPolicy
import NDPWire

/// One served interface: its engine, its capture and packet socket while the interface is
/// there and up, and its unsolicited-advertisement schedule.
///
/// The interface may come and go (down and up, a bridge deleted and created again): the
/// port then closes its capture and socket, and opens them again on the new interface,
/// keeping its engine, its counters and its rule.
final class Port {
    /// The interface name.
    let name: String
    /// The rule in force.
    var rule: ProxyRule
    /// The engine (counters and learned owners survive reopenings and reloads).
    ///
    /// Unchecked exclusivity: the port runs on the capture loop's thread only, and nothing
    /// reached from inside an engine call (`sendAnswer`, `emit`, an announcement's send) touches
    /// the engine, so the dynamic check Swift puts on every access to a class's stored property
    /// would never fire; it would cost two runtime calls per frame.
    @exclusivity(unchecked) var engine: Engine
    var capture: LiveCapture?
    var socket: PacketSocket?
    /// What the system said at the last look, while open.
    var link: LinkState?
    /// When to look at a closed interface again.
    var nextAttempt: ContinuousClock.Instant
    /// True when the last open failed for lack of privilege (CAP_NET_RAW).
    var permissionDenied = false
    /// Unsolicited advertisements sent.
    var unsolicitedSent = 0
    /// Times the capture was opened.
    private(set) var opens = 0
    /// When the capture was last opened.
    var openedAt: ContinuousClock.Instant?
    /// Frames the kernel dropped (ring full) on captures already closed.
    private var droppedByClosedCaptures = 0
    /// The unsolicited-advertisement schedule under way, if any.
    var announcer: Announcer<ContinuousClock.Instant>?
    /// What the schedule under way has done so far (logged when it ends).
    var announcementTally = AnnouncementTally()
    /// Live mode with other guest interfaces: one capture and packet socket on each.
    var guestSides: [GuestSide] = []
    /// Live mode: the interface index of `uplink-port`, when it exists.
    var uplinkIndex: Int32?
    /// When the kernel's routers were last read, so a schedule's slices read them once a second.
    var routersReadAt: ContinuousClock.Instant?
    /// Unsolicited advertisements not sent: no upstream router known, or a DAD probe for the
    /// target seen lately.
    var unsolicitedSkipped = 0
    private var sendErrorLog = LogRateLimiter(interval: .seconds(10))
    /// Answers queued during the current batch, those of them that failed, and the last
    /// failure's error: counted when the engine is done with the batch.
    private var answersQueued = 0
    private var failedSends = 0
    private var lastFailedSend: Errno?
    var captureErrorLog = LogRateLimiter(interval: .seconds(10))
    /// The last problem logged, so a state that persists is logged once, not every second.
    var lastProblem: String?
    let logger: Logger
    /// Whether every decision is logged (debug level), read once: asking the logger per frame
    /// copies its handler.
    private let logsDecisions: Bool

    /// How often a missing, down or failed interface is looked at again.
    static let retryInterval: Duration = .seconds(1)

    init(rule: ProxyRule, logger: Logger, now: ContinuousClock.Instant) {
        name = rule.interface
        self.rule = rule
        self.logger = logger
        logsDecisions = logger.logLevel <= .debug
        engine = Engine(rule: rule, interface: InterfaceFacts.replay(rule))
        nextAttempt = now
    }

    /// True while capture and socket are open.
    var isOpen: Bool { capture != nil }

    /// The capture's descriptor, for the event poll.
    var descriptor: Int32? { capture?.descriptor }

    func open(_ state: LinkState, now: ContinuousClock.Instant) -> Bool {
        do throws(IOError) {
            // Live mode also captures the guests' advertisements (ARCHITECTURE.md, "Live guests").
            let capture = try LiveCapture(
                interface: name, filter: rule.mode == .live ? LiveCapture.liveFilter : LiveCapture.solicitationFilter,
                snapshotLength: LiveCapture.snapshotLength(forMTU: state.mtu))
            guard capture.linkType == .ethernet else {
                capture.close()
                _ = giveUp(
                    "interface \(name) has link type \(capture.linkTypeNumber), not Ethernet", now: now, wasOpen: false)
                return false
            }
            let socket = try PacketSocket(interfaceIndex: state.index)
            self.capture = capture
            self.socket = socket
        } catch {
            permissionDenied = error.isPermissionDenied
            return giveUp("cannot open \(name): \(error)", now: now, wasOpen: false)
        }
        permissionDenied = false
        link = state
        engine.update(interface: facts(for: state))
        opens += 1
        openedAt = now
        lastProblem = nil
        logger.info(
            "listening on \(name) (index \(state.index), MAC \(state.mac?.description ?? "-"), \(state.addresses.count) IPv6 addresses, all-multicast membership held)"
        )
        startAnnouncements(now: now)
        if rule.mode == .live {
            readUplinkMACs()
            readKernelRoutes()
            openGuestSides()
            readKernelNeighbours()
        }
        return true
    }

    /// Closes capture and socket (the all-multicast membership ends with the socket).
    func close() {
        if let dropped = capture?.kernelStatistics()?.dropped { droppedByClosedCaptures += Int(dropped) }
        capture?.close()
        // The socket closes, and its all-multicast membership ends, with its last reference.
        capture = nil
        socket = nil
        link = nil
        announcer = nil
        closeGuestSides()
    }

    /// The hot path: hands up to `limit` waiting frames to the engine and sends every answer
    /// before it returns (together, at the end of the batch). Returns the error if the capture
    /// broke. Nothing here allocates per frame or per call (the capture calls `receive` through
    /// a C callback with no context to box, and the failures are counted in the port, not in
    /// variables its closures capture), and nothing is logged per frame above debug level.
    func drain(limit: Int) -> IOError? {
        guard let capture, socket != nil else { return nil }
        // The engine holds up to `engine.lookahead` solicitations back while their table lines
        // are fetched; all are decided and answered before this returns, error or not.
        defer {
            engine.flush(
                send: { advertisement, _ in self.sendAnswer(advertisement) },
                emit: { outcome, _ in self.emit(outcome) })
            finishBatch()
        }
        do {
            _ = try capture.dispatch(limit: limit, to: self)
        } catch {
            return error
        }
        return nil
    }

    /// Sends the batch's queued answers and counts them: the answers leave before the next
    /// wait, none waits for later traffic.
    func finishBatch() {
        if let socket { noteFailures(socket.sendQueued()) }
        // Counted once the engine is done: `sendAnswer` runs inside the engine's call, where the
        // engine cannot be touched.
        engine.countSent(answersQueued - failedSends)
        if let error = lastFailedSend {
            for _ in 0..<failedSends { sendFailed(error) }
        }
        answersQueued = 0
        failedSends = 0
        lastFailedSend = nil
    }

    /// Queues one answer; the queue goes out when full and at the end of the batch. A failure
    /// is counted in `failedSends` until the engine is done.
    func sendAnswer(_ advertisement: Span<UInt8>) {
        guard let socket else { return }
        answersQueued += 1
        noteFailures(socket.queue(advertisement))
    }

    private func noteFailures(_ failures: SendFailures) {
        guard let error = failures.last else { return }
        failedSends += failures.count
        lastFailedSend = error
    }

    func emit(_ outcome: SolicitationOutcome) {
        if logsDecisions { logDecision(outcome) }
    }

    func sendFailed(_ error: Errno) {
        engine.countSendError()
        if let suppressed = sendErrorLog.admit(at: .now) {
            logger.warning(
                "send on \(name) failed: \(error)\(suppressed > 0 ? " (\(suppressed) more failures in the last \(sendErrorLog.interval))" : "")"
            )
        }
    }

    private func logDecision(_ outcome: SolicitationOutcome) {
        let target = outcome.targetAddress?.description ?? "?"
        logger.debug(
            "\(name): NS \(outcome.source) > \(outcome.destination) who-has \(target): \(outcome.decision.word)\(outcome.decision.reason.map { " \($0)" } ?? "")"
        )
    }

    /// This port's counters.
    var counters: InterfaceCounters {
        InterfaceCounters(
            interface: name, statistics: engine.statistics, isOpen: isOpen,
            unsolicitedAdvertisements: unsolicitedSent, opens: opens,
            kernelDrops: droppedByClosedCaptures + Int(capture?.kernelStatistics()?.dropped ?? 0)
        )
        .with(live: engine.guests.map(LiveFigures.init))
    }
}

extension Port: CaptureReceiver {
    /// One captured frame, inside `drain`: decided now or, with the lookahead, by a later frame
    /// or the flush at the end of the batch.
    func receive(_ header: PacketHeader, _ frame: Span<UInt8>) {
        engine.handle(
            frame: frame, linkType: .ethernet, header: header,
            send: { advertisement, _ in self.sendAnswer(advertisement) },
            probe: { probe, _, side in self.sendProbe(probe, side: side) },
            emit: { outcome, _ in self.emit(outcome) })
    }
}
