import Foundation
import NDPPolicy
import NDPWire
import Testing

/// The TOML loader: every key, and every error with file, line and key.
struct ConfigurationTests {
    @Test func loadsEveryKey() throws {
        let config = try ConfigurationLoader.parse(
            """
            [[proxy]]
            interface = "br0"
            targets = ["2001:db8:0:96ce::/64", "2001:db8:0:96ff:ff:ff:ff:ff"]
            exclude = ["2001:db8:0:96ce::1"]
            router = false
            override = true
            dad = "defend"
            source = "target"
            mac = "02:00:00:00:00:09"
            host-addresses = ["2001:db8:0:96ce::1"]
            unsolicited-na = true

            [[proxy]]
            interface = "br1"
            targets = ["2001:db8:5::/48"]
            source = "2001:db8::7"
            """, file: "t.toml")
        #expect(config.proxies.count == 2)
        let rule = try #require(config.rule(for: "br0"))
        #expect(rule.targets.exactCount == 1)
        #expect(rule.targets.prefixCount == 1)
        #expect(rule.exclude.containsExact(IPv6Address("2001:db8:0:96ce::1")!))
        #expect(!rule.router)
        #expect(rule.override)
        #expect(rule.dad == .defend)
        #expect(rule.source == .target)
        #expect(rule.mac == MACAddress("02:00:00:00:00:09"))
        #expect(rule.hostAddresses == [IPv6Address("2001:db8:0:96ce::1")!])
        #expect(rule.unsolicitedAdvertisements)
        let second = try #require(config.rule(for: "br1"))
        // Unsolicited advertisements are off unless asked for (README, "Running as a service").
        #expect(second.router && !second.override && second.dad == .ignore && !second.unsolicitedAdvertisements)
        #expect(second.source == .address(IPv6Address("2001:db8::7")!))
    }

    /// Each bad line gives exactly one problem at that line, naming the key.
    @Test(arguments: [
        ("bogus = 1", "proxy[1].bogus", "unknown key"),
        ("targets = [\"2001:db8::zz\"]", "proxy[1].targets", "not an IPv6 address"),
        ("targets = [\"2001:db8::1/64\"]", "proxy[1].targets", "host bits"),
        ("targets = [\"2001:db8::/64\", \"2001:db8::/64\"]", "proxy[1].targets", "duplicate target"),
        ("targets = [\"ff02::1\"]", "proxy[1].targets", "multicast"),
        ("targets = [\"fe80::1\"]", "proxy[1].targets", "link-local"),
        ("targets = [\"2001:db8::/129\"]", "proxy[1].targets", "prefix length"),
        ("dad = \"maybe\"", "proxy[1].dad", "ignore, defend"),
        ("source = \"ff02::1\"", "proxy[1].source", "auto, link-local"),
        ("router = \"yes\"", "proxy[1].router", "true or false"),
        ("mac = \"01:00:5e:00:00:01\"", "proxy[1].mac", "unicast MAC"),
    ])
    func oneProblemPerBadLine(_ line: String, _ key: String, _ words: String) {
        let hasTargets = line.hasPrefix("targets")
        let text =
            "[[proxy]]\ninterface = \"br0\"\n" + (hasTargets ? "" : "targets = [\"2001:db8::/64\"]\n") + line + "\n"
        let badLine = hasTargets ? 3 : 4
        do {
            _ = try ConfigurationLoader.parse(text, file: "bad.toml")
            Issue.record("accepted: \(line)")
        } catch {
            #expect(error.problems.count == 1, "\(error.problems)")
            let problem = error.problems.first
            #expect(problem?.file == "bad.toml")
            #expect(problem?.line == badLine, "\(String(describing: problem))")
            #expect(problem?.key == key)
            #expect(problem?.message.contains(words) == true, "\(String(describing: problem?.message))")
        }
    }

    @Test func reportsEveryProblemNotOnlyTheFirst() {
        let text = """
            [[proxy]]
            interface = "br0"
            targets = ["2001:db8::/64", "nonsense"]
            exclude = ["2001:db8::/64"]
            colour = "blue"
            """
        do {
            _ = try ConfigurationLoader.parse(text, file: "many.toml")
            Issue.record("accepted")
        } catch {
            let messages = error.problems.map(\.description)
            #expect(error.problems.count == 3, "\(messages)")
            #expect(messages.contains { $0.contains("many.toml:5: proxy[1].colour: unknown key") })
            #expect(messages.contains { $0.contains("many.toml:3: proxy[1].targets: \"nonsense\"") })
            #expect(messages.contains { $0.contains("also excluded") })
        }
    }

    @Test func syntaxErrorsCarryTOMLKitsLine() {
        do {
            _ = try ConfigurationLoader.parse("[[proxy]]\ninterface = \"br0\"\ntargets = [\n", file: "syntax.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems.first?.line != nil)
            #expect(error.problems.first?.message.hasPrefix("TOML syntax") == true)
        }
    }

    @Test func missingInterfaceAndTargetsAndDuplicateInterfaces() {
        do {
            _ = try ConfigurationLoader.parse(
                """
                [[proxy]]
                router = true
                [[proxy]]
                interface = "br0"
                targets = ["2001:db8::1"]
                [[proxy]]
                interface = "br0"
                targets = ["2001:db8::2"]
                """, file: "f.toml")
            Issue.record("accepted")
        } catch {
            let text = error.description
            #expect(text.contains("f.toml:1: proxy[1].interface: missing"))
            #expect(text.contains("proxy[1].targets: no targets"))
            #expect(text.contains("f.toml:7: proxy[3].interface: interface \"br0\" already has block proxy[2]"))
        }
    }

    @Test func targetsFileWithCommentsDuplicatesAndBadLines() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ndpd-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        # guests
        2001:db8:0:96ce::10   # web
        2001:db8:0:96ce::11
        \t
        2001:db8:0:96ce::10
        not-an-address
        2001:db8:7::/48
        """.write(to: dir.appendingPathComponent("guests"), atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("ndpd.toml")
        try "[[proxy]]\ninterface = \"br0\"\ntargets-file = \"guests\"\n".write(
            to: config, atomically: true, encoding: .utf8)
        do {
            _ = try ConfigurationLoader.load(path: config.path)
            Issue.record("accepted a file with a duplicate")
        } catch {
            let lines = error.problems.map { "\($0.line ?? 0): \($0.message)" }
            #expect(
                lines == [
                    "5: duplicate target 2001:db8:0:96ce::10", "6: \"not-an-address\" is not an IPv6 address or prefix",
                ])
            #expect(error.problems.allSatisfy { $0.file.hasSuffix("/guests") })
        }
        try "2001:db8:0:96ce::10\n2001:db8:7::/48 # a prefix\n".write(
            to: dir.appendingPathComponent("guests"), atomically: true, encoding: .utf8)
        let rule = try #require(try ConfigurationLoader.load(path: config.path).proxies.first)
        #expect(rule.targets.containsExact(IPv6Address("2001:db8:0:96ce::10")!))
        #expect(rule.targets.longestPrefix(containing: IPv6Address("2001:db8:7::99")!)?.length == 48)
    }

    @Test func commandLineFlagsBuildTheSameRule() throws {
        var flags = CommandLineRule(interface: "br0")
        flags.targets = ["2001:db8:0:96ce::/64", "2001:db8:0:96ff:ff:ff:ff:ff"]
        flags.exclude = ["2001:db8:0:96ce::1"]
        flags.router = false
        flags.dad = "defend"
        let rule = try flags.build()
        #expect(rule.targets.exactCount == 1 && rule.targets.prefixCount == 1)
        #expect(!rule.router && rule.dad == .defend)
        flags.targets?.append("2001:db8:0:96ce::/64")
        flags.dad = "sometimes"
        #expect(throws: ConfigurationErrors.self) { try flags.build() }
        do { _ = try flags.build() } catch { #expect(error.problems.count == 2) }
    }

    @Test func demoConfigurationMatchesTheSeedScenario() {
        let demo = CommandLineRule.demo
        #expect(demo.targets.contains(IPv6Address("2001:db8:0:96ce::2")!))
        #expect(demo.targets.containsExact(IPv6Address("2001:db8:0:96ff:ff:ff:ff:ff")!))
        #expect(demo.hostAddresses == [IPv6Address("2001:db8:0:96ce::1")!])
    }
}

/// The target table: exact set plus longest-prefix match.
struct TargetTableTests {
    @Test func longestPrefixWins() throws {
        let table = TargetTable(
            ["2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64", "2001:db8:1:2::5"]
                .map { try! IPv6Prefix.parse($0).get() })
        #expect(table.longestPrefix(containing: IPv6Address("2001:db8:1:2::9")!)?.length == 64)
        #expect(table.longestPrefix(containing: IPv6Address("2001:db8:1:3::9")!)?.length == 48)
        #expect(table.longestPrefix(containing: IPv6Address("2001:db8:9::9")!)?.length == 32)
        #expect(table.longestPrefix(containing: IPv6Address("2001:db9::1")!) == nil)
        #expect(table.containsExact(IPv6Address("2001:db8:1:2::5")!))
        #expect(!table.containsExact(IPv6Address("2001:db8:1:2::6")!))
        #expect(table.exactCount == 1 && table.prefixCount == 3)
    }

    @Test func prefixParsing() {
        #expect(
            IPv6Prefix.parse("2001:db8::/64") == .success(IPv6Prefix(address: IPv6Address("2001:db8::")!, length: 64)))
        #expect(IPv6Prefix.parse("2001:db8::1/64") == .failure(.hostBitsSet))
        #expect(IPv6Prefix.parse("2001:db8::/") == .failure(.badLength))
        #expect(IPv6Prefix.parse("2001:db8::/+64") == .failure(.badLength))
        #expect(IPv6Prefix.parse("x/64") == .failure(.badAddress))
        #expect(IPv6Prefix.parse("::/0") == .success(IPv6Prefix(address: .unspecified, length: 0)))
    }
}
