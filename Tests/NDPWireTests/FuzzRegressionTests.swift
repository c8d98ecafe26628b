import Foundation
import NDPWire
import Testing

/// Every input libFuzzer ever found a problem with (Fuzz/regressions/NAME.bin, named after the
/// problem) runs the fuzzer's own path again: decode, validate, and for an accepted NS build
/// the answer and check it. Input layout as in Fuzz/ParseFuzzer.swift: byte 0 picks the link
/// type (value % 5), the rest is the frame.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/regressions")
    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".bin") }
            .sorted()
    }
    static let linkTypes: [LinkType] = [.ethernet, .raw, .linuxSLL, .linuxSLL2, .ipv6]

    /// The input `name` as the fuzzer reads it: the frame, and the link type its byte 0 picks.
    static func input(_ name: String) throws -> (frame: [UInt8], linkType: LinkType) {
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
        try #require(!bytes.isEmpty)
        return (Array(bytes.dropFirst()), linkTypes[Int(bytes[0]) % linkTypes.count])
    }

    @Test func thereAreRegressions() {
        #expect(!Self.inputs.isEmpty, "Fuzz/regressions holds the inputs of every crash found")
    }

    @Test(arguments: inputs)
    func regression(_ name: String) throws {
        let (frame, linkType) = try Self.input(name)
        let span = frame.span
        guard let parsed = try? NDFrame(parsing: span, linkType: linkType),
            parsed.icmpType == NDMessageType.neighborSolicitation.rawValue,
            let solicitation = try? NeighborSolicitation(validating: parsed, in: span)
        else { return }
        // Accepted: the answer must obey RFC 4861 §7.2.4 and parse back as a valid NA.
        #expect(!solicitation.source.isMulticast, "a multicast source is never a valid solicitor")
        let mac = MACAddress(0x02, 0, 0, 0, 0, 0x01)
        let advertisement = NeighborAdvertisement(
            answering: solicitation, interfaceMAC: mac,
            source: IPv6Address.linkLocal(for: mac), router: true, override: false)
        if advertisement.destination.isMulticast { #expect(!advertisement.flags.contains(.solicited)) }
        var buffer = [UInt8](repeating: 0xAA, count: 128)
        var output = buffer.mutableSpan
        let length = try advertisement.write(into: &output)
        _ = consume output
        let back = Array(buffer[0..<length])
        let reparsed = try NDFrame(parsing: back.span, linkType: .ethernet)
        let range = try #require(reparsed.messageRange)
        let checksumValid = ICMPv6Checksum.isValid(
            back.span.extracting(range), source: reparsed.ip.source,
            destination: reparsed.ip.destination)
        #expect(checksumValid)
        #expect(reparsed.ip.hopLimit == 255)
    }

    /// The first regression, by name: an NS from a multicast source is refused (RFC 4291 §2.7),
    /// never answered unicast with S = 1 to a group.
    @Test func multicastSourceIsRefused() throws {
        let name = "ns-multicast-source-answered-s1.bin"
        try #require(Self.inputs.contains(name))
        let (frame, linkType) = try Self.input(name)
        let parsed = try NDFrame(parsing: frame.span, linkType: linkType)
        #expect(throws: InvalidSolicitation.self) { try NeighborSolicitation(validating: parsed, in: frame.span) }
        do { _ = try NeighborSolicitation(validating: parsed, in: frame.span) } catch {
            #expect(error.rejection == .multicastSource)
        }
    }

    /// An NS for `::1` (valid to ND: the target is not multicast) made the fuzzer build a live-guest
    /// probe for it, sent to `::1` itself, which the IP layer then discards (`loopback-address`):
    /// a probe never has `::1` as its target or source (RFC 4291 §2.5.3).
    @Test func noProbeForLoopback() throws {
        let name = "probe-target-loopback.bin"
        try #require(Self.inputs.contains(name))
        // Selector 0xdd: the harness repaired the checksum first; the NS's target is what matters.
        let (frame, linkType) = try Self.input(name)
        let parsed = try NDFrame(parsing: frame.span, linkType: linkType)
        let range = try #require(parsed.messageRange)
        let message = try #require(try NDMessage(parsing: frame.span.extracting(range)))
        let target = try #require(message.targetAddress)
        #expect(message.type == .neighborSolicitation && target == IPv6Address("::1")!)
        let mac = MACAddress(0x02, 0, 0, 0, 0, 0x01)
        #expect(
            SolicitationProbe(
                target: target, source: IPv6Address.linkLocal(for: mac),
                interfaceMAC: mac, destination: .unicast(MACAddress(0x52, 0x54, 0, 0, 0, 2))) == nil)
    }
}
