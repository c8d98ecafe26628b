#if canImport(Glibc)
    import Glibc
#endif

extension IOError {
    /// True when the call failed for lack of privilege (EPERM or EACCES): without
    /// CAP_NET_RAW no capture or packet socket can be opened, and retrying will not help.
    public var isPermissionDenied: Bool { errno == EPERM || errno == EACCES }
}
