// The own classic pcap reader (CaptureFile's `.mapped` backend) against libpcap: every file,
// every cut, both byte orders, both time resolutions, and hand-made headers at libpcap's
// limits must read the same: records, headers, bytes, link type, and the error (its words and
// the record it comes after).

import Foundation
import NDPIO
import NDPWire
import TestSupport
import Testing

/// Reads `path` through both backends and expects the same; returns the mapped reading.
@discardableResult
func expectSameReading(
    _ path: String, chunk: Int = 0, _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) -> Reading {
    let mapped = Reading(path, .mapped, chunk: chunk)
    let reference = Reading(path, .libpcap, chunk: chunk)
    #expect(reference.backend != .mapped, sourceLocation: sourceLocation)
    #expect(
        mapped == reference,
        "\(comment) \(path): mapped \(mapped.openError ?? "") \(mapped.records.count) records, failure \(mapped.failure ?? "-"); libpcap \(reference.openError ?? "") \(reference.records.count) records, failure \(reference.failure ?? "-")",
        sourceLocation: sourceLocation)
    return mapped
}

@Suite("CaptureFile: own reader = libpcap")
struct CaptureFileTests {
    @Test("Every file in Captures/ reads the same; classic pcap files are read by the own reader")
    func fixtures() throws {
        var mapped = 0
        for path in try Paths.files(in: TestEnvironment.captures) where !FileManager.default.isDirectory(path) {
            let reading = expectSameReading(path)
            if reading.backend == .mapped { mapped += 1 }
        }
        // Every .pcap fixture except pcapng.pcap (pcapng) and not-a-capture.pcap (text).
        let classic = try Paths.files(in: TestEnvironment.captures).filter { $0.hasSuffix(".pcap") }.count - 2
        #expect(mapped == classic)
        #expect(
            Reading(TestEnvironment.captures.appendingPathComponent("pcapng.pcap").path, .mapped).backend == .libpcap)
        #expect(Reading(TestEnvironment.captures.appendingPathComponent("seed.pcap").path, .mapped).backend == .mapped)
    }

    @Test(
        "Every file of the public corpus reads the same",
        .enabled(
            if: TestEnvironment.corpusDirectory != nil || TestEnvironment.isCI,
            "public capture corpus not found (../shared/captures/public or $NDPD_SHARED); skipped outside CI"))
    func publicCorpus() throws {
        guard let corpus = TestEnvironment.corpusDirectory else {
            Issue.record(
                "public capture corpus not found (CI=true): set NDPD_SHARED or provide ../shared/captures/public")
            return
        }
        var files = 0
        var mapped = 0
        var records = 0
        for path in try Paths.files(in: corpus) {
            let reading = expectSameReading(path)
            files += 1
            records += reading.records.count
            if reading.backend == .mapped { mapped += 1 }
            // Also in byte-swapped form, which the corpus hardly has.
            if reading.backend == .mapped {
                let dir = try TemporaryDirectory()
                expectSameReading(try dir.write("swapped.pcap", byteSwapped(Paths.bytes(path))), "swapped")
            }
        }
        print("public corpus: \(files) files, \(mapped) read by the own reader, \(records) records")
        #expect(mapped > 20)
    }

    @Test("Both byte orders and both time resolutions give the same records")
    func byteOrdersAndResolutions() throws {
        let dir = try TemporaryDirectory()
        let micro = TestEnvironment.captures.appendingPathComponent("seed.pcap").path
        let nano = TestEnvironment.captures.appendingPathComponent("seed-nsec.pcap").path
        let native = expectSameReading(micro)
        let nanoseconds = expectSameReading(nano)
        let swapped = expectSameReading(try dir.write("swapped.pcap", byteSwapped(Paths.bytes(micro))))
        let swappedNano = expectSameReading(try dir.write("swapped-nsec.pcap", byteSwapped(Paths.bytes(nano))))
        #expect(native.records.count == 5)
        #expect(swapped.backend == .mapped && swappedNano.backend == .mapped && nanoseconds.backend == .mapped)
        #expect(swapped.records == native.records)
        #expect(swappedNano.records == nanoseconds.records)
        // seed-nsec is seed with nanosecond stamps: scaled down, the same records.
        #expect(nanoseconds.records.map(\.bytes) == native.records.map(\.bytes))
        #expect(try Paths.bytes(dir.path("swapped.pcap"))[0] == 0xA1, "the swapped file is big-endian")
    }

    @Test("Every cut of a small capture, in both byte orders and resolutions, fails where libpcap fails")
    func everyCut() throws {
        let dir = try TemporaryDirectory()
        var variants: [(String, [UInt8])] = []
        for name in ["seed.pcap", "seed-nsec.pcap"] {
            let bytes = try Paths.bytes(TestEnvironment.captures.appendingPathComponent(name).path)
            variants += [(name, bytes), ("swapped-" + name, byteSwapped(bytes))]
        }
        for (name, bytes) in variants {
            var failures = Set<String>()
            for cut in 0..<bytes.count {
                let path = try dir.write("cut.pcap", Array(bytes[..<cut]))
                let reading = expectSameReading(path, "\(name) cut at \(cut)")
                if let failure = reading.failure ?? reading.openError { failures.insert(String(failure.prefix(60))) }
                // Below 24 bytes the file is libpcap's to explain; from 24 on, the own reader's.
                #expect((reading.backend == .mapped) == (cut >= 24), "\(name) cut at \(cut)")
            }
            // Cuts in the global header, in a record header and in a body were all met.
            #expect(failures.contains { $0.hasPrefix("truncated dump file; tried to read 4 file") })
            #expect(failures.contains { $0.hasPrefix("truncated dump file; tried to read 24 file") })
            #expect(failures.contains { $0.hasPrefix("truncated dump file; tried to read 16 header") })
            #expect(failures.contains { $0.hasPrefix("truncated dump file; tried to read 86 captured") })
        }
    }

    @Test("Stopping early and going on gives the same records")
    func stopAndGoOn() throws {
        let path = TestEnvironment.captures.appendingPathComponent("policy.pcap").path
        let whole = expectSameReading(path)
        for chunk in 1...3 {
            let reading = expectSameReading(path, chunk: chunk)
            #expect(reading.records == whole.records)
            #expect(reading.recordsRead == whole.records.count)
        }
    }

    @Test("Headers at libpcap's limits: snapshot cut, too long, caplen > len, 32-bit signed stamps, odd snaplen")
    func limits() throws {
        let dir = try TemporaryDirectory()
        let frame = [UInt8](repeating: 0xAB, count: 100)
        for swapped in [false, true] {
            for magic: UInt32 in [0xA1B2_C3D4, 0xA1B2_3C4D] {
                func check(
                    _ name: String, snaplen: UInt32 = 65535, linkType: UInt32 = 1, mapped: Bool = true,
                    _ build: (inout PcapBuilder) -> Void
                ) throws {
                    var builder = PcapBuilder(swapped: swapped, magic: magic, snaplen: snaplen, linkType: linkType)
                    builder.record(data: frame)  // one good record first
                    build(&builder)
                    let label = "\(name) swapped=\(swapped) magic=\(String(magic, radix: 16))"
                    let reading = expectSameReading(try dir.write("limits.pcap", builder.bytes), label)
                    #expect((reading.backend == .mapped) == mapped, "\(label)")
                    // Cut just before the end, too: the last record's damage.
                    if builder.bytes.count > 24 {
                        expectSameReading(
                            try dir.write("limits-cut.pcap", Array(builder.bytes.dropLast())), label + " cut")
                    }
                }
                // Longer than the snapshot: cut to it, the rest skipped (and cuts in both parts).
                try check("caplen > snaplen", snaplen: 60) {
                    $0.record(data: frame)
                    $0.record(data: Array(frame[..<10]))
                }
                try check("caplen > snaplen, cut in the kept part", snaplen: 60) {
                    $0.record(caplen: 100, data: Array(frame[..<30]))
                }
                try check("caplen > snaplen, cut in the skipped part", snaplen: 60) {
                    $0.record(caplen: 100, data: Array(frame[..<80]))
                }
                // Beyond 262144: damage, worded after the snapshot or the maximum.
                try check("caplen > maximum and snaplen") { $0.record(caplen: 262_145, data: frame) }
                try check("caplen > maximum, not snaplen", snaplen: 0x7FFF_FFFF) {
                    $0.record(caplen: 262_145, data: frame)
                }
                try check("caplen = maximum", snaplen: 0) { $0.record(data: [UInt8](repeating: 1, count: 262_144)) }
                try check("caplen = 0") {
                    $0.record(data: [])
                    $0.record(data: frame)
                }
                try check("caplen > len") { $0.record(len: 10, data: frame) }
                // snaplen 0 and > INT_MAX mean "the link type's maximum".
                try check("snaplen 0", snaplen: 0) { $0.record(data: frame) }
                try check("snaplen > INT_MAX", snaplen: 0x8000_0000) { $0.record(data: frame) }
                // D-Bus allows 128 MiB records.
                try check("D-Bus long record", snaplen: 0, linkType: 231) {
                    $0.record(data: [UInt8](repeating: 2, count: 300_000))
                }
                // Time stamps are signed 32-bit in libpcap; nanoseconds divide toward zero.
                try check("stamps") {
                    $0.record(seconds: 0xFFFF_FFFF, fraction: 999_999_999, data: frame)
                    $0.record(seconds: 0x8000_0000, fraction: 0xFFFF_FC00, data: frame)
                    $0.record(seconds: 0, fraction: 0, data: frame)
                }
                // The FCS bits above the link type are masked off, as libpcap does.
                try check("FCS bits", linkType: 1 | 0x1C00_0000) { $0.record(data: frame) }
                // What the own reader leaves to libpcap.
                try check("swapped SLL", linkType: 113, mapped: !swapped) { $0.record(data: frame) }
                try check("USB mmapped", linkType: 220, mapped: false) { $0.record(data: frame) }
            }
        }
        // Other versions and Kuznetzov's format: libpcap's.
        for (major, minor) in [(2, 3), (2, 2), (2, 5), (1, 0), (543, 0)] as [(UInt16, UInt16)] {
            var builder = PcapBuilder(major: major, minor: minor)
            builder.record(data: frame)
            builder.record(caplen: 10, len: 100, data: Array(frame[..<10]))
            let reading = expectSameReading(try dir.write("version.pcap", builder.bytes), "version \(major).\(minor)")
            #expect(reading.backend != .mapped)
        }
        var kuznetzov = PcapBuilder(magic: 0xA1B2_CD34)
        kuznetzov.record(data: frame)
        #expect(expectSameReading(try dir.write("kuznetzov.pcap", kuznetzov.bytes)).backend == .libpcap)
    }

    @Test("Every link type number, with and without the upper bits, maps to the same LINKTYPE as through libpcap")
    func linkTypes() throws {
        let dir = try TemporaryDirectory()
        var values = Array(UInt32(0)...UInt32(300)) + [1000, 65535, 0x03FF_FFFF]
        // FCS length bits (own reader), reserved bits (libpcap's: refused from 1.10.5 on).
        values += values.map { $0 | 0x0400_0000 } + [0xFC00_0001, 0x0800_0001, 0x0001_0001, 0x0200_0001, 0xFFFF_FFFF]
        for linkType in values {
            var builder = PcapBuilder(linkType: linkType)
            builder.record(data: [1, 2, 3])
            expectSameReading(try dir.write("linktype.pcap", builder.bytes), "link type \(linkType)")
        }
    }

    @Test("Not classic pcap, empty, a directory, a FIFO, standard input's name, a missing file: libpcap's answer")
    func notMapped() throws {
        let dir = try TemporaryDirectory()
        for (name, bytes) in [
            ("empty.pcap", []), ("short.pcap", [0xD4, 0xC3, 0xB2]),
            ("text.pcap", Array("not a capture file at all, but long enough\n".utf8)),
        ] as [(String, [UInt8])] {
            let reading = expectSameReading(try dir.write(name, bytes))
            #expect(reading.openError != nil)
        }
        #expect(expectSameReading(dir.path("missing.pcap")).openError != nil)
        #expect(expectSameReading(dir.url.path).openError != nil)
        // A FIFO must not be opened by the own reader (it would block, or steal the writer's
        // data): with a writer ready, libpcap reads it whole.
        let fifo = dir.path("fifo.pcap")
        #expect(mkfifo(fifo, 0o600) == 0)
        let seed = try Paths.bytes(TestEnvironment.captures.appendingPathComponent("seed.pcap").path)
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(Data(seed))
                try? handle.close()
            }
        }
        writer.start()
        let fromFifo = Reading(fifo, .mapped)
        #expect(fromFifo.backend == .libpcap)
        #expect(
            fromFifo.records
                == Reading(TestEnvironment.captures.appendingPathComponent("seed.pcap").path, .libpcap).records)
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
