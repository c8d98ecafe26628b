#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` and a newline to standard error, unbuffered, in one write(2).
public func writeStandardError(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = retryingOnInterrupt { write(2, bytes.baseAddress! + offset, bytes.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }
}
