// Job 5d: the Zeek "bad option offset" weirds for the short ND messages, and python-libtrace's
// per-packet ICMPv6 decode of libtrace-icmp6-sample.pcap.

import Foundation
import NDPWire
import Testing

@Suite("Public corpus: Zeek and python-libtrace oracles", .enabled(if: Corpus.shouldRun, "public capture corpus not found; skipped outside CI"))
struct ZeekLibtraceOracleTests {
    static let weirdKinds: [String: NDMessageType] = [
        "ra": .routerAdvertisement, "na": .neighborAdvertisement, "ns": .neighborSolicitation, "redirect": .redirect,
    ]

    @Test("zeek-icmp6-nd-short-options: the 4 weird frames (and the other short ones) are rejected, the valid ones accepted")
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
                #expect(nd.message != nil && nd.optionError == nil, "frame \(index + 1): \(String(describing: nd.messageError)) \(String(describing: nd.optionError))")
                acceptedFrames.insert(index + 1)
            }
            if type == .neighborSolicitation {
                let outcome = validateSolicitation(record.bytes, linkType: .ethernet)
                if tooShort {
                    #expect(outcome.refusal == Refusal(.tooShort(length: message.count), source: frame.ip.source, target: nil),
                            "frame \(index + 1): \(outcome)")
                } else {
                    #expect(outcome.isAccepted, "frame \(index + 1): \(outcome)")
                }
            }
        }
        // Each weird names one frame, which we reject.
        for weird in weirds {
            let matches = capture.records.indices.filter { i in
                guard case let .success(f) = decodeFrame(capture.records[i].bytes, linkType: .ethernet) else { return false }
                return f.ndType == weird.type && f.messageLength == weird.messageLength
            }
            #expect(matches.count == 1, "\(weird)")
            #expect(matches.allSatisfy { rejectedFrames.contains($0 + 1) }, "\(weird)")
        }
        #expect(rejectedFrames == [1, 3, 5, 7, 13, 14, 15, 16])
        #expect(acceptedFrames == [2, 4, 6, 8, 9, 10, 11, 12])
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
                entries.append(LibtraceEntry(
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
            #expect(message.count >= 4 && UInt16(message[2]) << 8 | UInt16(message[3]) == entry.checksum, "#\(entry.number)")
            #expect(record.header.capturedLength == entry.capturedLength, "#\(entry.number)")
            // libtrace's wire length for an Ethernet pcap counts the 4-byte FCS the capture left out.
            #expect(record.header.originalLength + 4 == entry.wireLength, "#\(entry.number)")
            // Every packet of this trace has a verifying checksum.
            #expect(checksumIsValid(message, source: frame.ip.source, destination: frame.ip.destination), "#\(entry.number)")

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
