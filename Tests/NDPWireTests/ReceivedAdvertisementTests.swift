// A guest's Neighbor Advertisement as evidence (ARCHITECTURE.md, "Live guests"): frames laid out by the
// test (TestSupport/TestFrames.swift) are accepted or refused by `ReceivedAdvertisement` exactly as
// RFC 4861 §7.1.2 says, one case per check; every NA the project builds reads back.

import NDPWire
import TestSupport
import Testing

/// What advertisement validation made of a frame.
enum NAOutcome: Equatable {
    case accepted(ReceivedAdvertisement)
    case failed(AdvertisementFrameError)
}

func validateAdvertisement(_ frame: [UInt8], linkType: LinkType = .ethernet) -> NAOutcome {
    do throws(AdvertisementFrameError) {
        return .accepted(try ReceivedAdvertisement(decoding: frame.span, linkType: linkType))
    } catch {
        return .failed(error)
    }
}

/// One NA frame and what validation must return.
struct AdvertisementFrameCase: Sendable, CustomTestStringConvertible {
    var name: String
    var packet: TestPacket
    var linkType: LinkType = .ethernet
    /// The accepted value, or nil when the case must be refused with `rejection`.
    var expected: ReceivedAdvertisement?
    var rejection: AdvertisementRejection?
    var testDescription: String { name }
}

@Suite("NA validation (RFC 4861 §7.1.2, RFC 6980)")
struct ReceivedAdvertisementTests {
    static let hostMAC = Fixture.interfaceMAC
    static let hostLinkLocal = IPv6Address.linkLocal(for: Fixture.interfaceMAC)
    static let guestLinkLocal = IPv6Address.linkLocal(for: Fixture.guestMAC)

    /// The guest's answer to a probe: from T to the host's link-local address, S and O, TLLA.
    static func answer(
        link: LinkSpec = .ethernet(destination: hostMAC, source: Fixture.guestMAC, tags: []),
        destination: IPv6Address = hostLinkLocal, router: Bool = false, solicited: Bool = true,
        override: Bool = true, options: [UInt8] = ND.tlla(Fixture.guestMAC),
        hopLimit: UInt8 = 255
    ) -> TestPacket {
        TestPacket(
            link: link, hopLimit: hopLimit, source: Fixture.target, destination: destination,
            message: ND.advertisement(
                target: Fixture.target, router: router, solicited: solicited,
                override: override, options: options))
    }

    static func accepted(
        destination: IPv6Address = hostLinkLocal, flags: NeighborAdvertisementFlags = [.solicited, .override],
        tlla: MACAddress? = Fixture.guestMAC, linkSource: MACAddress? = Fixture.guestMAC,
        linkDestination: MACAddress? = hostMAC, tags: [VLANTag] = []
    ) -> ReceivedAdvertisement {
        ReceivedAdvertisement(
            source: Fixture.target, destination: destination, targetAddress: Fixture.target,
            flags: flags, targetLinkLayerAddress: tlla, linkLayerSource: linkSource,
            linkLayerDestination: linkDestination, vlanTags: VLANTags(tags))
    }

    static let tag = VLANTag(tagProtocolIdentifier: 0x8100, tagControlInformation: 0x0014)

    static let valid: [AdvertisementFrameCase] = [
        AdvertisementFrameCase(name: "the answer to a probe: S, O, TLLA", packet: answer(), expected: accepted()),
        AdvertisementFrameCase(
            name: "no TLLA: the frame's source is where the target is",
            packet: answer(options: []), expected: accepted(tlla: nil)),
        AdvertisementFrameCase(
            name: "unsolicited to all-nodes, O only",
            packet: answer(
                link: .ethernet(
                    destination: MACAddress(0x33, 0x33, 0, 0, 0, 1),
                    source: Fixture.guestMAC, tags: []),
                destination: .allNodes, solicited: false),
            expected: accepted(
                destination: .allNodes, flags: [.override],
                linkDestination: MACAddress(0x33, 0x33, 0, 0, 0, 1))),
        AdvertisementFrameCase(
            name: "a router's answer: R, S, O",
            packet: answer(router: true), expected: accepted(flags: [.router, .solicited, .override])),
        AdvertisementFrameCase(
            name: "two TLLA options and unknown ones: the first TLLA counts",
            packet: answer(
                options: [200, 1, 0, 0, 0, 0, 0, 0] + ND.tlla(Fixture.guestMAC)
                    + ND.tlla(Fixture.routerMAC) + ND.slla(Fixture.routerMAC)),
            expected: accepted()),
        AdvertisementFrameCase(
            name: "802.1Q tagged",
            packet: answer(link: .ethernet(destination: hostMAC, source: Fixture.guestMAC, tags: [tag])),
            expected: accepted(tags: [tag])),
        AdvertisementFrameCase(
            name: "Linux cooked v2, no TLLA: the SLL address",
            packet: answer(
                link: .sll2(packetType: 0, interfaceIndex: 3, source: Fixture.guestMAC),
                options: []),
            linkType: .linuxSLL2, expected: accepted(tlla: nil, linkDestination: nil)),
        AdvertisementFrameCase(
            name: "raw IP, no TLLA: no link-layer address at all",
            packet: answer(link: .raw, options: []), linkType: .raw,
            expected: accepted(tlla: nil, linkSource: nil, linkDestination: nil)),
    ]

    static func refused(_ name: String, _ packet: TestPacket, _ rejection: AdvertisementRejection)
        -> AdvertisementFrameCase
    {
        AdvertisementFrameCase(name: name, packet: packet, rejection: rejection)
    }

    static let invalid: [AdvertisementFrameCase] = [
        refused(
            "Payload Length beyond the capture",
            {
                var p = answer()
                p.payloadLengthAdjustment = 8
                return p
            }(),
            .message(.truncated)),
        refused(
            "a Fragment header, even an atomic one (RFC 6980 §5)",
            {
                var p = answer()
                p.extensionHeaders = [.fragment(offset: 0, more: false)]
                return p
            }(),
            .message(.fragmented)),
        refused("hop limit 254 (§7.1.2)", answer(hopLimit: 254), .message(.hopLimit(254))),
        refused(
            "multicast source (RFC 4291 §2.7)",
            {
                var p = answer()
                p.source = .allNodes
                return p
            }(), .message(.multicastSource)),
        refused(
            "bad checksum",
            {
                var p = answer()
                p.checksumOverride = 0x1234
                return p
            }(), .message(.checksum)),
        refused(
            "code 1",
            {
                var p = answer()
                p.message[1] = 1
                return p
            }(), .message(.code(1))),
        refused(
            "ICMP length 20",
            {
                var p = answer(options: [])
                p.message.removeLast(4)
                return p
            }(),
            .message(.tooShort(length: 20))),
        refused(
            "multicast target",
            TestPacket(
                link: .ethernet(destination: hostMAC, source: Fixture.guestMAC, tags: []),
                source: Fixture.target, destination: hostLinkLocal,
                message: ND.advertisement(target: .allNodes, router: false, solicited: true, override: true)),
            .message(.multicastTarget)),
        refused("an option of length 0", answer(options: [2, 0, 0, 0, 0, 0, 0, 0]), .message(.zeroLengthOption)),
        refused("an option past the end", answer(options: [2, 2, 0, 0, 0, 0, 0, 0]), .message(.optionOverrun)),
        refused("S = 1 to all-nodes (§7.1.2)", answer(destination: .allNodes), .solicitedToMulticast),
        refused(
            "S = 1 to a solicited-node group", answer(destination: Fixture.targetSolicitedNode), .solicitedToMulticast),
    ]

    @Test("valid advertisements are read field by field", arguments: valid)
    func accepts(_ c: AdvertisementFrameCase) throws {
        let outcome = validateAdvertisement(c.packet.bytes, linkType: c.linkType)
        #expect(outcome == .accepted(try #require(c.expected)))
    }

    @Test("the link-layer address is the TLLA, else the frame's source")
    func linkLayerAddress() {
        #expect(Self.accepted().linkLayerAddress == Fixture.guestMAC)
        #expect(Self.accepted(tlla: Fixture.routerMAC).linkLayerAddress == Fixture.routerMAC)
        #expect(Self.accepted(tlla: nil).linkLayerAddress == Fixture.guestMAC)
        #expect(Self.accepted(tlla: nil, linkSource: nil).linkLayerAddress == nil)
    }

    @Test("each failed check is named, with the target when the bytes hold it", arguments: invalid)
    func refuses(_ c: AdvertisementFrameCase) throws {
        let rejection = try #require(c.rejection)
        guard case .failed(.invalid(let invalid)) = validateAdvertisement(c.packet.bytes, linkType: c.linkType) else {
            Issue.record("not refused as invalid: \(validateAdvertisement(c.packet.bytes, linkType: c.linkType))")
            return
        }
        #expect(invalid.rejection == rejection)
        #expect(invalid.source == c.packet.source)
        let expectedTarget: IPv6Address? =
            switch rejection {
            case .message(.tooShort): nil
            case .message(.multicastTarget): .allNodes
            default: Fixture.target
            }
        #expect(invalid.targetAddress == expectedTarget)
    }

    @Test("reason words are stable and shared with the NS's for the common checks")
    func reasonWords() {
        #expect(AdvertisementRejection.solicitedToMulticast.reason == "solicited-to-multicast")
        #expect(AdvertisementRejection.message(.hopLimit(1)).reason == "hop-limit")
        #expect(AdvertisementRejection.message(.checksum).reason == "checksum")
    }

    @Test("every proper prefix of a valid advertisement is refused, never accepted")
    func prefixesRefused() {
        let frame = Self.answer().bytes
        for length in 0..<frame.count {
            if case .accepted = validateAdvertisement(Array(frame[0..<length])) {
                Issue.record("prefix of \(length) bytes accepted")
            }
        }
    }

    @Test("other ICMPv6 messages and other frames are not advertisements")
    func otherFrames() throws {
        let ns = Fixture.multicastNS(link: Fixture.ethernet()).bytes
        #expect(validateAdvertisement(ns) == .failed(.notAdvertisement(icmpType: 135)))
        guard case .failed(.undecodable) = validateAdvertisement([UInt8](repeating: 0, count: 60)) else {
            Issue.record("zeros decoded")
            return
        }
    }

    @Test("every NA the project builds reads back; S = 1 to all-nodes is refused", arguments: AdvertisementCase.all)
    func builtAdvertisementsReadBack(_ c: AdvertisementCase) throws {
        let na = c.advertisement
        let outcome = validateAdvertisement(try advertisementFrame(na))
        if na.destination.isMulticast && c.solicited {
            guard case .failed(.invalid(let invalid)) = outcome else {
                Issue.record("S = 1 to \(na.destination) accepted")
                return
            }
            #expect(invalid.rejection == .solicitedToMulticast)
            return
        }
        #expect(
            outcome
                == .accepted(
                    ReceivedAdvertisement(
                        source: na.source, destination: na.destination, targetAddress: na.targetAddress,
                        flags: na.flags,
                        targetLinkLayerAddress: na.targetLinkLayerAddress, linkLayerSource: na.ethernetSource,
                        linkLayerDestination: na.ethernetDestination, vlanTags: na.vlanTags)))
    }
}
