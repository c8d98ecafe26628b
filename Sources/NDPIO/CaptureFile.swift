import CPcap
import NDPWire

#if canImport(Glibc)
    import Glibc
#endif

extension PacketHeader {
    /// The header of libpcap's record `h`, the `index`th read (files and live captures alike).
    init(_ h: pcap_pkthdr, index: Int) {
        self.init(
            index: index, seconds: Int(h.ts.tv_sec), microseconds: Int(h.ts.tv_usec),
            capturedLength: Int(h.caplen), originalLength: Int(h.len))
    }
}

/// A recorded capture: classic pcap in either byte order and time resolution, and pcapng.
/// The file's packets are read one at a time, zero-copy.
///
/// Classic pcap files are read by our own reader over a memory mapping (MappedPcap: a fraction
/// of libpcap's work a record); pcapng and anything else go through
/// libpcap. Both give the same records, headers, link type and errors (NDPIOTests checks this
/// file by file, cut by cut).
public final class CaptureFile {
    /// Who reads the records.
    public enum Backend: Sendable {
        /// Our reader over a mapping of the file: classic pcap only.
        case mapped
        /// libpcap (pcap_next_ex): every format it knows.
        case libpcap
    }

    private enum Reader {
        case mapped(MappedPcap)
        case libpcap(OpaquePointer)
    }

    private let reader: Reader
    /// The file's path, for messages.
    public let path: String
    /// The file's link type (LINKTYPE_* number); `linkType` is the same, decoded.
    public let linkTypeNumber: UInt32
    /// The file's link type, or nil for one the wire layer does not decode.
    public var linkType: LinkType? { LinkType(rawValue: linkTypeNumber) }
    /// How many records have been read so far; updated when `forEach` returns or throws
    /// (during the call, a record's number is its header's `index`).
    public private(set) var recordsRead = 0
    /// The backend actually reading this file.
    public var backend: Backend {
        if case .mapped = reader { return .mapped }
        return .libpcap
    }

    /// Opens `path`; throws with libpcap's explanation if it is not a capture file.
    public convenience init(path: String) throws(IOError) {
        try self.init(path: path, preferring: .mapped)
    }

    /// Opens `path` with `backend` if it can read the file (`.mapped`: classic pcap in a
    /// regular file), else with libpcap. `.libpcap` forces libpcap, for comparisons.
    public init(path: String, preferring backend: Backend) throws(IOError) {
        self.path = path
        if backend == .mapped, let mapped = MappedPcap(path: path) {
            reader = .mapped(mapped)
            linkTypeNumber = mapped.linkTypeNumber
            return
        }
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard
            let handle = pcap_open_offline_with_tstamp_precision(
                path, UInt32(PCAP_TSTAMP_PRECISION_MICRO), &errbuf)
        else {
            throw .message(
                "pcap_open_offline(\(path))",
                String(decoding: errbuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        reader = .libpcap(handle)
        linkTypeNumber = NDPIO.linkTypeNumber(ofDLT: pcap_datalink(handle))
    }

    deinit {
        if case .libpcap(let handle) = reader { pcap_close(handle) }
    }

    /// Reads every remaining record, calling `body` with its header and bytes. The span is only
    /// valid during the call. `body` returns false to stop early; a later call goes on with the
    /// next record.
    ///
    /// Throws when the file is damaged (cut mid-record, a bad record header); the records before
    /// the damage have been delivered by then.
    public func forEach(_ body: (PacketHeader, Span<UInt8>) -> Bool) throws(IOError) {
        // A local count, stored back once: no exclusive access to `self` held across `body`.
        var count = recordsRead
        defer { recordsRead = count }
        switch reader {
        case .mapped(let mapped):
            try mapped.forEach(path: path, recordsRead: &count, body)
        case .libpcap(let handle):
            try Self.forEach(handle, path: path, recordsRead: &count, body)
        }
    }

    private static func forEach(
        _ handle: OpaquePointer, path: String, recordsRead: inout Int,
        _ body: (PacketHeader, Span<UInt8>) -> Bool
    ) throws(IOError) {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while true {
            let status = pcap_next_ex(handle, &header, &data)
            switch status {
            case 1:
                guard let header, let data else { continue }
                recordsRead += 1
                let h = header.pointee
                let info = PacketHeader(h, index: recordsRead)
                // Borrowed from libpcap's buffer for the duration of this call only.
                let buffer = UnsafeBufferPointer(start: data, count: Int(h.caplen))
                let keepGoing = body(info, buffer.span)
                if !keepGoing { return }
            case PCAP_ERROR_BREAK:  // -2: end of file
                return
            default:
                throw .message("pcap_next_ex(\(path))", String(cString: pcap_geterr(handle)))
            }
        }
    }
}

/// The LINKTYPE_ number (what files and NDPWire speak) for a DLT_ value (what libpcap's API
/// returns). They agree except for raw IP, which libpcap maps to the platform's DLT_RAW.
func linkTypeNumber(ofDLT dlt: Int32) -> UInt32 {
    switch dlt {
    case DLT_RAW, 14: return 101  // DLT_RAW is 12 on Linux, 14 on OpenBSD
    default: return UInt32(bitPattern: dlt)
    }
}
