// The IPv6 extension-header walk (RFC 8200 §4) in front of an NS.

import NDPWire
import TestSupport
import Testing

@Suite("IPv6 extension headers before ICMPv6")
struct ExtensionHeaderTests {
    struct ChainCase: Sendable, CustomTestStringConvertible {
        var name: String
        var headers: [UInt8]  // protocol numbers, looked up in `catalogue`
        var testDescription: String { name }
    }

    static func header(_ number: UInt8) -> ExtensionHeader {
        switch number {
        case 0: return .hopByHopPadN
        case 43: return .routingSegmentsLeft0
        case 51: return .authentication
        case 61: return .destinationOptions16  // 61 is a test-only key for the 16-byte variant
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
        // A routing header never reaches ND in a packet to a multicast group (RFC 4291 §2.7):
        // with one, the NS is the unicast kind (NUD), to the target itself.
        let routed = c.headers.contains(IPProtocol.routing)
        if routed {
            p.destination = Fixture.target
            p.link = Fixture.ethernet(destination: Fixture.interfaceMAC)
        }
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
        let expected =
            routed
            ? SolicitationValidationTests.expected(destination: Fixture.target, linkDestination: Fixture.interfaceMAC)
            : SolicitationValidationTests.expected()
        #expect(validateSolicitation(bytes, linkType: .ethernet) == .accepted(expected))
    }

    @Test("Hop-by-hop anywhere but first → WireError.misplacedHopByHop (RFC 8200 §4.1)")
    func misplacedHopByHop() {
        for chain: [ExtensionHeader] in [
            [.destinationOptionsPadN, .hopByHopPadN], [.hopByHopPadN, .hopByHopPadN],
            [.routingSegmentsLeft0, .hopByHopPadN],
        ] {
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
        guard case .wireError(.truncated(let layer, let needed, let have)) = outcome else {
            Issue.record("expected truncated(.extensionHeader), got \(outcome)")
            return
        }
        #expect(layer == .extensionHeader)
        #expect(needed > have)
        // A capture cut inside the extension header itself.
        var cut = Fixture.multicastNS(link: Fixture.ethernet())
        cut.extensionHeaders = [.destinationOptions16]
        let frame = Array(cut.bytes[0..<(14 + 40 + 10)])
        guard
            case .wireError(.truncated(layer: .extensionHeader, _, _)) = validateSolicitation(
                frame, linkType: .ethernet)
        else {
            Issue.record(
                "expected truncated(.extensionHeader), got \(validateSolicitation(frame, linkType: .ethernet))")
            return
        }
    }
}

/// RFC 8200 §4's rules (and Linux's stricter ones, net/ipv6/exthdrs.c) by which the IP layer
/// discards a packet before ND sees it: each broken rule is an invalid NS with its own reason.
@Suite("Extension headers an IPv6 node discards")
struct ExtensionHeaderDiscardTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var headers: [ExtensionHeader]
        var unicast = true
        var expected: IPv6Discard?
        var testDescription: String { name }
    }

    /// A hop-by-hop (0) or destination options (60) header holding `options`, padded with Pad1 to
    /// a multiple of 8 octets.
    static func options(_ protocolNumber: UInt8, _ options: [UInt8]) -> ExtensionHeader {
        var bytes: [UInt8] = [0, 0] + options
        while bytes.count % 8 != 0 { bytes.append(0) }
        bytes[1] = UInt8(bytes.count / 8 - 1)
        return ExtensionHeader(protocolNumber: protocolNumber, bytes: bytes)
    }

    static func routing(type: UInt8, segmentsLeft: UInt8) -> ExtensionHeader {
        ExtensionHeader(protocolNumber: 43, bytes: [0, 0, type, segmentsLeft, 0, 0, 0, 0])
    }

    static let cases: [Case] = [
        Case(name: "unknown option 0x1e (action 00: skip)", headers: [options(60, [0x1E, 2, 7, 7])], expected: nil),
        Case(
            name: "unknown option 0x5e (action 01: discard)", headers: [options(60, [0x5E, 2, 7, 7])],
            expected: .unknownOption),
        Case(
            name: "unknown option 0x9e (action 10: discard, ICMP)", headers: [options(0, [0x9E, 0])],
            expected: .unknownOption),
        Case(
            name: "unknown option 0xde (action 11: discard, ICMP unless multicast)", headers: [options(0, [0xDE, 0])],
            unicast: false, expected: .unknownOption),
        Case(
            name: "option running past its header",
            headers: [ExtensionHeader(protocolNumber: 60, bytes: [0, 0, 0x1E, 9, 0, 0, 0, 0])],
            expected: .optionOverrun),
        Case(
            name: "a lone type octet at the header's end",
            headers: [ExtensionHeader(protocolNumber: 0, bytes: [0, 0, 0, 0, 0, 0, 0, 0x1E])],
            expected: .optionOverrun),
        Case(name: "PadN with a non-zero octet", headers: [options(0, [1, 4, 0, 0, 1, 0])], expected: .padding),
        Case(
            name: "8 octets of Pad1 in a row",
            headers: [ExtensionHeader(protocolNumber: 60, bytes: [0, 1] + [UInt8](repeating: 0, count: 14))],
            expected: .padding),
        Case(
            name: "PadN of 6 octets then Pad1: 7 octets, allowed", headers: [options(60, [1, 4, 0, 0, 0, 0])],
            expected: nil),
        Case(
            name: "9 non-padding options",
            headers: [options(60, Array([[UInt8]](repeating: [0x1E, 0], count: 9).joined()))],
            expected: .tooManyOptions),
        Case(
            name: "8 non-padding options: at the limit",
            headers: [options(60, Array([[UInt8]](repeating: [0x1E, 0], count: 8).joined()))],
            expected: nil),
        Case(name: "Router Alert, length 2", headers: [options(0, [5, 2, 0, 0])], expected: nil),
        Case(name: "Router Alert, length 3", headers: [options(0, [5, 3, 0, 0, 0])], expected: .routerAlertLength),
        Case(
            name: "Router Alert in destination options: an unknown option with action 00",
            headers: [options(60, [5, 3, 0, 0, 0])],
            expected: nil),
        Case(name: "Jumbo Payload", headers: [options(0, [0, 0, 0xC2, 4, 0, 1, 0, 0])], expected: .jumboPayload),
        Case(
            name: "CALIPSO in hop-by-hop", headers: [options(0, [7, 12] + [UInt8](repeating: 0, count: 12))],
            expected: .calipso),
        Case(
            name: "CALIPSO in destination options: an unknown option with action 00",
            headers: [options(60, [7, 4, 0, 0, 0, 0])],
            expected: nil),
        Case(
            name: "IOAM 2 octets into the header: misaligned", headers: [options(0, [0x31, 4, 0, 0, 0, 0])],
            expected: .ioamAlignment),
        Case(
            name: "IOAM 4 octets into the header: aligned", headers: [options(0, [0, 0, 0x31, 2, 0, 0])], expected: nil),
        Case(
            name: "routing header type 0, segments left 1", headers: [routing(type: 0, segmentsLeft: 1)],
            expected: .routingHeader),
        Case(
            name: "routing header type 253, segments left 0", headers: [routing(type: 253, segmentsLeft: 0)],
            expected: nil),
        Case(
            name: "routing header type 2 (Mobile IPv6), segments left 0: ignored (RFC 8200 §4.4)",
            headers: [routing(type: 2, segmentsLeft: 0)], expected: nil),
        Case(
            name: "routing header type 3, segments left 0", headers: [routing(type: 3, segmentsLeft: 0)],
            expected: .routingHeader),
        Case(
            name: "routing header type 4, segments left 0", headers: [routing(type: 4, segmentsLeft: 0)],
            expected: .routingHeader),
        Case(
            name: "routing header to a multicast destination", headers: [routing(type: 253, segmentsLeft: 0)],
            unicast: false,
            expected: .multicastRouted),
        Case(
            name: "the first broken rule, in header order",
            headers: [options(0, [0x9E, 0]), routing(type: 0, segmentsLeft: 1)],
            expected: .unknownOption),
    ]

    @Test("Each rule gives its own reason; a packet that breaks none is accepted", arguments: cases)
    func discardedWithItsReason(_ c: Case) throws {
        var p = Fixture.multicastNS(link: Fixture.ethernet())
        if c.unicast {
            p.destination = Fixture.target
            p.link = Fixture.ethernet(destination: Fixture.interfaceMAC)
        }
        p.extensionHeaders = c.headers
        let bytes = p.bytes
        let parsed = try NDFrame(parsing: bytes.span, linkType: .ethernet)
        #expect(parsed.ip.discard == c.expected)
        let outcome = validateSolicitation(bytes, linkType: .ethernet)
        if let rule = c.expected {
            #expect(outcome.rejection == .discarded(rule), "\(outcome)")
        } else {
            #expect(outcome.rejection == nil, "\(outcome)")
        }
    }

    @Test(
        "Addresses the IP layer drops: ::1 as source or destination, :: as destination, multicast scope 0 or 1",
        arguments: [
            ("::1", "ff02::1:ff00:2", IPv6Discard?.some(.loopbackAddress)),
            ("fe80::1", "::1", .some(.loopbackAddress)),
            ("fe80::1", "::", .some(.unspecifiedDestination)),
            ("fe80::1", "ff00::1:ff00:2", .some(.multicastScope)),
            ("fe80::1", "ff01::1:ff00:2", .some(.multicastScope)),
            ("fe80::1", "ff05::1:ff00:2", nil),
            ("::ffff:10.0.0.1", "ff02::1:ff00:2", nil),
        ])
    func addresses(_ source: String, _ destination: String, _ expected: IPv6Discard?) throws {
        var p = Fixture.multicastNS(link: Fixture.ethernet(), source: IPv6Address(source)!)
        p.destination = IPv6Address(destination)!
        let bytes = p.bytes
        #expect(try NDFrame(parsing: bytes.span, linkType: .ethernet).ip.discard == expected)
        let outcome = validateSolicitation(bytes, linkType: .ethernet)
        #expect(outcome.rejection == expected.map { .discarded($0) }, "\(outcome)")
    }

    @Test("A discarded NS is reported before RFC 4861's checks, and names its word")
    func discardComesBeforeNDChecks() {
        var p = Fixture.multicastNS(link: Fixture.ethernet())
        p.extensionHeaders = [Self.options(0, [0x9E, 0])]
        p.hopLimit = 1
        p.checksumOverride = 1
        #expect(validateSolicitation(p.bytes, linkType: .ethernet).rejection == .discarded(.unknownOption))
        #expect(NDRejection.discarded(.unknownOption).reason == "unknown-option")
        #expect(NDRejection.discarded(.routingHeader).reason == "routing-header")
    }
}
