// How the public capture corpus is read, and the CI rule: tests that need an external asset
// skip with a message when it is missing, but fail when CI=true (a CI run must not pass by
// silently testing nothing). Where it lives comes from TestSupport.

import Foundation
import NDPIO
import NDPWire
import TestSupport
import Testing

enum Corpus {
    /// The corpus folder (see TestEnvironment.corpusDirectory).
    static var directory: URL? { TestEnvironment.corpusDirectory }

    static var isAvailable: Bool { directory != nil }

    /// Run corpus tests when the corpus is there, and also when CI=true (so they fail loudly).
    static var shouldRun: Bool { isAvailable || TestEnvironment.isCI }

    /// The corpus folder, or a test failure explaining why it is needed.
    static func requireDirectory() throws -> URL {
        guard let directory else {
            struct Missing: Error, CustomStringConvertible {
                var description: String {
                    "public capture corpus not found (CI=true): set NDPD_SHARED or provide ../shared/captures/public"
                }
            }
            throw Missing()
        }
        return directory
    }

    static func url(_ name: String) throws -> URL { try requireDirectory().appendingPathComponent(name) }

    static func text(_ name: String) throws -> String { try String(contentsOf: url(name), encoding: .utf8) }

    /// Every file name in the folder, sorted.
    static func fileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: requireDirectory().path).sorted()
    }

    static func isCaptureName(_ name: String) -> Bool { name.hasSuffix(".pcap") || name.hasSuffix(".pcapng") }

    /// Reads a capture file (through NDPIO's `CaptureFile`) into memory.
    static func capture(_ name: String) throws -> Capture { try Capture(path: url(name).path) }
}

/// One record of a capture file, copied out of libpcap's buffer.
struct CapturedRecord: Sendable {
    var header: PacketHeader
    var bytes: [UInt8]
}

/// A capture file read whole.
struct Capture: Sendable {
    var linkTypeNumber: UInt32
    var records: [CapturedRecord]

    var linkType: LinkType? { LinkType(rawValue: linkTypeNumber) }

    init(path: String) throws {
        let file = try CaptureFile(path: path)
        linkTypeNumber = file.linkTypeNumber
        var records: [CapturedRecord] = []
        try file.forEach { header, span in
            var bytes = [UInt8]()
            bytes.reserveCapacity(span.count)
            for i in span.indices { bytes.append(span[i]) }
            records.append(CapturedRecord(header: header, bytes: bytes))
            return true
        }
        self.records = records
    }

    /// Record number `frame` (1-based, as tshark and tcpdump -# count).
    func record(_ frame: Int) -> CapturedRecord? {
        frame >= 1 && frame <= records.count ? records[frame - 1] : nil
    }
}

/// Classic pcap writer (little-endian, microsecond, https://www.tcpdump.org/manpages/pcap-savefile.5.html),
/// written by hand so the tshark oracle reads bytes that NDPIO had no hand in.
enum PcapWriter {
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] {
        [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
    }

    static func file(linkType: UInt32 = 1, frames: [[UInt8]]) -> [UInt8] {
        // Global header: magic, version 2.4, thiszone 0, sigfigs 0, snaplen 65535, network.
        var out = le32(0xA1B2_C3D4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(65535) + le32(linkType)
        for (index, frame) in frames.enumerated() {
            // Record header: ts_sec, ts_usec, incl_len, orig_len.
            out += le32(1_700_000_000 + UInt32(index)) + le32(0) + le32(UInt32(frame.count)) + le32(UInt32(frame.count))
            out += frame
        }
        return out
    }
}

extension Trait where Self == ConditionTrait {
    /// A suite that reads the public corpus: it runs where the corpus is, and always with CI=true,
    /// where a missing corpus fails (`Corpus.requireDirectory`) instead of passing untested.
    static var needsCorpus: Self {
        .enabled(
            if: Corpus.shouldRun,
            "public capture corpus not found (set NDPD_SHARED or provide ../shared/captures/public); skipped outside CI"
        )
    }
}
