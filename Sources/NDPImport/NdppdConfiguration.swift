import NDPPolicy
import NDPWire

/// ndppd's configuration file, `/etc/ndppd.conf`, in both syntaxes users have: 0.2.x (Debian's
/// 0.2.5: `key [=] value [{ block }]`, `#`, `//` and `/* */` comments) and the master branch's
/// rewrite (`key value`, `#` and `/* */` comments, different option names).
public enum NdppdConfiguration {
    /// One `key value` line, possibly opening a `{ ... }` block.
    struct Node {
        var key: String
        var value: String
        var line: Int
        var children: [Node]?
    }

    /// The two dialects, told apart by the options only one of them has.
    enum Dialect: String {
        case legacy = "ndppd 0.2.x syntax"
        case master = "ndppd master syntax"

        static let masterOnly: Set<String> = [
            "valid-ttl", "invalid-ttl", "retrans-time", "retrans-limit", "renew", "promisc", "table",
        ]
        static let legacyOnly: Set<String> = [
            "route-ttl", "address-ttl", "ttl", "timeout", "deadtime", "retries", "promiscuous", "autovia",
        ]
    }

    /// Why each option that only tunes ndppd's own probing has no ndpd key.
    static let sessionOptions: [String: String] = [
        "route-ttl": "how often ndppd re-reads /proc/net/ipv6_route for `auto`; ndpd has no such polling",
        "address-ttl": "how often ndppd re-reads the interfaces' addresses; ndpd follows them through netlink",
        "valid-ttl":
            "the lifetime of a probed (iface/auto) answer; ndpd's live mode has timers of its own ([proxy.live])",
        "invalid-ttl": "the lifetime of a failed probe; ndpd's live mode has timers of its own ([proxy.live])",
        "retrans-time": "the interval of ndppd's probes; ndpd's live mode has timers of its own ([proxy.live])",
        "retrans-limit": "the number of ndppd's probes; ndpd's live mode has timers of its own ([proxy.live])",
        "renew": "when ndppd re-probes an entry; ndpd's live mode has timers of its own ([proxy.live])",
        "keepalive": "ndppd's re-probing of used entries; ndpd's live mode has timers of its own ([proxy.live])",
        "ttl": "the lifetime of a probed (iface/auto) answer; ndpd's live mode has timers of its own ([proxy.live])",
        "timeout": "how long ndppd waits for a probed guest; ndpd's live mode has timers of its own ([proxy.live])",
        "deadtime": "the lifetime of a failed probe; ndpd's live mode has timers of its own ([proxy.live])",
        "retries": "the number of ndppd's probes; ndpd's live mode has timers of its own ([proxy.live])",
        "autowire": "ndppd adds routes to probed guests; ndpd never changes routes",
        "table": "the routing table for `auto`, which ndpd does not import",
        "promiscuous": "ndpd captures solicitations without promiscuous mode (it joins the multicast groups itself)",
        "promisc": "ndpd captures solicitations without promiscuous mode (it joins the multicast groups itself)",
    ]

    /// Reads `text` (named `file` in messages) into `result`.
    public static func read(_ text: String, file: String, into result: inout ImportedConfiguration) {
        var parser = Parser(text: Array(text.utf8))
        let nodes = parser.block(top: true)
        let all = flatten(nodes)
        let keys = Set(all.map(\.key))
        let dialect: Dialect =
            keys.isDisjoint(with: Dialect.masterOnly) || !keys.isDisjoint(with: Dialect.legacyOnly)
                || parser.sawEquals || parser.sawSlashComment ? .legacy : .master
        result.addSource(file, format: dialect.rawValue)
        func at(_ line: Int) -> SourceLine { SourceLine(file: file, line: line) }
        if let error = parser.error {
            result.unmapped(
                at(error.line), "syntax",
                "\(error.message); ndppd refuses the whole file, the rest is imported as far as it was read")
        }
        for node in nodes {
            switch node.key {
            case "proxy":
                readProxy(node, dialect: dialect, at: at, into: &result)
            case _ where sessionOptions[node.key] != nil:
                result.unmapped(at(node.line), describe(node), sessionOptions[node.key]!)
            default:
                result.unmapped(at(node.line), describe(node), "not an ndppd option at the top level")
            }
        }
    }

    static func flatten(_ nodes: [Node]) -> [Node] { nodes.flatMap { [$0] + flatten($0.children ?? []) } }

    static func describe(_ node: Node) -> String {
        let text = node.value.isEmpty ? node.key : "\(node.key) \(node.value)"
        return node.children == nil ? text : "\(text) { ... }"
    }

    /// A `proxy IFACE { ... }` section: one ndpd block.
    static func readProxy(
        _ node: Node, dialect: Dialect, at: (Int) -> SourceLine, into result: inout ImportedConfiguration
    ) {
        guard !node.value.isEmpty, node.children != nil else {
            result.unmapped(at(node.line), describe(node), "a proxy needs an interface name and a { } block")
            return
        }
        guard let block = result.block(node.value, at: at(node.line), source: describe(node)) else { return }
        var rules: [(prefix: IPv6Prefix, line: Int, method: String)] = []
        var routerLine: Int?
        for child in node.children ?? [] {
            switch child.key {
            case "rule":
                if let rule = readRule(child, block: block, dialect: dialect, at: at, into: &result) {
                    rules.append(rule)
                }
            case "router":
                // conf::find returns the first of repeated options; the master parser keeps the last.
                if routerLine != nil && dialect == .legacy {
                    result.warn(
                        at(child.line), "router is given again; ndppd 0.2.x uses the first (line \(routerLine!))")
                } else if let value = boolean(child, dialect: dialect, at: at, into: &result, block: block) {
                    result.setRouter(value, block: block)
                    routerLine = child.line
                }
            case _ where sessionOptions[child.key] != nil:
                result.unmapped(at(child.line), describe(child), sessionOptions[child.key]!, block: block)
            default:
                result.unmapped(at(child.line), describe(child), "not an ndppd proxy option", block: block)
            }
        }
        // A live block answers its prefixes only for live guests (its /128s at once): a static
        // prefix beside iface or auto rules would silently become live, so it is left out and said.
        if rules.contains(where: { $0.method == "iface" || $0.method == "auto" }) {
            for rule in rules where rule.method == "static" && rule.prefix.length < 128 {
                result.removeTarget(
                    rule.prefix, block: block, at: at(rule.line), source: "rule \(rule.prefix) { static }",
                    reason: "a static prefix cannot share a block with iface or auto rules: ndpd's live mode answers a "
                        + "block's prefixes only for the guests it found; give it an interface of its own, or add it "
                        + "to targets knowing it will be answered as live")
            }
        }
        // ndppd 0.2.x walks a proxy's rules in file order and takes the first that matches
        // (proxy::handle_solicit); ndpd answers if any target matches. A later rule inside an
        // earlier one is therefore never reached by ndppd 0.2.x, whatever its method.
        for (index, later) in rules.enumerated() {
            if let earlier = rules[..<index].first(where: { $0.prefix.contains(later.prefix) }) {
                result.warn(
                    at(later.line),
                    "ndppd 0.2.x uses the first rule that matches, not the longest: rule \(later.prefix) (\(later.method)) "
                        + "lies inside the earlier rule \(earlier.prefix) (\(earlier.method), line \(earlier.line)), "
                        + "so ndppd never applied it; check that ndpd's answers for it are what you want")
            }
        }
    }

    /// A `rule ADDR[/LEN] { method }`: `static` becomes a target, `iface IF` a target of a live
    /// block with IF among its guest interfaces, `auto` a target of a live block with
    /// `guest-interfaces = "routes"` (ndppd looks the guest's interface up in the routing table).
    static func readRule(
        _ node: Node, block: Int, dialect: Dialect, at: (Int) -> SourceLine,
        into result: inout ImportedConfiguration
    ) -> (IPv6Prefix, Int, String)? {
        let source = describe(node)
        let parts = node.value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPv6Address(parts[0]) else {
            result.unmapped(
                at(node.line), source,
                "\"\(node.value)\" is not an IPv6 address; ndppd 0.2.x drops an address it cannot parse without a word, so this rule never answered"
            )
            return nil
        }
        var length = 128
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...128).contains(value), parts[1].allSatisfy(\.isWholeNumber) else {
                result.unmapped(at(node.line), source, "\"\(parts[1])\" is not a prefix length (0-128)")
                return nil
            }
            length = value
        }
        let prefix = IPv6Prefix(address: address, length: length)
        if prefix.address != address {
            result.warn(
                at(node.line), "rule \(node.value) has host bits set; ndppd ignores them, imported as \(prefix)")
        }
        var methods: [Node] = []
        for child in node.children ?? [] {
            switch child.key {
            case "static", "iface", "auto", "autovia":
                methods.append(child)
            case _ where sessionOptions[child.key] != nil:
                result.unmapped(at(child.line), describe(child), sessionOptions[child.key]!, block: block)
            default:
                result.unmapped(at(child.line), describe(child), "not an ndppd rule option", block: block)
            }
        }
        let kinds = Set(methods.map(\.key)).subtracting(["autovia"])
        if kinds.count > 1 {
            result.unmapped(
                at(node.line), source, "more than one of static, iface and auto: ndppd refuses such a rule",
                block: block)
            return nil
        }
        // A rule without a method is static in ndppd 0.2.x, for compatibility with 0.2.1.
        let method = kinds.first ?? "static"
        if kinds.isEmpty {
            result.warn(
                at(node.line), "rule \(node.value) names no method; ndppd treats it as static, imported as a target")
        }
        switch method {
        case "static":
            result.addTarget(prefix, block: block, at: at(node.line), source: source)
        case "iface":
            // Answered only for guests that answer a probe on the named interface: ndpd's live
            // mode with that guest interface (README, "Live mode").
            let guest = methods.first { $0.key == "iface" }?.value ?? ""
            result.addLiveTarget(
                prefix, guestInterface: guest, block: block, at: at(node.line),
                source: "rule \(node.value) { iface \(guest) }")
        default:
            // Answered only for guests that answer a probe where the routing table leads: live
            // mode on the kernel's routes.
            if methods.contains(where: { $0.key == "autovia" }) {
                result.warn(
                    at(node.line),
                    "autovia in rule \(node.value) shapes the routes ndppd's autowire adds; ndpd never changes routes, so it is not imported"
                )
            }
            result.addLiveTarget(
                prefix, guestInterface: nil, block: block, at: at(node.line), source: "rule \(node.value) { auto }")
        }
        return (prefix, node.line, method)
    }

    /// A yes/no option as the dialect reads it.
    static func boolean(
        _ node: Node, dialect: Dialect, at: (Int) -> SourceLine, into result: inout ImportedConfiguration,
        block: Int
    ) -> Bool? {
        let word = node.value.lowercased()
        switch dialect {
        case .legacy:
            // conf::as_bool: "true" and "yes" (any case) are true, every other word is false.
            if word == "yes" || word == "true" { return true }
            if word != "no" && word != "false" {
                result.warn(
                    at(node.line),
                    "\(node.key) \"\(node.value)\": in ndppd 0.2.x any word but yes or true means false; imported as false"
                )
            }
            return false
        case .master:
            switch word {
            case "", "yes", "true": return true
            case "no", "false": return false
            default:
                result.unmapped(
                    at(node.line), describe(node), "not yes, no, true or false: ndppd refuses the file", block: block)
                return nil
            }
        }
    }

    /// The 0.2.x grammar (conf::parse_block), which also reads the master syntax.
    struct Parser {
        let text: [UInt8]
        var offset = 0
        var line = 1
        var sawEquals = false
        var sawSlashComment = false
        var error: (line: Int, message: String)?

        init(text: [UInt8]) { self.text = text }

        var current: UInt8? { offset < text.count ? text[offset] : nil }

        mutating func advance() {
            if text[offset] == UInt8(ascii: "\n") { line += 1 }
            offset += 1
        }

        static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

        /// Skips blanks (and newlines if `newlines`) and comments.
        mutating func skip(newlines: Bool) {
            while let byte = current {
                if Self.isSpace(byte) && (byte != UInt8(ascii: "\n") || newlines) {
                    advance()
                } else if byte == UInt8(ascii: "#") || (byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/")) {
                    if byte == UInt8(ascii: "/") { sawSlashComment = true }
                    while current != nil && current != UInt8(ascii: "\n") { advance() }
                } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                    advance()
                    advance()
                    while current != nil && !(current == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                        advance()
                    }
                    if current != nil {
                        advance()
                        advance()
                    }
                } else {
                    return
                }
            }
        }

        func peek(_ ahead: Int) -> UInt8? { offset + ahead < text.count ? text[offset + ahead] : nil }

        /// Reads `key [=] value [{ ... }]` items until `}` or the end.
        mutating func block(top: Bool) -> [Node] {
            var nodes: [Node] = []
            while true {
                skip(newlines: true)
                guard let byte = current else {
                    if !top && error == nil { error = (line, "a block is not closed with }") }
                    return nodes
                }
                if byte == UInt8(ascii: "}") {
                    if top {
                        if error == nil { error = (line, "} without a block to close") }
                        advance()
                        continue
                    }
                    return nodes
                }
                let keyLine = line
                var key: [UInt8] = []
                while let next = current, next.isASCIIWordByte {
                    key.append(next)
                    advance()
                }
                if key.isEmpty {
                    if error == nil { error = (line, "unexpected \"\(String(decoding: [byte], as: UTF8.self))\"") }
                    advance()
                    continue
                }
                skip(newlines: false)
                if current == UInt8(ascii: "=") {
                    sawEquals = true
                    advance()
                    skip(newlines: false)
                }
                var value: [UInt8] = []
                if let quote = current, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    advance()
                    while let next = current, next != quote, next != UInt8(ascii: "\n") {
                        value.append(next)
                        advance()
                    }
                    if current == quote { advance() }
                } else {
                    while let next = current, next > 0x20, next < 0x7F, next != UInt8(ascii: "{"),
                        next != UInt8(ascii: "}")
                    {
                        value.append(next)
                        advance()
                    }
                }
                skip(newlines: false)
                var children: [Node]?
                if current == UInt8(ascii: "{") {
                    advance()
                    children = block(top: false)
                    if current == UInt8(ascii: "}") { advance() }
                }
                nodes.append(
                    Node(
                        key: String(decoding: key, as: UTF8.self), value: String(decoding: value, as: UTF8.self),
                        line: keyLine, children: children))
            }
        }
    }
}

extension UInt8 {
    /// `[A-Za-z0-9_-]`: the characters of an ndppd option name.
    var isASCIIWordByte: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
            || self == UInt8(ascii: "_") || self == UInt8(ascii: "-")
    }
}
