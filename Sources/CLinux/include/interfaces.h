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

/// What the interface ioctls say of one interface (netdevice(7)).
struct ndpd_link_facts {
    unsigned char hardware_address[6];
    int hardware_type;   /* ARPHRD_* */
    int flags;           /* IFF_* */
    int mtu;
};

/// SIOCGIFHWADDR, SIOCGIFFLAGS and SIOCGIFMTU on `fd` (any socket) for `name`, into `*facts`.
/// Returns 0, or -1 with errno set and `*failed` naming the request that failed. One ifreq
/// serves the three: each answer overwrites only its union, never the name.
static inline int ndpd_get_link_facts(int fd, const char *name, struct ndpd_link_facts *facts,
                                      const char **failed) {
    struct ifreq ifr;
    memset(facts, 0, sizeof *facts);
    *failed = "SIOCGIFHWADDR";
    if (ndpd_ifreq_name(&ifr, name) != 0 || ioctl(fd, SIOCGIFHWADDR, &ifr) != 0) return -1;
    memcpy(facts->hardware_address, ifr.ifr_hwaddr.sa_data, 6);
    facts->hardware_type = ifr.ifr_hwaddr.sa_family;
    *failed = "SIOCGIFFLAGS";
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) return -1;
    facts->flags = ifr.ifr_flags;
    *failed = "SIOCGIFMTU";
    if (ioctl(fd, SIOCGIFMTU, &ifr) != 0) return -1;
    facts->mtu = ifr.ifr_mtu;
    *failed = NULL;
    return 0;
}

/// The 16 address bytes of an AF_INET6 sockaddr (getifaddrs entries), or NULL for another family.
static inline const unsigned char *ndpd_sockaddr_in6_bytes(const struct sockaddr *address) {
    if (address == NULL || address->sa_family != AF_INET6) return NULL;
    return ((const struct sockaddr_in6 *)address)->sin6_addr.s6_addr;
}

#endif
