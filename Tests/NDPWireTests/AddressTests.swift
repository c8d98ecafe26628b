// IPv6 and MAC addresses: text in (RFC 4291 §2.2), text out (RFC 5952), masks,
// solicited-node groups (RFC 4291 §2.7.1), EUI-64 link-local (RFC 4291 App. A), MAC text.

import NDPWire
import Testing

@Suite("Addresses")
struct AddressTests {
    struct Parse: Sendable, CustomTestStringConvertible {
        var input: String
        var high: UInt64
        var low: UInt64
        var canonical: String  // RFC 5952 text
        var testDescription: String { "\"\(input)\"" }

        /// `input` parses to `high`, `low` and prints as `canonical` (by default `input` itself).
        init(_ input: String, _ high: UInt64, _ low: UInt64, _ canonical: String? = nil) {
            (self.input, self.high, self.low, self.canonical) = (input, high, low, canonical ?? input)
        }
    }

    static let valid: [Parse] = [
        Parse("::", 0, 0),
        Parse("::1", 0, 1),
        Parse("1::", 0x0001_0000_0000_0000, 0),
        Parse("2001:db8::1:0:0:1", 0x2001_0DB8_0000_0000, 0x0001_0000_0000_0001),
        // RFC 5952 §4.2.3: of two equal runs of zeros, the first is shortened.
        Parse("2001:db8:0:0:1:0:0:1", 0x2001_0DB8_0000_0000, 0x0001_0000_0000_0001, "2001:db8::1:0:0:1"),
        // §4.1 leading zeros dropped; §4.2.1 the longest run compressed.
        Parse("2001:0db8:0000:0000:0000:0000:0000:0001", 0x2001_0DB8_0000_0000, 1, "2001:db8::1"),
        // §4.2.3: the longest run wins even if later.
        Parse("2001:0:0:1:0:0:0:1", 0x2001_0000_0000_0001, 1, "2001:0:0:1::1"),
        // §4.2.2: a single zero group is never "::".
        Parse("2001:db8:0:1:1:1:1:1", 0x2001_0DB8_0000_0001, 0x0001_0001_0001_0001),
        Parse("1:2:3:4:5:6:7::", 0x0001_0002_0003_0004, 0x0005_0006_0007_0000, "1:2:3:4:5:6:7:0"),
        Parse("::2:3:4:5:6:7:8", 0x0000_0002_0003_0004, 0x0005_0006_0007_0008, "0:2:3:4:5:6:7:8"),
        // §4.3: lower case.
        Parse("2001:DB8::ABCD", 0x2001_0DB8_0000_0000, 0xABCD, "2001:db8::abcd"),
        Parse("1:2:3:4:5:6:7:8", 0x0001_0002_0003_0004, 0x0005_0006_0007_0008),
        Parse("0:0:0:0:0:0:0:0", 0, 0, "::"),
        Parse("fe80::5054:ff:fe12:3456", 0xFE80_0000_0000_0000, 0x5054_00FF_FE12_3456),
        Parse("ff02::1:ff00:2", 0xFF02_0000_0000_0000, 0x0000_0001_FF00_0002),
        Parse("2001:db8:0:96ff:ff:ff:ff:ff", 0x2001_0DB8_0000_96FF, 0x00FF_00FF_00FF_00FF),
        // RFC 4291 §2.2 form 3: an IPv4 tail.
        Parse("::ffff:192.0.2.1", 0, 0x0000_FFFF_C000_0201, "::ffff:c000:201"),
        Parse("64:ff9b::192.0.2.33", 0x0064_FF9B_0000_0000, 0xC000_0221, "64:ff9b::c000:221"),
        Parse("1:2:3:4:5:6:1.2.3.4", 0x0001_0002_0003_0004, 0x0005_0006_0102_0304, "1:2:3:4:5:6:102:304"),
        Parse("0000:0000:0000:0000:0000:ffff:255.255.255.255", 0, 0x0000_FFFF_FFFF_FFFF, "::ffff:ffff:ffff"),
    ]

    @Test("Valid RFC 4291 text parses to the right bits and prints as RFC 5952", arguments: valid)
    func parseValid(_ c: Parse) throws {
        let address = try #require(IPv6Address(c.input))
        #expect(address.high == c.high, "high 0x\(String(address.high, radix: 16))")
        #expect(address.low == c.low, "low 0x\(String(address.low, radix: 16))")
        #expect(address.description == c.canonical)
        // The canonical text parses back to the same address; a Substring works too.
        #expect(IPv6Address(c.canonical) == address)
        #expect(IPv6Address("[\(c.input)]".dropFirst().dropLast()) == address)
    }

    static let invalid: [String] = [
        "", ":", ":::", "::::", "1:", ":1", "1::2:", ":1::", "1:::2",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1::2::3",
        "12345::", "00000::", "g::", "+1::", "-1::", "0x1::", " ::1", "::1 ", "[::1]", "fe80::1%eth0",
        "::1.2.3", "::1.2.3.4.5", "::256.1.1.1", "::01.2.3.4", "::1.2.3.4:5", "::1.2.3.", "::.1.2.3",
        "1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4::", "1.2.3.4::", "::ffff:1.2.3.-4",
        "::\u{FF46}", "\u{0663}::", "2001:db8::g", "2001:db8:::1",
        "0000:0000:0000:0000:0000:ffff:255.255.255.2550",
    ]

    @Test("Invalid text is refused", arguments: invalid)
    func parseInvalid(_ input: String) {
        #expect(IPv6Address(input) == nil)
        #expect(Self.parseUTF8(input) == nil)
    }

    static func parseUTF8(_ text: String) -> IPv6Address? {
        let bytes = Array(text.utf8)
        return IPv6Address(utf8: bytes.span)
    }

    @Test("IPv6Address(utf8:) agrees with IPv6Address(_:) on every table entry")
    func utf8Agrees() {
        for c in Self.valid {
            #expect(Self.parseUTF8(c.input) == IPv6Address(c.input), "\(c.input)")
            #expect(Self.parseUTF8(c.input) != nil, "\(c.input)")
        }
        for input in Self.invalid {
            #expect(Self.parseUTF8(input) == nil, "\(input)")
        }
    }

    @Test("Equal addresses hash equally; hashing distinguishes the halves")
    func hashing() throws {
        let a = try #require(IPv6Address("2001:db8::1"))
        let b = IPv6Address(high: a.high, low: a.low)
        #expect(a.hashValue == b.hashValue)
        let set: Set<IPv6Address> = [
            a, b, try #require(IPv6Address("2001:db8::2")), IPv6Address(high: 1, low: 0),
            IPv6Address(high: 0, low: 1),
        ]
        #expect(set.count == 4)
    }

    @Test("Masks: masked(to:) equals a bit-by-bit reference for every length")
    func masks() throws {
        let all = IPv6Address(high: .max, low: .max)
        #expect(all.masked(to: 0) == .unspecified)
        #expect(all.masked(to: 10) == IPv6Address("ffc0::"))
        #expect(all.masked(to: 64) == IPv6Address("ffff:ffff:ffff:ffff::"))
        #expect(all.masked(to: 65) == IPv6Address("ffff:ffff:ffff:ffff:8000::"))
        #expect(all.masked(to: 127) == IPv6Address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"))
        #expect(all.masked(to: 128) == all)
        #expect(all.masked(to: -1) == .unspecified)
        #expect(all.masked(to: 200) == all)
        let samples = [
            all, try #require(IPv6Address("2001:db8:0:96ce:1234:5678:9abc:def0")),
            try #require(IPv6Address("fe80::1")), try #require(IPv6Address("8000::1")),
        ]
        for address in samples {
            for length in 0...128 {
                // Reference: keep bit i (0 = most significant) iff i < length.
                var high: UInt64 = 0
                var low: UInt64 = 0
                for bit in 0..<128 where bit < length {
                    if bit < 64 {
                        high |= address.high & (1 << UInt64(63 - bit))
                    } else {
                        low |= address.low & (1 << UInt64(127 - bit))
                    }
                }
                #expect(address.masked(to: length) == IPv6Address(high: high, low: low), "\(address)/\(length)")
            }
        }
    }

    @Test("Solicited-node multicast group and its test (RFC 4291 §2.7.1)")
    func solicitedNode() throws {
        let cases: [(String, String)] = [
            ("2001:db8:0:96ce::2", "ff02::1:ff00:2"),
            ("2001:db8::1:2:3", "ff02::1:ff02:3"),
            ("fe80::5054:ff:fe12:3456", "ff02::1:ff12:3456"),
            ("2001:6f8:102d:0:999:39d7:ce98:6e1", "ff02::1:ff98:6e1"),  // arkime-v6-http frame 5
            ("::", "ff02::1:ff00:0"),
        ]
        for (unicast, group) in cases {
            let a = try #require(IPv6Address(unicast))
            let g = try #require(IPv6Address(group))
            #expect(a.solicitedNodeMulticast == g, "\(unicast)")
            #expect(g.isSolicitedNodeMulticast)
            #expect(g.isMulticast)
        }
        for notGroup in [
            "ff02::1", "ff02::1:fe00:1", "ff02::2:ff00:1", "ff12::1:ff00:1", "ff02:0:0:1::1:ff00:1",
            "2001:db8::1:ff00:1", "ff02::1:ff00:0:1",
        ] {
            #expect(try #require(IPv6Address(notGroup)).isSolicitedNodeMulticast == false, "\(notGroup)")
        }
    }

    @Test("Address classes: unspecified, multicast, link-local (fe80::/10)")
    func classes() throws {
        func a(_ s: String) throws -> IPv6Address { try #require(IPv6Address(s)) }
        #expect(try a("::").isUnspecified)
        #expect(try !a("::1").isUnspecified)
        #expect(try a("ff00::").isMulticast)
        #expect(try a("ff02::1").isMulticast)
        #expect(try !a("fe80::1").isMulticast)
        #expect(try !a("feff::").isMulticast)
        #expect(try a("fe80::1").isLinkLocal)
        #expect(try a("febf:ffff::1").isLinkLocal)
        #expect(try !a("fec0::1").isLinkLocal)
        #expect(try !a("fe7f::1").isLinkLocal)
        #expect(try !a("2001:db8::1").isLinkLocal)
        #expect(IPv6Address.allNodes == (try a("ff02::1")))
        let x = try a("2001:db8:0:96ce:1:2:3:4")
        #expect((0..<8).map { x.group($0) } == [0x2001, 0x0DB8, 0, 0x96CE, 1, 2, 3, 4])
        #expect(try a("2001:db8::1") < a("2001:db8::2"))
        #expect(try a("2001:db7:ffff::") < a("2001:db8::"))
        #expect(try !(a("::2") < a("::1")))
    }

    @Test("linkLocal(for:) is the modified EUI-64 address (RFC 4291 App. A, RFC 4862 §5.3)")
    func eui64() throws {
        let cases: [(String, String)] = [
            ("52:54:00:12:34:56", "fe80::5054:ff:fe12:3456"),
            ("02:00:00:00:00:01", "fe80::ff:fe00:1"),
            ("00:00:00:00:00:00", "fe80::200:ff:fe00:0"),
            ("ff:ff:ff:ff:ff:ff", "fe80::fdff:ffff:feff:ffff"),
            ("00:11:25:82:95:b5", "fe80::211:25ff:fe82:95b5"),  // arkime-v6-http frame 1
            ("08:00:27:46:e8:84", "fe80::a00:27ff:fe46:e884"),  // tcpdump-dcb_qcn frame 12
        ]
        for (mac, linkLocal) in cases {
            let m = try #require(MACAddress(mac))
            #expect(IPv6Address.linkLocal(for: m) == IPv6Address(linkLocal), "\(mac)")
            #expect(IPv6Address.linkLocal(for: m).isLinkLocal)
        }
    }

    @Test("MACAddress text, octets, classes and the IPv6 multicast mapping (RFC 2464 §7)")
    func macAddress() throws {
        let m = try #require(MACAddress("52:54:00:12:34:56"))
        #expect(m.rawValue == 0x5254_0012_3456)
        #expect(m == MACAddress(0x52, 0x54, 0x00, 0x12, 0x34, 0x56))
        #expect((0..<6).map(m.octet) == [0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
        #expect(m.description == "52:54:00:12:34:56")
        #expect(MACAddress("AA-BB-CC-DD-EE-0F")?.description == "aa:bb:cc:dd:ee:0f")
        #expect(MACAddress("00:00:00:00:00:00")?.rawValue == 0)
        #expect(MACAddress(rawValue: 0xFFFF_0000_0000_0001).rawValue == 1)
        #expect(!m.isMulticast)
        #expect(MACAddress.broadcast.isMulticast)
        #expect(MACAddress.broadcast.description == "ff:ff:ff:ff:ff:ff")
        #expect(try #require(MACAddress("33:33:00:00:00:01")).isMulticast)
        #expect(try #require(MACAddress("01:00:5e:00:00:01")).isMulticast)
        #expect(try !(#require(MACAddress("02:00:00:00:00:01")).isMulticast))
        #expect(MACAddress.ipv6Multicast(.allNodes) == MACAddress("33:33:00:00:00:01"))
        #expect(
            MACAddress.ipv6Multicast(try #require(IPv6Address("ff02::1:ff00:2"))) == MACAddress("33:33:ff:00:00:02"))
        #expect(MACAddress.ipv6Multicast(try #require(IPv6Address("ff05::1:3"))) == MACAddress("33:33:00:01:00:03"))
        #expect(try #require(MACAddress("00:00:00:00:00:01")) < #require(MACAddress("00:00:00:00:01:00")))
    }

    static let invalidMACs = [
        "", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "a:bb:cc:dd:ee:ff", "aaa:bb:cc:dd:ee:f", "gg:bb:cc:dd:ee:ff",
        "aa:bb:cc:dd:ee:ff:", ":aa:bb:cc:dd:ee:ff", "aabb.ccdd.eeff", "aabbccddeeff", "aa::cc:dd:ee:ff",
    ]

    @Test("Invalid MAC text is refused", arguments: invalidMACs)
    func macInvalid(_ input: String) {
        #expect(MACAddress(input) == nil)
    }

    @Test("MAC text with a sign in an octet is refused")
    func macSign() {
        // Regression: `UInt8(part, radix: 16)` alone accepted a leading "+", so
        // "+a:bb:cc:dd:ee:ff" parsed as 0a:bb:cc:dd:ee:ff.
        #expect(MACAddress("+a:bb:cc:dd:ee:ff") == nil)
        // "-" is a separator, so "-0" is refused (as it should be).
        #expect(MACAddress("00:11:22:33:44:-0") == nil)
        // Neither sign may sneak into an IPv6 group either (this parser is right).
        #expect(IPv6Address("+1::") == nil)
        #expect(IPv6Address("::-1") == nil)
    }

    @Test("VLANTags keeps at most two tags, outermost first")
    func vlanTags() {
        let a = VLANTag(tagProtocolIdentifier: 0x88A8, tagControlInformation: 10)
        let b = VLANTag(tagControlInformation: 0x2014)
        let c = VLANTag(tagControlInformation: 30)
        #expect(b.tagProtocolIdentifier == 0x8100)
        #expect(b.vlanIdentifier == 20)
        var tags = VLANTags()
        #expect(tags.count == 0)
        let added = [tags.append(a), tags.append(b), tags.append(c)]
        #expect(added == [true, true, false])
        #expect(tags.count == 2)
        #expect(tags.all == [a, b])
        #expect(VLANTags([a, b, c]) == tags)
        #expect(VLANTags([b]).outer == b)
        #expect(VLANTags([b]).inner == nil)
    }
}
