import Logging
import NDPIO
import NDPPolicy
import NDPWire

/// Writes advertisements into one reused buffer (no allocation per frame).
struct AdvertisementWriter {
    /// Room for the largest advertisement: two tags + TLLA = 94 bytes.
    private var buffer = [UInt8](repeating: 0, count: 128)

    /// Builds `advertisement` and hands its bytes to `send` (valid only during the call).
    mutating func write(_ advertisement: NeighborAdvertisement, send: (Span<UInt8>) throws(Errno) -> Void) throws(Errno) {
        var output = buffer.mutableSpan
        guard let length = try? advertisement.write(into: &output) else { return }
        _ = consume output
        try send(buffer.span.extracting(0..<length))
    }
}

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
    private(set) var rule: ProxyRule
    /// The engine (counters and learned owners survive reopenings and reloads).
    ///
    /// Unchecked exclusivity: the port runs on the capture loop's thread only, and nothing
    /// reached from inside an engine call (`sendAnswer`, `emit`) touches the engine, so the
    /// dynamic check Swift puts on every access to a class's stored property would never fire;
    /// it would cost two runtime calls per frame.
    @exclusivity(unchecked) private var engine: Engine
    private(set) var capture: LiveCapture?
    private(set) var socket: PacketSocket?
    /// What the system said at the last look, while open.
    private(set) var link: LinkState?
    /// When to look at a closed interface again.
    private(set) var nextAttempt: ContinuousClock.Instant
    /// True when the last open failed for lack of privilege (CAP_NET_RAW).
    private(set) var permissionDenied = false
    /// Unsolicited advertisements sent.
    private(set) var unsolicitedSent = 0
    /// Times the capture was opened.
    private(set) var opens = 0
    /// When the capture was last opened.
    private var openedAt: ContinuousClock.Instant?
    /// Frames the kernel dropped (ring full) on captures already closed.
    private var droppedByClosedCaptures = 0
    private var announcer: Announcer?
    private var writer = AdvertisementWriter()
    private var sendErrorLog = LogRateLimiter(interval: .seconds(10))
    /// Sends that failed during the current batch, and the last one's error: reported when
    /// the engine is done with the batch.
    private var failedSends = 0
    private var lastFailedSend: Errno?
    private var captureErrorLog = LogRateLimiter(interval: .seconds(10))
    /// The last problem logged, so a state that persists is logged once, not every second.
    private var lastProblem: String?
    private let logger: Logger
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

    /// What the engine is told about the interface: the system's MAC and addresses, plus the
    /// configured `host-addresses` (addresses of the host the kernel answers for itself).
    func facts(for state: LinkState) -> InterfaceFacts {
        var addresses = state.addresses
        for address in rule.hostAddresses where !addresses.contains(address) { addresses.append(address) }
        return InterfaceFacts(name: name, mac: state.mac ?? rule.mac ?? ProxyRule.defaultReplayMAC, addresses: addresses)
    }

    /// Replaces the rule (SIGHUP). Takes effect between two frames.
    func update(rule: ProxyRule) {
        self.rule = rule
        engine.update(rule: rule)
        if let link { engine.update(interface: facts(for: link)) }
    }

    /// Looks at the interface and brings the port in line: opens it when it is there and up,
    /// closes it when it vanished or went down, reopens it when it was recreated (new index),
    /// and updates the engine's facts when its MAC or addresses changed.
    /// Returns true if the capture's descriptor changed (its registration must change).
    @discardableResult
    func reconcile(now: ContinuousClock.Instant) -> Bool {
        let wasOpen = isOpen
        let state: LinkState?
        do {
            state = try SystemInterfaces.state(of: name)
        } catch {
            return giveUp("cannot read the state of \(name): \(error)", now: now, wasOpen: wasOpen)
        }
        guard let state else {
            return giveUp("interface \(name) does not exist; looking again every second", now: now, wasOpen: wasOpen)
        }
        guard state.isUp else {
            return giveUp("interface \(name) is down; waiting for it to come up", now: now, wasOpen: wasOpen)
        }
        guard state.mac != nil else {
            return giveUp("interface \(name) has no Ethernet address; ndpd serves Ethernet links only", now: now,
                          wasOpen: wasOpen)
        }
        if let link, wasOpen {
            // A new MTU changes the snapshot length the capture needs: reopen, as for a new index.
            if link.index == state.index && link.mtu == state.mtu {
                if link != state { refreshFacts(from: link, to: state, now: now) }
                return false
            }
            if link.index != state.index {
                logger.notice("interface \(name) was recreated (index \(link.index) -> \(state.index)); reopening")
            } else {
                logger.info("interface \(name): MTU \(link.mtu) -> \(state.mtu); reopening the capture")
            }
            close()
        }
        return open(state, now: now) || wasOpen
    }

    private func refreshFacts(from old: LinkState, to new: LinkState, now: ContinuousClock.Instant) {
        link = new
        engine.update(interface: facts(for: new))
        if old.mac != new.mac {
            logger.notice("interface \(name): MAC \(old.mac?.description ?? "-") -> \(new.mac?.description ?? "-")")
            // The neighbours' caches hold the old MAC: tell them (RFC 4861 §7.2.6).
            startAnnouncements(now: now)
        }
        if old.addresses != new.addresses {
            logger.info("interface \(name): addresses now \(new.addresses.map(\.description).joined(separator: ", "))")
        }
    }

    private func open(_ state: LinkState, now: ContinuousClock.Instant) -> Bool {
        do throws(IOError) {
            let capture = try LiveCapture(interface: name, snapshotLength: LiveCapture.snapshotLength(forMTU: state.mtu))
            guard capture.linkType == .ethernet else {
                capture.close()
                _ = giveUp("interface \(name) has link type \(capture.linkTypeNumber), not Ethernet", now: now, wasOpen: false)
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
        logger.info(Logger.Message(stringLiteral: "listening on \(name) (index \(state.index), MAC \(state.mac?.description ?? "-"), "
            + "\(state.addresses.count) IPv6 addresses, all-multicast membership held)"))
        startAnnouncements(now: now)
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
    }

    /// Logs `problem` once (until the state changes), closes, and schedules another look.
    private func giveUp(_ problem: String, now: ContinuousClock.Instant, wasOpen: Bool) -> Bool {
        if problem != lastProblem {
            logger.warning("\(problem)")
            lastProblem = problem
        }
        close()
        nextAttempt = now + Self.retryInterval
        return wasOpen
    }

    /// Called when reading the capture failed (the interface went down or away).
    func captureFailed(_ error: IOError, now: ContinuousClock.Instant) {
        if let suppressed = captureErrorLog.admit(at: now) {
            logger.warning("capture on \(name) stopped: \(error)\(suppressed > 0 ? " (\(suppressed) similar not logged)" : ""); reopening when possible")
        }
        close()
        // Reopen at once after a flap, but not in a tight loop if a fresh capture keeps failing.
        let fresh = openedAt.map { now - $0 < Self.retryInterval } ?? false
        nextAttempt = fresh ? now + Self.retryInterval : now
    }

    /// The hot path: hands up to `limit` waiting frames to the engine and sends every answer
    /// before it returns (together, at the end of the batch). Returns the error if the capture
    /// broke. Nothing here allocates per frame or per
    /// call (the capture calls `receive` through a C callback with no context to box, and the
    /// failures are counted in the port, not in variables its closures capture), and nothing
    /// is logged per frame above debug level.
    func drain(limit: Int) -> IOError? {
        guard let capture, socket != nil else { return nil }
        // The engine holds up to `engine.lookahead` solicitations back while their table lines
        // are fetched; all are decided and answered before this returns, error or not.
        defer {
            engine.flush(send: { advertisement, _ in self.sendAnswer(advertisement) },
                         emit: { outcome, _ in self.emit(outcome) })
            // The batch's answers leave before the next wait: none waits for later traffic.
            if let socket { noteFailures(socket.sendQueued()) }
            // Counted once the engine is done: `sendAnswer` runs inside the engine's call,
            // where the engine cannot be touched.
            if let error = lastFailedSend {
                for _ in 0..<failedSends { sendFailed(error) }
                failedSends = 0
                lastFailedSend = nil
            }
        }
        do {
            _ = try capture.dispatch(limit: limit, to: self)
        } catch {
            return error
        }
        return nil
    }

    /// Queues one answer; the queue goes out when full and at the end of the batch. A failure
    /// is counted in `failedSends` until the engine is done.
    private func sendAnswer(_ advertisement: Span<UInt8>) {
        if let socket { noteFailures(socket.queue(advertisement)) }
    }

    private func noteFailures(_ failures: SendFailures) {
        guard let error = failures.last else { return }
        failedSends += failures.count
        lastFailedSend = error
    }

    private func emit(_ outcome: SolicitationOutcome) {
        if logsDecisions { logDecision(outcome) }
    }

    private func sendFailed(_ error: Errno) {
        engine.countSendError()
        if let suppressed = sendErrorLog.admit(at: .now) {
            logger.warning(Logger.Message(stringLiteral: "send on \(name) failed: \(error)"
                + (suppressed > 0 ? " (\(suppressed) more failures in the last \(sendErrorLog.interval))" : "")))
        }
    }

    private func logDecision(_ outcome: SolicitationOutcome) {
        let target = outcome.targetAddress?.description ?? "?"
        logger.debug(Logger.Message(stringLiteral: "\(name): NS \(outcome.source) > \(outcome.destination) who-has \(target): "
            + "\(outcome.decision.word)\(outcome.decision.reason.map { " \($0)" } ?? "")"))
    }

    // MARK: Unsolicited advertisements (RFC 4861 §7.2.6)

    /// (Re)starts the announcement of every exact target, if the rule asks for it.
    func startAnnouncements(now: ContinuousClock.Instant) {
        guard isOpen, rule.unsolicitedAdvertisements, rule.targets.exactCount > 0 else {
            announcer = nil
            return
        }
        announcer = Announcer(targets: Array(rule.targets.exactAddresses), start: now)
    }

    /// When the next announcement is due, if any.
    var nextAnnouncement: ContinuousClock.Instant? { announcer?.nextDeadline }

    /// Sends the announcements due at `now`: S = 0 (they answer nothing), O and R as
    /// configured, to all-nodes ff02::1, with our MAC as TLLA so neighbours update their
    /// caches at once (§7.2.6). The source follows the rule; `auto` means the link-local
    /// address, the only one in scope for a link-scoped destination (RFC 6724 §5 rule 2).
    func announce(now: ContinuousClock.Instant) {
        guard var schedule = announcer, let socket, link != nil else { return }
        let released = schedule.due(at: now)
        announcer = schedule.isFinished ? nil : schedule
        guard !released.isEmpty else { return }
        let facts = engine.interface
        var flags: NeighborAdvertisementFlags = []
        if rule.router { flags.insert(.router) }
        if rule.override { flags.insert(.override) }
        for index in released {
            let target = schedule.targets[index]
            // The host's own addresses are the kernel's to announce.
            if facts.addresses.contains(target) { continue }
            let source: IPv6Address
            switch rule.source {
            case .automatic, .linkLocal: source = facts.linkLocal
            case .target: source = target
            case let .address(address): source = address
            }
            let advertisement = NeighborAdvertisement(
                ethernetDestination: MACAddress.ipv6Multicast(.allNodes), ethernetSource: facts.mac,
                source: source, destination: .allNodes, flags: flags, targetAddress: target,
                targetLinkLayerAddress: facts.mac)
            do throws(Errno) {
                try writer.write(advertisement) { frame throws(Errno) in try socket.send(frame) }
                unsolicitedSent += 1
            } catch {
                sendFailed(error)
            }
        }
    }

    /// This port's counters.
    var counters: InterfaceCounters {
        InterfaceCounters(interface: name, statistics: engine.statistics, isOpen: isOpen,
                          unsolicitedAdvertisements: unsolicitedSent, opens: opens,
                          kernelDrops: droppedByClosedCaptures + Int(capture?.kernelStatistics()?.dropped ?? 0))
    }
}

extension Port: CaptureReceiver {
    /// One captured frame, inside `drain`: decided now or, with the lookahead, by a later frame
    /// or the flush at the end of the batch.
    func receive(_ header: PacketHeader, _ frame: Span<UInt8>) {
        engine.handle(frame: frame, linkType: .ethernet, header: header,
                      send: { advertisement, _ in self.sendAnswer(advertisement) },
                      emit: { outcome, _ in self.emit(outcome) })
    }
}
