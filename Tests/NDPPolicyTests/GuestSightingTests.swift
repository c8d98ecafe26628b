import NDPPolicy
import NDPWire
import TestSupport
import Testing

/// Evidence read from frames captured on the guest side: only valid ND frames from guests, about
/// addresses of a live prefix, count (ARCHITECTURE.md, "Live guests": where the evidence comes from).
struct GuestSightingTests {
    // The test link of TestSupport's Fixture; the uplink is where its router is.
    static let hostMAC = Fixture.interfaceMAC
    static let guestMAC = Fixture.guestMAC
    static let uplinkMAC = Fixture.routerMAC
    static let guest = Fixture.target
    static let gateway = Fixture.routerGlobal
    static let hostAddress = IPv6Address("2001:db8:0:96ce::1")!

    static let rule = ProxyRule(
        interface: "br0",
        targets: TargetTable(
            ["2001:db8:0:96ce::/64", "2001:db8:0:96ff:ff:ff:ff:ff"].map { try! IPv6Prefix.parse($0).get() }),
        exclude: TargetTable([try! IPv6Prefix.parse("2001:db8:0:96ce::dead").get()]))
    static let facts = InterfaceFacts(
        name: "br0", mac: hostMAC,
        addresses: [IPv6Address.linkLocal(for: hostMAC), hostAddress])

    /// An NA for `target` from `mac` (TLLA `mac`), to the host's link-local address.
    static func advertisement(
        _ target: IPv6Address, from mac: MACAddress = guestMAC, solicited: Bool = true,
        to destination: IPv6Address = IPv6Address.linkLocal(for: hostMAC)
    ) -> [UInt8] {
        let na = NeighborAdvertisement(
            ethernetDestination: hostMAC, ethernetSource: mac, source: target,
            destination: destination, flags: solicited ? [.solicited, .override] : [.override],
            targetAddress: target, targetLinkLayerAddress: mac)
        return na.frameBytes
    }

    /// An NA the host sends for `target` advertising the guest's MAC (what a kernel proxy
    /// entry would do): the host speaking, not the guest.
    static func hostAdvertisingGuest(_ target: IPv6Address) -> [UInt8] {
        let na = NeighborAdvertisement(
            ethernetDestination: uplinkMAC, ethernetSource: hostMAC, source: target,
            destination: gateway, flags: [.solicited, .override],
            targetAddress: target, targetLinkLayerAddress: guestMAC)
        return na.frameBytes
    }

    /// An NS from `source` at `mac` for `target` (a guest resolving its gateway).
    static func solicitation(from source: IPv6Address, mac: MACAddress = guestMAC, for target: IPv6Address = gateway)
        -> [UInt8]
    {
        SolicitationProbe(target: target, source: source, interfaceMAC: mac)!.frameBytes
    }

    static let cases: [(String, [UInt8], GuestSighting?)] = [
        ("a guest's NA", advertisement(guest), GuestSighting(target: guest, evidence: .advertisement(guestMAC))),
        (
            "a guest's unsolicited NA", advertisement(guest, solicited: false, to: .allNodes),
            GuestSighting(target: guest, evidence: .advertisement(guestMAC))
        ),
        (
            "a guest resolving its gateway", solicitation(from: guest),
            GuestSighting(target: guest, evidence: .solicitation(guestMAC))
        ),
        (
            "a guest's DAD probe", TestFrames.dadProbe(guest, from: guestMAC),
            GuestSighting(target: guest, evidence: .duplicateAddressProbe(guestMAC))
        ),
        (
            "ndpd's own probe, captured on its way out",
            solicitation(from: IPv6Address.linkLocal(for: hostMAC), mac: hostMAC, for: guest), nil
        ),
        ("an NA the host sent", advertisement(guest, from: hostMAC), nil),
        ("an NA the host sent with the guest's MAC as TLLA", hostAdvertisingGuest(guest), nil),
        ("an NA from behind the uplink port", advertisement(guest, from: uplinkMAC), nil),
        ("an NA for an address outside the prefixes", advertisement(IPv6Address("2001:db8:1::2")!), nil),
        ("an NA for an exact target (answered without evidence)", advertisement(gateway), nil),
        ("an NA for an excluded address", advertisement(IPv6Address("2001:db8:0:96ce::dead")!), nil),
        ("an NA for the Subnet-Router anycast address", advertisement(IPv6Address("2001:db8:0:96ce::")!), nil),
        ("an NA for the host's own address", advertisement(hostAddress), nil),
        ("an NS from a link-local source", solicitation(from: IPv6Address.linkLocal(for: guestMAC)), nil),
        ("an invalid NA: S = 1 to all-nodes", advertisement(guest, to: .allNodes), nil),
        (
            "an NS with a bad checksum",
            {
                var f = solicitation(from: guest)
                f[f.count - 1] ^= 1
                return f
            }(), nil
        ),
        ("not IPv6", [UInt8](repeating: 0, count: 60), nil),
    ]

    @Test("which frames are evidence, and of what", arguments: cases)
    func sightings(_ name: String, _ frame: [UInt8], _ expected: GuestSighting?) {
        let sighting = GuestSighting(
            frame: frame.span, linkType: .ethernet, rule: Self.rule, interface: Self.facts,
            isUpstream: { $0 == Self.uplinkMAC })
        #expect(sighting == expected, "\(name)")
    }
}
