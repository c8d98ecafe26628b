import Foundation
import NDPWire
import Testing

@testable import NDPIO

/// rtnetlink neighbour messages as the kernel sends them (linux/rtnetlink.h, linux/neighbour.h):
/// an IPv6 entry and a bridge forwarding entry are read from the same group, each to its own kind,
/// and a dump ends at NLMSG_DONE.
struct KernelNeighbourParsingTests {
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }

    /// One attribute, padded to 4 octets.
    static func attribute(_ type: UInt16, _ value: [UInt8]) -> [UInt8] {
        let bytes = le16(UInt16(4 + value.count)) + le16(type) + value
        return bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
    }

    /// nlmsghdr, ndmsg (family, ifindex, state, flags), then the attributes.
    static func message(type: UInt16, family: UInt8, index: Int32, state: UInt16, flags: UInt8, _ attributes: [UInt8])
        -> [UInt8]
    {
        let ndmsg = [family, 0, 0, 0] + le32(UInt32(bitPattern: index)) + le16(state) + [flags, 0]
        let body = ndmsg + attributes
        return le32(UInt32(16 + body.count)) + le16(type) + le16(0x2) + le32(1) + le32(0) + body
    }

    @Test func neighbourAndForwardingEntriesAreRead() {
        let address: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [0x02]
        let mac: [UInt8] = [0x02, 0, 0, 0, 0x0B, 0x02]
        let router: [UInt8] = [0x02, 0, 0, 0, 0x0A, 0x01]
        let bytes =
            Self.message(
                type: 28, family: 10, index: 5, state: 0x02, flags: 0x80,
                Self.attribute(1, address) + Self.attribute(2, mac))
            + Self.message(type: 29, family: 10, index: 5, state: 0x20, flags: 0, Self.attribute(1, address))
            + Self.message(type: 28, family: 7, index: 9, state: 0x02, flags: 0x02, Self.attribute(2, router))
            + Self.message(type: 29, family: 7, index: 9, state: 0x02, flags: 0x02, Self.attribute(2, router))
            + Self.le32(20) + Self.le16(3) + Self.le16(0x2) + Self.le32(1) + Self.le32(0) + Self.le32(0)
        var neighbours: [KernelNeighbour] = []
        var forwarding: [BridgeForwardingEntry] = []
        let done = bytes.withUnsafeBytes { raw in
            KernelNeighbours.forEachEntry(
                in: raw, neighbour: { neighbours.append($0) }, forwarding: { forwarding.append($0) })
        }
        #expect(done, "NLMSG_DONE ends the dump")
        let guest = IPv6Address("2001:db8::2")!
        #expect(
            neighbours == [
                KernelNeighbour(
                    interfaceIndex: 5, address: guest, states: .reachable, mac: MACAddress("02:00:00:00:0b:02"),
                    isRouter: true),
                KernelNeighbour(interfaceIndex: 5, address: guest, states: .failed, mac: nil, isDeleted: true),
            ])
        #expect(
            forwarding == [
                BridgeForwardingEntry(portIndex: 9, mac: MACAddress("02:00:00:00:0a:01")!),
                BridgeForwardingEntry(portIndex: 9, mac: MACAddress("02:00:00:00:0a:01")!, isDeleted: true),
            ])
    }

    @Test func aCutMessageEndsTheBatchWithoutReadingPastIt() {
        let whole = Self.message(
            type: 28, family: 10, index: 5, state: 0x02, flags: 0, Self.attribute(2, [1, 2, 3, 4, 5, 6]))
        let cut = Array(whole.prefix(whole.count - 4))
        var seen = 0
        let done = cut.withUnsafeBytes { raw in
            KernelNeighbours.forEachEntry(in: raw, neighbour: { _ in seen += 1 }, forwarding: { _ in seen += 1 })
        }
        #expect(done && seen == 0)
    }
}
