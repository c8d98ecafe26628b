// Interface facts through ioctl(2) on any socket (netdevice(7)) and getifaddrs(3).
#ifndef NDPD_CLINUX_INTERFACES_H
#define NDPD_CLINUX_INTERFACES_H

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <ifaddrs.h>

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

#endif
