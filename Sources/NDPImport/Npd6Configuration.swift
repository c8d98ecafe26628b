import NDPPolicy
import NDPWire

/// npd6's configuration file, `/etc/npd6.conf`: `key=value` lines, read as npd6's readConfig
/// reads them (all whitespace removed, split at `=`, exact key names, other lines skipped).
public enum Npd6Configuration {
    /// Reads `text` (named `file` in messages) into `result`.
    public static func read(_ text: String, file: String, into result: inout ImportedConfiguration) {
        result.addSource(file, format: "npd6")
        func at(_ line: Int) -> SourceLine { SourceLine(file: file, line: line) }
        var prefixes: [(prefix: IPv6Prefix, line: Int, text: String)] = []
        var interfaces: [(name: String, line: Int)] = []
        var listType = "none"
        var list: [(address: IPv6Address, line: Int, text: String)] = []
        var router: (Bool, Int)?
        var deferred: [(line: Int, source: String, reason: String, warn: Bool)] = []

        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = String(raw.filter { !$0.isWhitespace })
            if line.isEmpty || line.hasPrefix("//") || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", omittingEmptySubsequences: true)
            guard parts.count >= 2 else {
                result.warn(at(number), "npd6 skips this line (no key=value): \(line)")
                continue
            }
            let key = String(parts[0])
            let value = String(parts[1])
            let source = "\(key)=\(value)"
            switch key {
            case "prefix":
                if let prefix = parsePrefix(value) {
                    result.warn(
                        at(number),
                        "npd6 reads the prefix string \"\(value)\" as \(prefix): it pads each group to 4 digits, "
                            + "an empty group (::) to one group of zeros, and counts 16 bits per group written unless "
                            + "/length says otherwise; imported as \(prefix)")
                    prefixes.append((prefix, number, source))
                } else {
                    deferred.append(
                        (
                            number, source,
                            "npd6 reads a prefix only as groups each ended by a colon (2001:db8:1:2: for a /64), "
                                + "optionally with /length; it refuses this one and does not start", true
                        ))
                }
            case "interface":
                interfaces.append((value, number))
            case "listtype":
                if ["none", "black", "white"].contains(value) {
                    listType = value
                } else {
                    result.warn(at(number), "listtype \"\(value)\" is not none, black or white: npd6 uses none")
                    listType = "none"
                }
            case "addrlist":
                if let address = IPv6Address(value) {
                    list.append((address, number, source))
                } else {
                    result.warn(at(number), "addrlist \"\(value)\" is not an IPv6 address: npd6 skips it")
                }
            case "routerNA":
                if value == "true" || value == "false" {
                    router = (value == "true", number)
                } else {
                    deferred.append((number, source, "not true or false: npd6 refuses it and does not start", true))
                }
            case "linkOption":
                deferred.append(
                    (
                        number, source,
                        value == "false"
                            ? "npd6 leaves the Target Link-Layer Address option out of answers to unicast NS; ndpd always "
                                + "includes it (RFC 4861 §7.2.4 allows it, and the solicitor needs it without a cached entry)"
                            : "ndpd always includes the Target Link-Layer Address option", value == "false"
                    ))
            case "ignoreLocal":
                deferred.append(
                    (
                        number, source,
                        value == "false"
                            ? "npd6 would answer for the host's own addresses; ndpd never does (the kernel answers them)"
                            : "ndpd always leaves the host's own addresses to the kernel", value == "false"
                    ))
            case "maxHops":
                deferred.append(
                    (
                        number, source,
                        value == "255"
                            ? "ndpd always sends hop limit 255"
                            : "ndpd always sends hop limit 255: RFC 4861 §7.1.2 makes receivers drop any other",
                        value != "255"
                    ))
            case "collectTargets":
                deferred.append(
                    (
                        number, source,
                        "ndpd has no target collection; its counters (SIGUSR1, --metrics-file) "
                            + "and `ndpd --replay` on a capture show what is asked", value != "0"
                    ))
            case "listlogging", "ralogging":
                deferred.append(
                    (
                        number, source,
                        value == "off"
                            ? "ndpd logs neither list matches nor Router Advertisements"
                            : "ndpd does not log list matches or Router Advertisements; `--log-level debug` logs every decision",
                        value != "off"
                    ))
            case "pollErrorLimit":
                deferred.append(
                    (
                        number, source,
                        "ndpd never stops on capture errors: it follows the interface "
                            + "through netlink and reopens it", true
                    ))
            case "exprlist":
                deferred.append(
                    (number, source, "ndpd has no address expressions; list the addresses or prefixes as targets", true)
                )
            default:
                result.warn(at(number), "npd6 skips the unknown key \"\(key)\"")
            }
        }

        // npd6 pairs each prefix with an interface; a file with one of each is the common case.
        var pairs: [(prefix: IPv6Prefix, prefixLine: Int, text: String, interface: String, interfaceLine: Int)] = []
        if prefixes.count == interfaces.count {
            for (prefix, interface) in zip(prefixes, interfaces) {
                pairs.append((prefix.prefix, prefix.line, prefix.text, interface.name, interface.line))
            }
        } else if let prefix = prefixes.last, let interface = interfaces.last {
            result.warn(
                at(prefix.line),
                "\(prefixes.count) prefix and \(interfaces.count) interface lines: "
                    + "npd6 keeps the last of each; imported as \(prefix.prefix) on \(interface.name)")
            pairs.append((prefix.prefix, prefix.line, prefix.text, interface.name, interface.line))
        }
        if pairs.isEmpty {
            result.unmapped(
                at(1), "npd6.conf",
                prefixes.isEmpty
                    ? "no usable prefix= line: npd6 does not start"
                    : "no interface= line: npd6 does not start")
        }
        var firstBlock: Int?
        for pair in pairs {
            guard
                let block = result.block(
                    pair.interface, at: at(pair.interfaceLine),
                    source: "interface=\(pair.interface)")
            else { continue }
            if firstBlock == nil { firstBlock = block }
            if let router { result.setRouter(router.0, block: block) }
            switch listType {
            case "white":
                // Whitelist: only the listed addresses inside the prefix are answered.
                for entry in list {
                    let target = IPv6Prefix(address: entry.address, length: 128)
                    if pair.prefix.contains(entry.address) {
                        result.addTarget(target, block: block, at: at(entry.line), source: entry.text)
                    } else {
                        result.unmapped(
                            at(entry.line), entry.text, "outside \(pair.prefix): npd6 never answered it", block: block)
                    }
                }
                result.remark(
                    at(pair.prefixLine), pair.text, "listtype=white: only the addrlist entries are targets",
                    block: block)
            case "black":
                result.addTarget(pair.prefix, block: block, at: at(pair.prefixLine), source: pair.text)
                for entry in list where pair.prefix.contains(entry.address) {
                    result.addExclude(IPv6Prefix(address: entry.address, length: 128), block: block)
                }
                for entry in list where !pair.prefix.contains(entry.address) {
                    result.unmapped(
                        at(entry.line), entry.text, "outside \(pair.prefix): excluding it changes nothing", block: block
                    )
                }
            default:
                result.addTarget(pair.prefix, block: block, at: at(pair.prefixLine), source: pair.text)
                for entry in list {
                    result.unmapped(
                        at(entry.line), entry.text, "listtype is none, so npd6 ignored this entry", block: block)
                }
            }
        }
        for item in deferred {
            if item.warn {
                result.unmapped(at(item.line), item.source, item.reason, block: firstBlock)
            } else {
                result.remark(at(item.line), item.source, item.reason, block: firstBlock)
            }
        }
    }

    /// npd6's reading of a `prefix=` value (its config.c and prefixset()): an optional `/length`
    /// is cut off; each colon-separated slot of 5 characters is padded to 4 digits by inserting
    /// zeros at its start (so an empty group, as in `::`, becomes `0000`); the padded length then
    /// gives 16 bits per group; the `/length`, if any, wins over that.
    static func parsePrefix(_ text: String) -> IPv6Prefix? {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        var px = Array(parts[0].utf8)
        let colon = UInt8(ascii: ":")
        // INET6_ADDRSTRLEN: npd6's buffer; longer strings overflow it.
        let bufferSize = 46
        guard px.count < bufferSize else { return nil }
        for c1 in stride(from: 0, to: bufferSize, by: 5) {
            var c2 = 0
            while c2 < 4, !(c1 + c2 < px.count && px[c1 + c2] == colon) { c2 += 1 }
            if c2 < 4 { px.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: 4 - c2), at: c1) }
            guard px.count < bufferSize else { return nil }
        }
        if px.count >= 2 && px[px.count - 1] == colon && px[px.count - 2] == colon { px.removeLast() }
        let groups: Int
        switch px.count {
        case 5, 10, 15, 20, 25, 30, 35: groups = px.count / 5
        case 39: groups = 8
        default: return nil
        }
        let padded = String(decoding: px, as: UTF8.self)
        let words = padded.split(separator: ":", omittingEmptySubsequences: false).prefix(groups)
        guard words.count == groups, words.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isHexDigit) }) else {
            return nil
        }
        let written = words.joined(separator: ":") + (groups == 8 ? "" : groups == 7 ? ":0" : "::")
        guard let address = IPv6Address(written) else { return nil }
        var length = groups * 16
        if parts.count == 2 {
            // atoi(): leading digits, anything else ends the number.
            guard let value = Int(parts[1].prefix { $0.isASCII && $0.isWholeNumber }), (0...128).contains(value) else {
                return nil
            }
            length = value
        }
        return IPv6Prefix(address: address, length: length)
    }
}
