import Logging
import NDPIO
import NDPPolicy
import NDPWire

/// Live mode on a served interface (ARCHITECTURE.md, "Live guests"), in the bridged case: the
/// guests are on the port's own interface, so the probes leave through its packet socket, and
/// its capture (which passes advertisements in live mode) brings their answers. The table's
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
            let state = Self.state(of: entry)
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

    /// Opens a capture and a packet socket on each named guest interface that is there and up
    /// (bridged rules have none), and tells the engine their facts. One that cannot be opened
    /// is logged and left closed until the port opens again.
    func openGuestSides() {
        closeGuestSides()
        guard rule.mode == .live, !rule.isBridged, case .named(let names) = rule.guestInterfaces else { return }
        var facts: [InterfaceFacts] = []
        for name in names {
            let side = GuestSide(name: name, side: guestSides.count, port: self)
            do throws(IOError) {
                guard let state = try SystemInterfaces.state(of: name), state.isUp else {
                    logger.warning("\(self.name): guest interface \(name) is missing or down: no probe leaves there")
                    continue
                }
                let capture = try LiveCapture(
                    interface: name, filter: LiveCapture.liveFilter,
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

    /// One frame of a guest side.
    func receiveGuestFrame(_ header: PacketHeader, _ frame: Span<UInt8>, side: Int) {
        engine.observeGuestFrame(
            frame, linkType: .ethernet, header: header, side: side,
            send: { advertisement, _ in self.sendAnswer(advertisement) },
            probe: { probe, _, side in self.sendProbe(probe, side: side) },
            emit: { outcome, _ in self.emit(outcome) })
    }
}
