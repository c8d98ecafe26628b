// ND-SUMMARY.tshark.tsv (tshark 4.0.17, one line per ND packet of the corpus) against
// our decode of the same frame, field by field.
//
// The TSV's encoding (read from the file): tab-separated, 15 columns, header line first.
//   nd_type   NS | NA | RS | RA | Redirect         code, hlim   decimal
//   ip6_src/dst   RFC 5952 text                     vlan         VLAN id(s), comma-separated, "" untagged
//   target    NS/NA target ("" for RS/RA, for Redirect — tshark's rd.target is not exported — and
//             where the message is too short to hold it)
//   na_flags  "R", "S", "O" concatenated in that order for an NA ("" = none / not an NA)
//   opt_types option Type numbers in wire order, comma-separated
//   opt_linkaddrs the addresses of SLLA/TLLA options, comma-separated
//   frame_len, cap_len   on-the-wire and captured lengths     note  "malformed" or ""

import Foundation
import NDPWire
import Testing

@Suite(
    "Public corpus: ND-SUMMARY.tshark.tsv oracle",
    .needsCorpus)
struct TsharkSummaryOracleTests {
    struct Line {
        var number: Int
        var file: String
        var frame: Int
        var type: String
        var code: String
        var source: String
        var destination: String
        var hopLimit: String
        var vlan: String
        var target: String
        var naFlags: String
        var optionTypes: String
        var linkAddresses: String
        var frameLength: String
        var capturedLength: String
        var note: String
    }

    /// Link types and encapsulations we do not decode: each file, why, how it fails, and how
    /// many TSV lines it holds. Listed so that lines cannot silently vanish from the comparison.
    struct Exclusion {
        var reason: String
        var expectedLines: Int
        /// The decode error we must give for those frames (nil: the link type itself is unknown).
        var error: WireError?
    }

    static let exclusions: [String: Exclusion] = [
        "zeek-quic-handshake-ppp.pcap": Exclusion(reason: "PPP (LINKTYPE 9)", expectedLines: 4, error: nil),
        "zeek-pppoe.pcap": Exclusion(
            reason: "PPPoE-encapsulated (EtherType 0x8864)", expectedLines: 3,
            error: .notIPv6(etherType: 0x8864)),
        "packetlife-6in4-linklocal-hlimit-less255.pcapng": Exclusion(
            reason: "6in4 (IPv4 protocol 41)", expectedLines: 1,
            error: .notIPv6(etherType: 0x0800)),
    ]

    /// Where tshark says "malformed" and we find nothing wrong, and why we are right.
    static let knownDisagreements: [String: String] = [
        // PREF64 (RFC 8781 §4) with Prefix Length Code 6: an invalid *option content*. RFC 4861
        // §4.6 / RFC 8781 §4 say the receiver ignores such an option; the option is well formed
        // as an ND option (type 38, length 2), so the option walk is right to accept it.
        "tcpdump-icmpv6-ra-pref64.pcap#2":
            "PREF64 option with invalid PLC 6: content error, not an option-format error",
        // DNSSL (RFC 8106 §5.2) whose Length (32 and 33 units) exactly fills the RA: the option
        // list is well formed. tshark's exception comes from the domain names inside (the first
        // label byte is 0xe2, a compression pointer/oversized label, which RFC 8106 forbids):
        // content, not option framing. (MANIFEST.md's "more than the packet holds" is wrong.)
        "zeek-icmp_nd_dnssl.pcap#1": "DNSSL with a bad domain-name label; option length fits the packet",
        "zeek-icmp_nd_dnssl.pcap#2": "DNSSL with a bad domain-name label; option length fits the packet",
    ]

    static func lines() throws -> [Line] {
        let text = try Corpus.text("ND-SUMMARY.tshark.tsv")
        var out: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() where index > 0 {
            let c = raw.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard c.count == 15, let frame = Int(c[1]) else {
                Issue.record("TSV line \(index + 1) has \(c.count) columns: \(raw)")
                continue
            }
            out.append(
                Line(
                    number: index + 1, file: c[0], frame: frame, type: c[2], code: c[3], source: c[4],
                    destination: c[5], hopLimit: c[6], vlan: c[7], target: c[8], naFlags: c[9],
                    optionTypes: c[10], linkAddresses: c[11], frameLength: c[12], capturedLength: c[13],
                    note: c[14]))
        }
        return out
    }

    static func list(_ text: String) -> [String] { text.isEmpty ? [] : text.split(separator: ",").map(String.init) }

    static let typeNames: [String: NDMessageType] = [
        "RS": .routerSolicitation, "RA": .routerAdvertisement, "NS": .neighborSolicitation,
        "NA": .neighborAdvertisement, "Redirect": .redirect,
    ]

    @Test("Every TSV line agrees with our decode (type, code, addresses, hop limit, VLAN, target, flags, options)")
    func summaryAgrees() throws {
        let lines = try Self.lines()
        let totalLines = try Corpus.text("ND-SUMMARY.tshark.tsv").split(separator: "\n").count - 1
        #expect(lines.count == totalLines)

        var captures: [String: Capture] = [:]
        var mismatches: [String] = []
        var compared = 0
        var excludedPerFile: [String: Int] = [:]
        var agreedMalformedMessage = 0
        var agreedMalformedOptions = 0
        var disagreements: [String] = []
        var fieldChecks = 0

        for line in lines {
            let capture: Capture
            if let cached = captures[line.file] {
                capture = cached
            } else {
                capture = try Corpus.capture(line.file)
                captures[line.file] = capture
            }
            let here = "\(line.file)#\(line.frame)"
            func check(_ ok: Bool, _ what: @autoclosure () -> String) {
                fieldChecks += 1
                if !ok { mismatches.append("\(here) (TSV line \(line.number)): \(what())") }
            }
            guard let record = capture.record(line.frame) else {
                mismatches.append("\(here): no such record")
                continue
            }
            check(
                String(record.header.originalLength) == line.frameLength,
                "frame_len \(record.header.originalLength) vs \(line.frameLength)")
            check(
                String(record.header.capturedLength) == line.capturedLength,
                "cap_len \(record.header.capturedLength) vs \(line.capturedLength)")

            // Exclusions: the file must be listed, and fail the way we say.
            if let exclusion = Self.exclusions[line.file] {
                if let expected = exclusion.error {
                    let result = decodeFrame(record.bytes, linkType: try #require(capture.linkType))
                    if case .failure(let error) = result, error == expected {
                    } else {
                        mismatches.append("\(here): excluded as \(exclusion.reason) but decoded to \(result)")
                    }
                } else {
                    check(
                        capture.linkType == nil, "excluded for its link type \(capture.linkTypeNumber), which we decode"
                    )
                }
                excludedPerFile[line.file, default: 0] += 1
                continue
            }
            guard let linkType = capture.linkType else {
                mismatches.append(
                    "\(here): link type \(capture.linkTypeNumber) not decoded and not listed as an exclusion")
                continue
            }
            let frame: NDFrame
            switch decodeFrame(record.bytes, linkType: linkType) {
            case .success(let f): frame = f
            case .failure(let e):
                mismatches.append("\(here): our decode failed: \(e)")
                continue
            }
            compared += 1

            check(frame.ndType == Self.typeNames[line.type], "type \(String(describing: frame.ndType)) vs \(line.type)")
            check(String(frame.icmpCode) == line.code, "code \(frame.icmpCode) vs \(line.code)")
            check(frame.ip.source == IPv6Address(line.source), "src \(frame.ip.source) vs \(line.source)")
            check(
                frame.ip.destination == IPv6Address(line.destination),
                "dst \(frame.ip.destination) vs \(line.destination)")
            // Our RFC 5952 text and tshark's agree character for character.
            check(frame.ip.source.description == line.source, "src text \(frame.ip.source) vs \(line.source)")
            check(
                frame.ip.destination.description == line.destination,
                "dst text \(frame.ip.destination) vs \(line.destination)")
            check(String(frame.ip.hopLimit) == line.hopLimit, "hlim \(frame.ip.hopLimit) vs \(line.hopLimit)")
            let vlans = frame.link.vlanTags.all.map { String($0.vlanIdentifier) }
            check(vlans == Self.list(line.vlan), "vlan \(vlans) vs \(line.vlan)")

            let message = messageBytes(record.bytes, frame)
            let nd = decodeND(message)
            let malformed = line.note == "malformed"

            // Target (NS, NA).
            if !line.target.isEmpty {
                check(
                    nd.message?.targetAddress == IPv6Address(line.target),
                    "target \(nd.message?.targetAddress.map { "\($0)" } ?? "nil") vs \(line.target)")
                check(nd.message?.targetAddress?.description == line.target, "target text")
            } else if line.type == "NS" || line.type == "NA" {
                check(
                    nd.messageError != nil && malformed,
                    "tshark has no target but we decoded \(String(describing: nd.message?.targetAddress))")
            }

            // NA flags: from NDMessage, or from the raw flag octet when the message is too short
            // for NDMessage (tshark decodes the partial message).
            if line.type == "NA" {
                var flags = nd.message?.advertisementFlags
                if flags == nil, message.count >= 8 {
                    flags = NeighborAdvertisementFlags(rawValue: UInt32(message[4]) << 24 & 0xE000_0000)
                }
                check(flags?.description == line.naFlags, "NA flags \(flags?.description ?? "nil") vs \(line.naFlags)")
            } else {
                check(line.naFlags.isEmpty, "na_flags on a \(line.type)")
            }

            // Options.
            let tsvTypes = Self.list(line.optionTypes)
            let ourTypes = nd.options.map { String($0.typeNumber) }
            let ourLinkAddresses = nd.options.compactMap(\.linkLayerAddress).map(\.description)
            if nd.messageError != nil {
                // Too short for its fixed part: both sides must call it bad.
                check(malformed, "we reject the message (\(nd.messageError!)) but tshark does not mark it malformed")
                check(tsvTypes.isEmpty, "tshark lists options \(tsvTypes) in a message we find too short")
                agreedMalformedMessage += 1
            } else if let error = nd.optionError {
                // Where both say the options are bad, compare what precedes the bad option.
                check(malformed, "our option walk fails (\(error)) but tshark does not mark it malformed")
                check(tsvTypes.starts(with: ourTypes), "options before the bad one \(ourTypes) vs \(tsvTypes)")
                agreedMalformedOptions += 1
            } else {
                check(ourTypes == tsvTypes, "option types \(ourTypes) vs \(tsvTypes)")
                check(
                    ourLinkAddresses == Self.list(line.linkAddresses),
                    "link addresses \(ourLinkAddresses) vs \(line.linkAddresses)")
                if malformed {
                    if Self.knownDisagreements[here] != nil {
                        disagreements.append(here)
                    } else {
                        mismatches.append("\(here): tshark says malformed, we find nothing wrong")
                    }
                }
            }
        }

        let excluded = excludedPerFile.values.reduce(0, +)
        for (file, exclusion) in Self.exclusions {
            #expect(excludedPerFile[file] == exclusion.expectedLines, "\(file): \(exclusion.reason)")
        }
        #expect(excluded == 8)  // 4 PPP + 3 PPPoE + 1 6in4
        #expect(compared == totalLines - excluded)  // 2416 - 8 = 2408
        #expect(compared == 2408)
        #expect(agreedMalformedMessage == 8)  // zeek short-options frames 1,3,5,7,13-16
        #expect(agreedMalformedOptions == 0)  // no corpus ND packet has a bad option framing
        #expect(disagreements.sorted() == Self.knownDisagreements.keys.sorted())
        #expect(fieldChecks > 14 * compared)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(40).joined(separator: "\n"))")
        print(
            "ND-SUMMARY.tshark.tsv: \(totalLines) lines, \(compared) compared (\(fieldChecks) field checks), \(excluded) excluded \(excludedPerFile), \(agreedMalformedMessage + agreedMalformedOptions) agreed malformed, \(disagreements.count) known disagreements"
        )
    }
}
