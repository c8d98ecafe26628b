// The Zeek "bad option offset" weirds for the short ND messages, and python-libtrace's
// per-packet ICMPv6 decode of libtrace-icmp6-sample.pcap.

import Foundation
import NDPWire
import TestSupport
import Testing

@Suite(
    "Public corpus: Zeek and python-libtrace oracles",
    .needsCorpus)
struct ZeekLibtraceOracleTests {
    static let weirdKinds: [String: NDMessageType] = [
        "ra": .routerAdvertisement, "na": .neighborAdvertisement, "ns": .neighborSolicitation, "redirect": .redirect,
    ]

    @Test(
        "zeek-icmp6-nd-short-options: the 4 weird frames (and the other short ones) are rejected, the valid ones accepted"
    )
    func zeekShortOptions() throws {
        let capture = try Corpus.capture("zeek-icmp6-nd-short-options.pcap")
        #expect(capture.records.count == 16)
        // weird.log lines: "icmp6_<kind>_bad_opt_offset<TAB><offset> (length <n>)": <n> is what
        // follows the 8-byte ICMPv6 header, so the message is 8 + n bytes long.
        var weirds: [(type: NDMessageType, messageLength: Int)] = []
        for line in try Corpus.text("zeek-icmp6-nd-short-options.zeek-weird.log").split(separator: "\n")
        where line.contains("_bad_opt_offset") {
            let cells = line.split(separator: "\t")
            let name = try #require(cells.first { $0.hasPrefix("icmp6_") })
            let kind = name.dropFirst("icmp6_".count).prefix { $0 != "_" }
            let addl = try #require(cells.first { $0.contains("(length ") })
            let n = try #require(Int(addl.split(separator: " ").last!.dropLast()))
            weirds.append((try #require(Self.weirdKinds[String(kind)]), 8 + n))
        }
        #expect(weirds.count == 4)

        var rejectedFrames: Set<Int> = []
        var acceptedFrames: Set<Int> = []
        for (index, record) in capture.records.enumerated() {
            let frame = try decodeFrame(record.bytes, linkType: .ethernet).get()
            let message = messageBytes(record.bytes, frame)
            let nd = decodeND(message)
            let type = try #require(frame.ndType)
            let tooShort = message.count < type.fixedLength
            if tooShort {
                #expect(nd.messageError == .tooShort(length: message.count), "frame \(index + 1)")
                rejectedFrames.insert(index + 1)
            } else {
                #expect(
                    nd.message != nil && nd.optionError == nil,
                    "frame \(index + 1): \(String(describing: nd.messageError)) \(String(describing: nd.optionError))")
                acceptedFrames.insert(index + 1)
            }
            if type == .neighborSolicitation {
                let outcome = validateSolicitation(record.bytes, linkType: .ethernet)
                if tooShort {
                    #expect(
                        outcome.refusal
                            == Refusal(.tooShort(length: message.count), source: frame.ip.source, target: nil),
                        "frame \(index + 1): \(outcome)")
                } else {
                    #expect(outcome.isAccepted, "frame \(index + 1): \(outcome)")
                }
            }
        }
        // Each weird names one frame, which we reject.
        for weird in weirds {
            let matches = capture.records.indices.filter { i in
                guard case .success(let f) = decodeFrame(capture.records[i].bytes, linkType: .ethernet) else {
                    return false
                }
                return f.ndType == weird.type && f.messageLength == weird.messageLength
            }
            #expect(matches.count == 1, "\(weird)")
            #expect(matches.allSatisfy { rejectedFrames.contains($0 + 1) }, "\(weird)")
        }
        #expect(rejectedFrames == [1, 3, 5, 7, 13, 14, 15, 16])
        #expect(acceptedFrames == [2, 4, 6, 8, 9, 10, 11, 12])
    }

    /// "30.0 days", "7.0 days", "30.0 mins", "3.0 secs 700.0 msecs" → seconds (Double).
    static func zeekInterval(_ text: Substring) -> Double {
        var total = 0.0
        let words = text.split(separator: " ")
        var i = 0
        while i + 1 < words.count, let value = Double(words[i]) {
            let unit = words[i + 1]
            let scale: Double =
                unit.hasPrefix("day")
                ? 86_400
                : unit.hasPrefix("hr")
                    ? 3600
                    : unit.hasPrefix("min") ? 60 : unit.hasPrefix("msec") ? 0.001 : 1
            total += value * scale
            i += 2
        }
        return total
    }

    static func zeekField(_ key: String, in text: Substring) -> Substring? {
        guard let r = text.range(of: key + "=") else { return nil }
        return text[r.upperBound...].prefix { $0 != "," && $0 != "]" && $0 != ")" && $0 != "\n" }
    }

    @Test("zeek-icmp6-events baseline: the five one-packet ND files (RS, RA, NS, NA, Redirect)")
    func zeekEvents() throws {
        let files = [
            "icmp_redirect": "zeek-icmp6-redirect.pcap", "icmp_router_advertisement": "zeek-icmp6-router-advert.pcap",
            "icmp_neighbor_advertisement": "zeek-icmp6-neighbor-advert.pcap",
            "icmp_router_solicitation": "zeek-icmp6-router-solicit.pcap",
            "icmp_neighbor_solicitation": "zeek-icmp6-neighbor-solicit.pcap",
        ]
        // Blocks start at a line without indentation.
        var blocks: [(head: Substring, body: [Substring])] = []
        for line in try Corpus.text("zeek-icmp6-events.zeek-baseline.txt").split(separator: "\n")
        where !line.hasPrefix("#") {
            if line.first == " " {
                if !blocks.isEmpty { blocks[blocks.count - 1].body.append(line) }
            } else {
                blocks.append((line, []))
            }
        }
        var checked = 0
        for block in blocks {
            let name = block.head.prefix { $0 != " " }
            guard let file = files[String(name)] else { continue }
            let record = try #require(try Corpus.capture(file).record(1))
            let frame = try decodeFrame(record.bytes, linkType: .ethernet).get()
            let nd = decodeND(messageBytes(record.bytes, frame))
            let m = try #require(nd.message, "\(file)")
            let all = block.body.joined(separator: "\n")[...]
            let info = try #require(block.body.first { $0.contains("icmp_info") })
            let conn = try #require(block.body.first { $0.contains("conn_id") })
            #expect(UInt8(Self.zeekField("itype", in: info) ?? "") == frame.icmpType, "\(file)")
            #expect(UInt8(Self.zeekField("icode", in: info) ?? "") == frame.icmpCode, "\(file)")
            // Zeek's len counts what follows the 8-byte ICMPv6 header.
            #expect(Int(Self.zeekField("len", in: info) ?? "") == frame.messageLength - 8, "\(file)")
            #expect(UInt8(Self.zeekField("ttl", in: info) ?? "") == frame.ip.hopLimit, "\(file)")
            #expect(IPv6Address(Self.zeekField("orig_h", in: conn) ?? "") == frame.ip.source, "\(file)")
            #expect(IPv6Address(Self.zeekField("resp_h", in: conn) ?? "") == frame.ip.destination, "\(file)")
            #expect(nd.options.isEmpty && all.contains("options: []"), "\(file)")
            if let target = Self.zeekField("tgt", in: block.head) {
                #expect(m.targetAddress == IPv6Address(target), "\(file)")
            }
            if let destination = Self.zeekField("dest", in: block.head) {
                #expect(m.destinationAddress == IPv6Address(destination), "\(file)")
            }
            if m.type == .neighborAdvertisement {
                let flags = try #require(m.advertisementFlags)
                #expect(all.contains("router=\(flags.contains(.router) ? "T" : "F")"))
                #expect(all.contains("solicited=\(flags.contains(.solicited) ? "T" : "F")"))
                #expect(all.contains("override=\(flags.contains(.override) ? "T" : "F")"))
            }
            if let ra = m.routerAdvertisement {
                #expect(UInt8(Self.zeekField("cur_hop_limit", in: all) ?? "") == ra.currentHopLimit)
                #expect(all.contains("managed=\(ra.managedAddressConfiguration ? "T" : "F")"))
                #expect(all.contains("other=\(ra.otherConfiguration ? "T" : "F")"))
                #expect(
                    Self.zeekInterval(Self.zeekField("router_lifetime", in: all) ?? "") == Double(ra.routerLifetime))
                #expect(
                    abs(
                        Self.zeekInterval(Self.zeekField("reachable_time", in: all) ?? "") * 1000
                            - Double(ra.reachableTime)) < 0.5)
                #expect(
                    abs(
                        Self.zeekInterval(Self.zeekField("retrans_timer", in: all) ?? "") * 1000
                            - Double(ra.retransTimer)) < 0.5)
            }
            checked += 1
        }
        #expect(checked == 5)
    }

    @Test("zeek-icmp6-nd-options baseline: the options of every ND message that has some, in order")
    func zeekOptions() throws {
        // Zeek's test runs icmp6-redirect-hdr-opt.pcap, then icmp6-nd-options.pcap; it reports
        // the options of each ND message that carries any.
        var ours: [(message: String, options: [NDOption])] = []
        for file in ["zeek-icmp6-redirect-hdr-opt.pcap", "zeek-icmp6-nd-options.pcap"] {
            for record in try Corpus.capture(file).records {
                guard case .success(let frame) = decodeFrame(record.bytes, linkType: .ethernet), let type = frame.ndType
                else { continue }
                let nd = decodeND(messageBytes(record.bytes, frame))
                #expect(nd.optionError == nil)
                if !nd.options.isEmpty { ours.append(("\(type)", nd.options)) }
            }
        }
        let names: [Substring: String] = [
            "icmp_redirect": "Redirect", "icmp_router_advertisement": "RA",
            "icmp_neighbor_advertisement": "NA", "icmp_neighbor_solicitation": "NS",
            "icmp_router_solicitation": "RS",
        ]
        var theirs: [(message: String, options: [Substring])] = []
        for line in try Corpus.text("zeek-icmp6-nd-options.zeek-baseline.txt").split(separator: "\n")
        where !line.hasPrefix("#") {
            if line.hasSuffix(" options") {
                theirs.append((names[line.prefix { $0 != " " }] ?? "?", []))
            } else if line.trimmingCharacters(in: .whitespaces).hasPrefix("[otype=") {
                theirs[theirs.count - 1].options.append(line)
            }
        }
        #expect(theirs.count == 7)
        #expect(ours.map(\.message) == theirs.map(\.message))
        for (our, their) in zip(ours, theirs) {
            #expect(
                our.options.map(\.typeNumber) == their.options.map { UInt8(Self.zeekField("otype", in: $0) ?? "") ?? 0 }
            )
            for (option, text) in zip(our.options, their.options) {
                switch option {
                case .sourceLinkLayerAddress(let mac), .targetLinkLayerAddress(let mac):
                    // link_address is printed as escaped bytes; "c2:00:54:f5:00:00" here.
                    #expect(mac == MACAddress("c2:00:54:f5:00:00"))
                    #expect(text.contains("len=1,"))
                case .mtu(let mtu):
                    #expect(Self.zeekField("mtu", in: text) == "\(mtu)")
                case .prefixInformation(let pio):
                    #expect(UInt8(Self.zeekField("prefix_len", in: text) ?? "") == pio.prefixLength)
                    #expect(Self.zeekField("L_flag", in: text) == (pio.onLink ? "T" : "F"))
                    #expect(Self.zeekField("A_flag", in: text) == (pio.autonomousAddressConfiguration ? "T" : "F"))
                    #expect(
                        Self.zeekInterval(Self.zeekField("valid_lifetime", in: text) ?? "") == Double(pio.validLifetime)
                    )
                    #expect(
                        Self.zeekInterval(Self.zeekField("preferred_lifetime", in: text) ?? "")
                            == Double(pio.preferredLifetime))
                    let prefixText = try #require(
                        text.range(of: ", prefix=2").map {
                            text[text.index(before: $0.upperBound)...].prefix { $0 != "]" }
                        })
                    #expect(IPv6Address(prefixText) == pio.prefix)
                case .redirectedHeader(_, let length):
                    // Zeek: option len=8 units; the inner packet context len=56 (64 - 8 header bytes).
                    #expect(text.contains("[otype=4, len=\((length + 8) / 8),"))
                    #expect(text.contains("len=\(length), proto="))
                default:
                    Issue.record("unexpected option \(option)")
                }
            }
        }
    }

    struct LibtraceEntry {
        var number: Int
        var type: UInt8
        var code: UInt8
        var checksum: UInt16
        var wireLength: Int
        var capturedLength: Int
        var target: IPv6Address?
        var source: IPv6Address?
        var data: [UInt8] = []
    }

    static func libtraceEntries() throws -> [LibtraceEntry] {
        var entries: [LibtraceEntry] = []
        func value(_ key: String, in line: Substring) -> Substring? {
            guard let r = line.range(of: key + "=") else { return nil }
            return line[r.upperBound...].prefix { $0 != "," && $0 != " " }
        }
        for line in try Corpus.text("libtrace-icmp6-sample.python-libtrace.res").split(separator: "\n") {
            if line.contains("ICMP6: stype=") {
                let n = line.range(of: "{n:").map { line[$0.upperBound...].prefix { $0.isNumber } }
                entries.append(
                    LibtraceEntry(
                        number: Int(n ?? "") ?? -1, type: UInt8(value("stype", in: line) ?? "") ?? 0,
                        code: UInt8(value("code", in: line) ?? "") ?? 255,
                        checksum: UInt16(value("checksum", in: line) ?? "", radix: 16) ?? 0,
                        wireLength: Int(value("wlen", in: line) ?? "") ?? -1,
                        capturedLength: Int(value("clen", in: line) ?? "") ?? -1))
            } else if line.contains("target_prefix="), !entries.isEmpty {
                entries[entries.count - 1].target = value("target_prefix", in: line).flatMap { IPv6Address($0) }
                entries[entries.count - 1].source = value("src_prefix", in: line).flatMap { IPv6Address($0) }
            } else if let r = line.range(of: "Data "), !entries.isEmpty, entries[entries.count - 1].data.isEmpty {
                entries[entries.count - 1].data = Bytes.hex(String(line[r.upperBound...]))
            }
        }
        return entries
    }

    @Test("libtrace-icmp6-sample: type, code, checksum, lengths of all 36 packets; NS/NA targets and bytes")
    func libtrace() throws {
        let capture = try Corpus.capture("libtrace-icmp6-sample.pcap")
        let entries = try Self.libtraceEntries()
        #expect(entries.count == 36)
        #expect(entries.map(\.number) == Array(1...36))
        #expect(capture.records.count == 36)
        var ndChecked = 0
        for entry in entries {
            let record = try #require(capture.record(entry.number))
            let frame = try decodeFrame(record.bytes, linkType: .ethernet).get()
            let message = messageBytes(record.bytes, frame)
            #expect(frame.icmpType == entry.type, "#\(entry.number)")
            #expect(frame.icmpCode == entry.code, "#\(entry.number)")
            #expect(
                message.count >= 4 && UInt16(message[2]) << 8 | UInt16(message[3]) == entry.checksum, "#\(entry.number)"
            )
            #expect(record.header.capturedLength == entry.capturedLength, "#\(entry.number)")
            // libtrace's wire length for an Ethernet pcap counts the 4-byte FCS the capture left out.
            #expect(record.header.originalLength + 4 == entry.wireLength, "#\(entry.number)")
            // Every packet of this trace has a verifying checksum.
            #expect(
                checksumIsValid(message, source: frame.ip.source, destination: frame.ip.destination), "#\(entry.number)"
            )

            if entry.type == 135 || entry.type == 136 {
                ndChecked += 1
                let nd = decodeND(message)
                #expect(nd.message?.checksum == entry.checksum)
                #expect(nd.message?.targetAddress == entry.target, "#\(entry.number)")
                #expect(frame.ip.source == entry.source, "#\(entry.number)")
                // libtrace prints the bytes after the 8-byte ICMPv6 header: target and options.
                #expect(!entry.data.isEmpty)
                #expect(Array(message[8..<min(message.count, 8 + entry.data.count)]) == entry.data, "#\(entry.number)")
            }
            if entry.type == 135 {
                let outcome = validateSolicitation(record.bytes, linkType: .ethernet)
                #expect(outcome.isAccepted, "#\(entry.number): \(outcome)")
            }
        }
        #expect(ndChecked == 8)
    }
}
