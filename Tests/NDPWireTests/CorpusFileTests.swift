// Every file of the public corpus goes through NDPIO's CaptureFile and NDPWire's
// decoders without a trap; files libpcap refuses give an IOError; record counts, sizes and link
// types agree with MANIFEST.md.
//
// These tests need ../shared/captures/public (or $NDPD_SHARED). Absent, they are skipped with a
// message; with CI=true they run anyway and fail, so CI cannot pass by testing nothing.

import Foundation
import NDPIO
import NDPWire
import TestSupport
import Testing

@Suite("Public corpus: files", .needsCorpus)
struct CorpusFileTests {
    /// One row of MANIFEST.md's file table.
    struct ManifestRow {
        var file: String
        var bytes: Int
        var linkType: UInt32
        var packets: Int
    }

    static func manifestRows() throws -> [ManifestRow] {
        var rows: [ManifestRow] = []
        for line in try Corpus.text("MANIFEST.md").split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count > 5, Corpus.isCaptureName(cells[1]), let bytes = Int(cells[2]),
                let packets = Int(cells[4]),
                let open = cells[3].lastIndex(of: "("), let close = cells[3].lastIndex(of: ")"),
                let linkType = UInt32(cells[3][cells[3].index(after: open)..<close])
            else { continue }
            rows.append(ManifestRow(file: cells[1], bytes: bytes, linkType: linkType, packets: packets))
        }
        return rows
    }

    @Test("The CI rule: the corpus must be present when CI=true")
    func presentInCI() throws {
        // Runs only when the suite is enabled, i.e. corpus present or CI=true.
        let directory = try Corpus.requireDirectory()
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("ND-SUMMARY.tshark.tsv").path))
    }

    @Test(
        "Every file opens (captures) or is refused with an IOError (everything else); every record decodes without a trap"
    )
    func everyFile() throws {
        let manifest = try Self.manifestRows()
        let names = try Corpus.fileNames()
        var captures = 0
        var refused = 0
        var records = 0
        var decodedToICMPv6 = 0
        var ndMessages = 0
        var solicitations = 0
        for name in names {
            let path = try Corpus.url(name).path
            guard Corpus.isCaptureName(name) else {
                // .md, .tsv, .out, .log, .res, .txt: libpcap must refuse them, and we must say why.
                #expect(throws: IOError.self, "\(name) should not open as a capture") {
                    _ = try CaptureFile(path: path)
                }
                refused += 1
                continue
            }
            captures += 1
            let capture = try Capture(path: path)
            records += capture.records.count
            guard let linkType = capture.linkType else { continue }  // PPP (9), SLIP (8): not decoded
            for record in capture.records {
                #expect(record.bytes.count == record.header.capturedLength)
                guard case .success(let frame) = decodeFrame(record.bytes, linkType: linkType) else { continue }
                decodedToICMPv6 += 1
                let nd = decodeND(messageBytes(record.bytes, frame))
                if nd.message != nil { ndMessages += 1 }
                if case .accepted = validateSolicitation(record.bytes, linkType: linkType) { solicitations += 1 }
            }
        }
        #expect(captures == 56, "MANIFEST.md announces 56 captures")
        #expect(refused == names.count - captures)
        #expect(records == manifest.reduce(0) { $0 + $1.packets })  // 7893
        print(
            "corpus: \(captures) captures, \(refused) other files refused, \(records) records, \(decodedToICMPv6) decoded to ICMPv6, \(ndMessages) ND messages, \(solicitations) valid NS"
        )
        // tshark 4.0.17 finds ICMPv6 in 2825 frames of the files we decode (`-Y "icmpv6 && !pppoe
        // && !ip && !ppp"`, file by file); the one we do not decode is tcpdump-icmpv6-length-zero,
        // whose ICMPv6 message is 0 bytes long (no Type to read).
        #expect(decodedToICMPv6 == 2824)
        // ND-SUMMARY.tshark.tsv: 2408 ND lines in decodable files, 8 of them shorter than their
        // fixed part (zeek short-options), which NDMessage refuses.
        #expect(ndMessages == 2408 - 8)
        // The TSV's 1772 NS lines, minus 4 over PPP, minus pcap4j's hop-limit-100 NS and zeek's
        // two too-short NS (frames 5 and 15): 1765 pass RFC 4861 §7.1.1.
        #expect(solicitations == 1772 - 4 - 1 - 2)
    }

    @Test("Record counts, sizes and link types agree with MANIFEST.md, and every capture is listed")
    func manifestAgrees() throws {
        let rows = try Self.manifestRows()
        let captures = try Corpus.fileNames().filter(Corpus.isCaptureName)
        #expect(Set(rows.map(\.file)) == Set(captures))
        #expect(rows.count == captures.count)
        for row in rows {
            let url = try Corpus.url(row.file)
            let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
            #expect(size == row.bytes, "\(row.file) size")
            let capture = try Capture(path: url.path)
            #expect(capture.linkTypeNumber == row.linkType, "\(row.file) link type")
            #expect(capture.records.count == row.packets, "\(row.file) record count")
        }
    }

    @Test("Damaged files: cut mid-record, cut in the header, empty, garbage → IOError after the good records")
    func damagedFiles() throws {
        let dir = try TemporaryDirectory()
        let original = try [UInt8](Data(contentsOf: Corpus.url("tcpdump-ipv6-bad-version.pcap")))
        let whole = try Capture(path: Corpus.url("tcpdump-ipv6-bad-version.pcap").path)
        #expect(whole.records.count == 4)

        // Cut inside the last record's data: three records, then an error.
        let cut = try dir.write("cut.pcap", Array(original[0..<(original.count - 10)]))
        let file = try CaptureFile(path: cut)
        var delivered: [[UInt8]] = []
        #expect(throws: IOError.self) {
            try file.forEach { _, span in
                var bytes: [UInt8] = []
                for i in span.indices { bytes.append(span[i]) }
                delivered.append(bytes)
                return true
            }
        }
        #expect(delivered == whole.records.prefix(3).map(\.bytes))

        // Cut inside the global header, an empty file, text.
        for (name, bytes) in [
            ("header.pcap", Array(original[0..<12])), ("empty.pcap", []),
            ("text.pcap", Array("not a capture file at all\n".utf8)),
        ] {
            let path = try dir.write(name, bytes)
            #expect(throws: IOError.self, "\(name)") { _ = try CaptureFile(path: path) }
        }
        // A missing file.
        #expect(throws: IOError.self) { _ = try CaptureFile(path: dir.path("missing.pcap")) }
        // Stopping early is honoured.
        let early = try CaptureFile(path: Corpus.url("tcpdump-ipv6-bad-version.pcap").path)
        var seen = 0
        try early.forEach { _, _ in
            seen += 1
            return seen < 2
        }
        #expect(seen == 2)
        #expect(early.recordsRead == 2)
    }

    @Test("A record with caplen 0 (tcpdump-icmp6_mobileprefix_asan) decodes to a truncation error, not a trap")
    func zeroLengthRecord() throws {
        let capture = try Corpus.capture("tcpdump-icmp6_mobileprefix_asan.pcap")
        #expect(capture.records.count == 2)
        let empty = try #require(capture.record(2))
        #expect(empty.header.capturedLength == 0)
        #expect(empty.header.originalLength == 0)
        #expect(empty.bytes.isEmpty)
        guard
            case .failure(.truncated(layer: .linkLayer, needed: 14, have: 0)) = decodeFrame(
                empty.bytes, linkType: .ethernet)
        else {
            Issue.record("expected truncated link layer, got \(decodeFrame(empty.bytes, linkType: .ethernet))")
            return
        }
        // Record 1: payload length 7168 in a 60-byte capture: decoded, flagged truncated, no message range.
        let first = try #require(capture.record(1))
        let frame = try decodeFrame(first.bytes, linkType: .ethernet).get()
        #expect(frame.ip.payloadLength == 7168)
        #expect(frame.ip.isTruncated)
        #expect(frame.messageRange == nil)
        #expect(frame.icmpType == 147)
        #expect(frame.ip.hopLimit == 0)
    }
}
