import NDPPolicy
import NDPWire

/// A systemd-networkd `.network` file: `[Match] Name=` names the interface, `[Network]`
/// `IPv6ProxyNDP=` switches the kernel's proxy on and each `IPv6ProxyNDPAddress=` adds one entry
/// to its proxy table (systemd.network(5)).
public enum NetworkdFile {
    /// Reads `text` (named `file` in messages) into `result`.
    public static func read(_ text: String, file: String, into result: inout ImportedConfiguration) {
        result.addSource(file, format: "systemd-networkd")
        func at(_ line: Int) -> SourceLine { SourceLine(file: file, line: line) }
        var section = ""
        var names: [(String, Int)] = []
        var proxy: (Bool, Int)?
        var addresses: [(String, Int)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingBlanks()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingBlanks()
            let value = line[line.index(after: equals)...].trimmingBlanks()
            switch (section, key) {
            case ("Match", "Name"):
                // An empty assignment resets the list (systemd.syntax(7)).
                if value.isEmpty {
                    names = []
                } else {
                    names += value.split(separator: " ").map { (String($0), index + 1) }
                }
            case ("Network", "IPv6ProxyNDP"):
                if let flag = boolean(value) {
                    proxy = (flag, index + 1)
                } else {
                    result.warn(at(index + 1), "IPv6ProxyNDP=\(value) is not a boolean: networkd ignores it")
                }
            case ("Network", "IPv6ProxyNDPAddress"):
                if value.isEmpty {
                    addresses = []
                } else {
                    addresses += value.split(separator: " ").map { (String($0), index + 1) }
                }
            default:
                continue
            }
        }
        guard !addresses.isEmpty || proxy?.0 == true else { return }
        guard names.count == 1, let (name, nameLine) = names.first,
            !name.contains(where: { "*?[!".contains($0) })
        else {
            let what = names.isEmpty ? "no [Match] Name=" : "[Match] Name=\(names.map(\.0).joined(separator: " "))"
            result.unmapped(
                at(names.first?.1 ?? 1), what,
                "ndpd needs one block per interface, named exactly; write one [[proxy]] per interface this matches")
            return
        }
        if let proxy, !proxy.0 {
            for (text, line) in addresses {
                result.unmapped(
                    at(line), "IPv6ProxyNDPAddress=\(text)",
                    "IPv6ProxyNDP=no (line \(proxy.1)): networkd adds no proxy entry")
            }
            return
        }
        guard let block = result.block(name, at: at(nameLine), source: "Name=\(name)") else { return }
        if addresses.isEmpty, let proxy {
            result.unmapped(
                at(proxy.1), "IPv6ProxyNDP=yes",
                "without IPv6ProxyNDPAddress= the kernel answers only for entries added elsewhere; "
                    + "import `ip -6 neigh show proxy` too", block: block)
        }
        for (text, line) in addresses {
            guard let address = IPv6Address(text) else {
                result.unmapped(
                    at(line), "IPv6ProxyNDPAddress=\(text)", "not an IPv6 address: networkd ignores it", block: block)
                continue
            }
            result.addTarget(
                IPv6Prefix(address: address, length: 128), block: block, at: at(line),
                source: "IPv6ProxyNDPAddress=\(text)")
        }
    }

    /// systemd's boolean words (parse_boolean).
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "yes", "y", "true", "t", "on": return true
        case "0", "no", "n", "false", "f", "off": return false
        default: return nil
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !blank($0) }), let end = lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
