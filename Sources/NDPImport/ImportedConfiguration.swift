import NDPPolicy
import NDPWire

/// Where something in a source file was: the file as named to `ndpd import`, and a 1-based line.
public struct SourceLine: Hashable, Sendable, CustomStringConvertible {
    /// The file, as given on the command line (`-` for standard input).
    public var file: String
    /// The 1-based line number.
    public var line: Int

    /// Creates a location.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One `[[proxy]]` block being imported: what mapped, and comments for what did not.
public struct ImportedBlock: Sendable {
    /// The interface where solicitations arrive (ndppd's `proxy`, npd6's `interface`, ...).
    public var interface: String
    /// Targets, in source order, without duplicates.
    public var targets: [IPv6Prefix] = []
    /// Exclusions (npd6's blacklist), in source order, without duplicates.
    public var exclude: [IPv6Prefix] = []
    /// The R flag, when the source set it.
    public var router: Bool?
    /// The guest interfaces of a live block (README, "Live mode"); empty for a static block.
    public var guestInterfaces: [String] = []
    /// True for a live block whose guests are where the kernel's routes lead
    /// (`guest-interfaces = "routes"`: ndppd's `auto`).
    public var followsRoutes = false
    /// True for a live block, on named interfaces or on the routes.
    public var isLive: Bool { followsRoutes || !guestInterfaces.isEmpty }
    /// `#` comments written inside the block: what the source said that did not map, and why.
    public var notes: [String] = []

    /// An empty block for `interface`.
    public init(interface: String) { self.interface = interface }
}

/// The result of importing one or more files: blocks, comments and warnings. `render()` writes
/// it as ndpd.toml; whatever did not map is a `#` comment there and a warning here.
public struct ImportedConfiguration: Sendable {
    /// The blocks, in the order their interfaces first appeared.
    public private(set) var blocks: [ImportedBlock] = []
    /// `#` comments written before the first block: what applied to no single interface.
    public private(set) var notes: [String] = []
    /// Warnings for standard error, `file:line: message`, in the order they arose.
    public private(set) var warnings: [String] = []
    /// The sources read, for the header: "file (format)".
    public private(set) var sources: [String] = []

    /// An empty import.
    public init() {}

    /// Records that `file` was read as `format`.
    public mutating func addSource(_ file: String, format: String) { sources.append("\(file) (\(format))") }

    /// The index of the block for `interface`, created if new (two source sections for the same
    /// interface become one block, since ndpd allows one block per interface).
    /// Nil, with a comment and a warning, if `interface` is not a name Linux accepts.
    public mutating func block(_ interface: String, at: SourceLine, source: String) -> Int? {
        guard Self.isInterfaceName(interface) else {
            unmapped(at, source, "\"\(interface)\" is not an interface name Linux accepts")
            return nil
        }
        if let index = blocks.firstIndex(where: { $0.interface == interface }) { return index }
        blocks.append(ImportedBlock(interface: interface))
        return blocks.count - 1
    }

    /// True if `name` is an interface name Linux accepts: IFNAMSIZ - 1 bytes, no '/', ':' or
    /// white space (what `ndpd check` accepts too).
    static func isInterfaceName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 15 && name != "." && name != ".."
            && !name.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace })
            && name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" })
    }

    /// A warning on standard error only (a quirk of the source that ndpd does not share, but
    /// that the output handles).
    public mutating func warn(_ at: SourceLine, _ message: String) { warnings.append("\(at): \(message)") }

    /// Something that does not map: a comment in the output (in `block`'s, or the header) that
    /// quotes the source and says why, and the same as a warning.
    public mutating func unmapped(_ at: SourceLine, _ source: String, _ reason: String, block: Int? = nil) {
        let note = Self.commentSafe("\(at): \(source): \(reason)")
        if let block { blocks[block].notes.append(note) } else { notes.append(note) }
        warnings.append("\(at): not imported: \(source): \(reason)")
    }

    /// A comment only, for what maps to ndpd's fixed behaviour and so needs no key.
    public mutating func remark(_ at: SourceLine, _ source: String, _ remark: String, block: Int? = nil) {
        let note = Self.commentSafe("\(at): \(source): \(remark)")
        if let block { blocks[block].notes.append(note) } else { notes.append(note) }
    }

    /// `text` with control characters replaced by `?`: a TOML comment may hold none but tab.
    static func commentSafe(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }

    /// Adds `prefix` as a target of `block`, unless ndpd would refuse it (`ndpd check` rejects
    /// link-local, multicast and `::` targets, README "Configuration"); a duplicate is dropped.
    public mutating func addTarget(_ prefix: IPv6Prefix, block: Int, at: SourceLine, source: String) {
        if let reason = Self.refusal(prefix) {
            unmapped(at, source, reason, block: block)
        } else if !blocks[block].targets.contains(prefix) {
            blocks[block].targets.append(prefix)
        } else {
            warn(at, "\(prefix) is listed twice for \(blocks[block].interface); imported once")
        }
    }

    /// Adds `prefix` as a target of live block `block`, whose guests are on `guestInterface`,
    /// or with nil where the kernel's routes lead (`guest-interfaces = "routes"`). A block has
    /// one kind of guest interfaces: a target of the other kind does not map.
    public mutating func addLiveTarget(
        _ prefix: IPv6Prefix, guestInterface: String?, block: Int, at: SourceLine, source: String
    ) {
        if let guestInterface, !Self.isInterfaceName(guestInterface) {
            unmapped(at, source, "\"\(guestInterface)\" is not an interface name Linux accepts", block: block)
            return
        }
        // Live mode answers a /128 target at once, without a probe (README, "Live mode"): such
        // a rule would answer more than it did.
        guard prefix.length < 128 else {
            unmapped(
                at, source,
                "ndpd's live mode answers a single address (/128) at once, without a probe; add \(prefix.address) "
                    + "to targets if it should be answered always", block: block)
            return
        }
        let followsRoutes = guestInterface == nil
        guard !blocks[block].isLive || blocks[block].followsRoutes == followsRoutes else {
            unmapped(
                at, source,
                "iface and auto rules cannot share a block: ndpd's one block per interface finds its guests either on "
                    + "named interfaces or through the kernel's routes; guest-interfaces = \"routes\" would serve this "
                    + "prefix too, and the iface rules' prefixes wherever the kernel routes them to their interface",
                block: block)
            return
        }
        addTarget(prefix, block: block, at: at, source: source)
        guard blocks[block].targets.contains(prefix) else { return }
        if let guestInterface {
            if !blocks[block].guestInterfaces.contains(guestInterface) {
                blocks[block].guestInterfaces.append(guestInterface)
            }
            remark(at, source, "live mode: answered once a guest on \(guestInterface) holds the address", block: block)
        } else {
            blocks[block].followsRoutes = true
            remark(
                at, source,
                "live mode: answered once a guest holds the address on the interface the kernel routes it to",
                block: block)
        }
    }

    /// Takes `prefix` out of `block`'s targets, with a comment and a warning saying why.
    public mutating func removeTarget(_ prefix: IPv6Prefix, block: Int, at: SourceLine, source: String, reason: String)
    {
        guard let index = blocks[block].targets.firstIndex(of: prefix) else { return }
        blocks[block].targets.remove(at: index)
        unmapped(at, source, reason, block: block)
    }

    /// Sets the R flag of `block`.
    public mutating func setRouter(_ router: Bool, block: Int) { blocks[block].router = router }

    /// Adds `prefix` as an exclusion of `block`; a duplicate is dropped.
    public mutating func addExclude(_ prefix: IPv6Prefix, block: Int) {
        if !blocks[block].exclude.contains(prefix) { blocks[block].exclude.append(prefix) }
    }

    /// Why ndpd refuses `prefix` as a target, if it does.
    static func refusal(_ prefix: IPv6Prefix) -> String? {
        let address = prefix.address
        if address.isUnspecified && prefix.length == 128 {
            return "ndpd never answers for :: (the unspecified address)"
        }
        if address.isMulticast { return "ndpd never answers for multicast targets (RFC 4861 §7.1.1 drops such NS)" }
        if address.isLinkLocal { return "ndpd never answers for link-local targets: each host answers for its own" }
        return nil
    }

    /// The blocks that hold at least one target: only these are written as TOML.
    public var answeringBlocks: [ImportedBlock] { blocks.filter { !$0.targets.isEmpty } }

    /// The configuration as ndpd.toml text. Blocks left without targets are written as
    /// comments, since `ndpd check` refuses a block that answers for nothing.
    public func render() -> String {
        var out: [String] = []
        out.append("# ndpd.toml written by `ndpd import` from:")
        for source in sources { out.append("#   \(source)") }
        out.append("# Check it with `ndpd check --config FILE`; see ndpd.toml(5) for every key.")
        if answeringBlocks.isEmpty {
            out.append("# Nothing could be imported as a target: ndpd would answer for nothing.")
        }
        if !notes.isEmpty {
            out.append("#")
            out.append("# Not imported:")
            out += notes.map { "# \($0)" }
        }
        for block in blocks {
            out.append("")
            let live = !block.targets.isEmpty
            let prefix = live ? "" : "# "
            if !live {
                out.append("# No target for \(block.interface) could be imported, so its block stays a comment:")
            }
            out.append("\(prefix)[[proxy]]")
            out.append("\(prefix)interface = \(quoted(block.interface))")
            if !block.targets.isEmpty {
                out.append("targets = [")
                out += block.targets.map { "  \(quoted($0.description))," }
                out.append("]")
            }
            if !block.exclude.isEmpty {
                out.append("\(prefix)exclude = [")
                out += block.exclude.map { "\(prefix)  \(quoted($0.description))," }
                out.append("\(prefix)]")
            }
            if let router = block.router { out.append("\(prefix)router = \(router)") }
            if block.isLive {
                out.append("\(prefix)mode = \"live\"")
                let guests =
                    block.followsRoutes
                    ? "\"routes\"" : "[\(block.guestInterfaces.map(quoted).joined(separator: ", "))]"
                out.append("\(prefix)guest-interfaces = \(guests)")
            }
            out += block.notes.map { "# \($0)" }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A TOML basic string (TOML 1.0, "String"): quote, backslash and control characters escaped.
    func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
