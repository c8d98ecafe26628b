// CaptureWriter writes what pcap_dump writes, byte for byte, and reports write errors at close().

import CPcap
import Foundation
import NDPIO
import TestSupport
import Testing

/// Frames with their time stamps.
typealias Frames = [(bytes: [UInt8], seconds: Int, microseconds: Int)]

/// The reference: `frames` through libpcap's pcap_open_dead + pcap_dump, as CaptureWriter did before.
func pcapDump(_ frames: Frames, to path: String, linkType: Int32, snapshotLength: Int32) throws {
    let dead = try #require(
        pcap_open_dead_with_tstamp_precision(linkType, snapshotLength, UInt32(PCAP_TSTAMP_PRECISION_MICRO)))
    defer { pcap_close(dead) }
    let dumper = try #require(pcap_dump_open(dead, path), "\(String(cString: pcap_geterr(dead)))")
    for frame in frames {
        var header = pcap_pkthdr()
        header.ts.tv_sec = frame.seconds
        header.ts.tv_usec = frame.microseconds
        header.caplen = UInt32(frame.bytes.count)
        header.len = UInt32(frame.bytes.count)
        frame.bytes.withUnsafeBufferPointer { bytes in
            pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), &header, bytes.baseAddress)
        }
    }
    #expect(pcap_dump_flush(dumper) == 0)
    pcap_dump_close(dumper)
}

/// `frames` through CaptureWriter.
func captureWriter(_ frames: Frames, to path: String, linkType: UInt32 = 1, snapshotLength: Int32 = 262_144) throws {
    let writer = try CaptureWriter(path: path, linkType: linkType, snapshotLength: snapshotLength)
    for frame in frames {
        frame.bytes.withUnsafeBufferPointer {
            writer.write($0.span, seconds: frame.seconds, microseconds: frame.microseconds)
        }
    }
    #expect(writer.framesWritten == frames.count)
    try writer.close()
}

@Suite("CaptureWriter: pcap_dump's bytes")
struct CaptureWriterTests {
    /// Frames of every size from 0 to 1600 and stamps across the 32-bit range: several buffer flushes.
    static let frames: Frames = (0..<4000).map { i in
        let size = (i * 37) % 1601
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ i) }
        let seconds = [1_700_000_000 + i, 0, Int(Int32.max), -1, 0x1_2345_6789][i % 5]
        return (bytes, seconds, (i * 1237) % 1_000_000)
    }

    @Test("Byte-identical to pcap_dump, for several link types and snapshot lengths, and readable back")
    func identical() throws {
        let dir = try TemporaryDirectory()
        for (linkType, snapshot) in [(1, 262_144), (113, 65535), (276, 0), (1, -1)] as [(UInt32, Int32)] {
            let reference = dir.path("reference.pcap")
            let ours = dir.path("ours.pcap")
            try pcapDump(Self.frames, to: reference, linkType: Int32(linkType), snapshotLength: snapshot)
            try captureWriter(Self.frames, to: ours, linkType: linkType, snapshotLength: snapshot)
            let expected = try Paths.bytes(reference)
            let got = try Paths.bytes(ours)
            #expect(got.count == expected.count, "link type \(linkType) snapshot \(snapshot)")
            #expect(
                got == expected,
                "link type \(linkType) snapshot \(snapshot): first difference at \(zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)"
            )
            // Same mode as fopen gives pcap_dump_open.
            let modes = try [reference, ours].map {
                try FileManager.default.attributesOfItem(atPath: $0)[.posixPermissions] as? Int
            }
            #expect(modes[0] == modes[1])
        }
        // Read back (snapshot 262144 so that no frame is cut): the frames, with stamps as 32-bit signed.
        let ours = dir.path("ours.pcap")
        try captureWriter(Self.frames, to: ours)
        let reading = expectSameReading(ours)
        #expect(reading.backend == .mapped)
        #expect(reading.failure == nil)
        #expect(reading.records.map(\.bytes) == Self.frames.map(\.bytes))
        #expect(reading.records.map(\.seconds) == Self.frames.map { Int(Int32(truncatingIfNeeded: $0.seconds)) })
        #expect(reading.records.map(\.microseconds) == Self.frames.map(\.microseconds))
    }

    @Test("No frames: the 24-byte header alone; a frame larger than the buffer goes out whole")
    func edges() throws {
        let dir = try TemporaryDirectory()
        let big: Frames = [([1, 2, 3], 1, 2), ([UInt8](repeating: 9, count: 600_000), 3, 4), ([4, 5], 5, 6)]
        for frames in [[], big] as [Frames] {
            let reference = dir.path("reference.pcap")
            let ours = dir.path("ours.pcap")
            try pcapDump(frames, to: reference, linkType: 1, snapshotLength: 262_144)
            try captureWriter(frames, to: ours)
            #expect(try Paths.bytes(ours) == Paths.bytes(reference))
        }
        #expect(try Paths.bytes(dir.path("ours.pcap")).count == 24 + 3 * 16 + 600_005)
    }

    @Test("A write error surfaces at close() with the call and errno; an unopenable path at init")
    func errors() throws {
        let writer = try CaptureWriter(path: "/dev/full")
        let frame = [UInt8](repeating: 0, count: 1000)
        for _ in 0..<1000 { frame.withUnsafeBufferPointer { writer.write($0.span, seconds: 0, microseconds: 0) } }
        do {
            try writer.close()
            Issue.record("close() should throw on /dev/full")
        } catch {
            #expect(error.call == "write(/dev/full)")
            #expect(error.errno == ENOSPC)
        }
        // Closing twice is harmless.
        #expect(throws: Never.self) { try writer.close() }

        let dir = try TemporaryDirectory()
        do {
            _ = try CaptureWriter(path: dir.path("missing/replies.pcap"))
            Issue.record("init should throw for a path in a missing folder")
        } catch {
            #expect(error.call == "open(\(dir.path("missing/replies.pcap")))")
            #expect(error.errno == ENOENT)
        }
    }
}
