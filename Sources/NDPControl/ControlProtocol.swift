/// The control socket's protocol (README, "Control socket"): the client sends one request line,
/// the daemon answers with one reply and closes the connection.
///
/// A request is at most `ControlRequest.maximumLength` bytes of printable ASCII ending in a line
/// feed: `status`, `status json`, `status live`, `status live json` or `reload`. A reply starts with the line `ok` or `error`; the
/// rest is the text to print. Both sides are bounded in size and time, so a client can neither
/// hold the daemon nor make it read without end.
public enum ControlRequest: Equatable, Sendable {
    /// The daemon's state: interfaces, rules, counters; as text or as one JSON object. With
    /// `live`, also every address of each live table, with its MAC, state and age.
    case status(json: Bool, live: Bool = false)
    /// Reload the configuration file and answer with the result.
    case reload

    /// The longest request line, line feed included.
    public static let maximumLength = 64

    /// Why a request was refused.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// More than `maximumLength` bytes without a line feed.
        case tooLong
        /// A byte that is not printable ASCII before the line feed.
        case notText
        /// No line feed yet: the request is incomplete.
        case incomplete
        /// A line that is no request of this protocol.
        case unknown(String)

        public var description: String {
            switch self {
            case .tooLong: return "request longer than \(ControlRequest.maximumLength) bytes"
            case .notText: return "request is not printable ASCII"
            case .incomplete: return "request not ended by a line feed"
            case .unknown(let line):
                return "unknown request \"\(line)\" (known: status, status json, status live, status live json, reload)"
            }
        }
    }

    /// Parses the bytes a client sent so far: a request once a whole line arrived, `.incomplete`
    /// before, or why it can never become one. Bytes after the line feed are ignored.
    public static func parse(_ bytes: some Collection<UInt8>) -> Result<ControlRequest, ParseError> {
        var line: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                return request(line)
            }
            guard line.count + 1 < maximumLength else { return .failure(.tooLong) }
            guard byte >= 0x20 && byte < 0x7F || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") else {
                return .failure(.notText)
            }
            line.append(byte)
        }
        return .failure(.incomplete)
    }

    static func request(_ line: [UInt8]) -> Result<ControlRequest, ParseError> {
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: {
            $0 == " " || $0 == "\t" || $0 == "\r"
        })
        switch words {
        case ["status"]: return .success(.status(json: false))
        case ["status", "json"]: return .success(.status(json: true))
        case ["status", "live"]: return .success(.status(json: false, live: true))
        case ["status", "live", "json"]: return .success(.status(json: true, live: true))
        case ["reload"]: return .success(.reload)
        default: return .failure(.unknown(words.joined(separator: " ")))
        }
    }

    /// The request as the client sends it.
    public var line: String {
        switch self {
        case .status(let json, let live): return "status" + (live ? " live" : "") + (json ? " json" : "") + "\n"
        case .reload: return "reload\n"
        }
    }
}

/// The daemon's answer to one request.
public struct ControlReply: Equatable, Sendable {
    /// Whether the request succeeded (`ndpd status` and `ndpd reload` exit 0 if so, else 1).
    public var ok: Bool
    /// The text to print.
    public var body: String

    /// Creates a reply.
    public init(ok: Bool, body: String) {
        self.ok = ok
        self.body = body
    }

    /// The longest reply a client reads; a longer one is cut there.
    public static let maximumLength = 4 << 20

    /// The reply on the wire: `ok` or `error`, a line feed, the body.
    public var bytes: [UInt8] { Array(((ok ? "ok\n" : "error\n") + body).utf8) }

    /// Decodes what the daemon sent; nil if it is not a reply.
    public init?(bytes: some Collection<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("ok\n") {
            self.init(ok: true, body: String(text.dropFirst(3)))
        } else if text.hasPrefix("error\n") {
            self.init(ok: false, body: String(text.dropFirst(6)))
        } else {
            return nil
        }
    }
}
