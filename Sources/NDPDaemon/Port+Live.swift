import Logging
import NDPIO
import NDPPolicy
import NDPWire

/// Live mode on a served interface (ARCHITECTURE.md, "Live guests"), in the bridged case: the
/// guests are on the port's own interface, so the probes leave through its packet socket, and
/// its capture (which passes advertisements in live mode) brings their answers. The table's
/// timers and the kernel's neighbour table drive the engine between frames.
extension Port {
    /// Sends one probe now, through the packet socket; a failure is counted and logged as an
    /// answer's is.
    func sendProbe(_ probe: Span<UInt8>) {
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
        engine.runTimers(until: WallClock.microseconds(),
                         send: { advertisement, _ in self.sendAnswer(advertisement) },
                         probe: { probe, _ in self.sendProbe(probe) },
                         emit: { outcome, _ in self.emit(outcome) })
        finishBatch()
    }

    /// Reads the kernel's neighbour table on the interface (a netlink dump): at open, and after
    /// the event socket lost notifications.
    func readKernelNeighbours() {
        guard rule.mode == .live, let link else { return }
        do throws(IOError) {
            let entries = try KernelNeighbours.neighbours(onInterface: link.index)
            for entry in entries { observe(entry) }
            logger.info(Logger.Message(stringLiteral: "\(name): live mode: \(entries.count) kernel neighbour entries read"))
        } catch {
            logger.warning(Logger.Message(stringLiteral: "\(name): cannot read the kernel's neighbour table: \(error)"))
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
                logger.warning(Logger.Message(stringLiteral: "\(name): uplink-port \(port) does not exist: no MAC is known to be upstream"))
                return
            }
            uplinkIndex = state.index
            engine.upstreamMACs = Set(try KernelNeighbours.forwardingEntries(onPort: state.index).prefix(Self.upstreamLimit).map(\.mac))
            logger.info(Logger.Message(stringLiteral: "\(name): live mode: uplink-port \(port) (index \(state.index)): "
                + "\(engine.upstreamMACs.count) MACs learned behind it, never a guest's"))
        } catch {
            logger.warning(Logger.Message(stringLiteral: "\(name): cannot read the forwarding database of \(port): \(error)"))
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
        guard isOpen, rule.mode == .live, let link, entry.interfaceIndex == link.index,
              let state = Self.state(of: entry) else { return }
        engine.observeKernel(entry.address, state: state, mac: entry.mac, at: WallClock.microseconds(),
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
