/// One thing wrong with a configuration, located as precisely as the source allows.
public struct ConfigurationProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file (or `command line`).
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// The key involved (`proxy[1].targets`), when there is one.
    public var key: String?
    /// What is wrong, in words an administrator can act on.
    public var message: String

    /// Creates a problem.
    public init(file: String, line: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: key: message`, the form editors and grep understand.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key): " }
        return text + message
    }
}

/// Every problem found while loading a configuration (loading never stops at the first).
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var problems: [ConfigurationProblem]

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
