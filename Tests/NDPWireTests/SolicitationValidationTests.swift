// NS frames built by the test (independent builder, RFC 1071 checksum of its own) are
// accepted by `NeighborSolicitation(validating:in:)`; then one test per `NDRejection`, each
// asserting the exact rejection and whether the target could be reported.

import NDPWire
import TestSupport
import Testing

/// A recipe for a valid NS and what validation must return.
struct ValidSolicitationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var make: @Sendable () -> (bytes: [UInt8], linkType: LinkType, expected: NeighborSolicitation)
    var testDescription: String { name }
}

@Suite("NS validation (RFC 4861 §7.1.1, RFC 6980)")
struct SolicitationValidationTests {
    static let qTag = VLANTag(tagProtocolIdentifier: 0x8100, tagControlInformation: 0x0014)  // VID 20
    static let sTag = VLANTag(tagProtocolIdentifier: 0x88A8, tagControlInformation: 0xE00A)  // PCP 7, VID 10
    static let legacyTag = VLANTag(tagProtocolIdentifier: 0x9100, tagControlInformation: 0x0005)  // VID 5

    /// The expected value for an NS with the usual fixtures.
    static func expected(
        source: IPv6Address = Fixture.routerLinkLocal,
        destination: IPv6Address = Fixture.targetSolicitedNode,
        slla: MACAddress? = Fixture.routerMAC, nonce: Bool = false,
        linkSource: MACAddress? = Fixture.routerMAC,
        linkDestination: MACAddress? = Fixture.targetSolicitedNodeMAC,
        tags: [VLANTag] = []
    ) -> NeighborSolicitation {
        NeighborSolicitation(
            source: source, destination: destination, targetAddress: Fixture.target,
            sourceLinkLayerAddress: slla, hasNonce: nonce, linkLayerSource: linkSource,
            linkLayerDestination: linkDestination, vlanTags: VLANTags(tags))
    }

    static let validCases: [ValidSolicitationCase] = [
        ValidSolicitationCase(name: "multicast + SLLA, untagged") {
            (Fixture.multicastNS(link: Fixture.ethernet()).bytes, .ethernet, expected())
        },
        ValidSolicitationCase(name: "multicast + SLLA, 802.1Q") {
            (Fixture.multicastNS(link: Fixture.ethernet(tags: [qTag])).bytes, .ethernet, expected(tags: [qTag]))
        },
        ValidSolicitationCase(name: "multicast + SLLA, 802.1ad + 802.1Q") {
            (
                Fixture.multicastNS(link: Fixture.ethernet(tags: [sTag, qTag])).bytes, .ethernet,
                expected(tags: [sTag, qTag])
            )
        },
        ValidSolicitationCase(name: "multicast + SLLA, pre-standard 0x9100 outer tag") {
            (
                Fixture.multicastNS(link: Fixture.ethernet(tags: [legacyTag, qTag])).bytes, .ethernet,
                expected(tags: [legacyTag, qTag])
            )
        },
        ValidSolicitationCase(name: "multicast + SLLA, priority tag VID 0") {
            let tag = VLANTag(tagProtocolIdentifier: 0x8100, tagControlInformation: 0xE000)
            return (Fixture.multicastNS(link: Fixture.ethernet(tags: [tag])).bytes, .ethernet, expected(tags: [tag]))
        },
        ValidSolicitationCase(name: "multicast + SLLA, SLL") {
            (
                Fixture.multicastNS(link: .sll(packetType: 2, source: Fixture.routerMAC)).bytes, .linuxSLL,
                expected(linkDestination: nil)
            )
        },
        ValidSolicitationCase(name: "multicast + SLLA, SLL2") {
            (
                Fixture.multicastNS(link: .sll2(packetType: 2, interfaceIndex: 7, source: Fixture.routerMAC)).bytes,
                .linuxSLL2, expected(linkDestination: nil)
            )
        },
        ValidSolicitationCase(name: "multicast + SLLA, raw") {
            (Fixture.multicastNS(link: .raw).bytes, .raw, expected(linkSource: nil, linkDestination: nil))
        },
        ValidSolicitationCase(name: "global solicitor (the provider's gateway)") {
            (
                Fixture.multicastNS(link: Fixture.ethernet(), source: Fixture.routerGlobal).bytes, .ethernet,
                expected(source: Fixture.routerGlobal)
            )
        },
        ValidSolicitationCase(name: "unicast NUD without SLLA (valid, RFC 4861 §7.2.2)") {
            let p = TestPacket(
                link: Fixture.ethernet(destination: Fixture.interfaceMAC), source: Fixture.routerGlobal,
                destination: Fixture.target, message: ND.solicitation(target: Fixture.target))
            return (
                p.bytes, .ethernet,
                expected(
                    source: Fixture.routerGlobal, destination: Fixture.target, slla: nil,
                    linkDestination: Fixture.interfaceMAC)
            )
        },
        ValidSolicitationCase(name: "DAD: source ::, solicited-node destination, no options") {
            let p = TestPacket(
                link: Fixture.ethernet(source: Fixture.guestMAC), source: .unspecified,
                destination: Fixture.targetSolicitedNode, message: ND.solicitation(target: Fixture.target))
            return (p.bytes, .ethernet, expected(source: .unspecified, slla: nil, linkSource: Fixture.guestMAC))
        },
        ValidSolicitationCase(name: "DAD with a Nonce option (RFC 7527)") {
            let p = TestPacket(
                link: Fixture.ethernet(source: Fixture.guestMAC), source: .unspecified,
                destination: Fixture.targetSolicitedNode,
                message: ND.solicitation(target: Fixture.target, options: ND.nonce()))
            return (
                p.bytes, .ethernet, expected(source: .unspecified, slla: nil, nonce: true, linkSource: Fixture.guestMAC)
            )
        },
        ValidSolicitationCase(name: "unknown options before and after the SLLA are skipped (RFC 4861 §4.6)") {
            let options: [UInt8] =
                [200, 2] + [UInt8](repeating: 0xEE, count: 14) + ND.slla(Fixture.routerMAC)
                + [253, 1, 0, 0, 0, 0, 0, 0]
            return (Fixture.multicastNS(link: Fixture.ethernet(), options: options).bytes, .ethernet, expected())
        },
        ValidSolicitationCase(name: "two SLLA options: the first is used") {
            let options = ND.slla(Fixture.routerMAC) + ND.slla(Fixture.guestMAC)
            return (Fixture.multicastNS(link: Fixture.ethernet(), options: options).bytes, .ethernet, expected())
        },
        ValidSolicitationCase(name: "16-byte SLLA option: the first 6 bytes are the MAC") {
            let options: [UInt8] = [1, 2] + Bytes.of(Fixture.routerMAC) + [UInt8](repeating: 0x77, count: 8)
            return (Fixture.multicastNS(link: Fixture.ethernet(), options: options).bytes, .ethernet, expected())
        },
        ValidSolicitationCase(name: "Reserved field non-zero is ignored on receipt (RFC 4861 §4.3)") {
            var p = Fixture.multicastNS(link: Fixture.ethernet())
            p.message = ND.solicitation(
                target: Fixture.target, options: ND.slla(Fixture.routerMAC), reserved: 0xDEAD_BEEF)
            return (p.bytes, .ethernet, expected())
        },
        ValidSolicitationCase(name: "traffic class and flow label set") {
            var p = Fixture.multicastNS(link: Fixture.ethernet())
            p.trafficClass = 0xE0
            p.flowLabel = 0xABCDE
            return (p.bytes, .ethernet, expected())
        },
        ValidSolicitationCase(name: "Ethernet padding after Payload Length is ignored") {
            (Fixture.multicastNS(link: Fixture.ethernet()).bytes + [0, 0, 0, 0, 0xDE, 0xAD], .ethernet, expected())
        },
    ]

    @Test("A valid NS built by the test is accepted with exactly its fields", arguments: validCases)
    func accepted(_ c: ValidSolicitationCase) {
        let (bytes, linkType, expected) = c.make()
        #expect(validateSolicitation(bytes, linkType: linkType) == .accepted(expected))
    }

    @Test("Decoded IPv6 fields of a built NS: class, flow label, lengths")
    func ipv6Fields() throws {
        var p = Fixture.multicastNS(link: Fixture.ethernet(tags: [Self.qTag]))
        p.trafficClass = 0xE0
        p.flowLabel = 0xABCDE
        let bytes = p.bytes
        let parsed = try NDFrame(parsing: bytes.span, linkType: .ethernet)
        #expect(parsed.ip.trafficClass == 0xE0)
        #expect(parsed.ip.flowLabel == 0xABCDE)
        #expect(parsed.ip.payloadLength == 32)
        #expect(parsed.messageOffset == 58)
        #expect(parsed.messageLength == 32)
    }

    // MARK: - One test per rejection

    /// Builds an NS with the usual fixtures and `change` applied, validates it.
    func outcome(_ change: (inout TestPacket) -> Void = { _ in }) -> NSOutcome {
        var p = Fixture.multicastNS(link: Fixture.ethernet())
        change(&p)
        return validateSolicitation(p.bytes, linkType: .ethernet)
    }

    func invalid(
        _ rejection: NDRejection, source: IPv6Address = Fixture.routerLinkLocal,
        target: IPv6Address? = Fixture.target
    ) -> Refusal? {
        Refusal(rejection, source: source, target: target)
    }

    /// Expects the NS changed by `change` to be refused exactly so.
    func expectRefused(
        _ expected: Refusal?, sourceLocation: SourceLocation = #_sourceLocation,
        _ change: (inout TestPacket) -> Void
    ) {
        let result = outcome(change)
        #expect(result.refusal == expected, "got \(result)", sourceLocation: sourceLocation)
    }

    @Test("The unchanged baseline NS is accepted (so each rejection below is caused by its one change)")
    func baselineAccepted() { #expect(outcome().isAccepted) }

    @Test("Hop limit 254 → .hopLimit(254), target reported", arguments: [UInt8(254), 0, 1, 64, 128])
    func hopLimit(_ value: UInt8) {
        expectRefused(invalid(.hopLimit(value))) { $0.hopLimit = value }
    }

    @Test("A multicast IP source is refused (RFC 4291 §2.7), before the checksum is looked at")
    func multicastSource() {
        let group = IPv6Address("ff02::1:ff00:2")!
        expectRefused(invalid(.multicastSource, source: group)) { $0.source = group }
        expectRefused(invalid(.multicastSource, source: group)) {
            $0.source = group
            $0.checksumOverride = 1
        }
    }

    @Test("Bad checksum → .checksum, target reported")
    func badChecksum() {
        let good = rfc1071Checksum(
            source: Fixture.routerLinkLocal, destination: Fixture.targetSolicitedNode,
            message: ND.solicitation(target: Fixture.target, options: ND.slla(Fixture.routerMAC)))
        expectRefused(invalid(.checksum)) { $0.checksumOverride = good ^ 0x0100 }
        expectRefused(invalid(.checksum)) { $0.checksumOverride = 0 }
    }

    @Test("The checksum covers the pseudo-header: a checksum computed for another destination fails")
    func checksumCoversPseudoHeader() {
        let wrong = rfc1071Checksum(
            source: Fixture.routerLinkLocal, destination: .allNodes,
            message: ND.solicitation(target: Fixture.target, options: ND.slla(Fixture.routerMAC)))
        expectRefused(invalid(.checksum)) { $0.checksumOverride = wrong }
    }

    @Test("Code 1 → .code(1), target reported")
    func code() {
        expectRefused(invalid(.code(1))) {
            $0.message = ND.solicitation(target: Fixture.target, options: ND.slla(Fixture.routerMAC), code: 1)
        }
    }

    @Test("ICMPv6 length 16 → .tooShort(16), no target (the bytes do not hold it)")
    func tooShort() {
        expectRefused(invalid(.tooShort(length: 16), target: nil)) {
            $0.message = Array(ND.solicitation(target: Fixture.target)[0..<16])
        }
        // 23 bytes: one short of the target's end.
        expectRefused(invalid(.tooShort(length: 23), target: nil)) {
            $0.message = Array(ND.solicitation(target: Fixture.target)[0..<23])
        }
    }

    @Test(
        "An NS of 1 to 3 octets, shorter than the ICMPv6 header, → .tooShort before the checksum is read",
        arguments: [1, 2, 3])
    func shorterThanTheICMPv6Header(_ length: Int) {
        expectRefused(invalid(.tooShort(length: length), target: nil)) {
            $0.message = Array(ND.solicitation(target: Fixture.target)[0..<length])
        }
    }

    @Test("Multicast target → .multicastTarget, target reported")
    func multicastTarget() {
        let target = IPv6Address("ff02::1:ff00:2")!
        expectRefused(invalid(.multicastTarget, target: target)) {
            $0.message = ND.solicitation(target: target, options: ND.slla(Fixture.routerMAC))
        }
    }

    @Test("Zero-length option → .zeroLengthOption, target reported")
    func zeroLengthOption() {
        expectRefused(invalid(.zeroLengthOption)) {
            $0.message = ND.solicitation(target: Fixture.target, options: [1, 0, 0x52, 0x54, 0, 0x12, 0x34, 0x56])
        }
        // A zero-length option after a good one.
        expectRefused(invalid(.zeroLengthOption)) {
            $0.message = ND.solicitation(
                target: Fixture.target, options: ND.slla(Fixture.routerMAC) + [14, 0, 0, 0, 0, 0, 0, 0])
        }
    }

    @Test("Option running past the message → .optionOverrun, target reported")
    func optionOverrun() {
        // Length 2 (16 bytes) with only 8 present.
        expectRefused(invalid(.optionOverrun)) {
            $0.message = ND.solicitation(target: Fixture.target, options: [1, 2] + Bytes.of(Fixture.routerMAC))
        }
        // A single stray byte after the options: not even a type/length pair.
        expectRefused(invalid(.optionOverrun)) {
            $0.message = ND.solicitation(target: Fixture.target, options: ND.slla(Fixture.routerMAC) + [1])
        }
    }

    @Test("DAD (source ::) with an SLLA → .dadWithSourceLinkLayerAddress")
    func dadWithSLLA() {
        expectRefused(invalid(.dadWithSourceLinkLayerAddress, source: .unspecified)) { $0.source = .unspecified }
    }

    @Test("DAD (source ::) to ff02::1 or to a unicast address → .dadNotToSolicitedNode")
    func dadNotToSolicitedNode() {
        for destination in [IPv6Address.allNodes, Fixture.target] {
            expectRefused(invalid(.dadNotToSolicitedNode, source: .unspecified)) {
                $0.source = .unspecified
                $0.destination = destination
                $0.message = ND.solicitation(target: Fixture.target)
            }
        }
    }

    @Test("Fragment header, first fragment → .fragmented (RFC 6980 §5), target reported")
    func firstFragment() {
        expectRefused(invalid(.fragmented)) { $0.extensionHeaders = [.fragment(offset: 0, more: true)] }
        // An atomic fragment (offset 0, M = 0) is still a fragment for RFC 6980.
        expectRefused(invalid(.fragmented)) { $0.extensionHeaders = [.fragment(offset: 0, more: false)] }
    }

    @Test("Truncated capture → .truncated; the target is reported only when captured")
    func truncatedCapture() {
        let frame = Fixture.multicastNS(link: Fixture.ethernet()).bytes  // 86 bytes, ICMPv6 at 54
        // Cut inside the SLLA: the target (54+8..<54+24) is whole.
        #expect(validateSolicitation(Array(frame[0..<84]), linkType: .ethernet).refusal == invalid(.truncated))
        #expect(validateSolicitation(Array(frame[0..<78]), linkType: .ethernet).refusal == invalid(.truncated))
        // Cut inside the target: not reported.
        #expect(
            validateSolicitation(Array(frame[0..<77]), linkType: .ethernet).refusal == invalid(.truncated, target: nil))
        #expect(
            validateSolicitation(Array(frame[0..<56]), linkType: .ethernet).refusal == invalid(.truncated, target: nil))
        // Less than type + code: not even an ICMPv6 message.
        #expect(
            validateSolicitation(Array(frame[0..<55]), linkType: .ethernet)
                == .wireError(.truncated(layer: .icmpv6, needed: 2, have: 1)))
    }

    @Test("Checks run in RFC 4861 §7.1.1 order: the first failed check is the one reported")
    func order() {
        expectRefused(invalid(.hopLimit(64))) {
            $0.hopLimit = 64
            $0.checksumOverride = 1
        }
        expectRefused(invalid(.checksum)) {
            $0.message = ND.solicitation(target: Fixture.target, code: 3)
            $0.checksumOverride = 1
        }
        expectRefused(invalid(.code(2), target: nil)) {
            $0.message = Array(ND.solicitation(target: Fixture.target, code: 2)[0..<16])
        }
        expectRefused(invalid(.multicastTarget, target: .allNodes)) {
            $0.message = ND.solicitation(target: .allNodes, options: [1, 0, 0, 0, 0, 0, 0, 0])
        }
        expectRefused(invalid(.dadNotToSolicitedNode, source: .unspecified)) {
            $0.source = .unspecified
            $0.destination = .allNodes
        }
        expectRefused(invalid(.fragmented)) {
            $0.extensionHeaders = [.fragment(offset: 0, more: true)]
            $0.hopLimit = 1
        }
    }

    @Test("Every rejection has a distinct stable reason word, listed in allReasons")
    func reasonWords() {
        #expect(NDRejection.oneOfEach.map(\.reason) == NDRejection.allReasons)
        #expect(Set(NDRejection.allReasons).count == NDRejection.allReasons.count)
        #expect(NDRejection.hopLimit(254).description == "hop-limit (254, not 255)")
        #expect(NDRejection.code(1).description == "code (1, not 0)")
        #expect(NDRejection.tooShort(length: 16).description == "too-short (16 bytes)")
    }

    @Test("Not an NS, not IPv6, not ICMPv6: refused before validation")
    func notSolicitation() {
        let na = outcome {
            $0.message = ND.advertisement(target: Fixture.target, router: true, solicited: false, override: true)
        }
        #expect(na == .notSolicitation(icmpType: 136))
        // ARP EtherType.
        var arp = Fixture.multicastNS(link: Fixture.ethernet()).bytes
        arp[12] = 0x08
        arp[13] = 0x06
        #expect(validateSolicitation(arp, linkType: .ethernet) == .wireError(.notIPv6(etherType: 0x0806)))
        // IPv4 on LINKTYPE_RAW is "not IPv6", on LINKTYPE_IPV6 a bad version.
        var v4 = Fixture.multicastNS(link: .raw).bytes
        v4[0] = 0x45
        #expect(validateSolicitation(v4, linkType: .raw) == .wireError(.notIPv6(etherType: 0x0800)))
        #expect(validateSolicitation(v4, linkType: .ipv6) == .wireError(.badIPVersion(4)))
        // Three VLAN tags.
        let tags = [
            SolicitationValidationTests.sTag, SolicitationValidationTests.qTag, SolicitationValidationTests.qTag,
        ]
        #expect(
            validateSolicitation(Fixture.multicastNS(link: Fixture.ethernet(tags: tags)).bytes, linkType: .ethernet)
                == .wireError(.tooManyVLANTags))
    }
}
