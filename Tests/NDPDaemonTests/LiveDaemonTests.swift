import NDPIO
import NDPPolicy
import NDPWire
import Testing

@testable import NDPDaemon

/// The daemon's side of live mode that runs without privileges: which rules it serves, and how
/// it reads the kernel's neighbour states (ARCHITECTURE.md, "Live guests").
struct LiveDaemonTests {
    static func rule(mode: ProxyMode, guests: GuestInterfaces? = nil) -> ProxyRule {
        ProxyRule(
            interface: "br0", targets: TargetTable([try! IPv6Prefix.parse("2001:db8::/64").get()]), mode: mode,
            guestInterfaces: guests)
    }

    @Test func routesAreNotServedYet() {
        #expect(LiveDaemon.unsupported([Self.rule(mode: .static), Self.rule(mode: .live)]).isEmpty)
        #expect(LiveDaemon.unsupported([Self.rule(mode: .live, guests: .named(["br0"]))]).isEmpty)
        #expect(LiveDaemon.unsupported([Self.rule(mode: .live, guests: .named(["vmbr1"]))]).isEmpty)
        #expect(LiveDaemon.unsupported([Self.rule(mode: .live, guests: .routes)]).count == 1)
        // Static mode ignores where guests are: nothing to refuse.
        #expect(LiveDaemon.unsupported([Self.rule(mode: .static, guests: .routes)]).isEmpty)
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
}
