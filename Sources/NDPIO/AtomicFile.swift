#if canImport(Glibc)
    import Glibc
#endif

/// Writes whole files atomically: readers (a Prometheus node exporter's textfile collector,
/// a test) see the old contents or the new, never a half-written file.
public enum AtomicFile {
    /// Writes `text` to `path + ".tmp"`, then renames it over `path` (rename(2) is atomic
    /// within a file system). Mode 0644.
    public static func write(_ text: String, to path: String) throws(IOError) {
        let temporary = path + ".tmp"
        let fd = retryingOnInterrupt { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw .system("open(\(temporary))") }
        var contents = text
        var failure: IOError?
        contents.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            if writeFully(fd, base, count: bytes.count) != nil { failure = .system("write(\(temporary))") }
        }
        if close(fd) != 0 && failure == nil { failure = .system("close(\(temporary))") }
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let error = IOError.system("rename(\(temporary), \(path))")
            unlink(temporary)
            throw error
        }
    }
}
