import Foundation
import NDPWire

/// Collects a block's targets and exclusions from any source (TOML array, targets-file,
/// command line), refusing what could never be answered and reporting duplicates.
public struct TargetEntries: Sendable {
    /// What is answered for.
    public private(set) var targets = TargetTable()
    /// What is never answered for.
    public private(set) var exclude = TargetTable()
    private var targetList: [IPv6Prefix] = []
    private var excludeList: [IPv6Prefix] = []
    /// Names the configuration in messages.
    public let file: String

    /// Starts empty.
    public init(file: String) { self.file = file }

    /// Adds a target given as text; returns the problem, if any.
    public mutating func addTarget(_ text: String) -> String? {
        switch Self.parseEntry(text) {
        case .failure(let message): return message
        case .success(let prefix):
            if let refusal = Self.refusal(for: prefix) { return "\(prefix): \(refusal)" }
            guard targets.insert(prefix) else { return "duplicate target \(prefix)" }
            targetList.append(prefix)
            return nil
        }
    }

    /// Adds an exclusion given as text; returns the problem, if any.
    public mutating func addExclude(_ text: String) -> String? {
        switch Self.parseEntry(text) {
        case .failure(let message): return message
        case .success(let prefix):
            guard exclude.insert(prefix) else { return "duplicate exclude \(prefix)" }
            excludeList.append(prefix)
            return nil
        }
    }

    /// Reads one target per line from `path` ('#' starts a comment; blank lines are skipped).
    /// Returns the problems with their line numbers; at most 20 are listed, then a count.
    public mutating func addTargetsFile(path: String) -> [ConfigurationProblem] {
        guard let data = FileManager.default.contents(atPath: path) else {
            return [ConfigurationProblem(file: path, message: "cannot read targets-file")]
        }
        let bytes = [UInt8](data)
        var problems: [ConfigurationProblem] = []
        var hidden = 0
        targets.reserveExactCapacity(targets.exactCount + bytes.count / 20)
        let span = bytes.span
        var lineStart = 0
        var lineNumber = 0
        while lineStart < span.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < span.count && span[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let next = lineEnd + 1
            // Trim the comment, then surrounding blanks.
            var end = lineStart
            while end < lineEnd && span[end] != UInt8(ascii: "#") { end += 1 }
            var start = lineStart
            while start < end && Self.isBlank(span[start]) { start += 1 }
            while end > start && Self.isBlank(span[end - 1]) { end -= 1 }
            if start < end {
                let field = span.extracting(start..<end)
                var message: String?
                // The common case, a bare address, takes the allocation-free path.
                if let address = IPv6Address(utf8: field) {
                    let prefix = IPv6Prefix(address: address, length: 128)
                    if let refusal = Self.refusal(for: prefix) {
                        message = "\(prefix): \(refusal)"
                    } else if !targets.insert(prefix) {
                        message = "duplicate target \(prefix)"
                    } else {
                        targetList.append(prefix)
                    }
                } else {
                    var text = ""
                    for i in field.indices { text.unicodeScalars.append(Unicode.Scalar(field[i])) }
                    message = addTarget(text)
                }
                if let message {
                    if problems.count < 20 {
                        problems.append(ConfigurationProblem(file: path, line: lineNumber, message: message))
                    } else {
                        hidden += 1
                    }
                }
            }
            lineStart = next
        }
        if hidden > 0 {
            problems.append(ConfigurationProblem(file: path, message: "and \(hidden) more problems like these"))
        }
        return problems
    }

    /// Targets that exclusions make unreachable: the pair (target, exclusion covering it).
    public func conflicts() -> [(IPv6Prefix, IPv6Prefix)] {
        var out: [(IPv6Prefix, IPv6Prefix)] = []
        for target in targetList {
            if target.length == 128 {
                if exclude.containsExact(target.address) {
                    out.append((target, target))
                } else if let covering = exclude.longestPrefix(containing: target.address) {
                    out.append((target, covering))
                }
            } else if let covering = excludeList.first(where: { $0.contains(target) }) {
                out.append((target, covering))
            }
        }
        return out
    }

    @inline(__always)
    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    enum EntryResult {
        case success(IPv6Prefix)
        case failure(String)
    }

    static func parseEntry(_ text: String) -> EntryResult {
        switch IPv6Prefix.parse(text) {
        case .success(let prefix): return .success(prefix)
        case .failure(.badAddress): return .failure("\"\(text)\" is not an IPv6 address or prefix")
        case .failure(.badLength): return .failure("\"\(text)\": prefix length must be 0 to 128")
        case .failure(.hostBitsSet):
            return .failure(
                "\"\(text)\" has host bits set past the prefix length (did you mean \(hostBitsHint(text))?)")
        }
    }

    private static func hostBitsHint(_ text: String) -> String {
        guard case .success(let p) = IPv6Prefix.parse(text.split(separator: "/")[0]),
            let length = Int(text.split(separator: "/").last ?? "")
        else { return "the network address" }
        return IPv6Prefix(address: p.address, length: length).description
    }

    /// Why a target can never be proxied (ARCHITECTURE.md, "Protocol rules"), or nil.
    static func refusal(for prefix: IPv6Prefix) -> String? {
        if prefix.length < 128 && prefix.length < 8 {
            return "prefix shorter than /8 would answer for most of the Internet"
        }
        if prefix.address.isMulticast { return "multicast addresses are never answered for" }
        if prefix.address.isLinkLocal { return "link-local addresses are never answered for" }
        if prefix.length == 128 && prefix.address.isUnspecified { return ":: is never answered for" }
        if prefix.length == 128 && prefix.address == IPv6Address(high: 0, low: 1) { return "::1 is loopback" }
        return nil
    }
}
