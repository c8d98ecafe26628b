/// A 48-bit IEEE 802 MAC address, held in the low 48 bits of a `UInt64` so it is cheap to copy,
/// compare and hash on the hot path.
public struct MACAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address in network order: the first octet is bits 47...40.
    public let rawValue: UInt64

    /// Creates an address from its 48-bit value (higher bits are discarded).
    public init(rawValue: UInt64) { self.rawValue = rawValue & 0xFFFF_FFFF_FFFF }

    /// Creates an address from its six octets, first on the wire first.
    public init(_ o0: UInt8, _ o1: UInt8, _ o2: UInt8, _ o3: UInt8, _ o4: UInt8, _ o5: UInt8) {
        self.init(rawValue: UInt64(o0) << 40 | UInt64(o1) << 32 | UInt64(o2) << 24
            | UInt64(o3) << 16 | UInt64(o4) << 8 | UInt64(o5))
    }

    /// Parses `aa:bb:cc:dd:ee:ff` (or with `-`); returns nil for anything else.
    public init?(_ text: some StringProtocol) {
        var value: UInt64 = 0
        var groups = 0
        for part in text.split(separator: ":", omittingEmptySubsequences: false).flatMap({
            $0.split(separator: "-", omittingEmptySubsequences: false)
        }) {
            guard part.count == 2, let octet = UInt8(part, radix: 16) else { return nil }
            value = value << 8 | UInt64(octet)
            groups += 1
        }
        guard groups == 6 else { return nil }
        self.init(rawValue: value)
    }

    /// The broadcast address ff:ff:ff:ff:ff:ff.
    public static let broadcast = MACAddress(rawValue: 0xFFFF_FFFF_FFFF)

    /// The octet at `index` (0 is first on the wire).
    public func octet(_ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: rawValue >> UInt64(40 - 8 * index)) }

    /// True for group (multicast or broadcast) addresses: the I/G bit of the first octet.
    public var isMulticast: Bool { rawValue & 0x0100_0000_0000 != 0 }

    /// The Ethernet multicast address for an IPv6 multicast group (RFC 2464 §7): 33:33 + last 32 bits.
    public static func ipv6Multicast(_ group: IPv6Address) -> MACAddress {
        MACAddress(rawValue: 0x3333_0000_0000 | (group.low & 0xFFFF_FFFF))
    }

    public var description: String {
        (0..<6).map { i in
            let hex = String(octet(i), radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    public static func < (a: MACAddress, b: MACAddress) -> Bool { a.rawValue < b.rawValue }
}

/// A 128-bit IPv6 address as two big-endian halves, so comparisons and prefix masks are two
/// integer operations. Text follows RFC 4291 §2.2 on input and RFC 5952 on output.
public struct IPv6Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Bits 127...64 of the address (the first eight octets on the wire).
    public let high: UInt64
    /// Bits 63...0 of the address (the interface identifier of a /64).
    public let low: UInt64

    /// Creates an address from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The unspecified address `::` (RFC 4291 §2.5.2).
    public static let unspecified = IPv6Address(high: 0, low: 0)
    /// The all-nodes link-local multicast group `ff02::1` (RFC 4291 §2.7.1).
    public static let allNodes = IPv6Address(high: 0xFF02_0000_0000_0000, low: 1)

    /// `::` (RFC 4291 §2.5.2).
    public var isUnspecified: Bool { high == 0 && low == 0 }
    /// `ff00::/8` (RFC 4291 §2.7).
    public var isMulticast: Bool { high >> 56 == 0xFF }
    /// `fe80::/10` (RFC 4291 §2.5.6).
    public var isLinkLocal: Bool { high >> 54 == 0xFE80 >> 6 }
    /// `ff02::1:ff00:0/104`: a solicited-node multicast address (RFC 4291 §2.7.1).
    public var isSolicitedNodeMulticast: Bool {
        high == 0xFF02_0000_0000_0000 && low >> 24 == 0x0000_0001_FF
    }

    /// The solicited-node multicast group of this address (RFC 4291 §2.7.1): ff02::1:ff + low 24 bits.
    public var solicitedNodeMulticast: IPv6Address {
        IPv6Address(high: 0xFF02_0000_0000_0000, low: 0x0000_0001_FF00_0000 | (low & 0xFF_FFFF))
    }

    /// The modified EUI-64 link-local address of a MAC (RFC 4291 Appendix A, RFC 4862 §5.3).
    public static func linkLocal(for mac: MACAddress) -> IPv6Address {
        let m = mac.rawValue ^ 0x0200_0000_0000   // flip the universal/local bit
        let iid = (m >> 24) << 40 | 0xFF_FE00_0000 | (m & 0xFF_FFFF)
        return IPv6Address(high: 0xFE80_0000_0000_0000, low: iid)
    }

    /// The 16-bit group `index` (0 is first on the wire).
    public func group(_ index: Int) -> UInt16 {
        let half = index < 4 ? high : low
        return UInt16(truncatingIfNeeded: half >> UInt64(48 - 16 * (index & 3)))
    }

    /// The address with every bit past `length` cleared.
    public func masked(to length: Int) -> IPv6Address {
        if length <= 0 { return .unspecified }
        if length >= 128 { return self }
        if length <= 64 { return IPv6Address(high: high & ~(UInt64.max >> UInt64(length)), low: 0) }
        return IPv6Address(high: high, low: low & ~(UInt64.max >> UInt64(length - 64)))
    }

    /// Parses RFC 4291 §2.2 text: eight groups, `::` once, and an optional dotted IPv4 tail.
    /// A zone (`%eth0`) is not accepted: configured addresses have none.
    public init?(_ text: some StringProtocol) {
        let s = Substring(text)
        guard !s.isEmpty, s.utf8.count <= 45 else { return nil }
        let halves = s.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2,
              let head = IPv6Address.parseGroups(halves[0], mayEndWithIPv4: halves.count == 1),
              let tail = halves.count == 2 ? IPv6Address.parseGroups(halves[1], mayEndWithIPv4: true) : []
        else { return nil }
        let total = head.count + tail.count
        guard halves.count == 2 ? total <= 7 : total == 8 else { return nil }
        let groups = head + [UInt16](repeating: 0, count: 8 - total) + tail
        var h: UInt64 = 0
        var l: UInt64 = 0
        for g in groups[0..<4] { h = h << 16 | UInt64(g) }
        for g in groups[4..<8] { l = l << 16 | UInt64(g) }
        self.init(high: h, low: l)
    }

    /// The colon-separated groups on one side of `::`; nil if any group is not 1-4 hex digits.
    private static func parseGroups(_ text: Substring, mayEndWithIPv4: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, field) in fields.enumerated() {
            if field.contains(".") {
                // An embedded IPv4 address may only end the text (RFC 4291 §2.2 form 3).
                guard mayEndWithIPv4, index == fields.count - 1, let v4 = parseIPv4(field) else { return nil }
                groups += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
            } else {
                guard (1...4).contains(field.count), field.allSatisfy(\.isHexDigit),
                      let group = UInt16(field, radix: 16) else { return nil }
                groups.append(group)
            }
        }
        return groups
    }

    private static func parseIPv4(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard (1...3).contains(octet.count), octet.allSatisfy(\.isWholeNumber), octet.allSatisfy(\.isASCII),
                  let byte = UInt8(octet, radix: 10),
                  octet.count == 1 || octet.first != "0" else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    /// RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`.
    public var description: String {
        var groups = [UInt16](repeating: 0, count: 8)
        for i in 0..<8 { groups[i] = group(i) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8 && groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                let length = i - runStart
                if length > bestLength { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var out = ""
        var i = 0
        while i < 8 {
            if i == bestStart {
                out += "::"
                i += bestLength
                continue
            }
            if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
            out += String(groups[i], radix: 16)
            i += 1
        }
        return out
    }

    public static func < (a: IPv6Address, b: IPv6Address) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }
}
