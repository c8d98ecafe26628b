import Logging
import NDPIO
import NDPPolicy
import NDPWire

/// Live mode on a served interface (ARCHITECTURE.md, "Live guests"). Bridged, the guests are
/// on the port's own interface, so the probes leave through its packet socket, and its capture
/// (which passes advertisements in live mode) brings their answers. Otherwise each guest
/// interface (named, or where the kernel's routes lead) is a `GuestSide` of its own. The table's
/// timers and the kernel's neighbour table drive the engine between frames.
extension Port {
    /// Sends one probe now, through the packet socket of guest side `side` (the port's own in
    /// the bridged case); a failure is counted and logged as an answer's is.
    func sendProbe(_ probe: Span<UInt8>, side: Int) {
        let socket = guestSides.isEmpty ? self.socket : (side < guestSides.count ? guestSides[side].socket : nil)
        guard let socket else { return }
        do throws(Errno) {
            try socket.send(probe)
        } catch {
            sendFailed(error)
        }
    }

    /// When the live table's next timer runs out, on the loop's clock; nil when none is set (or
    /// in static mode, or while closed).
    func nextLiveDeadline(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard isOpen, let deadline = engine.nextDeadline else { return nil }
        // The table runs on capture time (the real-time clock, in microseconds); the loop
        // waits on the monotonic one. A deadline already passed is due now.
        let wait = max(0, deadline - WallClock.microseconds())
        return now + .microseconds(wait)
    }

    /// Runs the live table's timers due now: probes sent, waiting solicitors answered or
    /// ignored.
    func runLiveTimers() {
        guard isOpen, engine.nextDeadline != nil else { return }
        engine.runTimers(
            until: WallClock.microseconds(),
            send: { advertisement, _ in self.sendAnswer(advertisement) },
            probe: { probe, _, side in self.sendProbe(probe, side: side) },
            emit: { outcome, _ in self.emit(outcome) })
        finishBatch()
    }

    /// Reads the kernel's neighbour table on the interface (a netlink dump): at open, and after
    /// the event socket lost notifications.
    func readKernelNeighbours() {
        guard rule.mode == .live, let link else { return }
        do throws(IOError) {
            var entries: [KernelNeighbour] = []
            for index in guestIndices(bridged: link.index) {
                entries += try KernelNeighbours.neighbours(onInterface: index)
            }
            for entry in entries { observe(entry) }
            logger.info("\(name): live mode: \(entries.count) kernel neighbour entries read")
        } catch {
            logger.warning("\(name): cannot read the kernel's neighbour table: \(error)")
        }
    }

    /// `guest-interfaces = "routes"`: reads the kernel's main IPv6 routing table (a netlink
    /// dump) into the engine, keeping the routes into the target prefixes: at open, after the
    /// event socket lost notifications. The caller opens the guest sides they lead to.
    func readKernelRoutes() {
        guard rule.followsRoutes else {
            engine.guestRoutes = nil
            return
        }
        var routes = GuestRoutes(for: rule)
        do throws(IOError) {
            var refused = 0
            for route in try KernelRoutes.routes() where routes.add(route.kept, for: route.prefix) == .refused {
                refused += 1
            }
            let notKept = refused > 0 ? "; \(refused) more not kept (the table holds \(routes.capacity))" : ""
            logger.info(
                "\(name): live mode: \(routes.count) kernel routes into the target prefixes, to \(routes.interfaceIndexes.count) interfaces\(notKept)"
            )
        } catch {
            logger.warning("\(name): cannot read the kernel's routes: \(error); no address has a guest route")
        }
        engine.guestRoutes = routes
    }

    /// Routes mode: follows one route change. When the interfaces the routes lead to change,
    /// the guest sides are brought in line (`reconcileGuestSides`); returns true then, so the
    /// loop registers their captures again.
    func observe(_ route: KernelRoute) -> Bool {
        guard isOpen, rule.followsRoutes, engine.guestRoutes?.isRelevant(route.prefix) == true else { return false }
        // Changed in place (no copy of the table is held meanwhile): a copy per event would cost
        // the table's size.
        let change =
            route.isDeleted
            ? engine.guestRoutes!.remove(route.prefix, metric: route.metric)
            : engine.guestRoutes!.add(route.kept, for: route.prefix)
        if change == .refused {
            logger.warning(
                "\(name): route \(route.prefix) not kept: the table holds \(engine.guestRoutes!.capacity) routes already"
            )
        }
        return change == .changed && reconcileGuestSides()
    }

    /// Routes mode: the table was lost (events dropped): reads it whole again. Returns true,
    /// as `observe(_:)` does, when the guest sides were opened again.
    func rereadKernelRoutes() -> Bool {
        guard isOpen, rule.followsRoutes else { return false }
        readKernelRoutes()
        return reconcileGuestSides()
    }

    /// The most MACs kept as upstream: a bound on what the uplink's traffic can make the port
    /// hold (a bridge's own default limit is of this order).
    static let upstreamLimit = 16_384

    /// Reads the MACs the bridge learned behind `uplink-port` (its forwarding database): frames
    /// from them are never a guest's evidence (ARCHITECTURE.md, "Live guests").
    func readUplinkMACs() {
        guard rule.mode == .live, let port = rule.uplinkPort else { return }
        do throws(IOError) {
            guard let state = try SystemInterfaces.state(of: port) else {
                uplinkIndex = nil
                logger.warning("\(name): uplink-port \(port) does not exist: no MAC is known to be upstream")
                return
            }
            uplinkIndex = state.index
            engine.upstreamMACs = Set(
                try KernelNeighbours.forwardingEntries(onPort: state.index).prefix(Self.upstreamLimit).map(\.mac))
            logger.info(
                "\(name): live mode: uplink-port \(port) (index \(state.index)): \(engine.upstreamMACs.count) MACs learned behind it, never a guest's"
            )
        } catch {
            logger.warning("\(name): cannot read the forwarding database of \(port): \(error)")
        }
    }

    /// Follows one change of a bridge's forwarding database: a MAC learned behind, or gone
    /// from, the uplink port.
    func observe(_ entry: BridgeForwardingEntry) {
        guard rule.mode == .live, let uplinkIndex, entry.portIndex == uplinkIndex else { return }
        if entry.isDeleted {
            engine.upstreamMACs.remove(entry.mac)
        } else if engine.upstreamMACs.count < Self.upstreamLimit {
            engine.upstreamMACs.insert(entry.mac)
        }
    }

    /// Learns from one kernel neighbour entry (a dump's, or an RTNLGRP_NEIGH event's) on this
    /// port's interface.
    func observe(_ entry: KernelNeighbour) {
        guard isOpen, rule.mode == .live, let link, guestIndices(bridged: link.index).contains(entry.interfaceIndex),
            engine.isGuestEvidence(entry.address, onInterface: entry.interfaceIndex), let state = Self.state(of: entry)
        else { return }
        engine.observeKernel(
            entry.address, state: state, mac: entry.mac, at: WallClock.microseconds(),
            send: { advertisement, _ in self.sendAnswer(advertisement) },
            emit: { outcome, _ in self.emit(outcome) })
        finishBatch()
    }

    /// The table's reading of a kernel entry's NUD state (ARCHITECTURE.md, "Live guests":
    /// REACHABLE, DELAY, PROBE and PERMANENT are LIVE, STALE is STALE, FAILED and deleted
    /// entries drop the address); nil for a state that says nothing (NOARP, none).
    static func state(of entry: KernelNeighbour) -> KernelNeighborState? {
        if entry.isDeleted { return .deleted }
        let states = entry.states
        if states.contains(.permanent) { return .permanent }
        if states.contains(.reachable) { return .reachable }
        if states.contains(.delay) { return .delay }
        if states.contains(.probe) { return .probe }
        if states.contains(.stale) { return .stale }
        if states.contains(.failed) { return .failed }
        if states.contains(.incomplete) { return .incomplete }
        return nil
    }
}

/// One guest interface of a live rule whose guests are not on its own interface
/// (`guest-interfaces = ["vmbr1"]`): a capture for the guests' evidence and a packet socket for
/// the probes, opened and closed with the port.
final class GuestSide: CaptureReceiver {
    /// The interface name.
    let name: String
    /// Its position in the port's `guestSides` (and the engine's).
    let side: Int
    unowned let port: Port
    var capture: LiveCapture?
    var socket: PacketSocket?
    /// What the system said when it was opened.
    var link: LinkState?

    init(name: String, side: Int, port: Port) {
        self.name = name
        self.side = side
        self.port = port
    }

    /// A frame of this side: evidence only.
    func receive(_ header: PacketHeader, _ frame: Span<UInt8>) {
        port.receiveGuestFrame(header, frame, side: side)
    }
}

extension Port {
    /// The interface indexes whose kernel neighbours are guest evidence: the guest sides open
    /// now, or the port's own interface (`bridged`) in the bridged case.
    func guestIndices(bridged: Int32) -> [Int32] {
        rule.isBridged ? [bridged] : guestSides.compactMap { $0.link?.index }
    }

    /// The guest interfaces to open: those named, or with routes, those the kept routes lead
    /// to (never the port's own interface: a route back out of it leads to no guest). Empty in
    /// the bridged case.
    private var guestInterfaceNames: [String] {
        guard rule.mode == .live, !rule.isBridged else { return [] }
        switch rule.guestInterfaces {
        case .named(let names): return names
        case .routes:
            return (engine.guestRoutes?.interfaceIndexes ?? []).filter { $0 != link?.index }.compactMap { index in
                guard let name = SystemInterfaces.name(of: index) else {
                    logger.warning("\(self.name): a route leads to interface index \(index), which has no name now")
                    return nil
                }
                return name
            }
        }
    }

    /// Opens a capture and a packet socket on each guest interface that is there and up
    /// (bridged rules have none), and tells the engine their facts. One that cannot be opened
    /// is logged and left closed until the port opens again (or, with routes, until the routes
    /// lead elsewhere).
    func openGuestSides() {
        closeGuestSides()
        var facts: [InterfaceFacts] = []
        for name in guestInterfaceNames {
            let side = GuestSide(name: name, side: guestSides.count, port: self)
            do throws(IOError) {
                guard let state = try SystemInterfaces.state(of: name), state.isUp else {
                    logger.warning("\(self.name): guest interface \(name) is missing or down: no probe leaves there")
                    continue
                }
                let capture = try LiveCapture(
                    interface: name, filter: LiveCapture.filter(LiveCapture.liveFilter, sentBy: state.mac),
                    snapshotLength: LiveCapture.snapshotLength(forMTU: state.mtu))
                guard capture.linkType == .ethernet else {
                    capture.close()
                    logger.warning("\(self.name): guest interface \(name) is not Ethernet: not used")
                    continue
                }
                side.socket = try PacketSocket(interfaceIndex: state.index)
                side.capture = capture
                side.link = state
                guestSides.append(side)
                facts.append(
                    InterfaceFacts(name: name, mac: state.mac ?? ProxyRule.defaultReplayMAC, addresses: state.addresses)
                )
                logger.info("\(self.name): live mode: guests on \(name) (index \(state.index))")
            } catch {
                logger.warning("\(self.name): cannot open guest interface \(name): \(error)")
            }
        }
        engine.guestSides = facts
        engine.guestSideIndexes = guestSides.compactMap { $0.link?.index }
    }

    /// Brings the guest sides in line with the system and the routes, after an interface change,
    /// a route change or a failed guest capture: each guest interface that exists and is up is
    /// open (its capture working), at its current index, and no other. When they are not (one
    /// was created, came up, was recreated, went down or away, or the routes lead elsewhere),
    /// they are opened again and their neighbour entries read; returns true then, so the loop
    /// registers their captures again.
    func reconcileGuestSides() -> Bool {
        guard isOpen, rule.mode == .live, !rule.isBridged else { return false }
        var wanted: [String: Int32] = [:]
        for name in guestInterfaceNames {
            if let state = try? SystemInterfaces.state(of: name), state.isUp { wanted[name] = state.index }
        }
        var open: [String: Int32] = [:]
        for side in guestSides where side.capture != nil { open[side.name] = side.link?.index }
        guard wanted != open else { return false }
        logger.info("\(name): live mode: the guest interfaces changed; opening them again")
        openGuestSides()
        readKernelNeighbours()
        return true
    }

    /// Closes every guest side's capture and socket.
    func closeGuestSides() {
        for side in guestSides {
            side.capture?.close()
            side.capture = nil
            side.socket = nil
        }
        guestSides = []
        engine.guestSides = []
        engine.guestSideIndexes = []
    }

    /// The guest sides' capture descriptors, with their positions.
    var guestDescriptors: [(side: Int, descriptor: Int32)] {
        guestSides.compactMap { side in side.capture.map { (side.side, $0.descriptor) } }
    }

    /// Hands up to `limit` frames of guest side `side` to the engine, as evidence; the answers
    /// they release leave at once. Returns the error if that capture broke (the side is then
    /// closed, and opened again with the port).
    func drainGuest(side: Int, limit: Int) -> IOError? {
        guard side < guestSides.count, let capture = guestSides[side].capture else { return nil }
        defer { finishBatch() }
        do {
            _ = try capture.dispatch(limit: limit, to: guestSides[side])
        } catch {
            guestSides[side].capture?.close()
            guestSides[side].capture = nil
            return error
        }
        return nil
    }

    /// Reading guest side `side`'s capture failed (`drainGuest` closed it): logged, and the
    /// sides are brought in line with the system at once (the interface may be gone, or may be
    /// opened again). The port's own capture is not touched.
    func guestCaptureFailed(_ error: IOError, side: Int, now: ContinuousClock.Instant) {
        if let suppressed = captureErrorLog.admit(at: now) {
            let sideName = side < guestSides.count ? guestSides[side].name : "?"
            logger.warning(
                "\(name): capture on guest interface \(sideName) stopped: \(error)\(suppressed > 0 ? " (\(suppressed) similar not logged)" : ""); opening the guest interfaces again"
            )
        }
        _ = reconcileGuestSides()
    }

    /// One frame of a guest side.
    func receiveGuestFrame(_ header: PacketHeader, _ frame: Span<UInt8>, side: Int) {
        engine.observeGuestFrame(
            frame, linkType: .ethernet, header: header, side: side,
            send: { advertisement, _ in self.sendAnswer(advertisement) },
            probe: { probe, _, side in self.sendProbe(probe, side: side) },
            emit: { outcome, _ in self.emit(outcome) })
    }
}

extension KernelRoute {
    /// The destination as a prefix.
    var prefix: IPv6Prefix { IPv6Prefix(address: destination, length: prefixLength) }
    /// The route as the table keeps it.
    var kept: GuestRoutes.Route { GuestRoutes.Route(interfaceIndex: interfaceIndex, metric: metric) }
}
