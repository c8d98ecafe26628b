/// The pcap/pcapng link types (LINKTYPE_* from the tcpdump.org registry) this parser decodes.
public enum LinkType: UInt32, Sendable, CaseIterable {
    /// LINKTYPE_ETHERNET: Ethernet II, optionally 802.1Q/802.1ad tagged.
    case ethernet = 1
    /// LINKTYPE_RAW: a bare IP packet, version from the first nibble.
    case raw = 101
    /// LINKTYPE_LINUX_SLL: Linux "cooked" capture v1 (`tcpdump -i any` on older libpcap).
    case linuxSLL = 113
    /// LINKTYPE_IPV6: a bare IPv6 packet.
    case ipv6 = 229
    /// LINKTYPE_LINUX_SLL2: Linux "cooked" capture v2 (`tcpdump -i any` on libpcap ≥ 1.10).
    case linuxSLL2 = 276
}

/// One 802.1Q (TPID 0x8100) or 802.1ad (TPID 0x88a8) tag, kept whole so a reply can mirror it.
public struct VLANTag: Hashable, Sendable, CustomStringConvertible {
    /// The Tag Protocol Identifier: 0x8100 (C-tag) or 0x88a8 (S-tag).
    public var tagProtocolIdentifier: UInt16
    /// The Tag Control Information: PCP (3 bits), DEI (1 bit), VID (12 bits).
    public var tagControlInformation: UInt16

    /// Creates a tag from its two 16-bit fields.
    public init(tagProtocolIdentifier: UInt16 = 0x8100, tagControlInformation: UInt16) {
        self.tagProtocolIdentifier = tagProtocolIdentifier
        self.tagControlInformation = tagControlInformation
    }

    /// The VLAN identifier (low 12 bits of the TCI).
    public var vlanIdentifier: UInt16 { tagControlInformation & 0x0FFF }

    public var description: String {
        (tagProtocolIdentifier == 0x88A8 ? "802.1ad " : "vlan ") + String(vlanIdentifier)
    }
}

/// Up to two VLAN tags, outermost first, stored inline (no allocation per frame).
///
/// Both tags are packed in one word (outer in the high half, TPID then TCI; a TPID of 0 marks an
/// absent tag, since no tag has one): results that carry tags stay small and aligned, which the
/// per-packet path measurably prefers to a pair of optionals.
public struct VLANTags: Hashable, Sendable {
    private var packed: UInt64 = 0

    /// The outer tag, if any.
    public var outer: VLANTag? { VLANTags.tag(UInt32(truncatingIfNeeded: packed >> 32)) }
    /// The inner tag of a double-tagged (QinQ) frame, if any.
    public var inner: VLANTag? { VLANTags.tag(UInt32(truncatingIfNeeded: packed)) }

    private static func tag(_ word: UInt32) -> VLANTag? {
        word >> 16 == 0
            ? nil
            : VLANTag(
                tagProtocolIdentifier: UInt16(truncatingIfNeeded: word >> 16),
                tagControlInformation: UInt16(truncatingIfNeeded: word))
    }

    /// No tags.
    public init() {}

    /// Tags listed outermost first; at most two are kept.
    public init(_ tags: [VLANTag]) {
        for tag in tags.prefix(2) { append(tag) }
    }

    /// How many tags are present (0, 1 or 2).
    public var count: Int { packed >> 48 == 0 ? 0 : packed & 0xFFFF_0000 == 0 ? 1 : 2 }

    /// Adds a tag inside the ones already present. Returns false if two are already there.
    @discardableResult
    public mutating func append(_ tag: VLANTag) -> Bool {
        // A TPID of 0 cannot be stored (it means "absent"); the parser only meets 0x8100,
        // 0x88a8 and 0x9100.
        let word = UInt64(tag.tagProtocolIdentifier) << 16 | UInt64(tag.tagControlInformation)
        switch count {
        case 0: packed = word << 32
        case 1: packed |= word
        default: return false
        }
        return true
    }

    /// The tags outermost first.
    public var all: [VLANTag] { [outer, inner].compactMap { $0 } }
}

/// What the link-layer header says: addresses, tags, and where the IPv6 header starts.
public struct LinkHeader: Sendable {
    /// The Ethernet destination, when the link type records one (not SLL, not raw).
    public var destination: MACAddress?
    /// The sender's 6-byte hardware address (Ethernet source, or SLL's address field).
    public var source: MACAddress?
    /// 802.1Q/802.1ad tags, outermost first.
    public var vlanTags: VLANTags
    /// SLL/SLL2 packet type (0 = to us, 1 = broadcast, 2 = multicast, 3 = other host, 4 = outgoing).
    public var packetType: UInt8?
    /// Byte offset of the IPv6 header in the frame.
    public var networkOffset: Int

    /// A header from its fields.
    @inline(__always)
    init(destination: MACAddress?, source: MACAddress?, vlanTags: VLANTags, packetType: UInt8?, networkOffset: Int) {
        self.destination = destination
        self.source = source
        self.vlanTags = vlanTags
        self.packetType = packetType
        self.networkOffset = networkOffset
    }

    /// Decodes the link-layer header of `frame` for `linkType`, down to the start of IPv6.
    ///
    /// Only IPv6 payloads are accepted: anything else (ARP, IPv4, PPPoE, LLDP) is `.notIPv6`.
    // Always inlined into NDFrame.init, so the header is built in place there instead of copied.
    @inline(__always)
    public init(parsing frame: Span<UInt8>, linkType: LinkType) throws(WireError) {
        switch linkType {
        case .ethernet:
            // Built once from locals: assigning defaults first and then each field makes the
            // compiler keep a partly written copy and move it with 16-byte loads afterwards.
            self = try Self.parseEthernet(frame)
        case .raw, .ipv6:
            guard frame.count >= 1 else { throw .truncated(layer: .linkLayer, needed: 1, have: 0) }
            let version = frame[0] >> 4
            // LINKTYPE_RAW may carry IPv4: that is "not IPv6", not a bad IPv6 version.
            if linkType == .raw && version == 4 { throw .notIPv6(etherType: EtherType.ipv4) }
            self.init(destination: nil, source: nil, vlanTags: VLANTags(), packetType: nil, networkOffset: 0)
        case .linuxSLL:
            self.init(destination: nil, source: nil, vlanTags: VLANTags(), packetType: nil, networkOffset: 0)
            try parseSLL(frame)
        case .linuxSLL2:
            self.init(destination: nil, source: nil, vlanTags: VLANTags(), packetType: nil, networkOffset: 0)
            try parseSLL2(frame)
        }
    }

    // Ethernet II (IEEE 802.3 clause 3.1.1) with up to two 802.1Q/802.1ad tags:
    //   0: destination (6)  6: source (6)  12: type (2) [ TPID(2) TCI(2) ]... type (2)
    @inline(__always)
    private static func parseEthernet(_ frame: Span<UInt8>) throws(WireError) -> LinkHeader {
        guard frame.count >= 14 else { throw .truncated(layer: .linkLayer, needed: 14, have: frame.count) }
        let destination = frame.macAddress(at: 0)
        let source = frame.macAddress(at: 6)
        var vlanTags = VLANTags()
        var offset = 12
        var etherType = frame.uint16(at: offset)
        while etherType == EtherType.vlan || etherType == EtherType.qinq || etherType == EtherType.qinqLegacy {
            guard frame.count >= offset + 6 else {
                throw .truncated(layer: .vlanTag, needed: offset + 6, have: frame.count)
            }
            let tag = VLANTag(tagProtocolIdentifier: etherType, tagControlInformation: frame.uint16(at: offset + 2))
            guard vlanTags.append(tag) else { throw .tooManyVLANTags }
            offset += 4
            etherType = frame.uint16(at: offset)
        }
        guard etherType == EtherType.ipv6 else { throw .notIPv6(etherType: etherType) }
        return LinkHeader(
            destination: destination, source: source, vlanTags: vlanTags, packetType: nil,
            networkOffset: offset + 2)
    }

    // Linux cooked capture v1 (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html):
    //   0: packet type (2)  2: ARPHRD type (2)  4: address length (2)  6: address (8)  14: protocol (2)
    private mutating func parseSLL(_ frame: Span<UInt8>) throws(WireError) {
        guard frame.count >= 16 else { throw .truncated(layer: .linkLayer, needed: 16, have: frame.count) }
        packetType = UInt8(truncatingIfNeeded: frame.uint16(at: 0))
        if frame.uint16(at: 4) == 6 { source = frame.macAddress(at: 6) }
        let proto = frame.uint16(at: 14)
        guard proto == EtherType.ipv6 else { throw .notIPv6(etherType: proto) }
        networkOffset = 16
    }

    // Linux cooked capture v2 (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html):
    //   0: protocol (2)  2: reserved (2)  4: interface index (4)  8: ARPHRD type (2)
    //   10: packet type (1)  11: address length (1)  12: address (8)
    private mutating func parseSLL2(_ frame: Span<UInt8>) throws(WireError) {
        guard frame.count >= 20 else { throw .truncated(layer: .linkLayer, needed: 20, have: frame.count) }
        packetType = frame[10]
        if frame[11] == 6 { source = frame.macAddress(at: 12) }
        let proto = frame.uint16(at: 0)
        guard proto == EtherType.ipv6 else { throw .notIPv6(etherType: proto) }
        networkOffset = 20
    }
}

/// The EtherType values this parser recognises (IEEE registry).
public enum EtherType {
    /// IPv4.
    public static let ipv4: UInt16 = 0x0800
    /// IPv6 (RFC 2464).
    public static let ipv6: UInt16 = 0x86DD
    /// IEEE 802.1Q customer tag.
    public static let vlan: UInt16 = 0x8100
    /// IEEE 802.1ad service tag.
    public static let qinq: UInt16 = 0x88A8
    /// The pre-standard QinQ TPID some switches still send.
    public static let qinqLegacy: UInt16 = 0x9100
}
