import CPcap
import NDPWire

#if canImport(Glibc)
    import Glibc
#endif

/// A live libpcap capture of the Neighbor Solicitations arriving on one interface.
///
/// Set up for latency, not throughput: immediate mode (every frame is handed over as soon as
/// the kernel has it, no buffering timeout), inbound only, a snapshot length that holds the
/// largest frame of the link, non-blocking, and a BPF filter run in the kernel so that nothing but NS frames ever reaches user space.
/// The descriptor goes into the daemon's event poll; `dispatch` then drains the capture ring
/// without another system call.
public final class LiveCapture {
    /// The BPF filter: ICMPv6 type 135 (NS, RFC 4861 §4.3) directly after the IPv6 header, or
    /// after one 8-octet Hop-by-Hop header (next header 0, ICMPv6 type at byte 48), with or
    /// without an 802.1Q/802.1ad tag.
    ///
    /// The tagged alternatives come last because libpcap's `vlan` shifts every later offset:
    /// the second `vlan` is therefore the inner tag of a double-tagged frame.
    /// On Linux the kernel takes the outer tag out of the frame before BPF runs (it travels in
    /// the packet's metadata, which libpcap's `vlan` tests through BPF extensions) and libpcap
    /// writes it back into the buffer it hands over, so the parser sees the tag either way.
    /// Whatever passes is judged again by the parser, which walks the whole extension chain:
    /// a frame where byte 48 only looks like type 135 inside a longer Hop-by-Hop header is
    /// not an NS to it. An NS behind a Fragment header is not captured at all: RFC 6980 §5
    /// has fragmented ND dropped anyway. Nor is one behind a Hop-by-Hop header longer than
    /// 8 octets, which no ND implementation sends.
    ///
    /// Frames whose Ethernet source is the interface's own MAC stay out (`filter(_:sentBy:)`):
    /// the host's own NS and ndpd's own answers and probes would otherwise wake the loop for
    /// nothing (`pcap_setdirection` drops them only after the wake-up, in libpcap).
    ///
    /// Router Advertisements (type 134) pass too, untagged or tagged: the engine learns the
    /// upstream routers from them, where unsolicited advertisements go (RFC 4861 §6.3.4). They
    /// are rare, so they cost nothing measurable.
    public static let solicitationFilter: String = {
        let solicitation =
            "((icmp6 and (ip6[40] == 135 or ip6[40] == 134)) or (ip6 and ip6[6] == 0 and ip6[40] == 58 and ip6[48] == 135))"
        // Untagged, one tag (802.1Q, 802.1ad, priority tag 0), two tags (QinQ).
        return "\(solicitation) or (vlan and \(solicitation)) or (vlan and \(solicitation))"
    }()

    /// `filter` without the frames `mac` sent (nil: `filter` as it is).
    public static func filter(_ filter: String, sentBy mac: MACAddress?) -> String {
        guard let mac else { return filter }
        return "not ether src \(mac) and (\(filter))"
    }

    /// The filter of an interface in live mode: `solicitationFilter`'s frames and Neighbor
    /// Advertisements (type 136, RFC 4861 §4.4), the guests' answers to probes and their other
    /// evidence (ARCHITECTURE.md, "Live guests"), untagged or tagged alike.
    public static let liveFilter: String = {
        let nd =
            "((icmp6 and (ip6[40] == 135 or ip6[40] == 136 or ip6[40] == 134)) "
            + "or (ip6 and ip6[6] == 0 and ip6[40] == 58 and (ip6[48] == 135 or ip6[48] == 136)))"
        return "\(nd) or (vlan and \(nd)) or (vlan and \(nd))"
    }()

    /// Unchecked exclusivity, here and on `framesRead`: a capture is used by one thread, and
    /// nothing a receiver does inside `dispatch` reaches the capture again, so the dynamic check
    /// Swift puts on a class's stored property (a runtime call and a thread-local lookup per
    /// access) would never fire.
    @exclusivity(unchecked) private var handle: OpaquePointer?
    /// The interface captured on.
    public let interface: String
    /// The capture's link type: Ethernet for a bridge or a NIC; nil for a link type the wire
    /// layer does not decode (`linkTypeNumber` says which).
    public let linkType: LinkType?
    /// The capture's LINKTYPE_* number, for messages about a link type that is not decoded.
    public let linkTypeNumber: UInt32
    /// The descriptor to wait on for readability (`pcap_get_selectable_fd`).
    public let descriptor: Int32
    /// Frames handed over since the capture opened: the `index` of their headers.
    @exclusivity(unchecked) public private(set) var framesRead = 0

    /// The snapshot length for an interface of `mtu`: the largest frame it can carry (the
    /// MTU, an Ethernet header and two VLAN tags), so that no solicitation is ever cut, at
    /// most 65535.
    ///
    /// Not a flat 65535: libpcap sizes every slot of the capture ring to the snapshot length
    /// when the interface has offloads (a bridge does), so 65535 would leave a 4 MB ring with
    /// 64 slots, and a one-second burst would overflow it. At MTU 1500 a slot is ~1.6 kB:
    /// about 2,600 frames of slack.
    public static func snapshotLength(forMTU mtu: Int) -> Int32 {
        Int32(min(65_535, max(1_280, mtu) + 14 + 8))
    }

    /// Opens and activates a capture on `interface` with `filter`.
    ///
    /// Throws an `IOError` naming the failed call; `errno` is `EPERM` when the process lacks
    /// CAP_NET_RAW, `ENODEV` when the interface does not exist, `ENETDOWN` when it is down.
    public init(
        interface: String, filter: String = LiveCapture.solicitationFilter,
        snapshotLength: Int32 = 65_535, bufferSize: Int32 = 4 << 20
    ) throws(IOError) {
        self.interface = interface
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(interface, &errbuf) else {
            throw .message("pcap_create(\(interface))", errorText(errbuf))
        }
        func fail(_ call: String, _ status: Int32) -> IOError {
            let detail = String(cString: pcap_geterr(handle))
            let summary = String(cString: pcap_statustostr(status))
            let errno: Int32? =
                switch status {
                case PCAP_ERROR_PERM_DENIED: EPERM
                case PCAP_ERROR_NO_SUCH_DEVICE: ENODEV
                case PCAP_ERROR_IFACE_NOT_UP: ENETDOWN
                default: nil
                }
            pcap_close(handle)
            return IOError(
                call: "\(call)(\(interface))", errno: errno,
                message: detail.isEmpty ? summary : "\(summary): \(detail)")
        }
        // Immediate mode: a solicitation is answered the moment it arrives (TPACKET_V2 ring,
        // no block timeout), since the solicitor retransmits after RetransTimer (RFC 4861 §7.2.2).
        var status = pcap_set_immediate_mode(handle, 1)
        if status == 0 { status = pcap_set_snaplen(handle, snapshotLength) }
        // Not promiscuous: a proxy needs the multicast to solicited-node groups (the ALLMULTI
        // membership of PacketSocket) and frames to its own MAC, nothing else.
        if status == 0 { status = pcap_set_promisc(handle, 0) }
        if status == 0 { status = pcap_set_buffer_size(handle, bufferSize) }
        if status != 0 { throw fail("pcap_set_options", status) }
        status = pcap_activate(handle)
        if status < 0 { throw fail("pcap_activate", status) }
        // Inbound only: our own advertisements (and anything else the host sends) stay out.
        if pcap_setdirection(handle, PCAP_D_IN) != 0 { throw fail("pcap_setdirection", PCAP_ERROR) }
        var program = bpf_program()
        if pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 {
            throw fail("pcap_compile", PCAP_ERROR)
        }
        let setFilter = pcap_setfilter(handle, &program)
        pcap_freecode(&program)
        if setFilter != 0 { throw fail("pcap_setfilter", PCAP_ERROR) }
        if pcap_setnonblock(handle, 1, &errbuf) != 0 {
            pcap_close(handle)
            throw .message("pcap_setnonblock(\(interface))", errorText(errbuf))
        }
        let fd = pcap_get_selectable_fd(handle)
        guard fd >= 0 else { throw fail("pcap_get_selectable_fd", PCAP_ERROR) }
        self.handle = handle
        self.descriptor = fd
        self.linkTypeNumber = NDPIO.linkTypeNumber(ofDLT: pcap_datalink(handle))
        self.linkType = LinkType(rawValue: linkTypeNumber)
    }

    deinit { close() }

    /// Closes the capture (idempotent).
    public func close() {
        if let handle { pcap_close(handle) }
        handle = nil
    }

    /// Hands at most `limit` waiting frames to `receiver`, each with its header (time, lengths
    /// and its number since the capture opened), without blocking; returns how many.
    ///
    /// The span is libpcap's own capture ring, valid only during the call: this is the one
    /// place a live frame becomes a `Span<UInt8>`, and nothing is copied or allocated per
    /// frame. One `pcap_dispatch` walks every frame the ring holds in user memory, with no
    /// system call as long as the first frame is there: that is the case whenever the wait
    /// reported the descriptor readable. (Calling `pcap_next_ex` until it finds the ring empty
    /// costs a `poll(2)` with a zero timeout on the last call, once per wake-up.) Its callback
    /// is a C function with no captures, and what it reaches through its user pointer is a
    /// context on this function's stack that holds `receiver` unretained: a class instance
    /// and a protocol witness, nothing to box (a Swift closure stored there would be copied to
    /// the heap on every call). A bounded `limit` keeps one flooded interface from starving
    /// the others.
    ///
    /// Throws when the capture broke: the interface went down or was deleted.
    public func dispatch(limit: Int, to receiver: any CaptureReceiver) throws(IOError) -> Int {
        guard let handle else { throw .message("pcap_dispatch(\(interface))", "capture closed") }
        var context = DispatchContext(receiver: receiver, framesRead: framesRead)
        let result = withUnsafeMutablePointer(to: &context) { pointer in
            pcap_dispatch(
                handle, Int32(clamping: limit),
                { user, header, bytes in
                    guard let user, let header, let bytes else { return }
                    let context = UnsafeMutableRawPointer(user).assumingMemoryBound(to: DispatchContext.self)
                    context.pointee.framesRead += 1
                    let h = header.pointee
                    context.pointee.receiver.receive(
                        PacketHeader(h, index: context.pointee.framesRead),
                        UnsafeBufferPointer(start: bytes, count: Int(h.caplen)).span)
                }, UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: UInt8.self))
        }
        let delivered = context.framesRead - framesRead
        framesRead = context.framesRead
        if result >= 0 || result == PCAP_ERROR_BREAK { return delivered }
        throw .message("pcap_dispatch(\(interface))", String(cString: pcap_geterr(handle)))
    }

    /// The kernel's counts for this capture: frames that passed the filter and frames the
    /// ring had no room for.
    public func kernelStatistics() -> (received: UInt32, dropped: UInt32)? {
        guard let handle else { return nil }
        var stats = pcap_stat()
        guard pcap_stats(handle, &stats) == 0 else { return nil }
        return (stats.ps_recv, stats.ps_drop)
    }

    /// Compiles `filter` for an Ethernet link without opening anything: lets tests and
    /// `check` catch a filter libpcap refuses.
    public static func compiles(_ filter: String) -> Bool {
        guard let dead = pcap_open_dead(DLT_EN10MB, 65_535) else { return false }
        defer { pcap_close(dead) }
        var program = bpf_program()
        guard pcap_compile(dead, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else { return false }
        pcap_freecode(&program)
        return true
    }
}

/// What a live capture hands its frames to (`LiveCapture.dispatch`).
public protocol CaptureReceiver: AnyObject {
    /// Takes one frame; `frame` is valid only during the call.
    func receive(_ header: PacketHeader, _ frame: Span<UInt8>)
}

/// What `dispatch`'s C callback reaches through its user pointer.
private struct DispatchContext {
    unowned(unsafe) let receiver: any CaptureReceiver
    var framesRead: Int
}

/// libpcap's error buffer as a String.
func errorText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
