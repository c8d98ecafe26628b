// The IPv6 extension-header walk (RFC 8200 §4) in front of an NS.

import NDPWire
import Testing

@Suite("IPv6 extension headers before ICMPv6")
struct ExtensionHeaderTests {
    struct ChainCase: Sendable, CustomTestStringConvertible {
        var name: String
        var headers: [UInt8]      // protocol numbers, looked up in `catalogue`
        var testDescription: String { name }
    }

    static func header(_ number: UInt8) -> ExtensionHeader {
        switch number {
        case 0: return .hopByHopPadN
        case 43: return .routingSegmentsLeft0
        case 51: return .authentication
        case 61: return .destinationOptions16      // 61 is a test-only key for the 16-byte variant
        default: return .destinationOptionsPadN
        }
    }

    static let accepted: [ChainCase] = [
        ChainCase(name: "hop-by-hop (PadN)", headers: [0]),
        ChainCase(name: "destination options", headers: [60]),
        ChainCase(name: "destination options, 16 bytes", headers: [61]),
        ChainCase(name: "routing header, segments left 0", headers: [43]),
        ChainCase(name: "authentication header (4-octet units, RFC 4302)", headers: [51]),
        ChainCase(name: "hop-by-hop, destination options, routing, destination options", headers: [0, 60, 43, 61]),
    ]

    @Test("NS behind extension headers is walked to and accepted", arguments: accepted)
    func walkedAndAccepted(_ c: ChainCase) throws {
        var p = Fixture.multicastNS(link: Fixture.ethernet())
        p.extensionHeaders = c.headers.map(Self.header)
        let chainLength = p.extensionHeaders.reduce(0) { $0 + $1.bytes.count }
        let bytes = p.bytes
        let parsed = try NDFrame(parsing: bytes.span, linkType: .ethernet)
        #expect(parsed.ip.extensionHeaderCount == c.headers.count)
        #expect(parsed.ip.upperLayerProtocol == 58)
        #expect(parsed.ip.upperLayerOffset == 14 + 40 + chainLength)
        #expect(parsed.ip.upperLayerLength == 32)
        #expect(parsed.ip.payloadLength == chainLength + 32)
        #expect(!parsed.ip.isFragmented)
        #expect(parsed.icmpType == 135)
        #expect(validateSolicitation(bytes, linkType: .ethernet) == .accepted(SolicitationValidationTests.expected()))
    }

    @Test("Hop-by-hop anywhere but first → WireError.misplacedHopByHop (RFC 8200 §4.1)")
    func misplacedHopByHop() {
        for chain: [ExtensionHeader] in [[.destinationOptionsPadN, .hopByHopPadN], [.hopByHopPadN, .hopByHopPadN],
                                          [.routingSegmentsLeft0, .hopByHopPadN]] {
            var p = Fixture.multicastNS(link: Fixture.ethernet())
            p.extensionHeaders = chain
            #expect(validateSolicitation(p.bytes, linkType: .ethernet) == .wireError(.misplacedHopByHop))
        }
    }

    @Test("A non-first fragment → WireError.nonFirstFragment; a first fragment is decoded and flagged")
    func fragments() throws {
        var later = Fixture.multicastNS(link: Fixture.ethernet())
        later.extensionHeaders = [.fragment(offset: 1, more: false)]
        #expect(validateSolicitation(later.bytes, linkType: .ethernet) == .wireError(.nonFirstFragment))
        later.extensionHeaders = [.hopByHopPadN, .fragment(offset: 8191, more: true)]
        #expect(validateSolicitation(later.bytes, linkType: .ethernet) == .wireError(.nonFirstFragment))

        var first = Fixture.multicastNS(link: Fixture.ethernet())
        first.extensionHeaders = [.fragment(offset: 0, more: true)]
        let bytes = first.bytes
        let parsed = try NDFrame(parsing: bytes.span, linkType: .ethernet)
        #expect(parsed.ip.isFragmented)
        #expect(parsed.ip.extensionHeaderCount == 1)
        #expect(parsed.icmpType == 135)
        #expect(parsed.messageOffset == 14 + 40 + 8)
    }

    @Test("A chain that ends before ICMPv6 is WireError.notICMPv6")
    func notICMPv6() {
        // No Next Header (59) after a destination options header: build by hand.
        var p = Fixture.multicastNS(link: Fixture.ethernet())
        p.extensionHeaders = [.destinationOptionsPadN]
        var bytes = p.bytes
        bytes[54] = 59
        #expect(validateSolicitation(bytes, linkType: .ethernet) == .wireError(.notICMPv6(nextHeader: 59)))
        // UDP straight after the fixed header.
        var udp = Fixture.multicastNS(link: Fixture.ethernet()).bytes
        udp[20] = 17
        #expect(validateSolicitation(udp, linkType: .ethernet) == .wireError(.notICMPv6(nextHeader: 17)))
    }

    @Test("An extension header longer than the packet → WireError.truncated(.extensionHeader)")
    func truncatedExtensionHeader() {
        // Hdr Ext Len 5 (48 bytes) inside a 40-byte payload.
        var p = Fixture.multicastNS(link: Fixture.ethernet())
        p.extensionHeaders = [ExtensionHeader(protocolNumber: 60, bytes: [0, 5, 1, 4, 0, 0, 0, 0])]
        let outcome = validateSolicitation(p.bytes, linkType: .ethernet)
        guard case let .wireError(.truncated(layer, needed, have)) = outcome else {
            Issue.record("expected truncated(.extensionHeader), got \(outcome)")
            return
        }
        #expect(layer == .extensionHeader)
        #expect(needed > have)
        // A capture cut inside the extension header itself.
        var cut = Fixture.multicastNS(link: Fixture.ethernet())
        cut.extensionHeaders = [.destinationOptions16]
        let frame = Array(cut.bytes[0..<(14 + 40 + 10)])
        guard case .wireError(.truncated(layer: .extensionHeader, _, _)) = validateSolicitation(frame, linkType: .ethernet) else {
            Issue.record("expected truncated(.extensionHeader), got \(validateSolicitation(frame, linkType: .ethernet))")
            return
        }
    }
}
