import NDPIO
import NDPPolicy
import NDPWire
import Testing

@testable import NDPDaemon

/// The daemon's side of live mode that runs without privileges: how it reads the kernel's
/// neighbour states and routes (ARCHITECTURE.md, "Live guests").
struct LiveDaemonTests {
    static func rule(mode: ProxyMode, guests: GuestInterfaces? = nil) -> ProxyRule {
        ProxyRule(
            interface: "br0", targets: TargetTable([try! IPv6Prefix.parse("2001:db8::/64").get()]), mode: mode,
            guestInterfaces: guests)
    }

    @Test(arguments: [
        (KernelNeighbour.States.reachable, false, KernelNeighborState.reachable),
        (.stale, false, .stale),
        (.delay, false, .delay),
        (.probe, false, .probe),
        (.permanent, false, .permanent),
        (.failed, false, .failed),
        (.incomplete, false, .incomplete),
        (.reachable, true, .deleted),
    ])
    func kernelStatesAreRead(_ states: KernelNeighbour.States, _ deleted: Bool, _ expected: KernelNeighborState) {
        let entry = KernelNeighbour(
            interfaceIndex: 3, address: IPv6Address("2001:db8::2")!, states: states,
            mac: MACAddress("02:00:00:00:0b:02"), isDeleted: deleted)
        #expect(Port.state(of: entry) == expected)
    }

    @Test func anEntryWithNoStateSaysNothing() {
        let entry = KernelNeighbour(interfaceIndex: 3, address: IPv6Address("2001:db8::2")!, states: .noARP, mac: nil)
        #expect(Port.state(of: entry) == nil)
    }

    /// The dump runs unprivileged: on loopback (index 1) it returns without an error, and every
    /// entry it gives is on that interface.
    @Test func theNeighbourDumpRunsUnprivileged() throws {
        let entries = try KernelNeighbours.neighbours(onInterface: 1)
        #expect(entries.allSatisfy { $0.interfaceIndex == 1 })
    }

    /// The route dump runs unprivileged, and every route it gives is of the main table's kinds.
    @Test func theRouteDumpRunsUnprivileged() throws {
        let routes = try KernelRoutes.routes()
        #expect(routes.allSatisfy { (0...128).contains($0.prefixLength) && !$0.isDeleted })
    }
}
