// libFuzzer target over NDPWire's whole receive-and-answer path.
//
// Input layout: byte 0 selects the link type (value % 5: Ethernet, raw, Linux SLL, Linux SLL2,
// LINKTYPE_IPV6), byte 1 onwards is the captured frame. When byte 0 is 128 or more, the frame's
// ICMPv6 checksum is first recomputed (if NDFrame finds a whole message), so that mutations get
// past the checksum to the checks behind it. For every input:
//
//   0. the engine's one call, `NeighborSolicitation(decoding:linkType:)`, must give the same
//      outcome as the layered decoders below, and its single pass (`init?(acceptingEthernet:)`)
//      may only accept what they accept, field for field;
//   1. `NDFrame(parsing:linkType:)` decodes down to ICMPv6 (typed errors are fine); for a whole
//      message, `ICMPv6Checksum.isValid`/`compute` must agree with a textbook RFC 1071 sum; the
//      extension-header rule it reports (`ip.discard`) must be the one a second, plainly written
//      walk of RFC 8200 §4 (and Linux's padding, option-limit and routing-type rules) finds;
//   2. for an ND type, `NDMessage(parsing:)` decodes the fixed part and every option is walked
//      with `NDOptionIterator` (offsets it reports must lie inside the message);
//   3. for an NS, `NeighborSolicitation(validating:in:)` runs RFC 4861 §7.1.1 / RFC 6980;
//   3b. for an NA, `ReceivedAdvertisement(validating:in:)` runs RFC 4861 §7.1.2, and an accepted
//      one must hold what that section promises (and the one-call decoder must agree);
//   4. for an accepted NS, the reply is built with `NeighborAdvertisement(answering:...)` +
//      `write(into:)` into a buffer pre-filled with garbage, and the built frame is parsed back.
//      It must be a valid NA (hop limit 255, code 0, checksum verifies, same target, TLLA = the
//      interface MAC, VLAN tags mirrored, S/destination as RFC 4861 §7.2.4 says) and the builder
//      must not have written past the length it returned. A probe for the NS's target (the
//      live-guest probe, from the interface's link-local address, multicast and unicast with the
//      NS's tags) is built the same way and must validate as an NS for that target.
//
// A violated property traps (`fatalError`), which libFuzzer records as a crash.
//
// Built by Fuzz/run.sh together with Sources/NDPWire/*.swift in one module (-module-name
// NDPWire), so it only uses NDPWire's public API but needs no separate module build.

/// The interface the fuzzer answers from (replay's default MAC, README "Configuration").
private let interfaceMAC = MACAddress(0x02, 0x00, 0x00, 0x00, 0x00, 0x01)
private let interfaceLinkLocal = IPv6Address.linkLocal(for: interfaceMAC)
private let interfaceGlobal = IPv6Address(high: 0x2001_0DB8_0000_96CE, low: 1)

private let linkTypes: [LinkType] = [.ethernet, .raw, .linuxSLL, .linuxSLL2, .ipv6]

@inline(never)
private func fail(_ what: String, _ detail: @autoclosure () -> String = "") -> Never {
    fatalError("ParseFuzzer property violated: \(what) \(detail())")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func ndpdFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 1 else { return 0 }
    let linkType = linkTypes[Int(data[0]) % linkTypes.count]
    // The frame is libFuzzer's own exactly-sized buffer: any read past it that a bounds check
    // missed is an AddressSanitizer report, any checked one a Swift trap.
    let buffer = UnsafeBufferPointer(start: data + 1, count: size - 1)
    if data[0] >= 128, let repaired = withChecksumRepaired(buffer.span, linkType: linkType) {
        checkOneCallAgrees(repaired.span, linkType: linkType)
        fuzzFrame(repaired.span, linkType: linkType, selector: data[0])
        return 0
    }
    checkOneCallAgrees(buffer.span, linkType: linkType)
    fuzzFrame(buffer.span, linkType: linkType, selector: data[0])
    return 0
}

/// A copy of `frame` whose ICMPv6 checksum is recomputed, or nil if NDFrame finds no whole message.
private func withChecksumRepaired(_ frame: Span<UInt8>, linkType: LinkType) -> [UInt8]? {
    guard let parsed = try? NDFrame(parsing: frame, linkType: linkType), let range = parsed.messageRange,
        range.count >= 4
    else { return nil }
    var bytes = [UInt8](repeating: 0, count: frame.count)
    for i in 0..<frame.count { bytes[i] = frame[i] }
    bytes[range.lowerBound + 2] = 0
    bytes[range.lowerBound + 3] = 0
    let checksum = ICMPv6Checksum.compute(
        bytes.span.extracting(range), source: parsed.ip.source,
        destination: parsed.ip.destination)
    bytes[range.lowerBound + 2] = UInt8(checksum >> 8)
    bytes[range.lowerBound + 3] = UInt8(truncatingIfNeeded: checksum)
    return bytes
}

/// The layered outcome as a comparable word plus the accepted NS, if any.
private func layeredOutcome(_ frame: Span<UInt8>, linkType: LinkType) -> (String, NeighborSolicitation?) {
    let parsed: NDFrame
    do { parsed = try NDFrame(parsing: frame, linkType: linkType) } catch { return ("undecodable \(error)", nil) }
    guard parsed.icmpType == NDMessageType.neighborSolicitation.rawValue else {
        return ("type \(parsed.icmpType)", nil)
    }
    do { return ("accepted", try NeighborSolicitation(validating: parsed, in: frame)) } catch {
        return (
            "invalid \(error.rejection) \(error.source) \(error.destination) \(String(describing: error.targetAddress))",
            nil
        )
    }
}

/// Property 0: the one-call decoder and its single pass agree with the layered decoders.
private func checkOneCallAgrees(_ frame: Span<UInt8>, linkType: LinkType) {
    let (layered, accepted) = layeredOutcome(frame, linkType: linkType)
    if linkType == .ethernet, let fast = NeighborSolicitation(acceptingEthernet: frame) {
        guard fast == accepted else { fail("the single pass accepted a frame the layered path calls", layered) }
    }
    let combined: String
    var combinedAccepted: NeighborSolicitation?
    do {
        combinedAccepted = try NeighborSolicitation(decoding: frame, linkType: linkType)
        combined = "accepted"
    } catch {
        switch error {
        case .undecodable(let wire): combined = "undecodable \(wire)"
        case .notSolicitation(let type): combined = "type \(type)"
        case .invalid(let i):
            combined = "invalid \(i.rejection) \(i.source) \(i.destination) \(String(describing: i.targetAddress))"
        }
    }
    guard combined == layered, combinedAccepted == accepted else {
        fail("NeighborSolicitation(decoding:) disagrees with the layered decoders", "\(combined) vs \(layered)")
    }
}

private func fuzzFrame(_ frame: Span<UInt8>, linkType: LinkType, selector: UInt8) {
    let parsed: NDFrame
    do {
        parsed = try NDFrame(parsing: frame, linkType: linkType)
    } catch {
        return
    }
    checkFrameInvariants(parsed, frame: frame)
    checkChecksum(parsed, frame: frame)
    let expectedDiscard = referenceDiscard(frame, ipOffset: parsed.link.networkOffset)
    guard parsed.ip.discard == expectedDiscard else {
        fail(
            "IPv6Packet's extension-header rule disagrees with the reference walk",
            "\(String(describing: parsed.ip.discard)) vs \(String(describing: expectedDiscard))")
    }
    guard parsed.ndType != nil else { return }

    // The ND message as far as the capture holds it.
    let available = min(frame.count - parsed.messageOffset, parsed.messageLength)
    let message = frame.extracting(parsed.messageOffset..<(parsed.messageOffset + available))
    walkMessage(message)

    if parsed.ndType == .neighborAdvertisement { checkAdvertisement(parsed, frame: frame, linkType: linkType) }
    guard parsed.ndType == .neighborSolicitation else { return }
    let solicitation: NeighborSolicitation
    do {
        solicitation = try NeighborSolicitation(validating: parsed, in: frame)
    } catch {
        return
    }
    checkAccepted(solicitation, parsed: parsed, frame: frame)
    answer(solicitation, selector: selector)
    probe(for: solicitation)
}

/// Offsets NDFrame reports must describe bytes of the frame.
private func checkFrameInvariants(_ parsed: NDFrame, frame: Span<UInt8>) {
    guard parsed.ip.upperLayerProtocol == 58 else { fail("NDFrame accepted a non-ICMPv6 chain") }
    // Type and code are there, or the message is a single octet (its type).
    let header = min(parsed.messageLength, 2)
    guard parsed.messageOffset >= 0, parsed.messageOffset + header <= frame.count else {
        fail("message offset outside the frame", "\(parsed.messageOffset) of \(frame.count)")
    }
    guard parsed.messageLength >= 1 else { fail("an empty message decoded") }
    if parsed.messageLength == 1 && parsed.icmpCode != 0 { fail("a code read from a one-octet message") }
    if let range = parsed.messageRange {
        guard range.upperBound <= frame.count else { fail("messageRange past the frame") }
    } else {
        guard parsed.ip.isTruncated else { fail("messageRange nil for an untruncated packet") }
    }
    guard parsed.icmpType == frame[parsed.messageOffset] else { fail("icmpType is not the byte at the offset") }
}

/// The first rule by which an IPv6 node discards the packet at `ipOffset`, written apart from
/// IPv6Packet: a walk of the chain, one header after the other, each option judged in its turn.
/// NDFrame decoded the frame, so every header of the chain is whole.
private func referenceDiscard(_ frame: Span<UInt8>, ipOffset: Int) -> IPv6Discard? {
    // The fixed header's addresses, octet by octet: ::1, ::, and the multicast scope nibble.
    func octets(_ at: Int) -> [UInt8] { (0..<16).map { frame[at + $0] } }
    let source = octets(ipOffset + 8)
    let destination = octets(ipOffset + 24)
    let loopback = [UInt8](repeating: 0, count: 15) + [1]
    if source == loopback || destination == loopback { return .loopbackAddress }
    if destination == [UInt8](repeating: 0, count: 16) { return .unspecifiedDestination }
    if destination[0] == 0xFF && destination[1] & 0x0F < 2 { return .multicastScope }
    let multicastDestination = frame[ipOffset + 24] == 0xFF
    var next = frame[ipOffset + 6]
    var start = ipOffset + 40
    while true {
        let length: Int
        switch next {
        case 44: length = 8
        case 51: length = (Int(frame[start + 1]) + 2) * 4
        case 0, 43, 60: length = (Int(frame[start + 1]) + 1) * 8
        default: return nil
        }
        if next == 43 {
            if multicastDestination { return .multicastRouted }
            let type = frame[start + 2]
            let segmentsLeft = frame[start + 3]
            if segmentsLeft != 0 || type == 3 || type == 4 { return .routingHeader }
        } else if next == 0 || next == 60 {
            var i = start + 2
            var paddingRun = 0
            var realOptions = 0
            while i < start + length {
                let type = frame[i]
                var size = 1
                if type != 0 {
                    if start + length - i < 2 { return .optionOverrun }
                    size = Int(frame[i + 1]) + 2
                    if size > start + length - i { return .optionOverrun }
                }
                if type == 0 || type == 1 {
                    paddingRun += size
                    if paddingRun > 7 { return .padding }
                    if type == 1 && (2..<size).contains(where: { frame[i + $0] != 0 }) { return .padding }
                } else {
                    paddingRun = 0
                    realOptions += 1
                    if realOptions > 8 { return .tooManyOptions }
                    if next == 0 && type == 5 && size != 4 { return .routerAlertLength }
                    if next == 0 && type == 0xC2 { return .jumboPayload }
                    if next == 0 && type == 0x07 { return .calipso }
                    if next == 0 && type == 0x31 && (i - start) % 4 != 0 { return .ioamAlignment }
                    let known = next == 0 && (type == 5 || type == 0x31)
                    if !known && type & 0xC0 != 0 { return .unknownOption }
                }
                i += size
            }
        }
        next = frame[start]
        start += length
    }
}

/// ICMPv6Checksum against a textbook RFC 1071 sum (16-bit big-endian words, one at a time),
/// for every whole ICMPv6 message: any length, odd or even, any alignment in the frame.
private func checkChecksum(_ parsed: NDFrame, frame: Span<UInt8>) {
    guard let range = parsed.messageRange else { return }
    let message = frame.extracting(range)
    let source = parsed.ip.source
    let destination = parsed.ip.destination
    let reference = referenceSum(message, source: source, destination: destination)
    guard ICMPv6Checksum.isValid(message, source: source, destination: destination) == (reference == 0xFFFF) else {
        fail("ICMPv6Checksum.isValid disagrees with RFC 1071", "reference sum \(reference), length \(message.count)")
    }
    // compute() expects a zero checksum field: the value it returns must be what makes the
    // reference sum 0xffff, i.e. ~(sum with the field zeroed).
    if message.count >= 4, message[2] == 0, message[3] == 0 {
        let computed = ICMPv6Checksum.compute(message, source: source, destination: destination)
        guard computed == ~reference else {
            fail("ICMPv6Checksum.compute disagrees with RFC 1071", "\(computed) vs \(~reference)")
        }
    }
}

private func referenceSum(_ message: Span<UInt8>, source: IPv6Address, destination: IPv6Address) -> UInt16 {
    var sum: UInt32 = 0
    func add(_ word: UInt32) {
        sum += word
        sum = (sum & 0xFFFF) + (sum >> 16)
    }
    for address in [source, destination] {
        for half in [address.high, address.low] {
            for shift in stride(from: 48, through: 0, by: -16) {
                add(UInt32(truncatingIfNeeded: half >> UInt64(shift)) & 0xFFFF)
            }
        }
    }
    add(UInt32(message.count) >> 16)
    add(UInt32(message.count) & 0xFFFF)
    add(58)
    var i = 0
    while i < message.count {
        let high = UInt32(message[i]) << 8
        let low = i + 1 < message.count ? UInt32(message[i + 1]) : 0
        add(high | low)
        i += 2
    }
    return UInt16(sum)
}

/// NDMessage and every option, as a passive decoder (RS/RA/NS/NA/Redirect) sees them.
private func walkMessage(_ message: Span<UInt8>) {
    let decoded: NDMessage?
    do {
        decoded = try NDMessage(parsing: message)
    } catch {
        return
    }
    guard let decoded else { fail("NDMessage returned nil for an ND type") }
    guard decoded.length == message.count else { fail("NDMessage length is not the message's") }
    var options = decoded.options()
    var steps = 0
    while true {
        let option: NDOption?
        do {
            option = try options.next(in: message)
        } catch {
            return
        }
        guard let option else { return }
        steps += 1
        // Every option is at least 8 bytes: more steps than that means the cursor did not advance.
        guard steps <= message.count / 8 else { fail("option iterator does not advance") }
        switch option {
        case .redirectedHeader(let offset, let length), .nonce(let offset, let length),
            .other(_, let offset, let length):
            guard offset >= 0, length >= 0, offset + length <= message.count else {
                fail("option bytes outside the message", "\(option) in \(message.count)")
            }
            // Reading them must be safe: touch the first and last.
            if length > 0 { _ = message[offset] &+ message[offset + length - 1] }
        case .sourceLinkLayerAddress, .targetLinkLayerAddress, .prefixInformation, .mtu:
            break
        }
    }
}

/// What RFC 4861 §7.1.1 promises about an accepted NS.
private func checkAccepted(_ ns: NeighborSolicitation, parsed: NDFrame, frame: Span<UInt8>) {
    guard parsed.ip.hopLimit == 255 else { fail("accepted NS with hop limit", "\(parsed.ip.hopLimit)") }
    guard parsed.icmpCode == 0 else { fail("accepted NS with code", "\(parsed.icmpCode)") }
    guard !parsed.ip.isFragmented, !parsed.ip.isTruncated else { fail("accepted a fragmented or cut NS") }
    guard parsed.messageLength >= 24 else { fail("accepted NS shorter than 24 bytes") }
    guard !ns.targetAddress.isMulticast else { fail("accepted NS for a multicast target") }
    guard let range = parsed.messageRange else { fail("accepted NS without a message range") }
    let message = frame.extracting(range)
    guard ICMPv6Checksum.isValid(message, source: ns.source, destination: ns.destination) else {
        fail("accepted NS whose checksum does not verify")
    }
    guard ns.targetAddress == message.ipv6AddressForFuzzing(at: 8) else { fail("target is not bytes 8..<24") }
    if ns.isDuplicateAddressDetection {
        guard ns.destination.isSolicitedNodeMulticast else { fail("DAD NS not to a solicited-node group") }
        guard ns.sourceLinkLayerAddress == nil else { fail("DAD NS with an SLLA") }
    }
}

/// What RFC 4861 §7.1.2 promises about an accepted NA; the one-call decoder agrees.
private func checkAdvertisement(_ parsed: NDFrame, frame: Span<UInt8>, linkType: LinkType) {
    let layered = Result { () throws(InvalidAdvertisement) in try ReceivedAdvertisement(validating: parsed, in: frame) }
    let combined = Result { () throws(AdvertisementFrameError) in
        try ReceivedAdvertisement(decoding: frame, linkType: linkType)
    }
    switch (layered, combined) {
    case (.success(let a), .success(let b)) where a == b: break
    case (.failure(let a), .failure(.invalid(let b))) where a == b: break
    default: fail("ReceivedAdvertisement(decoding:) disagrees with (validating:in:)")
    }
    guard case .success(let na) = layered else { return }
    guard parsed.ip.hopLimit == 255, parsed.icmpCode == 0, !parsed.ip.isFragmented, !parsed.ip.isTruncated,
        parsed.messageLength >= 24, !na.targetAddress.isMulticast
    else { fail("accepted NA breaks §7.1.2") }
    guard !(na.flags.contains(.solicited) && na.destination.isMulticast) else {
        fail("accepted NA with S = 1 to multicast")
    }
    guard let range = parsed.messageRange else { fail("accepted NA without a message range") }
    let message = frame.extracting(range)
    guard ICMPv6Checksum.isValid(message, source: na.source, destination: na.destination) else {
        fail("accepted NA whose checksum does not verify")
    }
    guard na.targetAddress == message.ipv6AddressForFuzzing(at: 8) else { fail("NA target is not bytes 8..<24") }
    // The TLLA is the first Target Link-Layer Address option, as the option iterator walks them.
    var options = NDOptionIterator(start: 24, end: message.count)
    var first: MACAddress?
    while let option = try? options.next(in: message) {
        if case .targetLinkLayerAddress(let mac) = option, first == nil { first = mac }
    }
    guard na.targetLinkLayerAddress == first else { fail("NA TLLA is not the first TLLA option") }
}

/// Builds live-guest probes for the solicitation's target and validates them as NS.
private func probe(for ns: NeighborSolicitation) {
    for destination in [SolicitationProbe.Destination.solicitedNode, .unicast(MACAddress(0x52, 0x54, 0, 0, 0, 2))] {
        guard
            let probe = SolicitationProbe(
                target: ns.targetAddress, source: interfaceLinkLocal, interfaceMAC: interfaceMAC,
                destination: destination, vlanTags: ns.vlanTags)
        else {
            // Refused only for a target the probe cannot have.
            guard
                ns.targetAddress.isUnspecified || ns.targetAddress.isLoopback || ns.targetAddress == interfaceLinkLocal
            else {
                fail("SolicitationProbe refused target", "\(ns.targetAddress)")
            }
            return
        }
        var bytes = [UInt8](repeating: 0xA5, count: 128)
        let length: Int
        do {
            var out = bytes.mutableSpan
            length = try probe.write(into: &out)
        } catch {
            fail("probe write(into:) refused a 128-byte buffer")
        }
        guard length == probe.frameLength else { fail("probe frame length") }
        for i in length..<bytes.count where bytes[i] != 0xA5 { fail("probe builder wrote past its length at", "\(i)") }
        guard let back = try? NeighborSolicitation(decoding: bytes.span.extracting(0..<length), linkType: .ethernet),
            back.targetAddress == ns.targetAddress, back.source == interfaceLinkLocal,
            back.sourceLinkLayerAddress == interfaceMAC, back.vlanTags == ns.vlanTags,
            back.linkLayerDestination == probe.ethernetDestination
        else {
            fail("built probe does not validate as an NS for its target", "\(ns.targetAddress)")
        }
    }
}

/// Builds the answer, parses it back and checks it field by field.
private func answer(_ ns: NeighborSolicitation, selector: UInt8) {
    // Vary the flags and the source choice from the selector byte's high bits.
    let router = selector & 0x20 != 0
    let override = selector & 0x40 != 0
    let source =
        selector & 0x80 != 0 ? interfaceGlobal : (ns.source.isLinkLocal ? interfaceLinkLocal : ns.targetAddress)
    let na = NeighborAdvertisement(
        answering: ns, interfaceMAC: interfaceMAC, source: source,
        router: router, override: override)

    let garbage: UInt8 = 0xA5
    var bytes = [UInt8](repeating: garbage, count: 160)
    let length: Int
    do {
        var out = bytes.mutableSpan
        length = try na.write(into: &out)
    } catch {
        fail("write(into:) refused a 160-byte buffer", "\(error)")
    }
    guard length == na.frameLength, length == 14 + 4 * ns.vlanTags.count + 40 + 32 else {
        fail("frame length", "\(length), frameLength \(na.frameLength), tags \(ns.vlanTags.count)")
    }
    for i in length..<bytes.count where bytes[i] != garbage { fail("builder wrote past its length at", "\(i)") }

    // A buffer one byte short is refused, not overrun.
    do {
        var small = [UInt8](repeating: garbage, count: length - 1)
        var out = small.mutableSpan
        _ = try na.write(into: &out)
        fail("write(into:) accepted a buffer one byte short")
    } catch {
        // expected
    }

    let built = bytes.span.extracting(0..<length)
    let reparsed: NDFrame
    do {
        reparsed = try NDFrame(parsing: built, linkType: .ethernet)
    } catch {
        fail("built NA does not parse", "\(error)")
    }
    guard reparsed.ndType == .neighborAdvertisement, reparsed.icmpCode == 0 else {
        fail("built frame is not an NA with code 0", "type \(reparsed.icmpType) code \(reparsed.icmpCode)")
    }
    guard reparsed.ip.hopLimit == 255, !reparsed.ip.isTruncated, reparsed.ip.extensionHeaderCount == 0 else {
        fail("built NA IPv6 header")
    }
    guard reparsed.link.vlanTags == ns.vlanTags else { fail("VLAN tags not mirrored") }
    guard reparsed.link.source == interfaceMAC else { fail("Ethernet source is not the interface MAC") }
    guard let range = reparsed.messageRange, range.upperBound == length else { fail("NA message range") }
    let message = built.extracting(range)
    guard ICMPv6Checksum.isValid(message, source: reparsed.ip.source, destination: reparsed.ip.destination) else {
        fail("built NA checksum does not verify")
    }
    guard reparsed.ip.source == source else { fail("NA IPv6 source") }

    let decoded: NDMessage
    do {
        guard let m = try NDMessage(parsing: message) else { fail("NDMessage nil for the built NA") }
        decoded = m
    } catch {
        fail("built NA does not decode", "\(error)")
    }
    guard decoded.targetAddress == ns.targetAddress else { fail("NA target differs from the NS target") }
    guard decoded.reservedBits == 0 else { fail("NA reserved bits not zero") }
    guard let flags = decoded.advertisementFlags else { fail("NA without flags") }
    guard flags.contains(.router) == router, flags.contains(.override) == override else { fail("R/O flags") }

    // RFC 4861 §7.2.4: DAD -> all-nodes, S = 0, at the prober's MAC only (all-nodes' group
    // when the frame has no link-layer source); otherwise unicast back with S = 1.
    if ns.isDuplicateAddressDetection {
        guard reparsed.ip.destination == .allNodes, !flags.contains(.solicited),
            reparsed.link.destination == (ns.linkLayerSource ?? MACAddress(0x33, 0x33, 0, 0, 0, 1))
        else {
            fail("DAD answer not S=0 to ff02::1 at the prober's MAC (or 33:33:00:00:00:01)")
        }
    } else {
        guard reparsed.ip.destination == ns.source, flags.contains(.solicited) else {
            fail("non-DAD answer not S=1 to the solicitor")
        }
        let expectedMAC =
            ns.sourceLinkLayerAddress ?? ns.linkLayerSource
            ?? MACAddress.ipv6Multicast(ns.source.solicitedNodeMulticast)
        guard reparsed.link.destination == expectedMAC else { fail("Ethernet destination") }
    }
    // RFC 4861 §7.2.4: S = 1 only in a unicast answer, never to a multicast destination.
    guard !(flags.contains(.solicited) && reparsed.ip.destination.isMulticast) else {
        fail("multicast-source: S = 1 to a multicast destination", "\(reparsed.ip.destination)")
    }

    // Exactly one option, the TLLA, carrying the interface MAC.
    var options = decoded.options()
    var sawTLLA = false
    do {
        while let option = try options.next(in: message) {
            guard case .targetLinkLayerAddress(let mac) = option, !sawTLLA, mac == interfaceMAC else {
                fail("unexpected NA option", "\(option)")
            }
            sawTLLA = true
        }
    } catch {
        fail("built NA options do not walk", "\(error)")
    }
    guard sawTLLA else { fail("NA without TLLA") }
}

extension Span where Element == UInt8 {
    /// An independent big-endian read (not NDPWire's helpers) for cross-checking.
    fileprivate func ipv6AddressForFuzzing(at offset: Int) -> IPv6Address {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(self[offset + i]) }
        for i in 8..<16 { low = low << 8 | UInt64(self[offset + i]) }
        return IPv6Address(high: high, low: low)
    }
}
