/// A 48-bit IEEE 802 MAC address, held in the low 48 bits of a `UInt64` so it is cheap to copy,
/// compare and hash on the hot path.
public struct MACAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address in network order: the first octet is bits 47...40.
    public let rawValue: UInt64

    /// Creates an address from its 48-bit value (higher bits are discarded).
    @inlinable public init(rawValue: UInt64) { self.rawValue = rawValue & 0xFFFF_FFFF_FFFF }

    /// Creates an address from its six octets, first on the wire first.
    public init(_ o0: UInt8, _ o1: UInt8, _ o2: UInt8, _ o3: UInt8, _ o4: UInt8, _ o5: UInt8) {
        self.init(
            rawValue: UInt64(o0) << 40 | UInt64(o1) << 32 | UInt64(o2) << 24
                | UInt64(o3) << 16 | UInt64(o4) << 8 | UInt64(o5))
    }

    /// Parses `aa:bb:cc:dd:ee:ff` (or with `-`); returns nil for anything else.
    public init?(_ text: some StringProtocol) {
        var value: UInt64 = 0
        var groups = 0
        for part in text.split(separator: ":", omittingEmptySubsequences: false).flatMap({
            $0.split(separator: "-", omittingEmptySubsequences: false)
        }) {
            // Both characters must be hex digits: UInt8(_:radix:) alone would accept "+a".
            guard part.count == 2, part.allSatisfy(\.isHexDigit), let octet = UInt8(part, radix: 16) else { return nil }
            value = value << 8 | UInt64(octet)
            groups += 1
        }
        guard groups == 6 else { return nil }
        self.init(rawValue: value)
    }

    /// A word no MAC address can be (bit 63 set): stands for "none" in packed optionals.
    @usableFromInline static var absent: UInt64 { UInt64.max }

    /// `mac` as a word, `absent` for nil.
    @inlinable
    static func pack(_ mac: MACAddress?) -> UInt64 { mac?.rawValue ?? absent }

    /// The inverse of `pack`.
    @inlinable
    static func unpack(_ word: UInt64) -> MACAddress? { word == absent ? nil : MACAddress(rawValue: word) }

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
public struct IPv6Address: Hashable, Sendable, Comparable, CustomStringConvertible, BitwiseCopyable {
    /// Bits 127...64 of the address (the first eight octets on the wire).
    public let high: UInt64
    /// Bits 63...0 of the address (the interface identifier of a /64).
    public let low: UInt64

    /// Creates an address from its two halves.
    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The unspecified address `::` (RFC 4291 §2.5.2).
    public static let unspecified = IPv6Address(high: 0, low: 0)
    /// The all-nodes link-local multicast group `ff02::1` (RFC 4291 §2.7.1).
    public static let allNodes = IPv6Address(high: 0xFF02_0000_0000_0000, low: 1)

    /// `::` (RFC 4291 §2.5.2).
    @inlinable public var isUnspecified: Bool { high == 0 && low == 0 }
    /// `::1` (RFC 4291 §2.5.3).
    @inlinable public var isLoopback: Bool { high == 0 && low == 1 }
    /// `ff00::/8` (RFC 4291 §2.7).
    @inlinable public var isMulticast: Bool { high >> 56 == 0xFF }
    /// The scope field of a multicast address (RFC 4291 §2.7): 1 interface-local, 2 link-local,
    /// 5 site-local, 8 organization-local, 14 global; 0 is reserved.
    @inlinable public var multicastScope: UInt8 { UInt8(truncatingIfNeeded: high >> 48) & 0xF }
    /// `fe80::/10` (RFC 4291 §2.5.6).
    @inlinable public var isLinkLocal: Bool { high >> 54 == 0xFE80 >> 6 }
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
        let m = mac.rawValue ^ 0x0200_0000_0000  // flip the universal/local bit
        let iid = (m >> 24) << 40 | 0xFF_FE00_0000 | (m & 0xFF_FFFF)
        return IPv6Address(high: 0xFE80_0000_0000_0000, low: iid)
    }

    /// The 16-bit group `index` (0 is first on the wire).
    public func group(_ index: Int) -> UInt16 {
        let half = index < 4 ? high : low
        return UInt16(truncatingIfNeeded: half >> UInt64(48 - 16 * (index & 3)))
    }

    /// The address with every bit past `length` cleared.
    // Inlinable: the policy masks every target once per configured prefix length.
    @inlinable
    public func masked(to length: Int) -> IPv6Address {
        if length <= 0 { return IPv6Address(high: 0, low: 0) }
        if length >= 128 { return self }
        if length <= 64 { return IPv6Address(high: high & ~(UInt64.max >> UInt64(length)), low: 0) }
        return IPv6Address(high: high, low: low & ~(UInt64.max >> UInt64(length - 64)))
    }

    /// Parses RFC 4291 §2.2 text: eight groups, `::` once, and an optional dotted IPv4 tail.
    /// A zone (`%eth0`) is not accepted: configured addresses have none.
    public init?(_ text: some StringProtocol) {
        let string = String(text)
        guard let address = IPv6Address(utf8: string.utf8.span) else { return nil }
        self = address
    }

    /// Parses RFC 4291 §2.2 text from UTF-8 bytes without allocating: the fast path for loading
    /// large target files.
    public init?(utf8 text: Span<UInt8>) {
        let n = text.count
        guard n >= 2, n <= 45 else { return nil }
        var groups = InlineArray<8, UInt16>(repeating: 0)
        var count = 0
        var gap = -1  // index in `groups` where `::` stands, if any
        var i = 0
        if text[0] == UInt8(ascii: ":") {
            guard text[1] == UInt8(ascii: ":") else { return nil }
            gap = 0
            i = 2
        }
        while i < n {
            let start = i
            var value: UInt32 = 0
            var digits = 0
            while i < n, let digit = IPv6Address.hexDigit(text[i]) {
                value = value << 4 | UInt32(digit)
                digits += 1
                i += 1
                if digits > 4 { break }
            }
            if i < n && text[i] == UInt8(ascii: ".") {
                // An embedded IPv4 address ends the text (RFC 4291 §2.2 form 3).
                guard count <= 6, let v4 = IPv6Address.parseIPv4(text, from: start) else { return nil }
                groups[count] = UInt16(v4 >> 16)
                groups[count + 1] = UInt16(v4 & 0xFFFF)
                count += 2
                i = n
                break
            }
            guard (1...4).contains(digits), count < 8 else { return nil }
            groups[count] = UInt16(value)
            count += 1
            if i == n { break }
            guard text[i] == UInt8(ascii: ":"), i + 1 < n else { return nil }
            i += 1
            if text[i] == UInt8(ascii: ":") {
                guard gap < 0 else { return nil }
                gap = count
                i += 1
            }
        }
        if gap >= 0 {
            guard count <= 7 else { return nil }
            // Slide the groups after `::` to the end; the gap fills with zeros.
            let shift = 8 - count
            var j = 7
            while j >= gap + shift {
                groups[j] = groups[j - shift]
                j -= 1
            }
            while j >= gap {
                groups[j] = 0
                j -= 1
            }
        } else {
            guard count == 8 else { return nil }
        }
        var h: UInt64 = 0
        var l: UInt64 = 0
        for k in 0..<4 { h = h << 16 | UInt64(groups[k]) }
        for k in 4..<8 { l = l << 16 | UInt64(groups[k]) }
        self.init(high: h, low: l)
    }

    @inline(__always)
    private static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }

    /// Dotted-quad IPv4 from `start` to the end of `text`: four decimal octets, no leading zeros.
    private static func parseIPv4(_ text: Span<UInt8>, from start: Int) -> UInt32? {
        var value: UInt32 = 0
        var octets = 0
        var i = start
        while i < text.count {
            var octet: UInt32 = 0
            var digits = 0
            let first = i
            while i < text.count, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9") {
                octet = octet * 10 + UInt32(text[i] - UInt8(ascii: "0"))
                digits += 1
                i += 1
                if digits > 3 { return nil }
            }
            guard digits >= 1, octet <= 255, digits == 1 || text[first] != UInt8(ascii: "0") else { return nil }
            value = value << 8 | octet
            octets += 1
            if i == text.count { break }
            guard text[i] == UInt8(ascii: "."), octets < 4, i + 1 < text.count else { return nil }
            i += 1
        }
        return octets == 4 ? value : nil
    }

    /// RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`.
    public var description: String {
        var groups = [UInt16](repeating: 0, count: 8)
        for i in 0..<8 { groups[i] = group(i) }
        var bestStart = -1
        var bestLength = 0
        var runStart = -1
        for i in 0...8 {
            if i < 8 && groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                let length = i - runStart
                if length > bestLength {
                    bestStart = runStart
                    bestLength = length
                }
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
