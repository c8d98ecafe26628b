import NDPPolicy
import NDPWire

/// The output of `ip -6 neigh show proxy`: one `ADDRESS dev IFACE proxy` line per entry of the
/// kernel's proxy table (what `ip -6 neigh add proxy ADDRESS dev IFACE` made).
public enum ProxyNeighbours {
    /// Reads `text` (named `file` in messages) into `result`.
    public static func read(_ text: String, file: String, into result: inout ImportedConfiguration) {
        result.addSource(file, format: "ip -6 neigh show proxy")
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let at = SourceLine(file: file, line: index + 1)
            let words = raw.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = words.first else { continue }
            let line = words.joined(separator: " ")
            guard let dev = words.firstIndex(where: { $0 == "dev" }), dev + 1 < words.count else {
                result.unmapped(at, line, "no `dev IFACE`: not a line of `ip -6 neigh show proxy`")
                continue
            }
            guard words.contains(where: { $0 == "proxy" }) else {
                result.unmapped(at, line, "not a proxy entry (an ordinary neighbour): nothing to answer for")
                continue
            }
            guard let address = IPv6Address(first) else {
                result.unmapped(at, line, "\"\(first)\" is not an IPv6 address")
                continue
            }
            guard let block = result.block(words[dev + 1], at: at, source: line) else { continue }
            result.addTarget(IPv6Prefix(address: address, length: 128), block: block, at: at, source: line)
        }
    }
}
