import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// The process's Linux capabilities, and the one-way drop to CAP_NET_RAW alone.
///
/// ndpd needs CAP_NET_RAW for its captures and packet sockets, including the ones it opens
/// again later when a bridge is deleted and recreated; nothing else. Capabilities are per
/// thread on Linux: the daemon is single-threaded, and drops them from the thread that runs.
public enum Capabilities {
    /// What the drop did.
    public struct DropReport: Sendable, Equatable {
        /// The effective set before, as a bit mask (bit n = capability n).
        public var effectiveBefore: UInt64
        /// The effective set after.
        public var effectiveAfter: UInt64
        /// The permitted set after.
        public var permittedAfter: UInt64
        /// How many capabilities were removed from the bounding set (0 when the process could
        /// not, lacking CAP_SETPCAP: then systemd's CapabilityBoundingSet bounds it).
        public var boundingSetDropped: Int
        /// True if CAP_NET_RAW is still effective (so interfaces can be reopened).
        public var keepsNetRaw: Bool
    }

    /// CAP_NET_RAW's bit.
    public static let netRawBit = UInt64(1) << UInt64(ndpd_cap_net_raw())

    /// The effective and permitted sets now.
    public static func current() throws(IOError) -> (effective: UInt64, permitted: UInt64) {
        var effective: UInt64 = 0
        var permitted: UInt64 = 0
        var inheritable: UInt64 = 0
        guard ndpd_capget(&effective, &permitted, &inheritable) == 0 else { throw .system("capget") }
        return (effective, permitted)
    }

    /// Keeps CAP_NET_RAW (if the process has it) and drops every other capability: from the
    /// bounding set when allowed (so no later exec could regain them), from the ambient,
    /// inheritable, permitted and effective sets always.
    public static func keepOnlyNetRaw() throws(IOError) -> DropReport {
        let before = try current()
        var dropped = 0
        if before.effective & (UInt64(1) << UInt64(ndpd_cap_setpcap())) != 0 {
            // PR_CAPBSET_READ fails with EINVAL past the kernel's last capability.
            var capability: UInt = 0
            while capability < 64 {
                let present = ndpd_prctl(PR_CAPBSET_READ, UInt(capability), 0)
                if present < 0 { break }
                if present == 1 && capability != UInt(ndpd_cap_net_raw()) {
                    guard ndpd_prctl(PR_CAPBSET_DROP, UInt(capability), 0) == 0 else {
                        throw .system("prctl(PR_CAPBSET_DROP, \(capability))")
                    }
                    dropped += 1
                }
                capability += 1
            }
        }
        // Ambient capabilities only matter across execve, which ndpd never does; clear them
        // anyway so the process holds exactly what it uses (EINVAL before Linux 4.3).
        _ = ndpd_prctl(PR_CAP_AMBIENT, UInt(PR_CAP_AMBIENT_CLEAR_ALL), 0)
        let keep = before.permitted & netRawBit
        guard ndpd_capset(keep, keep, 0) == 0 else { throw .system("capset") }
        let after = try current()
        return DropReport(
            effectiveBefore: before.effective, effectiveAfter: after.effective,
            permittedAfter: after.permitted, boundingSetDropped: dropped,
            keepsNetRaw: after.effective & netRawBit != 0)
    }
}
