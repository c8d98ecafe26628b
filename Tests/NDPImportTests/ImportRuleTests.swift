import NDPImport
import NDPPolicy
import NDPWire
import Testing

/// The mapping rules, one source construct at a time.
struct ImportRuleTests {
    func run(_ format: ImportFormat, _ text: String) -> ImportedConfiguration {
        var result = ImportedConfiguration()
        format.read(text, file: "f", into: &result)
        return result
    }

    func targets(_ result: ImportedConfiguration, _ interface: String) -> [String] {
        result.blocks.first { $0.interface == interface }?.targets.map(\.description) ?? []
    }

    /// npd6's prefix strings, as its prefixset() reads them.
    @Test(arguments: [
        ("2001:db8:1:2:", "2001:db8:1:2::/64"),
        ("2001:0db8:0001:0002:", "2001:db8:1:2::/64"),
        ("2001:db8:", "2001:db8::/32"),
        ("2a01:", "2a01::/16"),
        ("2001:db8:1:2:3:4:5:", "2001:db8:1:2:3:4:5:0/112"),
        // An empty group is one group of zeros: "1:2:3::" is a /64, not a /48.
        ("1:2:3::", "1:2:3::/64"),
        ("2001:db8:1:2:/56", "2001:db8:1::/56"),
    ])
    func npd6Prefix(text: String, expected: String) {
        let result = run(.npd6, "prefix=\(text)\ninterface=eth0\n")
        #expect(targets(result, "eth0") == [expected])
        #expect(result.warnings.contains { $0.hasPrefix("f:1: npd6 reads the prefix string") })
    }

    @Test(arguments: ["2001:db8:1:2", "2001:db8:1:2:/200", "12345:", "2001:zz:", ""])
    func npd6PrefixRefused(text: String) {
        let result = run(.npd6, "prefix=\(text)\ninterface=eth0\n")
        #expect(result.answeringBlocks.isEmpty)
    }

    /// npd6 keys: routerNA maps; whitelist and blacklist become targets and exclusions.
    @Test func npd6Lists() {
        let black = run(
            .npd6, "prefix=2001:db8:5:6:\ninterface=br0\nlisttype=black\naddrlist=2001:db8:5:6::9\nrouterNA=false\n")
        #expect(targets(black, "br0") == ["2001:db8:5:6::/64"])
        #expect(black.blocks[0].exclude.map(\.description) == ["2001:db8:5:6::9"])
        #expect(black.blocks[0].router == false)
        let white = run(.npd6, "prefix=2001:db8:5:6:\ninterface=br0\nlisttype=white\naddrlist=2001:db8:5:6::9\n")
        #expect(targets(white, "br0") == ["2001:db8:5:6::9"])
    }

    /// Several prefix/interface pairs (npd6 1.1) become one block each.
    @Test func npd6Pairs() {
        let result = run(.npd6, "prefix=2001:db8:1:\ninterface=eth0\nprefix=2001:db8:2:\ninterface=eth1\n")
        #expect(targets(result, "eth0") == ["2001:db8:1::/48"])
        #expect(targets(result, "eth1") == ["2001:db8:2::/48"])
    }

    /// ndppd 0.2.x: any word but yes or true is false, with a warning.
    @Test(arguments: [
        ("yes", true, false), ("TRUE", true, false), ("no", false, false), ("false", false, false),
        ("on", false, true), ("1", false, true), ("enabled", false, true),
    ])
    func ndppdLegacyBoolean(word: String, value: Bool, warns: Bool) {
        let result = run(.ndppd, "proxy eth0 {\n router \(word)\n rule 2001:db8::/64 { static }\n}\n")
        #expect(result.blocks[0].router == value)
        #expect(result.warnings.contains { $0.contains("any word but yes or true means false") } == warns)
    }

    /// The master syntax (told by its own option names) refuses other words instead.
    @Test func ndppdMasterBoolean() {
        let result = run(.ndppd, "valid-ttl 30000\nproxy eth0 {\n router on\n rule 2001:db8::/64 { static }\n}\n")
        #expect(result.sources == ["f (ndppd master syntax)"])
        #expect(result.blocks[0].router == nil)
        #expect(result.warnings.contains { $0.contains("router on: not yes, no, true or false") })
    }

    /// `static` is a target; `iface IF` is a target of a live block with IF as a guest interface;
    /// `auto` is a target of a live block on the kernel's routes. A static prefix cannot share a
    /// block with iface or auto rules (it would become live): it is left out, with a comment and
    /// a warning. iface and auto rules cannot share a block either: the later kind is a comment.
    @Test func ndppdMethods() throws {
        let result = run(
            .ndppd,
            """
            proxy eth0 {
                rule 2001:db8:1::/64 { static }
                rule 2001:db8:1::7 { static }
                rule 2001:db8:2::/64 { iface eth1 }
                rule 2001:db8:3::/64 { auto }
            }
            """)
        #expect(targets(result, "eth0") == ["2001:db8:1::7", "2001:db8:2::/64"])
        #expect(result.blocks[0].guestInterfaces == ["eth1"])
        #expect(!result.blocks[0].followsRoutes)
        #expect(
            result.warnings.filter { $0.contains("a static prefix cannot share a block with iface or auto rules") }
                .count == 1)
        #expect(
            result.warnings.filter { $0.hasPrefix("f:5:") && $0.contains("iface and auto rules cannot share a block") }
                .count == 1)
        let output = result.render()
        #expect(output.contains("mode = \"live\"\nguest-interfaces = [\"eth1\"]"))
        let rule = try #require(try ConfigurationLoader.parse(output, file: "out").proxies.first)
        #expect(rule.mode == .live)
        #expect(rule.guestInterfaces == .named(["eth1"]))
    }

    /// `auto` (ndppd looks the guest's interface up in the routing table) is live mode with
    /// `guest-interfaces = "routes"`; the output loads as such. `autovia` only shapes ndppd's
    /// own routes, and is said so.
    @Test func ndppdAutoFollowsRoutes() throws {
        let result = run(
            .ndppd,
            """
            proxy eth0 {
                rule 2001:db8:3::/64 { auto }
                rule 2001:db8:4::/64 {
                    auto
                    autovia yes
                }
                rule 2001:db8:5::1 { static }
            }
            """)
        #expect(targets(result, "eth0") == ["2001:db8:3::/64", "2001:db8:4::/64", "2001:db8:5::1"])
        #expect(result.blocks[0].followsRoutes)
        #expect(result.warnings.count == 1)
        let autovia = "autovia in rule 2001:db8:4::/64 shapes the routes ndppd's autowire adds"
        #expect(result.warnings.first?.contains(autovia) == true)
        let output = result.render()
        #expect(output.contains("mode = \"live\"\nguest-interfaces = \"routes\""))
        let rule = try #require(try ConfigurationLoader.parse(output, file: "out").proxies.first)
        #expect(rule.mode == .live)
        #expect(rule.guestInterfaces == .routes)
        #expect(rule.targets.contains(IPv6Address("2001:db8:4::99")!))
    }

    /// An `iface` rule for one address does not map: live mode answers a /128 at once.
    @Test func ndppdIfaceSingleAddressIsNotMapped() {
        let result = run(.ndppd, "proxy eth0 {\n rule 2001:db8:2::9 { iface eth1 }\n}\n")
        #expect(result.answeringBlocks.isEmpty)
        #expect(result.warnings.contains { $0.contains("answers a single address (/128) at once, without a probe") })
    }

    /// ndppd 0.2.x drops an address it cannot parse without a word: the rule is a comment and a warning.
    @Test func ndppdUnparsableAddress() {
        let result = run(.ndppd, "proxy eth0 {\n rule 2001:db8::zz { static }\n rule 2001:db8::1 { static }\n}\n")
        #expect(targets(result, "eth0") == ["2001:db8::1"])
        #expect(result.warnings.contains { $0.hasPrefix("f:2:") && $0.contains("cannot parse without a word") })
    }

    /// ndppd 0.2.x uses the first rule that matches: a later rule inside an earlier one warns.
    @Test func ndppdFirstMatch() {
        let result = run(
            .ndppd, "proxy eth0 {\n rule 2001:db8::/32 { iface eth1 }\n rule 2001:db8:1::/64 { static }\n}\n")
        #expect(
            result.warnings.contains { $0.hasPrefix("f:3:") && $0.contains("first rule that matches, not the longest") }
        )
        let disjoint = run(
            .ndppd, "proxy eth0 {\n rule 2001:db8:1::/64 { static }\n rule 2001:db8:2::/64 { static }\n}\n")
        #expect(!disjoint.warnings.contains { $0.contains("first rule that matches") })
    }

    /// Host bits are masked as ndppd does, with a warning (ndpd check refuses them).
    @Test func ndppdHostBits() {
        let result = run(.ndppd, "proxy eth0 {\n rule 2001:db8::1/64 { static }\n}\n")
        #expect(targets(result, "eth0") == ["2001:db8::/64"])
    }

    /// Two sections for one interface become one block (ndpd allows one per interface).
    @Test func ndppdSameInterfaceTwice() {
        let result = run(
            .ndppd,
            "proxy eth0 {\n rule 2001:db8:1::/64 { static }\n}\nproxy eth0 {\n rule 2001:db8:2::/64 { static }\n}\n")
        #expect(result.blocks.count == 1)
        #expect(targets(result, "eth0") == ["2001:db8:1::/64", "2001:db8:2::/64"])
    }

    /// Broken input never stops the importer: unclosed blocks, stray braces, binary.
    @Test(arguments: [
        "proxy eth0 {\n rule 2001:db8::/64 {\n", "}}}{{{", "proxy {", "\u{0}\u{1}\u{FF}proxy",
        "rule 2001:db8::/64 { static }",
    ])
    func ndppdBrokenInput(text: String) {
        let result = run(.ndppd, text)
        #expect(!result.render().isEmpty)
    }

    /// ip -6 neigh: proxy entries become /128 targets per device; ordinary neighbours are comments.
    @Test func ipNeigh() {
        let result = run(
            .ipNeigh,
            "2001:db8::2 dev br0 proxy\n2001:db8::3 dev br1  proxy\n2001:db8::4 dev br0 lladdr 02:00:00:00:00:09 REACHABLE\n"
        )
        #expect(targets(result, "br0") == ["2001:db8::2"])
        #expect(targets(result, "br1") == ["2001:db8::3"])
        #expect(result.warnings.contains { $0.hasPrefix("f:3:") && $0.contains("not a proxy entry") })
    }

    /// networkd: IPv6ProxyNDPAddress= entries of the matched interface; a glob cannot be a block.
    @Test func networkd() {
        let result = run(
            .networkd,
            "[Match]\nName=br0\n[Network]\nIPv6ProxyNDPAddress=2001:db8::5\nIPv6ProxyNDPAddress=2001:db8::6\n")
        #expect(targets(result, "br0") == ["2001:db8::5", "2001:db8::6"])
        let glob = run(.networkd, "[Match]\nName=en*\n[Network]\nIPv6ProxyNDPAddress=2001:db8::5\n")
        #expect(glob.answeringBlocks.isEmpty)
        #expect(glob.warnings.contains { $0.contains("one block per interface") })
        let off = run(.networkd, "[Match]\nName=br0\n[Network]\nIPv6ProxyNDP=no\nIPv6ProxyNDPAddress=2001:db8::5\n")
        #expect(off.answeringBlocks.isEmpty)
        // An empty assignment resets the list (systemd.syntax(7)).
        let reset = run(
            .networkd,
            "[Match]\nName=br0\n[Network]\nIPv6ProxyNDPAddress=2001:db8::5\nIPv6ProxyNDPAddress=\nIPv6ProxyNDPAddress=2001:db8::7\n"
        )
        #expect(targets(reset, "br0") == ["2001:db8::7"])
    }

    /// Targets ndpd refuses (link-local, multicast, ::) are comments, never keys.
    @Test func refusedTargets() throws {
        let result = run(
            .ipNeigh, "fe80::1 dev br0 proxy\nff02::1 dev br0 proxy\n:: dev br0 proxy\n2001:db8::1 dev br0 proxy\n")
        #expect(targets(result, "br0") == ["2001:db8::1"])
        #expect(result.blocks[0].notes.count == 3)
        _ = try ConfigurationLoader.parse(result.render(), file: "out")
    }

    /// An interface name Linux refuses never reaches the output.
    @Test func badInterfaceName() {
        let result = run(.ipNeigh, "2001:db8::1 dev \"quoted\"name-that-is-far-too-long proxy\n")
        #expect(result.answeringBlocks.isEmpty)
    }

    /// Format detection by name and by content.
    @Test func detection() {
        #expect(ImportFormat.detect(name: "/etc/ndppd.conf", text: "") == .ndppd)
        #expect(ImportFormat.detect(name: "/etc/npd6.conf", text: "") == .npd6)
        #expect(ImportFormat.detect(name: "10-br0.network", text: "") == .networkd)
        #expect(ImportFormat.detect(name: "-", text: "2001:db8::1 dev br0 proxy\n") == .ipNeigh)
        #expect(ImportFormat.detect(name: "-", text: "proxy eth0 {\n}\n") == .ndppd)
        #expect(ImportFormat.detect(name: "-", text: "prefix=2001:db8:\ninterface=eth0\n") == .npd6)
        #expect(ImportFormat.detect(name: "-", text: "[Match]\nName=br0\n") == .networkd)
        #expect(ImportFormat.detect(name: "-", text: "hello\n") == nil)
    }
}
