// AF_PACKET sockets (packet(7)): the addresses and memberships ndpd's packet socket needs.
#ifndef NDPD_CLINUX_PACKET_SOCKET_H
#define NDPD_CLINUX_PACKET_SOCKET_H

#include <string.h>
#include <sys/socket.h>
#include <net/ethernet.h>
#include <linux/if_packet.h>

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

#endif
