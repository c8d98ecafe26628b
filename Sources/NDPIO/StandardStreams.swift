#if canImport(Glibc)
    import Glibc
#endif

/// Writes `text` and a newline to standard error, unbuffered, in one write(2).
public func writeStandardError(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { bytes in
        // Nothing to do about a standard error that cannot be written to.
        _ = bytes.baseAddress.map { writeFully(2, $0, count: bytes.count) }
    }
}
