extension NetlinkWatcher {
    /// Interfaces: reads every pending notification without blocking. Returns true if any
    /// arrived, or if some were lost (ENOBUFS): either way the facts must be read again.
    ///
    /// The messages themselves are not decoded: any notification means "read the facts of the
    /// served interfaces again", which is cheap and cannot get out of step with the kernel, even
    /// when the kernel dropped notifications because the socket's queue was full.
    public func drainInterfaceChanges() -> Bool {
        let (received, lost) = drain { _ in }
        return received || lost
    }
}
