import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// An rtnetlink socket subscribed to link and IPv6 address changes (RTMGRP_LINK |
/// RTMGRP_IPV6_IFADDR): it becomes readable when an interface goes up or down, is created
/// or deleted, changes its MAC, or gains or loses an IPv6 address.
///
/// The messages themselves are not decoded: any notification means "read the facts of the
/// served interfaces again", which is cheap and cannot get out of step with the kernel, even
/// when the kernel dropped notifications because the socket's queue was full (ENOBUFS).
public final class InterfaceWatcher {
    private let subscription: NetlinkSubscription

    /// The socket, for the event poll.
    public var descriptor: Int32 { subscription.descriptor }

    /// Opens and subscribes the socket.
    public init() throws(IOError) {
        subscription = try NetlinkSubscription(
            groups: ndpd_rtnetlink_groups(), named: "RTMGRP_LINK | RTMGRP_IPV6_IFADDR", bufferSize: 16_384)
    }

    /// Reads every pending notification without blocking. Returns true if any arrived, or
    /// if some were lost (ENOBUFS): either way the facts must be read again.
    public func drain() -> Bool {
        let (received, lost) = subscription.drain { _ in }
        return received || lost
    }
}
