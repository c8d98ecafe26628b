// A capture cut short by another process while ndpd reads it (logrotate's copytruncate): the
// mapped reader must stop with an error, deliver nothing made of the lost bytes, and the process
// must survive the SIGBUS the kernel raises for the lost pages.

import Foundation
import Glibc
import NDPIO
import NDPWire
import TestSupport
import Testing

@Suite("A capture file that shrinks while it is read")
struct ShrinkingFileTests {
    /// A pcap of `count` copies of seed.pcap's records: big enough to span many pages.
    func bigCapture(in directory: TemporaryDirectory, count: Int) throws -> (
        path: String, records: Int, recordOffsets: [Int]
    ) {
        let seed = try Paths.bytes(TestEnvironment.captures.appendingPathComponent("seed.pcap").path)
        var body: [UInt8] = []
        var offsets: [Int] = []
        var records = 0
        for _ in 0..<count {
            var at = 24
            while at + 16 <= seed.count {
                let caplen =
                    Int(seed[at + 8]) | Int(seed[at + 9]) << 8 | Int(seed[at + 10]) << 16 | Int(seed[at + 11]) << 24
                offsets.append(24 + body.count)
                body += seed[at..<(at + 16 + caplen)]
                at += 16 + caplen
                records += 1
            }
        }
        let path = try directory.write("big.pcap", Array(seed[0..<24]) + body)
        return (path, records, offsets)
    }

    @Test("cut in the middle of the reading: an error naming the cut, records before it intact, no crash")
    func cutWhileReading() throws {
        let directory = try TemporaryDirectory()
        let (path, total, offsets) = try bigCapture(in: directory, count: 2_000)
        let file = try CaptureFile(path: path)
        try #require(file.backend == .mapped, "the test needs the mapped reader")
        let cutRecord = total / 2
        // Cut inside record `cutRecord` (1-based: cutRecord + 1), on a page well past the start.
        let cutOffset = offsets[cutRecord] + 20
        var delivered: [Int] = []
        var caught: IOError?
        do {
            try file.forEach { header, frame in
                delivered.append(header.index)
                #expect(frame.count > 0 && frame.count == header.capturedLength)
                if header.index == 10 {
                    // Another process truncates the file while we read it.
                    #expect(truncate(path, off_t(cutOffset)) == 0)
                }
                return true
            }
        } catch {
            caught = error
        }
        let error = try #require(caught, "reading past the cut must fail")
        #expect(error.message.contains("became shorter while being read"), "\(error.message)")
        #expect(error.message.contains("record \(cutRecord + 1) is cut"), "\(error.message)")
        // Every record wholly before the cut was delivered, none after it.
        #expect(delivered == Array(1...cutRecord), "delivered \(delivered.count) of \(cutRecord) whole records")
        #expect(file.recordsRead == cutRecord)
    }

    @Test("cut before the reading starts: the same error, after the records that remain")
    func cutBeforeReading() throws {
        let directory = try TemporaryDirectory()
        let (path, _, offsets) = try bigCapture(in: directory, count: 2_000)
        let file = try CaptureFile(path: path)
        try #require(file.backend == .mapped)
        #expect(truncate(path, off_t(offsets[100])) == 0)
        var count = 0
        let error = #expect(throws: IOError.self) {
            try file.forEach { _, _ in
                count += 1
                return true
            }
        }
        #expect(count == 100)
        #expect(error?.message.contains("record 101 is cut") == true, "\(String(describing: error))")
    }
}
