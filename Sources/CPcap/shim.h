// The C surface NDPIO needs: libpcap, and the Linux packet-socket and netlink definitions
// that Glibc's Swift overlay does not import on its own.
#ifndef NDPD_CPCAP_SHIM_H
#define NDPD_CPCAP_SHIM_H

#include <pcap/pcap.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>
#include <stddef.h>

/// A zeroed sockaddr_ll for `ifindex`, protocol in network order: Swift cannot name the
/// unions and flexible arrays of <linux/if_packet.h> comfortably, so it is built here.
static inline struct sockaddr_ll ndpd_sockaddr_ll(int ifindex, unsigned short protocol_be) {
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = protocol_be;
    sll.sll_ifindex = ifindex;
    return sll;
}

/// A packet_mreq asking for every multicast frame on `ifindex` (PACKET_MR_ALLMULTI): the
/// membership is the socket's and ends with it, unlike the interface's IFF_ALLMULTI flag.
static inline struct packet_mreq ndpd_allmulti_mreq(int ifindex) {
    struct packet_mreq mreq;
    memset(&mreq, 0, sizeof mreq);
    mreq.mr_ifindex = ifindex;
    mreq.mr_type = PACKET_MR_ALLMULTI;
    return mreq;
}

#include <poll.h>
#include <signal.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/syscall.h>

/// The ifreq for `name` (truncated to IFNAMSIZ - 1): its union is awkward from Swift.
static inline int ndpd_ifreq_name(struct ifreq *ifr, const char *name) {
    memset(ifr, 0, sizeof *ifr);
    size_t length = strlen(name);
    if (length >= IFNAMSIZ) { errno = ENAMETOOLONG; return -1; }
    memcpy(ifr->ifr_name, name, length);
    return 0;
}

/// SIOCGIFHWADDR on `fd` (any socket): the interface's hardware address into `out[6]` and its
/// ARPHRD type into `*hardware_type`. Returns the ioctl's result (errno set on failure).
static inline int ndpd_get_hwaddr(int fd, const char *name, unsigned char out[6], int *hardware_type) {
    struct ifreq ifr;
    if (ndpd_ifreq_name(&ifr, name) != 0) return -1;
    int result = ioctl(fd, SIOCGIFHWADDR, &ifr);
    if (result == 0) {
        memcpy(out, ifr.ifr_hwaddr.sa_data, 6);
        *hardware_type = ifr.ifr_hwaddr.sa_family;
    }
    return result;
}

/// SIOCGIFFLAGS on `fd`: the interface's flags into `*flags`.
static inline int ndpd_get_ifflags(int fd, const char *name, int *flags) {
    struct ifreq ifr;
    if (ndpd_ifreq_name(&ifr, name) != 0) return -1;
    int result = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (result == 0) *flags = ifr.ifr_flags;
    return result;
}

/// SIOCGIFMTU on `fd`: the interface's MTU into `*mtu`.
static inline int ndpd_get_mtu(int fd, const char *name, int *mtu) {
    struct ifreq ifr;
    if (ndpd_ifreq_name(&ifr, name) != 0) return -1;
    int result = ioctl(fd, SIOCGIFMTU, &ifr);
    if (result == 0) *mtu = ifr.ifr_mtu;
    return result;
}

/// The 16 address bytes of an AF_INET6 sockaddr (getifaddrs entries), or NULL for another family.
static inline const unsigned char *ndpd_sockaddr_in6_bytes(const struct sockaddr *address) {
    if (address == NULL || address->sa_family != AF_INET6) return NULL;
    return ((const struct sockaddr_in6 *)address)->sin6_addr.s6_addr;
}

/// A sockaddr_nl listening to `groups` (RTMGRP_* bits).
static inline struct sockaddr_nl ndpd_sockaddr_nl(unsigned int groups) {
    struct sockaddr_nl snl;
    memset(&snl, 0, sizeof snl);
    snl.nl_family = AF_NETLINK;
    snl.nl_groups = groups;
    return snl;
}

/// The multicast groups ndpd's interface watcher joins: link changes (up, down, created,
/// deleted, MAC changed) and IPv6 address changes.
static inline unsigned int ndpd_rtnetlink_groups(void) { return RTMGRP_LINK | RTMGRP_IPV6_IFADDR; }

// ---------------------------------------------------------------------------------------
// Signals: the self-pipe. The handler only writes the signal number to a non-blocking pipe
// (write(2) is async-signal-safe); every piece of work happens in the poll loop that reads it.

/// The pipe's write end; -1 until ndpd_signal_pipe_install. Only the handler below reads it.
static volatile int ndpd_signal_pipe_write_fd = -1;

static void ndpd_signal_pipe_handler(int signal_number) {
    int saved = errno;
    unsigned char byte = (unsigned char)signal_number;
    if (ndpd_signal_pipe_write_fd >= 0) (void)write(ndpd_signal_pipe_write_fd, &byte, 1);
    errno = saved;
}

/// Routes `signal_number` to the pipe whose write end is `write_fd` (SA_RESTART, so only
/// poll(2) sees EINTR). Returns sigaction's result.
static inline int ndpd_signal_pipe_install(int write_fd, int signal_number) {
    ndpd_signal_pipe_write_fd = write_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ndpd_signal_pipe_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(signal_number, &action, NULL);
}

/// Puts `signal_number` back to its default action.
static inline int ndpd_signal_default(int signal_number) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    return sigaction(signal_number, &action, NULL);
}

/// Ignores `signal_number` (SIGPIPE: a failed write is an error return, not a death).
static inline int ndpd_signal_ignore(int signal_number) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_IGN;
    sigemptyset(&action.sa_mask);
    return sigaction(signal_number, &action, NULL);
}

// ---------------------------------------------------------------------------------------
// Capabilities (capget/capset have no glibc wrapper: raw syscalls, version 3 = 64 bits).

/// Reads the effective, permitted and inheritable sets (64-bit masks).
static inline int ndpd_capget(unsigned long long *effective, unsigned long long *permitted,
                              unsigned long long *inheritable) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    int result = (int)syscall(SYS_capget, &header, data);
    if (result == 0) {
        *effective = (unsigned long long)data[0].effective | ((unsigned long long)data[1].effective << 32);
        *permitted = (unsigned long long)data[0].permitted | ((unsigned long long)data[1].permitted << 32);
        *inheritable = (unsigned long long)data[0].inheritable | ((unsigned long long)data[1].inheritable << 32);
    }
    return result;
}

/// Sets the effective, permitted and inheritable sets (64-bit masks) of this thread.
static inline int ndpd_capset(unsigned long long effective, unsigned long long permitted,
                              unsigned long long inheritable) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    data[0].effective = (unsigned int)effective;
    data[1].effective = (unsigned int)(effective >> 32);
    data[0].permitted = (unsigned int)permitted;
    data[1].permitted = (unsigned int)(permitted >> 32);
    data[0].inheritable = (unsigned int)inheritable;
    data[1].inheritable = (unsigned int)(inheritable >> 32);
    return (int)syscall(SYS_capset, &header, data);
}

/// prctl with integer arguments (prctl is variadic, which Swift cannot call).
static inline int ndpd_prctl(int option, unsigned long a2, unsigned long a3) {
    return prctl(option, a2, a3, 0UL, 0UL);
}

/// CAP_NET_RAW's number, CAP_SETPCAP's number, and the highest the headers know.
static inline int ndpd_cap_net_raw(void) { return CAP_NET_RAW; }
static inline int ndpd_cap_setpcap(void) { return CAP_SETPCAP; }

/// fcntl(F_GETFL/F_SETFL) helpers (fcntl is variadic).
static inline int ndpd_set_nonblocking_cloexec(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -1;
    int fdflags = fcntl(fd, F_GETFD);
    if (fdflags < 0 || fcntl(fd, F_SETFD, fdflags | FD_CLOEXEC) < 0) return -1;
    return 0;
}

/// A sockaddr_un for `path` in `*out`; its length, or -1 if the path does not fit sun_path.
static inline int ndpd_sockaddr_un(const char *path, struct sockaddr_un *out) {
    size_t length = strlen(path);
    memset(out, 0, sizeof(*out));
    if (length == 0 || length >= sizeof(out->sun_path)) return -1;
    out->sun_family = AF_UNIX;
    memcpy(out->sun_path, path, length);
    return (int)(offsetof(struct sockaddr_un, sun_path) + length + 1);
}

/// The user id of the process at the other end of the Unix socket `fd` (SO_PEERCRED): 0 on
/// success, -1 with errno set. struct ucred needs _GNU_SOURCE, which Swift's Glibc lacks.
static inline int ndpd_peer_uid(int fd, unsigned int *uid) {
    struct { int pid; unsigned int uid; unsigned int gid; } credentials;
    socklen_t length = sizeof(credentials);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) < 0) return -1;
    *uid = credentials.uid;
    return 0;
}

/// Asks the CPU to bring the cache line holding `address` into every cache level: a hint with no
/// effect on results. Unlike a load, it never waits and never faults, so many can be in flight
/// while the CPU keeps working. Swift has no prefetch of its own.
static inline void ndpd_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
