// tcpdump's own expected outputs (`tests/*.out` at the commit in MANIFEST.md) against
// our decode. Every packet line of every `.tcpdump.out` whose capture we can decode is checked:
// IPv6 addresses, hop limit/class/flow/payload length (with -v), the checksum verdict, the
// ICMPv6 message kind and length, the NS target, RA fixed fields, and every ND option tcpdump
// prints (source link-address, prefix info, mtu, nonce, and the type/length of the others).

import Foundation
import NDPWire
import TestSupport
import Testing

@Suite(
    "Public corpus: tcpdump .out oracles",
    .needsCorpus)
struct TcpdumpOracleTests {
    /// One packet in a tcpdump output: its -# number, the first line and its continuation lines.
    struct Packet {
        var number: Int
        var line: String
        var details: [String]
    }

    static func packets(in text: String) -> [Packet] {
        var out: [Packet] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if line.hasPrefix("\t") {
                out[out.count - 1].details.append(line.trimmingCharacters(in: .whitespaces))
                continue
            }
            // A packet line is "<-# number, right-aligned><two spaces><text>"; anything else
            // (tab- or space-indented) continues the previous packet.
            let trimmed = line.drop { $0 == " " }
            guard let space = trimmed.firstIndex(of: " "), let number = Int(trimmed[..<space]),
                trimmed[space...].hasPrefix("  "), number == out.count + 1
            else {
                guard !out.isEmpty else {
                    Issue.record("tcpdump output starts with a continuation line: \(line)")
                    continue
                }
                out[out.count - 1].details.append(line.trimmingCharacters(in: .whitespaces))
                continue
            }
            out.append(
                Packet(
                    number: number, line: String(trimmed[space...]).trimmingCharacters(in: .whitespaces), details: []))
        }
        return out
    }

    /// ICMPv6 message names as tcpdump prints them (print-icmp6.c), with their Type.
    static let icmpNames: [(String, UInt8)] = [
        ("neighbor solicitation", 135), ("neighbor advertisement", 136), ("router solicitation", 133),
        ("router advertisement", 134), ("redirect", 137), ("multicast listener report v2", 143),
        ("multicast listener query v2", 130), ("mobile router advertisement", 147), ("node information reply", 140),
    ]

    /// The capture a `.tcpdump.out` belongs to: the name without the flag variant suffix.
    static func captureName(forOutput output: String, in names: Set<String>) -> String? {
        var base = String(output.dropLast(".tcpdump.out".count))
        for _ in 0..<2 {
            for ext in [".pcap", ".pcapng"] where names.contains(base + ext) { return base + ext }
            if let dash = base.lastIndex(of: "-"), ["-v", "-v0", "-v1", "-v2", "-e"].contains(String(base[dash...])) {
                base = String(base[..<dash])
            }
        }
        return nil
    }

    /// "2001:db8::1.12345" → 2001:db8::1 (tcpdump appends the port to UDP/TCP addresses).
    static func address(_ text: Substring) -> IPv6Address? {
        if let a = IPv6Address(text) { return a }
        guard let dot = text.lastIndex(of: ".") else { return nil }
        return IPv6Address(text[..<dot])
    }

    /// The index of the ")" closing the "(" that `text` starts with.
    static func matchingParenthesis(_ text: Substring) -> Substring.Index? {
        var depth = 0
        for index in text.indices {
            if text[index] == "(" { depth += 1 }
            if text[index] == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    struct Tally {
        var packets = 0
        var checks = 0
        var mismatches: [String] = []
        var ndPackets = 0
        var options = 0
    }

    @Test("Every packet line of every tcpdump .out agrees with our decode")
    func outputsAgree() throws {
        let names = Set(try Corpus.fileNames())
        let outputs = names.filter { $0.hasSuffix(".tcpdump.out") }.sorted()
        #expect(outputs.count == 18)
        var tally = Tally()
        var skipped: [String] = []
        var perFile: [String: Int] = [:]
        for output in outputs {
            let captureName = try #require(Self.captureName(forOutput: output, in: names), "no capture for \(output)")
            let capture = try Corpus.capture(captureName)
            guard let linkType = capture.linkType else {
                skipped.append("\(output) (link type \(capture.linkTypeNumber))")
                continue
            }
            let packets = Self.packets(in: try Corpus.text(output))
            // tcpdump prints one line per record: all of them are compared.
            #expect(packets.map(\.number) == Array(1...capture.records.count), "\(output)")
            for packet in packets {
                guard let record = capture.record(packet.number) else { continue }
                let before = tally.checks
                Self.compare(packet, record: record, linkType: linkType, file: output, tally: &tally)
                #expect(tally.checks > before, "\(output) #\(packet.number): nothing was checked for \(packet.line)")
                tally.packets += 1
                perFile[output, default: 0] += 1
            }
        }
        #expect(skipped == ["tcpdump-icmp6_nodeinfo_oobr.tcpdump.out (link type 8)"])  // SLIP
        // 3 (ns-nonce x3) + 4 (bad-version) + 5 (icmpv6) + 2 (opt24) + 8 (ra-pref64 x2) + 2 + 2 + 2
        // (LINKTYPE_IPV6, _RAW_ipv6, _IPV6_invalid, each with -e) + 1 (length-zero) + 19 (dcb_qcn)
        // + 2 (mobileprefix_asan) = 50 packet lines; of them 18 are ND.
        #expect(tally.packets == 50)
        #expect(tally.ndPackets == 18)
        #expect(tally.options > 40)
        #expect(
            tally.mismatches.isEmpty,
            "\(tally.mismatches.count) mismatches:\n\(tally.mismatches.joined(separator: "\n"))")
        print(
            "tcpdump .out: \(tally.packets) packet lines in \(perFile.count) files, \(tally.ndPackets) ND, \(tally.options) options, \(tally.checks) checks"
        )
    }

    static func compare(_ packet: Packet, record: CapturedRecord, linkType: LinkType, file: String, tally: inout Tally)
    {
        let here = "\(file) #\(packet.number)"
        func check(_ ok: Bool, _ what: @autoclosure () -> String) {
            tally.checks += 1
            if !ok { tally.mismatches.append("\(here): \(what())") }
        }
        var line = Substring(packet.line)
        if line.hasPrefix("[Invalid header: caplen==0") {
            check(record.header.capturedLength == 0, "caplen \(record.header.capturedLength)")
            if case .failure(.truncated(layer: .linkLayer, _, _)) = decodeFrame(record.bytes, linkType: linkType) {
                check(true, "")
            } else {
                check(false, "a 0-byte record decoded")
            }
            return
        }
        // Drop the date and time (tcpdump master prints "YYYY-MM-DD HH:MM:SS.ffffff").
        let fields = line.split(separator: " ", maxSplits: 2)
        if fields.count == 3, fields[0].count == 10, fields[0].filter({ $0 == "-" }).count == 2 { line = fields[2] }

        if line.hasPrefix("IP ") {
            check(
                decodeFrame(record.bytes, linkType: linkType).failureValue == .notIPv6(etherType: 0x0800), "IPv4 frame")
            return
        }
        if line.hasPrefix("LLDP") {
            check(
                decodeFrame(record.bytes, linkType: linkType).failureValue == .notIPv6(etherType: 0x88CC), "LLDP frame")
            return
        }
        guard line.hasPrefix("IP6 ") else {
            check(false, "unrecognised packet line \(line)")
            return
        }
        line = line.dropFirst(4)
        // "IP6  [version 0 != 6] (invalid)"
        if let range = line.range(of: "[version ") {
            let version = UInt8(line[range.upperBound...].prefix { $0.isNumber })
            check(
                decodeFrame(record.bytes, linkType: linkType).failureValue == .badIPVersion(version ?? 255),
                "bad version \(String(describing: version)): \(decodeFrame(record.bytes, linkType: linkType))")
            return
        }
        // Link layer and IPv6 header, decoded whatever the upper layer is.
        guard let link = try? LinkHeader(parsing: record.bytes.span, linkType: linkType),
            let ip = try? IPv6Packet(parsing: record.bytes.span, at: link.networkOffset)
        else {
            check(false, "IPv6 header did not decode")
            return
        }
        // -v: "(class 0x50, flowlabel 0x0002c, hlim 255, next-header ICMPv6 (58), payload length 32) "
        if line.hasPrefix("("), let close = Self.matchingParenthesis(line) {
            let header = line[line.index(after: line.startIndex)..<close]
            for item in header.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                let parts = item.split(separator: " ")
                switch parts.first {
                case "hlim": check(UInt8(parts[1]) == ip.hopLimit, "hlim \(parts[1]) vs \(ip.hopLimit)")
                case "class": check(UInt8(parts[1].dropFirst(2), radix: 16) == ip.trafficClass, "class \(parts[1])")
                case "flowlabel":
                    check(UInt32(parts[1].dropFirst(2), radix: 16) == ip.flowLabel, "flowlabel \(parts[1])")
                case "payload":
                    check(Int(parts[2]) == ip.payloadLength, "payload length \(parts[2]) vs \(ip.payloadLength)")
                case "next-header":
                    if item.contains("HBH") {
                        check(ip.extensionHeaderCount >= 1 && ip.upperLayerProtocol == 58, "HBH walk")
                    } else {
                        check(ip.extensionHeaderCount == 0, "extension headers where tcpdump saw none")
                    }
                default: break
                }
            }
            line = line[line.index(after: close)...].drop { $0 == " " }
        }
        // "SRC > DST: ..."
        let words = line.split(separator: " ", maxSplits: 3)
        guard words.count >= 3, words[1] == ">" else {
            check(false, "no addresses in \(line)")
            return
        }
        check(Self.address(words[0]) == ip.source, "src \(words[0]) vs \(ip.source)")
        check(Self.address(words[2].dropLast()) == ip.destination, "dst \(words[2]) vs \(ip.destination)")

        guard let icmpRange = line.range(of: "ICMP6, ") else {
            // Not ICMPv6 (the LINKTYPE_IPV6/RAW DNS query): we must say so.
            check(
                decodeFrame(record.bytes, linkType: linkType).failureValue
                    == .notICMPv6(nextHeader: ip.upperLayerProtocol)
                    && ip.upperLayerProtocol != 58, "non-ICMPv6 packet")
            return
        }
        let afterICMP = line[icmpRange.upperBound...]
        // "ICMP6, length 0 (invalid)": an empty ICMPv6 message.
        if afterICMP.hasPrefix("length 0") {
            check(ip.upperLayerLength == 0, "ICMPv6 length \(ip.upperLayerLength)")
            check(
                decodeFrame(record.bytes, linkType: linkType).failureValue
                    == .truncated(layer: .icmpv6, needed: 2, have: 0),
                "zero-length ICMPv6: \(decodeFrame(record.bytes, linkType: linkType))")
            return
        }
        guard case .success(let frame) = decodeFrame(record.bytes, linkType: linkType) else {
            check(false, "ICMPv6 frame did not decode: \(decodeFrame(record.bytes, linkType: linkType))")
            return
        }
        let type = Self.icmpNames.first { afterICMP.hasPrefix($0.0) }?.1
        check(type == frame.icmpType, "ICMPv6 type \(frame.icmpType) vs \(afterICMP.prefix(30))")
        let message = messageBytes(record.bytes, frame)
        if line.contains("[icmp6 sum ok]") {
            check(checksumIsValid(message, source: ip.source, destination: ip.destination), "checksum should verify")
        }
        if line.contains("bad icmp6 cksum") {
            check(!checksumIsValid(message, source: ip.source, destination: ip.destination), "checksum should fail")
        }
        // ", length N" (the ICMPv6 length as the IPv6 header declares it).
        if let lengthRange = afterICMP.range(of: "length ") {
            let value = Int(afterICMP[lengthRange.upperBound...].prefix { $0.isNumber })
            check(value == frame.messageLength, "ICMPv6 length \(String(describing: value)) vs \(frame.messageLength)")
        }
        guard frame.ndType != nil else { return }
        tally.ndPackets += 1
        let nd = decodeND(message)
        guard let m = nd.message else {
            check(false, "ND message did not decode: \(String(describing: nd.messageError))")
            return
        }
        check(nd.optionError == nil, "option walk failed: \(String(describing: nd.optionError))")
        if let who = afterICMP.range(of: "who has ") {
            let target = afterICMP[who.upperBound...].prefix { $0 != "," && $0 != " " }
            check(m.targetAddress == IPv6Address(target), "target \(String(describing: m.targetAddress)) vs \(target)")
        }

        var printedOptions: [(type: UInt8, length: Int, value: String)] = []
        for detail in packet.details {
            if detail.hasPrefix("0x") { continue }  // hex dump (-vv)
            if detail.hasPrefix("hop limit "), let ra = m.routerAdvertisement {
                // "hop limit 64, Flags [home agent], pref medium, router lifetime 15s, reachable time 0ms, retrans timer 0ms"
                func number(after key: String) -> Int? {
                    guard let r = detail.range(of: key) else { return nil }
                    return Int(detail[r.upperBound...].prefix { $0.isNumber })
                }
                check(number(after: "hop limit ") == Int(ra.currentHopLimit), "RA cur hop limit")
                check(number(after: "router lifetime ") == Int(ra.routerLifetime), "RA router lifetime")
                check(number(after: "reachable time ") == Int(ra.reachableTime), "RA reachable time")
                check(number(after: "retrans timer ") == Int(ra.retransTimer), "RA retrans timer")
                let flags = detail.range(of: "Flags [").map { detail[$0.upperBound...].prefix { $0 != "]" } } ?? ""
                check(flags.contains("managed") == ra.managedAddressConfiguration, "RA M flag (\(flags))")
                check(flags.contains("other stateful") == ra.otherConfiguration, "RA O flag (\(flags))")
                continue
            }
            // "<name> option (T), length L (U): value"
            guard let open = detail.range(of: " option ("), let close = detail[open.upperBound...].firstIndex(of: ")"),
                let type = UInt8(detail[open.upperBound..<close]),
                let lengthRange = detail[close...].range(of: "length "),
                let length = Int(detail[lengthRange.upperBound...].prefix { $0.isNumber }),
                let colon = detail[close...].firstIndex(of: ":")
            else {
                continue
            }
            printedOptions.append(
                (type, length, detail[detail.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        // Without -v tcpdump prints no options: nothing to compare.
        guard packet.details.contains(where: { $0.contains(" option (") }) else { return }
        check(
            printedOptions.count == packet.details.filter { $0.contains(" option (") }.count,
            "could not read every option line tcpdump printed")
        check(
            printedOptions.map(\.type) == nd.options.map(\.typeNumber),
            "option types \(printedOptions.map(\.type)) vs \(nd.options.map(\.typeNumber))")
        for (printed, option) in zip(printedOptions, nd.options) {
            tally.options += 1
            switch option {
            case .sourceLinkLayerAddress(let mac), .targetLinkLayerAddress(let mac):
                check(mac == MACAddress(printed.value), "link-layer address \(mac) vs \(printed.value)")
                check(printed.length == 8, "SLLA length")
            case .prefixInformation(let pio):
                // "2222:3333:4444:5555:6600::/72, Flags [onlink, auto], valid time 2592000s, pref. time 604800s"
                let slash = printed.value.firstIndex(of: "/")!
                check(
                    IPv6Address(printed.value[..<slash]) == pio.prefix, "PIO prefix \(pio.prefix) vs \(printed.value)")
                let bits = printed.value[printed.value.index(after: slash)...].prefix { $0.isNumber }
                check(UInt8(bits) == pio.prefixLength, "PIO prefix length")
                let flags =
                    printed.value.range(of: "Flags [").map { printed.value[$0.upperBound...].prefix { $0 != "]" } }
                    ?? ""
                check(flags.contains("onlink") == pio.onLink, "PIO L flag")
                check(flags.contains("auto") == pio.autonomousAddressConfiguration, "PIO A flag")
                func seconds(after key: String) -> UInt32? {
                    guard let r = printed.value.range(of: key) else { return nil }
                    return UInt32(printed.value[r.upperBound...].prefix { $0.isNumber })
                }
                check(seconds(after: "valid time ") == pio.validLifetime, "PIO valid lifetime")
                check(seconds(after: "pref. time ") == pio.preferredLifetime, "PIO preferred lifetime")
                check(printed.length == 32, "PIO length")
            case .mtu(let mtu):
                check(UInt32(printed.value) == mtu, "MTU \(mtu) vs \(printed.value)")
            case .nonce(let offset, let length):
                check(length == printed.length - 2, "nonce length")
                check(
                    Array(message[offset..<(offset + length)]) == Bytes.hex(printed.value),
                    "nonce bytes vs \(printed.value)")
            case .other(_, _, let length):
                check(length == printed.length, "option \(option.typeNumber) length \(length) vs \(printed.length)")
            case .redirectedHeader:
                break
            }
        }
    }
}

extension Result {
    /// The error, if this is a failure.
    var failureValue: Failure? { if case .failure(let e) = self { e } else { nil } }
}
