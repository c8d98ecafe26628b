#if canImport(Glibc)
    import Glibc
#endif

/// Writes frames to a classic pcap file (microsecond time stamps, this host's byte order), so
/// that tcpdump, tshark and Wireshark read it.
///
/// The bytes are those pcap_dump writes (NDPIOTests compares them), but written by us: a
/// record is copied into a 256 KiB buffer that goes out with write(2) when full, where
/// pcap_dump makes two fwrite calls a frame.
public final class CaptureWriter {
    /// Buffer size: large enough that write(2) calls are rare, small enough to stay in cache.
    private static let capacity = 256 * 1024

    /// The file, closed with this writer; nil for "-" (standard output, as pcap_dump_open
    /// does), which is not ours to close.
    private var file: Descriptor?
    /// Where the bytes go: `file`'s descriptor, or standard output's.
    private let fd: Int32
    private let buffer: UnsafeMutableRawPointer
    private var used = 0
    /// The first write error; nothing more is written after it (pcap_dump's ferror rule),
    /// and close() throws it.
    private var failure: IOError?
    /// The file's path.
    public let path: String
    /// Frames written so far.
    public var framesWritten: Int { frames }
    /// Private storage: a public stored property gets a dynamic exclusivity check
    /// (swift_beginAccess) on every `+= 1`, a private one none.
    private var frames = 0
    private var closed = false

    /// Creates (truncates) `path` with link type `linkType` (a LINKTYPE number, Ethernet by
    /// default), written as given. "-" is standard output. The file mode is 0666 less the
    /// umask, as fopen gives pcap_dump_open.
    public init(path: String, linkType: UInt32 = 1, snapshotLength: Int32 = 262_144) throws(IOError) {
        if path == "-" {
            fd = STDOUT_FILENO
            file = nil
        } else {
            fd = retryingOnInterrupt { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666) }
            guard fd >= 0 else { throw .system("open(\(path))") }
            file = Descriptor(adopting: fd)
        }
        self.path = path
        buffer = .allocate(byteCount: Self.capacity, alignment: 16)
        // The global header, in native byte order as pcap_dump writes it: magic, version 2.4,
        // thiszone 0, sigfigs 0, snaplen, linktype. Goes out with the first flush.
        buffer.storeBytes(of: 0xA1B2_C3D4 as UInt32, as: UInt32.self)
        buffer.storeBytes(of: 2 as UInt16, toByteOffset: 4, as: UInt16.self)
        buffer.storeBytes(of: 4 as UInt16, toByteOffset: 6, as: UInt16.self)
        buffer.storeBytes(of: 0 as UInt64, toByteOffset: 8, as: UInt64.self)
        buffer.storeBytes(of: UInt32(bitPattern: snapshotLength), toByteOffset: 16, as: UInt32.self)
        buffer.storeBytes(of: linkType, toByteOffset: 20, as: UInt32.self)
        used = 24
    }

    /// Appends one frame stamped with `seconds` and `microseconds`. A write error is kept for
    /// `close()` to throw.
    public func write(_ frame: Span<UInt8>, seconds: Int, microseconds: Int) {
        frames += 1
        let count = frame.count
        if used + 16 + count > Self.capacity { flush() }
        // Record header as pcap_dump fills it: 32-bit time fields (truncated, as its casts do),
        // captured length = original length = the frame's.
        let record = buffer + used
        record.storeBytes(of: UInt32(truncatingIfNeeded: seconds), as: UInt32.self)
        record.storeBytes(of: UInt32(truncatingIfNeeded: microseconds), toByteOffset: 4, as: UInt32.self)
        record.storeBytes(of: UInt32(truncatingIfNeeded: count), toByteOffset: 8, as: UInt32.self)
        record.storeBytes(of: UInt32(truncatingIfNeeded: count), toByteOffset: 12, as: UInt32.self)
        if 16 + count <= Self.capacity {
            frame.withUnsafeBytes { bytes in
                guard let source = bytes.baseAddress else { return }
                (record + 16).copyMemory(from: source, byteCount: count)
            }
            used += 16 + count
        } else {
            // Larger than the buffer: the header, then the frame straight out.
            used += 16
            flush()
            frame.withUnsafeBytes { bytes in
                guard let source = bytes.baseAddress else { return }
                writeAll(source, count)
            }
        }
    }

    /// Flushes and closes the file; throws if anything could not be written.
    public func close() throws(IOError) {
        guard !closed else { return }
        closed = true
        flush()
        if let file = file.take() {
            do throws(Errno) {
                try file.close()
            } catch {
                if failure == nil { failure = .system("close(\(path))", errno: error.rawValue) }
            }
        }
        if let failure { throw failure }
    }

    deinit {
        // The file closes with `file`.
        if !closed { flush() }
        buffer.deallocate()
    }

    /// Writes out the buffer.
    private func flush() {
        writeAll(buffer, used)
        used = 0
    }

    /// Writes out `count` bytes; after an error nothing more is written.
    private func writeAll(_ bytes: UnsafeRawPointer, _ count: Int) {
        guard failure == nil, let stopped = writeFully(fd, bytes, count: count) else { return }
        failure = stopped < 0 ? .system("write(\(path))") : .message("write(\(path))", "wrote nothing")
    }
}
