import Logging
import NDPIO
import NDPPolicy
import NDPWire

/// Unsolicited advertisements (RFC 4861 §7.2.6), when `unsolicited-na = true`: each exact
/// target is announced to the upstream routers only, up to 3 times 1 s apart, at start, on
/// reload and when the interface's MAC changes. The engine builds them as it builds answers and
/// keeps them away from any guest whose DAD may be running (see `Engine.announce`).
extension Port {
    /// How often the kernel's routers are read while a schedule runs.
    static let routerReadInterval: Duration = .seconds(1)

    /// (Re)starts the announcement of every exact target, if the rule asks for it.
    func startAnnouncements(now: ContinuousClock.Instant) {
        announcementTally = AnnouncementTally()
        guard isOpen, rule.unsolicitedAdvertisements, rule.targets.exactCount > 0 else {
            announcer = nil
            return
        }
        announcer = Announcer(targets: Array(rule.targets.exactAddresses), start: now)
    }

    /// When the next announcement is due, if any.
    var nextAnnouncement: ContinuousClock.Instant? { announcer?.nextDeadline }

    /// Sends the announcements due at `now`.
    func announce(now: ContinuousClock.Instant) {
        guard var schedule = announcer, let socket, let link else { return }
        let released = schedule.due(at: now)
        announcer = schedule.isFinished ? nil : schedule
        guard !released.isEmpty else { return }
        let wallNow = WallClock.microseconds()
        readKernelRouters(interface: link.index, at: wallNow, now: now)
        var lastFailure = Errno(rawValue: 0)
        let tally = engine.announce(schedule.targets[released], at: wallNow) { frame in
            do throws(Errno) {
                try socket.send(frame)
                return true
            } catch {
                lastFailure = error
                return false
            }
        }
        unsolicitedSent += tally.sent
        unsolicitedSkipped += tally.withoutRouter + tally.duringProbe
        for _ in 0..<tally.failed { sendFailed(lastFailure) }
        announcementTally.sent += tally.sent
        announcementTally.failed += tally.failed
        announcementTally.withoutRouter += tally.withoutRouter
        announcementTally.duringProbe += tally.duringProbe
        if announcer == nil { logAnnouncements() }
    }

    /// Learns the routers the kernel knows on the interface (its neighbour entries flagged as
    /// routers), dated by when the kernel last confirmed them.
    private func readKernelRouters(interface index: Int32, at wallNow: Int64, now: ContinuousClock.Instant) {
        if let last = routersReadAt, now - last < Self.routerReadInterval { return }
        routersReadAt = now
        do {
            for router in try KernelNeighbours.routers(onInterface: index) {
                let (seconds, attoseconds) = router.confirmedAgo.components
                engine.learnRouter(router.mac, at: wallNow - seconds * 1_000_000 - attoseconds / 1_000_000_000_000)
            }
        } catch {
            logger.info("cannot read the kernel's neighbour table for \(name) (\(error)); routers known from RAs only")
        }
    }

    private func logAnnouncements() {
        let t = announcementTally
        var line = "\(name): unsolicited advertisements: \(t.sent) sent to upstream routers"
        if t.withoutRouter > 0 { line += ", \(t.withoutRouter) not sent (no upstream router known yet)" }
        if t.duringProbe > 0 { line += ", \(t.duringProbe) held back (a guest's DAD for the target was seen)" }
        if t.failed > 0 { line += ", \(t.failed) failed" }
        logger.info("\(line)")
    }
}
