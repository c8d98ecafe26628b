import Logging
import NDPIO
import NDPPolicy
import NDPWire

/// The interface's lifecycle: the port follows the interface as it comes and goes, changes
/// its MAC, addresses or MTU, and fails.
extension Port {
    /// What the engine is told about the interface: the system's MAC and addresses, plus the
    /// configured `host-addresses` (addresses of the host the kernel answers for itself).
    func facts(for state: LinkState) -> InterfaceFacts {
        var addresses = state.addresses
        for address in rule.hostAddresses where !addresses.contains(address) { addresses.append(address) }
        return InterfaceFacts(
            name: name, mac: state.mac ?? rule.mac ?? ProxyRule.defaultReplayMAC, addresses: addresses)
    }

    /// Replaces the rule (SIGHUP). Takes effect between two frames.
    func update(rule: ProxyRule) {
        // The capture filter follows the mode (live mode also captures advertisements), and
        // the guest sides, the uplink's MACs and the routes kept follow live mode's keys and
        // targets: on such a change the port is opened again at once.
        let reopens =
            rule.mode != self.rule.mode
            || rule.mode == .live
                && (rule.guestInterfaces != self.rule.guestInterfaces || rule.uplinkPort != self.rule.uplinkPort
                    || rule.followsRoutes && rule.targets.entries != self.rule.targets.entries)
        self.rule = rule
        engine.update(rule: rule)
        if let link { engine.update(interface: facts(for: link)) }
        if reopens && isOpen {
            close()
            nextAttempt = .now
        }
    }

    /// Looks at the interface and brings the port in line: opens it when it is there and up,
    /// closes it when it vanished or went down, reopens it when it was recreated (new index),
    /// and updates the engine's facts when its MAC or addresses changed; in live mode, its guest
    /// interfaces likewise.
    /// Returns true if the capture's descriptor changed (the poll set must be rebuilt).
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
            return giveUp(
                "interface \(name) has no Ethernet address; ndpd serves Ethernet links only", now: now,
                wasOpen: wasOpen)
        }
        if let link, wasOpen {
            // A new MTU changes the snapshot length the capture needs, a new MAC its filter (which
            // keeps the interface's own frames out): reopen, as for a new index.
            if link.index == state.index && link.mtu == state.mtu && link.mac == state.mac {
                if link != state { refreshFacts(from: link, to: state, now: now) }
                // A guest interface may have appeared, come up or gone meanwhile.
                return reconcileGuestSides()
            }
            if link.index != state.index {
                logger.notice("interface \(name) was recreated (index \(link.index) -> \(state.index)); reopening")
            } else if link.mac != state.mac {
                // Opened again, the port announces its targets at the new MAC (RFC 4861 §7.2.6).
                logger.notice(
                    "interface \(name): MAC \(link.mac?.description ?? "-") -> \(state.mac?.description ?? "-"); reopening the capture"
                )
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
        if old.addresses != new.addresses {
            logger.info("interface \(name): addresses now \(new.addresses.map(\.description).joined(separator: ", "))")
        }
    }

    /// Logs `problem` once (until the state changes), closes, and schedules another look.
    func giveUp(_ problem: String, now: ContinuousClock.Instant, wasOpen: Bool) -> Bool {
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
            logger.warning(
                "capture on \(name) stopped: \(error)\(suppressed > 0 ? " (\(suppressed) similar not logged)" : ""); reopening when possible"
            )
        }
        close()
        // Reopen at once after a flap, but not in a tight loop if a fresh capture keeps failing.
        let fresh = openedAt.map { now - $0 < Self.retryInterval } ?? false
        nextAttempt = fresh ? now + Self.retryInterval : now
    }

}
