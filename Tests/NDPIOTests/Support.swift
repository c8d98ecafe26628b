// What the NDPIO tests share: a classic pcap builder for hand-made (and hand-damaged) files, and
// a reading of a whole file through one backend into a value two backends can be compared by.
// Where the captures are, and the scratch directory, come from TestSupport.

import Foundation
import NDPIO
import NDPWire
import TestSupport

enum Paths {
    /// Every file of a folder, sorted, as full paths.
    static func files(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            .map { directory.appendingPathComponent($0).path }
    }

    static func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }
}

/// One record as a reader handed it over.
struct Record: Equatable, CustomStringConvertible {
    var index, seconds, microseconds, capturedLength, originalLength: Int
    var bytes: [UInt8]

    init(_ header: PacketHeader, _ span: Span<UInt8>) {
        index = header.index
        seconds = header.seconds
        microseconds = header.microseconds
        capturedLength = header.capturedLength
        originalLength = header.originalLength
        bytes = []
        bytes.reserveCapacity(span.count)
        for i in span.indices { bytes.append(span[i]) }
    }

    var description: String { "#\(index) \(seconds).\(microseconds) \(capturedLength)/\(originalLength)" }
}

/// Everything a caller can observe of reading a file whole: the open error, or the link type,
/// the records, the error that stopped them and `recordsRead` after it.
struct Reading: Equatable {
    var openError: String?
    var linkType: UInt32 = 0
    var records: [Record] = []
    var failure: String?
    var recordsRead = 0
    /// Which backend read it (not compared: the point is that it does not matter).
    var backend: CaptureFile.Backend?

    static func == (a: Reading, b: Reading) -> Bool {
        a.openError == b.openError && a.linkType == b.linkType && a.records == b.records
            && a.failure == b.failure && a.recordsRead == b.recordsRead
    }

    /// Reads `path` through `backend` (which falls back to libpcap where it cannot read the
    /// file). `chunk` > 0 stops `forEach` every `chunk` records and calls it again.
    init(_ path: String, _ backend: CaptureFile.Backend, chunk: Int = 0) {
        let file: CaptureFile
        do {
            file = try CaptureFile(path: path, preferring: backend)
        } catch {
            openError = error.message
            return
        }
        self.backend = file.backend
        linkType = file.linkTypeNumber
        do {
            var more = true
            while more {
                more = false
                var inChunk = 0
                try file.forEach { header, span in
                    records.append(Record(header, span))
                    inChunk += 1
                    if chunk > 0 && inChunk == chunk {
                        more = true
                        return false
                    }
                    return true
                }
            }
        } catch {
            // Only the message: the call names differ (pcap_next_ex vs our own), the words must not.
            failure = error.message
        }
        recordsRead = file.recordsRead
    }
}

/// Builds classic pcap files field by field, in either byte order, so that tests can make any
/// header (and any damage) they need.
struct PcapBuilder {
    var swapped = false
    var magic: UInt32 = 0xA1B2_C3D4
    var major: UInt16 = 2, minor: UInt16 = 4
    var snaplen: UInt32 = 65535
    var linkType: UInt32 = 1
    var bytes: [UInt8] = []

    init(
        swapped: Bool = false, magic: UInt32 = 0xA1B2_C3D4, major: UInt16 = 2, minor: UInt16 = 4,
        snaplen: UInt32 = 65535, linkType: UInt32 = 1
    ) {
        self.swapped = swapped
        self.magic = magic
        (self.major, self.minor, self.snaplen, self.linkType) = (major, minor, snaplen, linkType)
        u32(magic)
        u16(major)
        u16(minor)
        u32(0)
        u32(0)
        u32(snaplen)
        u32(linkType)
    }

    mutating func u16(_ v: UInt16) {
        let w = swapped ? v.byteSwapped : v
        withUnsafeBytes(of: w) { bytes += $0 }
    }

    mutating func u32(_ v: UInt32) {
        let w = swapped ? v.byteSwapped : v
        withUnsafeBytes(of: w) { bytes += $0 }
    }

    /// A record: header fields as given (they need not agree with the data), then `data`.
    mutating func record(
        seconds: UInt32 = 1_700_000_000, fraction: UInt32 = 123_456, caplen: UInt32? = nil,
        len: UInt32? = nil, data: [UInt8]
    ) {
        u32(seconds)
        u32(fraction)
        u32(caplen ?? UInt32(data.count))
        u32(len ?? UInt32(data.count))
        bytes += data
    }
}

/// `file` (a classic pcap) with every header field byte-swapped: the same capture as written
/// by a host of the other byte order.
func byteSwapped(_ file: [UInt8]) -> [UInt8] {
    var out = file
    func swap(_ at: Int, _ width: Int) { out[at..<(at + width)].reverse() }
    swap(0, 4)
    swap(4, 2)
    swap(6, 2)
    for at in stride(from: 8, to: 24, by: 4) { swap(at, 4) }
    let magic = file.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    let native = magic == 0xA1B2_C3D4 || magic == 0xA1B2_3C4D
    var offset = 24
    while offset + 16 <= file.count {
        let raw = file.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self) }
        let caplen = Int(native ? raw : raw.byteSwapped)
        for at in stride(from: offset, to: offset + 16, by: 4) { swap(at, 4) }
        offset += 16 + caplen
    }
    return out
}
