import CPrefetch

/// Cache prefetching: the one machine-level hint the engine gives.
///
/// A table too big for the cache costs one memory access per lookup, several times the rest
/// of a decision. Asking for the lines a few
/// solicitations ahead lets those accesses overlap instead of following one another (see
/// `Engine`). The hint changes no result: a line not yet there is simply read later.
public enum Prefetch {
    /// Asks for the cache line that holds the first byte of `bytes` (nothing for an empty span).
    @inlinable @inline(__always)
    public static func read(_ bytes: RawSpan) {
        bytes.withUnsafeBytes { buffer in
            if let base = buffer.baseAddress { ndpd_prefetch(base) }
        }
    }
}
