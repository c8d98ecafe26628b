import CPcap
import NDPWire

#if canImport(Glibc)
    import Glibc
#endif

/// A classic pcap file (https://www.tcpdump.org/manpages/pcap-savefile.5.html) read by us,
/// zero-copy over a read-only private mapping of the whole file.
///
/// Why not libpcap: pcap_next_ex freads every 16-byte record header and every body into its
/// own buffer, a large share of replay's whole cost per solicitation. Here a record costs
/// bounds checks, four loads and the closure call.
///
/// Only what we can read exactly as libpcap does (sf-pcap.c, 1.10.3 to 1.10.6) is taken: a
/// regular file with version 2.4, magic a1b2c3d4 (microseconds) or a1b23c4d (nanoseconds) in
/// either byte order, no reserved link-type bits, and a link type whose records libpcap hands
/// over unmodified. Everything else (pcapng, older versions, Kuznetzov's records, a bad or
/// short global header, pipes, standard input, a file mmap refuses, swapped pseudo-headers
/// libpcap rewrites) returns nil from `init`, and CaptureFile uses libpcap, so its behaviour
/// and messages stay. Damage gives libpcap's messages word for word.
///
/// One difference remains by design: the file is read as it was when opened; libpcap would
/// also read records appended while it reads (a capture still being written). A file cut short
/// by another process while it is read is caught by MappedFileGuard and reported as damage
/// instead of ending the process with SIGBUS.
final class MappedPcap {
    /// Start of the mapping; the file's first byte.
    private let base: UnsafeRawPointer
    /// Bytes mapped: the file's size when it was opened.
    private let size: Int
    /// The open file, kept to ask its size while the last page is read (see `isIntact`).
    private let file: Descriptor
    /// Where the probes of `isIntact` are summed, so that the compiler keeps the loads.
    private var probeSink: UInt8 = 0
    /// Where the next record header starts.
    private var offset = 24
    /// The file was written on a host of the other byte order.
    private let swapped: Bool
    /// Time stamps are seconds and nanoseconds (scaled down to microseconds on reading).
    private let nanoseconds: Bool
    /// Time stamp fields read as signed 32-bit numbers (else unsigned); see `readsSignedStamps`.
    private let signedStamps: Bool
    /// libpcap's p->snapshot: longer records are cut to it (pcap_adjust_snapshot).
    private let snapshot: UInt32
    /// libpcap's max_snaplen_for_dlt: a longer record is damage.
    private let maximumCaptureLength: UInt32
    /// The LINKTYPE_ number CaptureFile reports, exactly what the libpcap path reports.
    let linkTypeNumber: UInt32
    /// The SIGBUS guard over the mapping (nil if every guard slot was taken).
    private let registration: MappedFileGuard.Registration?

    /// Maps `path` if it is a classic pcap file we read exactly as libpcap does; nil sends
    /// the caller to libpcap (which then explains any error in its own words).
    init?(path: String) {
        // Standard input is libpcap's ("-"); stat before open so that a FIFO is never opened
        // here (opening and closing it would race with its writer).
        guard path != "-" else { return nil }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size >= 24 else { return nil }
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        // Closed on every return that does not keep it.
        let file = Descriptor(adopting: fd)
        // fstat again: the path may have been replaced since stat.
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size >= 24 else { return nil }
        let size = Int(status.st_size)
        // No MAP_POPULATE: for a file in the page cache it saves neither page faults nor time,
        // and without it a file larger than memory streams
        // through the sequential read-ahead asked for below instead of being read whole first.
        // A file cut short by another process while mapped raises SIGBUS on the lost pages:
        // MappedFileGuard turns that into damage reported by forEach.
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
            mapping != MAP_FAILED
        else { return nil }
        _ = madvise(mapping, size, MADV_SEQUENTIAL)
        let base = UnsafeRawPointer(mapping)

        // The global header: magic, version_major, version_minor, thiszone, sigfigs, snaplen, linktype.
        let magic = base.loadUnaligned(as: UInt32.self)
        let swapped: Bool
        switch magic {
        case 0xA1B2_C3D4, 0xA1B2_3C4D: swapped = false
        case 0xD4C3_B2A1, 0x4D3C_B2A1: swapped = true
        default:
            munmap(mapping, size)
            return nil
        }
        func field32(_ at: Int) -> UInt32 {
            let value = base.loadUnaligned(fromByteOffset: at, as: UInt32.self)
            return swapped ? value.byteSwapped : value
        }
        func field16(_ at: Int) -> UInt16 {
            let value = base.loadUnaligned(fromByteOffset: at, as: UInt16.self)
            return swapped ? value.byteSwapped : value
        }
        // Versions before 2.4 may have caplen and len swapped (libpcap guesses), 543.0 is DG/UX:
        // rare enough to leave to libpcap.
        guard field16(4) == 2, field16(6) == 4 else {
            munmap(mapping, size)
            return nil
        }
        // The link type is the low 16 bits; the top 6 carry the FCS length, which libpcap
        // masks off. Bits 16-25 are reserved: libpcap 1.10.5 refuses such a file, 1.10.3
        // takes them as part of the link type; either way, libpcap's to decide.
        let linkTypeField = field32(20)
        guard linkTypeField & 0x03FF_0000 == 0 else {
            munmap(mapping, size)
            return nil
        }
        let dlt = dltOf(linkType: Int32(bitPattern: linkTypeField & 0xFFFF))
        // pcap_post_process rewrites pseudo-headers of swapped files and fixes USB mmapped
        // lengths; those records are not the file's bytes, so leave them to libpcap.
        let rewritten: Set<Int32> = [DLT_PFLOG, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_USB_LINUX, DLT_NFLOG]
        guard dlt != DLT_USB_LINUX_MMAPPED, !(swapped && rewritten.contains(dlt)) else {
            munmap(mapping, size)
            return nil
        }
        self.base = base
        self.size = size
        self.swapped = swapped
        self.nanoseconds = magic == 0xA1B2_3C4D || magic == 0x4D3C_B2A1
        self.signedStamps = !swapped && Self.readsSignedStamps
        self.maximumCaptureLength = maximumSnapshotLength(dlt: dlt)
        let snaplen = field32(16)
        self.snapshot = snaplen == 0 || snaplen > UInt32(Int32.max) ? maximumCaptureLength : snaplen
        self.linkTypeNumber = NDPIO.linkTypeNumber(ofDLT: dlt)
        self.registration = MappedFileGuard.register(start: base, length: size)
        self.file = file
    }

    deinit {
        if let registration { MappedFileGuard.unregister(registration) }
        munmap(UnsafeMutableRawPointer(mutating: base), size)
    }

    /// Whether the libpcap we are linked with reads a record's time stamp fields as signed:
    /// before 1.10.5 it did for files in this host's byte order (bpf_int32 fields; swapped
    /// files came out unsigned through its SWAPLONG), from 1.10.5 on they are unsigned, as the
    /// pcap specification says. Only stamps before 1970 or after 2038 tell the difference.
    static let readsSignedStamps: Bool = {
        // "libpcap version 1.10.3 (with TPACKET_V3)"
        let words = String(cString: pcap_lib_version()).split(separator: " ")
        guard let at = words.firstIndex(of: "version"), at + 1 < words.count else { return false }
        let numbers = words[at + 1].split(separator: ".").compactMap { Int($0) }
        guard numbers.count >= 2 else { return false }
        return numbers.lexicographicallyPrecedes([1, 10, 5])
    }()

    /// Hands every remaining record to `body`, numbering from `recordsRead + 1` and counting
    /// each in `recordsRead` (a local of the caller's); see CaptureFile.forEach.
    ///
    /// Damage throws what libpcap's pcap_next_ex would, at the same record, with its message;
    /// the file is then considered read to its end.
    func forEach(path: String, recordsRead: inout Int, _ body: (PacketHeader, Span<UInt8>) -> Bool) throws(IOError) {
        // Locals, not stored properties, in the loop: no class access per record.
        var offset = self.offset
        let end = size
        let base = base
        let swapped = swapped
        let nanoseconds = nanoseconds
        let signedStamps = signedStamps
        let snapshot = snapshot
        let maximum = maximumCaptureLength
        defer { self.offset = offset }
        func damaged(_ message: String) -> IOError {
            offset = end
            return .message("pcap record(\(path))", message)
        }
        let registration = registration
        let fd = file.rawValue
        let pageMask = Int(sysconf(Int32(_SC_PAGESIZE))) - 1
        var probes: UInt8 = 0
        defer { probeSink &+= probes }
        // Whether the file still holds every byte up to a record's end: a file cut short by
        // another process reads as zeros from the cut to the end of its page, without any fault,
        // and raises SIGBUS on the pages after it (MappedFileGuard zero-fills them and marks the
        // mapping). So each record is delivered only after reading the first byte of the page
        // that follows its last byte: while that page is there and nothing was marked, the record
        // is whole. On the file's last page, or once a cut was seen, the file system is asked
        // for the size (at most one page of records takes that path, or what follows a cut,
        // which ends the reading).
        // How much of the mapping still holds the file: its size now, and no further than where
        // the guard put zeros (a file cut and then written again is not read past the cut).
        func intactLength() -> Int {
            var status = stat()
            var length = fstat(fd, &status) == 0 ? Int(status.st_size) : 0
            if let registration, let lost = MappedFileGuard.firstLostAddress(registration) {
                length = min(length, Int(lost &- UInt(bitPattern: base)))
            }
            return min(length, end)
        }
        func shrunk(_ record: Int) -> IOError {
            damaged("the file became shorter while being read (truncated by another process?); record \(record) is cut")
        }
        while offset < end {
            guard end - offset >= 16 else {
                throw damaged("truncated dump file; tried to read 16 header bytes, only got \(end - offset)")
            }
            // Record header: ts_sec, ts_usec (or ts_nsec), incl_len, orig_len.
            let record = base + offset
            var seconds = record.loadUnaligned(as: UInt32.self)
            var fraction = record.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            var capturedLength = record.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
            var originalLength = record.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
            if swapped {
                seconds = seconds.byteSwapped
                fraction = fraction.byteSwapped
                capturedLength = capturedLength.byteSwapped
                originalLength = originalLength.byteSwapped
            }
            var microseconds = signedStamps ? Int(Int32(bitPattern: fraction)) : Int(fraction)
            if nanoseconds { microseconds /= 1000 }  // libpcap's SCALE_DOWN: C division, toward zero
            let available = end - offset - 16
            // libpcap's sanity limit, then its snapshot cut: a record longer than the snapshot
            // (but within the limit) is delivered cut to the snapshot, the rest skipped.
            if capturedLength > maximum {
                throw damaged(
                    capturedLength > snapshot
                        ? "invalid packet capture length \(capturedLength), bigger than snaplen of \(snapshot)"
                        : "invalid packet capture length \(capturedLength), bigger than maximum of \(maximum)")
            }
            let delivered = min(capturedLength, snapshot)
            guard available >= Int(capturedLength) else {
                // libpcap reads the delivered part first, then discards the rest.
                let tried = available < Int(delivered) ? delivered : capturedLength
                throw damaged("truncated dump file; tried to read \(tried) captured bytes, only got \(available)")
            }
            let recordEnd = offset + 16 + Int(capturedLength)
            // Nothing read from a file cut short is delivered: neither this header (which may be
            // zeros past the cut) nor a body partly past it.
            let probe = ((recordEnd &- 1) | pageMask) &+ 1
            if probe < end { probes &+= (base + probe).load(as: UInt8.self) }
            if probe >= end || registration.map(MappedFileGuard.hasShrunk) == true {
                guard recordEnd <= intactLength() else { throw shrunk(recordsRead + 1) }
            }
            offset = recordEnd
            recordsRead += 1
            let header = PacketHeader(
                index: recordsRead,
                seconds: signedStamps ? Int(Int32(bitPattern: seconds)) : Int(seconds),
                microseconds: microseconds, capturedLength: Int(delivered),
                originalLength: Int(originalLength))
            // Borrowed from the mapping for the duration of the call only.
            let bytes = UnsafeBufferPointer(
                start: (record + 16).assumingMemoryBound(to: UInt8.self), count: Int(delivered))
            let keepGoing = body(header, bytes.span)
            // Cut while the record was being handled (its pages gone under the handler): say so
            // rather than go on.
            if registration.map(MappedFileGuard.hasShrunk) == true {
                guard recordEnd <= intactLength() else { throw shrunk(recordsRead) }
            }
            if !keepGoing { return }
        }
    }
}

/// libpcap's linktype_to_dlt on this platform: the DLT_ value a file's LINKTYPE_ value
/// becomes. Identical in the "matching" range 104...289 and below 100, except for the few
/// values below whose DLT_ numbers differ between systems.
func dltOf(linkType: Int32) -> Int32 {
    switch linkType {
    case 246: return DLT_PFSYNC
    case 258: return DLT_PKTAP
    case 106: return DLT_ATM_CLIP  // LINKTYPE_ATM_CLIP, the matching range's one exception
    case 104...289: return linkType
    case 100: return DLT_ATM_RFC1483
    case 101: return DLT_RAW
    case 102: return DLT_SLIP_BSDOS
    case 103: return DLT_PPP_BSDOS
    case 50: return DLT_PPP_SERIAL  // LINKTYPE_PPP_HDLC
    case 51: return DLT_PPP_ETHER
    default: return linkType  // no mapping: libpcap takes it as a DLT_ value
    }
}

/// libpcap's max_snaplen_for_dlt: the longest record it accepts for a link type.
func maximumSnapshotLength(dlt: Int32) -> UInt32 {
    switch dlt {
    case DLT_DBUS: return 128 * 1024 * 1024
    case DLT_EBHSCR: return 8 * 1024 * 1024
    case DLT_USBPCAP: return 1024 * 1024
    default: return 262_144  // MAXIMUM_SNAPLEN
    }
}
