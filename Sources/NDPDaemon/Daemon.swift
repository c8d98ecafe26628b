import Foundation
import Logging
import NDPControl
import NDPIO
import NDPPolicy
import NDPVersion
import NDPWire

/// How the live daemon runs.
public struct DaemonOptions: Sendable {
    /// The configuration file SIGHUP reloads; nil when the rules came from the command line.
    public var configPath: String?
    /// Where to write the counters in the Prometheus text format, if anywhere.
    public var metricsPath: String?
    /// How often the metrics file is rewritten.
    public var metricsInterval: Duration = .seconds(5)
    /// The least severe level logged.
    public var logLevel: Logger.Level = .info
    /// Drop every capability but CAP_NET_RAW once the interfaces are open.
    public var dropCapabilities = true
    /// The control socket's path (`ndpd status`, `ndpd reload`); nil for none.
    public var controlPath: String?

    /// The defaults.
    public init() {}
}

/// The live daemon: libpcap capture in, `Engine` decisions, AF_PACKET answers out.
public enum Daemon {
    /// Exit status: stopped by SIGTERM/SIGINT.
    public static let stopped: Int32 = 0
    /// Exit status: could not start (no privilege, no signal pipe).
    public static let cannotStart: Int32 = 4

    /// Runs until SIGTERM/SIGINT with the default options; returns the exit status.
    public static func run(rules: [ProxyRule], configPath: String?) -> Int32 {
        var options = DaemonOptions()
        options.configPath = configPath
        return run(rules: rules, options: options)
    }

    /// Runs in the foreground until SIGTERM/SIGINT; returns the exit status. Logs go to
    /// standard error through swift-log, at `options.logLevel` and above.
    public static func run(rules: [ProxyRule], options: DaemonOptions) -> Int32 {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = options.logLevel
            return handler
        }
        var logger = Logger(label: "ndpd")
        logger.logLevel = options.logLevel
        let daemon = LiveDaemon(options: options, logger: logger)
        return daemon.run(rules: rules)
    }
}

/// What a descriptor in the daemon's event poll stands for: the token it is registered with.
enum LoopSource: Equatable {
    /// The signal pipe.
    case signals
    /// The background reload's wake-up pipe.
    case wakeup
    /// The netlink interface watcher.
    case interfaces
    /// The netlink neighbour watcher (live mode).
    case neighbours
    /// The netlink route watcher (live mode, `guest-interfaces = "routes"`).
    case routes
    /// The loop's timer.
    case timer
    /// The capture of `ports[port]`.
    case capture(port: Int)
    /// The capture of guest side `side` of `ports[port]` (live mode, guests on other interfaces).
    case guestCapture(port: Int, side: Int)

    /// The token: small numbers for the fixed sources, captures from `captureBase` on.
    var token: UInt64 {
        switch self {
        case .signals: 0
        case .wakeup: 1
        case .interfaces: 2
        case .neighbours: 3
        case .routes: 4
        case .timer: 5
        case .capture(let port): Self.captureBase + UInt64(port)
        case .guestCapture(let port, let side): Self.guestCaptureBase + UInt64(port) << 16 + UInt64(side)
        }
    }

    /// The source registered with `token`.
    init?(token: UInt64) {
        switch token {
        case 0: self = .signals
        case 1: self = .wakeup
        case 2: self = .interfaces
        case 3: self = .neighbours
        case 4: self = .routes
        case 5: self = .timer
        case Self.guestCaptureBase...:
            self = .guestCapture(
                port: Int((token - Self.guestCaptureBase) >> 16), side: Int((token - Self.guestCaptureBase) & 0xFFFF))
        case Self.captureBase...: self = .capture(port: Int(token - Self.captureBase))
        default: return nil
        }
    }

    /// The first capture token; the numbers below it are left for fixed sources.
    static let captureBase: UInt64 = 64
    /// The first guest-side capture token: above every port's capture token.
    static let guestCaptureBase: UInt64 = 1 << 32
}

/// The event loop and everything it owns. Single-threaded: every descriptor (signal pipe,
/// netlink watcher, wake-up pipe, one capture per interface) is registered once in one epoll
/// instance, and re-registered only when it changes (an interface reopened, a reload); each
/// wake-up makes one wait, handles what is ready, then the timers (retries, announcements,
/// metrics).
final class LiveDaemon {
    private let options: DaemonOptions
    private let logger: Logger
    // Unchecked exclusivity on the properties every wake-up reads (`ports`, `events`, and the
    // two watchers, whose reads the compiler starts before the loop over the ready events): the
    // loop is single-threaded and never reaches them re-entrantly, so Swift's dynamic check on
    // each access to a class's stored property (a runtime call and a thread-local lookup) would
    // never fire.
    @exclusivity(unchecked) private var ports: [Port] = []
    private var signals: SignalPipe?
    private var wakeup: Wakeup?
    private var backgroundReload: BackgroundReload?
    private var watcher: NetlinkWatcher?
    /// Live mode: the kernel's neighbour changes, open while a rule is in live mode.
    @exclusivity(unchecked) private var neighbourWatcher: NetlinkWatcher?
    /// Live mode with `guest-interfaces = "routes"`: the kernel's route changes, open while such
    /// a rule is loaded.
    @exclusivity(unchecked) private var routeWatcher: NetlinkWatcher?
    @exclusivity(unchecked) private var events: EventPoll?
    /// True when a port's capture opened, closed or moved in `ports` since the captures were
    /// last registered.
    private var capturesChanged = true
    /// The capture descriptors registered now, to unregister when they change.
    private var registeredCaptures: [Int32] = []
    private var stopping = false
    private var reloadsSucceeded = 0
    private var reloadsFailed = 0
    private var nextMetrics: ContinuousClock.Instant?
    /// Without netlink, the facts are read again this often instead.
    private var nextFactsPoll: ContinuousClock.Instant?
    private var metricsErrorLog = LogRateLimiter(interval: .seconds(60))
    /// The earliest timer (`earliestTimer()`), when `hasTimer`. Two fields rather than an
    /// optional: the wake-up for frames alone then tests a Bool, where an optional Instant (a
    /// type of another library, opaque to the optimiser) costs runtime calls to copy and test.
    private var nextTimer = ContinuousClock.now
    private var hasTimer = false
    /// True when a timer may have moved since `nextTimer` was computed.
    private var timersChanged = true
    /// True when the timers must run after this wake-up's frames: one fired, or a signal, a
    /// reload or a netlink change may have made one due.
    private var timersDue = true
    /// The timer the loop's wait is woken by, set only when `nextTimer` moves; without one (no
    /// timerfd), the wait carries a timeout instead.
    private var loopTimer: LoopTimer?
    /// The control socket's thread, and the requests it hands to this loop.
    private var controlServer: ControlServer?
    private var control: ControlService?
    /// `ndpd reload` requests waiting for the reload in progress.
    private var pendingReloads: [PendingControlRequest] = []
    private let startedAt = Date()
    private var loadedAt = Date()

    /// Frames handled per capture per wake-up: the other interfaces and the signal pipe are
    /// looked at between two batches even under a flood.
    static let batch = 256
    /// The fallback's facts polling period when no netlink socket can be opened.
    static let factsPollInterval: Duration = .seconds(2)

    init(options: DaemonOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    nonisolated func run(rules: [ProxyRule]) -> Int32 {
        do {
            signals = try SignalPipe(signals: [.hangup, .interrupt, .terminate, .user1])
            events = try EventPoll()
            try events?.add(signals!.descriptor, token: LoopSource.signals.token)
        } catch {
            logger.critical("cannot install signal handlers: \(error)")
            return Daemon.cannotStart
        }
        do {
            let timer = try LoopTimer()
            try events?.add(timer.descriptor, token: LoopSource.timer.token)
            loopTimer = timer
        } catch {
            logger.warning("no loop timer (\(error)); the wait carries each timeout instead")
        }
        do {
            let wakeup = try Wakeup()
            try events?.add(wakeup.descriptor, token: LoopSource.wakeup.token)
            self.wakeup = wakeup
            backgroundReload = BackgroundReload(wakeup: wakeup)
        } catch {
            logger.warning("no reload thread (\(error)); SIGHUP reloads on the capture loop")
        }
        if let path = options.controlPath { openControlSocket(path) }
        defer { controlServer?.stop() }
        do {
            let watcher = try NetlinkWatcher(watching: .interfaces)
            try events?.add(watcher.descriptor, token: LoopSource.interfaces.token)
            self.watcher = watcher
        } catch {
            logger.warning("no interface notifications (\(error)); reading interface facts every 2 s instead")
        }
        let now = ContinuousClock.now
        if watcher == nil { nextFactsPoll = now + Self.factsPollInterval }
        ports = rules.map { Port(rule: $0, logger: logger, now: now) }
        // Subscribed before the ports' dumps, so that no change falls between a dump and the events.
        followNeighbours()
        followRoutes()
        for port in ports { port.reconcile(now: now) }
        if let denied = ports.first(where: \.permissionDenied) {
            logger.critical(
                "cannot capture on \(denied.name): ndpd needs CAP_NET_RAW (run as root, or grant it: AmbientCapabilities=CAP_NET_RAW in the systemd unit)"
            )
            for port in ports { port.close() }
            return Daemon.cannotStart
        }
        if options.dropCapabilities { dropCapabilities() }
        let interfaces = ports.map(\.name).joined(separator: ", ")
        let reloads = options.configPath ?? "nothing: rules from the command line"
        logger.info(
            "ndpd running: \(ports.count) interface\(ports.count == 1 ? "" : "s") (\(interfaces)); SIGHUP reloads \(reloads), SIGUSR1 logs counters, SIGTERM stops"
        )
        if options.metricsPath != nil {
            nextMetrics = now
        }
        let status = loop()
        for port in ports { port.close() }
        writeMetrics()
        logger.info("ndpd stopped; all-multicast memberships released")
        return status
    }

    /// Keeps CAP_NET_RAW only: enough to reopen captures and sockets on a recreated bridge.
    private func dropCapabilities() {
        do {
            let report = try Capabilities.keepOnlyNetRaw()
            let bounding =
                report.boundingSetDropped > 0
                ? "; \(report.boundingSetDropped) removed from the bounding set" : ""
            if report.keepsNetRaw {
                logger.info(
                    "capabilities: kept CAP_NET_RAW only (effective 0x\(String(report.effectiveBefore, radix: 16)) -> 0x\(String(report.effectiveAfter, radix: 16))\(bounding))"
                )
            } else {
                logger.warning(
                    "capabilities: CAP_NET_RAW was not held, none kept: interfaces that are recreated cannot be reopened (effective 0x\(String(report.effectiveBefore, radix: 16)) -> 0)"
                )
            }
        } catch {
            logger.warning("capabilities: could not drop (\(error)); running with the capabilities it was given")
        }
    }

    // MARK: The loop

    private nonisolated func loop() -> Int32 {
        while !stopping {
            if capturesChanged { registerCaptures() }
            if timersChanged {
                let earliest = earliestTimer()
                hasTimer = earliest != nil
                if let earliest { nextTimer = earliest }
                timersChanged = false
                setLoopTimer()
            }
            let ready: Int
            do {
                // The loop timer wakes the wait when a timer is due, so the wait itself carries
                // no timeout (each one costs the kernel a timer to start and cancel per sleep).
                // Without it, a timeout stands in, only while a timer is set.
                let timeout = loopTimer == nil && hasTimer ? waitMilliseconds(until: nextTimer) : -1
                ready = try events!.wait(timeoutMilliseconds: timeout)
            } catch {
                logger.critical("\(error)")
                return Daemon.cannotStart
            }
            // Signals, the reload and interface changes first, then the captures.
            var refreshFacts = false
            for index in 0..<ready {
                switch LoopSource(token: events!.token(at: index)) {
                case .signals: signals?.drain { handle($0) }
                case .wakeup:
                    wakeup?.drain()
                    if let outcome = backgroundReload?.take() { finishReload(outcome) }
                    for pending in control?.take() ?? [] { answer(pending) }
                case .interfaces: if watcher?.drainInterfaceChanges() == true { refreshFacts = true }
                case .neighbours: drainNeighbours()
                case .routes: drainRoutes()
                case .timer: loopTimer?.acknowledge()
                case .capture, .guestCapture, nil: continue
                }
                // A timer fired, or a signal, a reload or a change may have moved any timer.
                timersDue = true
            }
            if stopping { break }
            for index in 0..<ready {
                // A reload may have replaced the ports since the wait: their captures are
                // registered again before the next one, and read then.
                let source = LoopSource(token: events!.token(at: index))
                if !capturesChanged, case .guestCapture(let portIndex, let side) = source, portIndex < ports.count {
                    // Evidence from a guest interface may end a probe: when the live table's
                    // deadline moved, the loop timer is set again.
                    let deadline = ports[portIndex].engine.nextDeadline
                    defer { if ports[portIndex].engine.nextDeadline != deadline { timersChanged = true } }
                    if let error = ports[portIndex].drainGuest(side: side, limit: Self.batch) {
                        // Only that guest side is lost (a guest's interface went away, say):
                        // the port keeps answering, and the sides are brought in line now.
                        ports[portIndex].guestCaptureFailed(error, side: side, now: .now)
                        capturesChanged = true
                    }
                    continue
                }
                guard !capturesChanged, case .capture(let portIndex) = source,
                    portIndex < ports.count
                else { continue }
                let port = ports[portIndex]
                guard port.isOpen else { continue }
                // A live port's frames may start or end a probe: when the live table's deadline
                // moved, the loop timer is set again. A frame that moves none (a known guest's
                // answer) costs no timer work.
                let live = port.rule.mode == .live
                let deadline = live ? port.engine.nextDeadline : nil
                let failure = port.drain(limit: Self.batch)
                if live && port.engine.nextDeadline != deadline { timersChanged = true }
                guard let error = failure else { continue }
                port.captureFailed(error, now: .now)
                capturesChanged = true
                refreshFacts = true
            }
            // The timers run when one fired, or when something may have made one due; a wake-up
            // for frames alone runs none and reads no clock (the loop timer stands guard).
            if refreshFacts || timersDue {
                timersDue = false
                runTimers(now: .now, refreshFacts: refreshFacts)
            } else if hasTimer && loopTimer == nil {
                let now = ContinuousClock.now
                if now >= nextTimer { runTimers(now: now, refreshFacts: false) }
            }
        }
        return Daemon.stopped
    }

    /// Interface facts read again (when asked, or when polling is due), closed interfaces
    /// retried, announcements and metrics written when due. Every timer may move here.
    private func runTimers(now: ContinuousClock.Instant, refreshFacts: Bool) {
        var refreshFacts = refreshFacts
        if let due = nextFactsPoll, now >= due {
            refreshFacts = true
            nextFactsPoll = now + Self.factsPollInterval
        }
        for port in ports where refreshFacts || (!port.isOpen && now >= port.nextAttempt) {
            if port.reconcile(now: now) { capturesChanged = true }
        }
        for port in ports { port.announce(now: now) }
        for port in ports { port.runLiveTimers() }
        if let due = nextMetrics, now >= due {
            writeMetrics()
            nextMetrics = now + options.metricsInterval
        }
        timersChanged = true
    }

    /// The earliest deadline of a retry, an announcement, the metrics or the facts polling;
    /// nil when none is set.
    private func earliestTimer() -> ContinuousClock.Instant? {
        var earliest: ContinuousClock.Instant?
        func consider(_ deadline: ContinuousClock.Instant?) {
            guard let deadline else { return }
            earliest = min(earliest ?? deadline, deadline)
        }
        for port in ports {
            if !port.isOpen { consider(port.nextAttempt) }
            consider(port.nextAnnouncement)
            if port.rule.mode == .live { consider(port.nextLiveDeadline(now: .now)) }
        }
        consider(nextMetrics)
        consider(nextFactsPoll)
        return earliest
    }

    /// Opens the neighbour watcher while a rule is in live mode, and closes it when none is.
    private func followNeighbours() {
        follow(
            &neighbourWatcher, .neighbours, as: .neighbours, while: ports.contains { $0.rule.mode == .live },
            without: "no neighbour notifications",
            meaning: "the kernel's neighbour table is read only when an interface opens")
    }

    /// Opens the route watcher while a rule follows the kernel's routes, and closes it when none
    /// does.
    private func followRoutes() {
        follow(
            &routeWatcher, .routes, as: .routes,
            while: ports.contains(where: \.rule.followsRoutes),
            without: "no route notifications", meaning: "the kernel's routes are read only when an interface opens")
    }

    /// Keeps one netlink watcher of `kind` open and registered as `source` while `wanted`, and closed
    /// otherwise. One that cannot be opened is logged (`without`: `meaning`), and the live ports
    /// fall back on the dumps they make when they open.
    private func follow(
        _ watcher: inout NetlinkWatcher?, _ kind: NetlinkWatcher.Kind, as source: LoopSource, while wanted: Bool,
        without: String, meaning: String
    ) {
        if wanted, watcher == nil {
            do {
                let opened = try NetlinkWatcher(watching: kind)
                try events?.add(opened.descriptor, token: source.token)
                watcher = opened
            } catch {
                logger.warning("live mode: \(without) (\(error)); \(meaning)")
            }
        } else if !wanted, let open = watcher {
            events?.remove(open.descriptor)
            watcher = nil
        }
    }

    /// Hands each route change to the ports that follow routes; when notifications were lost,
    /// they read the whole table again. A port whose guest sides moved has new captures.
    private func drainRoutes() {
        guard let watcher = routeWatcher else { return }
        let complete = watcher.drainRoutes { route in
            for port in ports where port.observe(route) { capturesChanged = true }
        }
        if !complete {
            for port in ports where port.rereadKernelRoutes() { capturesChanged = true }
        }
    }

    /// Hands each neighbour change to the port of its interface; when notifications were lost,
    /// the live ports read the whole table again.
    private func drainNeighbours() {
        guard let watcher = neighbourWatcher else { return }
        let complete = watcher.drainNeighbours(
            neighbour: { entry in for port in ports where port.rule.mode == .live { port.observe(entry) } },
            forwarding: { entry in for port in ports where port.rule.mode == .live { port.observe(entry) } })
        if !complete {
            for port in ports where port.rule.mode == .live {
                port.readUplinkMACs()
                port.readKernelNeighbours()
            }
        }
    }

    /// Registers the open captures, each with its port's index, after one opened, closed or
    /// moved. Every earlier registration goes first: a closed descriptor's number may already
    /// belong to another port's new capture.
    private func registerCaptures() {
        for descriptor in registeredCaptures { events!.remove(descriptor) }
        registeredCaptures.removeAll(keepingCapacity: true)
        for (index, port) in ports.enumerated() {
            for (side, descriptor) in port.guestDescriptors {
                do {
                    try events!.add(descriptor, token: LoopSource.guestCapture(port: index, side: side).token)
                    registeredCaptures.append(descriptor)
                } catch {
                    logger.error("cannot wait on a guest capture of \(port.name): \(error)")
                }
            }
            guard let descriptor = port.descriptor else { continue }
            do {
                try events!.add(descriptor, token: LoopSource.capture(port: index).token)
                registeredCaptures.append(descriptor)
            } catch {
                logger.error("cannot wait on the capture of \(port.name): \(error); closing it to retry")
                port.close()
                timersChanged = true
            }
        }
        capturesChanged = false
    }

    /// Sets the loop timer for `nextTimer` (or disarms it when no timer is set); a timer that
    /// cannot be set is given up, and the wait carries the timeouts from then on.
    private func setLoopTimer() {
        guard let timer = loopTimer else { return }
        do {
            try timer.set(hasTimer ? nextTimer : nil, now: .now)
        } catch {
            logger.error("\(error); the wait carries each timeout from now on")
            events?.remove(timer.descriptor)
            loopTimer = nil
        }
    }

    /// How long the wait may last: until `deadline` (the earliest timer).
    private func waitMilliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let now = ContinuousClock.now
        guard deadline > now else { return 0 }
        let (seconds, attoseconds) = (deadline - now).components
        guard seconds < Int64(Int32.max / 1_000) else { return Int32.max }
        // Round up: waking a little late is harmless, waking early spins.
        return Int32(seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    // MARK: Signals

    private func handle(_ signal: ProcessSignal) {
        switch signal {
        case .terminate, .interrupt:
            logger.info("\(signal): stopping")
            stopping = true
        case .hangup:
            reload()
        case .user1:
            for line in MetricsText.summary(counters) { logger.notice("counters: \(line)") }
        default:
            break
        }
    }

    /// SIGHUP: reads the file again on another thread (`BackgroundReload`) while this loop
    /// keeps answering under the rules in force; `finishReload` swaps the new rules in, here,
    /// between two batches of frames, only if the whole file is valid.
    private func reload(cause: String = "SIGHUP") {
        guard let path = options.configPath else {
            logger.warning("\(cause): the rules came from the command line, there is no file to reload")
            return
        }
        logger.info("\(cause): reloading \(path)")
        if let backgroundReload {
            backgroundReload.start(path: path, logger: logger)
        } else {
            finishReload(ConfigurationReloader.attempt(path: path, logger: logger))
        }
    }

    private func finishReload(_ outcome: BackgroundReload.Outcome) {
        guard case .loaded(let rules) = outcome else {
            reloadsFailed += 1
            if case .refused(let problems) = outcome {
                answerReloads(
                    ControlReply(
                        ok: false,
                        body: problems.map { $0 + "\n" }.joined()
                            + "reload refused (\(problems.count) problem\(problems.count == 1 ? "" : "s")): the previous configuration stays in force\n"
                    ))
            }
            return
        }
        let now = ContinuousClock.now
        var kept: [Port] = []
        for rule in rules {
            if let port = ports.first(where: { $0.name == rule.interface }) {
                port.update(rule: rule)
                port.startAnnouncements(now: now)
                kept.append(port)
            } else {
                let port = Port(rule: rule, logger: logger, now: now)
                port.reconcile(now: now)
                kept.append(port)
            }
        }
        for port in ports where !kept.contains(where: { $0 === port }) {
            logger.info("\(port.name) is no longer configured: closed")
            port.close()
        }
        ports = kept
        followNeighbours()
        followRoutes()
        capturesChanged = true
        reloadsSucceeded += 1
        loadedAt = Date()
        answerReloads(ControlReply(ok: true, body: "reloaded\n"))
        let summary = rules.map { rule in
            "\(rule.interface) (\(rule.targets.exactCount) addresses, \(rule.targets.prefixCount) prefixes)"
        }.joined(separator: ", ")
        logger.info("reloaded \(options.configPath ?? ""): \(summary)")
    }

    // MARK: Control socket

    private func openControlSocket(_ path: String) {
        guard let wakeup else {
            logger.warning("no control socket: no wake-up pipe")
            return
        }
        let service = ControlService(wakeup: wakeup)
        do {
            controlServer = try ControlServer(path: path) { service.ask($0) }
            control = service
            logger.info("control socket \(path): ndpd status, ndpd reload")
        } catch {
            logger.warning("no control socket: \(error)")
        }
    }

    /// A request from the control socket, on this loop between two batches of frames.
    private func answer(_ pending: PendingControlRequest) {
        switch pending.request {
        case .status(let json, let live):
            let report = status(listingLiveEntries: live)
            pending.answer(ControlReply(ok: true, body: json ? report.json : report.text))
        case .reload:
            guard options.configPath != nil else {
                pending.answer(
                    ControlReply(ok: false, body: "the rules came from the command line: there is no file to reload\n"))
                return
            }
            pendingReloads.append(pending)
            reload(cause: "ndpd reload")
        }
    }

    /// Answers the waiting `ndpd reload` requests, unless a newer load is already running or
    /// queued (one asked for after this load began): they then wait for its outcome.
    private func answerReloads(_ reply: ControlReply) {
        guard backgroundReload?.isIdle ?? true else { return }
        for pending in pendingReloads { pending.answer(reply) }
        pendingReloads.removeAll()
    }

    /// The daemon's state; with `listingLiveEntries`, every address of each live table too.
    private func status(listingLiveEntries: Bool) -> StatusReport {
        let now = WallClock.microseconds()
        return StatusReport(
            version: NDPVersion.version, commit: NDPVersion.commit, started: StatusReport.timestamp(startedAt),
            configuration: .init(
                path: options.configPath, loaded: StatusReport.timestamp(loadedAt),
                reloadsApplied: reloadsSucceeded, reloadsRefused: reloadsFailed),
            interfaces: ports.map { port in
                let counters = port.counters
                let statistics = counters.statistics
                var reasons: [String: Int] = [:]
                for entry in statistics.reasonCounts { reasons["\(entry.decision) \(entry.reason)"] = entry.count }
                let rule = port.rule
                return StatusReport.Interface(
                    name: port.name,
                    state: port.isOpen ? "up" : "not open" + (port.lastProblem.map { " (\($0))" } ?? ""),
                    mac: port.link?.mac?.description, addresses: port.link?.addresses.map(\.description) ?? [],
                    rules: .init(
                        addresses: rule.targets.exactCount, prefixes: rule.targets.prefixCount,
                        excluded: rule.exclude.exactCount + rule.exclude.prefixCount, router: rule.router,
                        override: rule.override, dad: rule.dad.rawValue, source: rule.source.description,
                        unsolicitedNA: rule.unsolicitedAdvertisements, targetsFile: rule.targetsFile),
                    counters: .init(
                        frames: statistics.framesReceived, solicitations: statistics.solicitations,
                        answered: statistics.answered, advertisementsSent: statistics.advertisementsSent,
                        ignored: statistics.ignoredTotal, invalid: statistics.invalidTotal,
                        sendErrors: statistics.sendErrors,
                        unsolicitedAdvertisements: counters.unsolicitedAdvertisements,
                        captureDrops: counters.kernelDrops, reasons: reasons),
                    live: port.engine.guests.map { guests in
                        var table = StatusReport.LiveTable(guests, at: now, listing: listingLiveEntries)
                        table.guestInterfaces =
                            port.rule.isBridged ? (port.isOpen ? [port.name] : []) : port.guestSides.map(\.name)
                        table.routes = port.engine.guestRoutes?.count
                        return table
                    })
            })
    }

    // MARK: Counters

    private var counters: DaemonCounters {
        DaemonCounters(
            interfaces: ports.map(\.counters), reloadsSucceeded: reloadsSucceeded,
            reloadsFailed: reloadsFailed)
    }

    private func writeMetrics() {
        guard let path = options.metricsPath else { return }
        do {
            try AtomicFile.write(MetricsText.prometheus(counters), to: path)
        } catch {
            if let suppressed = metricsErrorLog.admit(at: .now) {
                logger.warning(
                    "cannot write metrics: \(error)\(suppressed > 0 ? " (\(suppressed) more failures)" : "")")
            }
        }
    }
}
