import CPcap
#if canImport(Glibc)
import Glibc
#endif

/// Writes frames to a classic pcap file through libpcap (microsecond timestamps), so that
/// tcpdump, tshark and Wireshark read it.
public final class CaptureWriter {
    private let dead: OpaquePointer
    private let dumper: OpaquePointer
    /// The file's path.
    public let path: String
    /// Frames written so far.
    public private(set) var framesWritten = 0
    private var closed = false

    /// Creates (truncates) `path` with link type `linkType` (a LINKTYPE_ number, Ethernet by default).
    public init(path: String, linkType: UInt32 = 1, snapshotLength: Int32 = 262_144) throws(IOError) {
        guard let dead = pcap_open_dead_with_tstamp_precision(Int32(linkType), snapshotLength,
                                                              UInt32(PCAP_TSTAMP_PRECISION_MICRO)) else {
            throw .message("pcap_open_dead", "cannot create a pcap handle for link type \(linkType)")
        }
        guard let dumper = pcap_dump_open(dead, path) else {
            let message = String(cString: pcap_geterr(dead))
            pcap_close(dead)
            throw .message("pcap_dump_open(\(path))", message)
        }
        self.dead = dead
        self.dumper = dumper
        self.path = path
    }

    /// Appends one frame stamped with `seconds` and `microseconds`.
    public func write(_ frame: Span<UInt8>, seconds: Int, microseconds: Int) {
        var header = pcap_pkthdr()
        header.ts.tv_sec = seconds
        header.ts.tv_usec = microseconds
        header.caplen = UInt32(frame.count)
        header.len = UInt32(frame.count)
        frame.withUnsafeBufferPointer { bytes in
            // pcap_dump's first argument is the dumper, passed as libpcap's opaque "user" pointer.
            pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), &header, bytes.baseAddress)
        }
        framesWritten += 1
    }

    /// Flushes and closes the file; throws if the data could not be written.
    public func close() throws(IOError) {
        guard !closed else { return }
        closed = true
        let flushed = pcap_dump_flush(dumper)
        pcap_dump_close(dumper)
        pcap_close(dead)
        if flushed != 0 { throw .message("pcap_dump_flush(\(path))", "write failed") }
    }

    deinit {
        if !closed {
            pcap_dump_close(dumper)
            pcap_close(dead)
        }
    }
}
