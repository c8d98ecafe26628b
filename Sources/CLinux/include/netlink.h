// rtnetlink (rtnetlink(7)): the address and groups of ndpd's interface watcher.
#ifndef NDPD_CLINUX_NETLINK_H
#define NDPD_CLINUX_NETLINK_H

#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

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

/// The multicast group live mode's neighbour watcher joins: neighbour entries created, changed
/// or deleted (RTNLGRP_NEIGH).
static inline unsigned int ndpd_rtnetlink_neighbour_groups(void) { return RTMGRP_NEIGH; }

/// The multicast group live mode's route watcher joins (`guest-interfaces = "routes"`): IPv6
/// routes added, changed or deleted (RTNLGRP_IPV6_ROUTE).
static inline unsigned int ndpd_rtnetlink_route_groups(void) { return RTMGRP_IPV6_ROUTE; }

#endif
