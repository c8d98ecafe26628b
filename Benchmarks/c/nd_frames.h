/*
 * nd_frames.h - the fixed frames of the ndpd parse/build benchmarks.
 *
 * The Swift benchmarks use exactly these bytes (they are also listed in hex in
 * Benchmarks/c/README.md). Checksums were computed independently (Python, RFC 1071
 * 16-bit big-endian sum) and are verified by `nd_reference` at start-up and by tshark.
 *
 * Scenario: the provider's router (link-local fe80::ff:fe00:a01, MAC 02:00:00:00:0a:01)
 * resolves the guest address 2001:db8:0:96ce::2 with a multicast NS to its
 * solicited-node group ff02::1:ff00:2; ndpd (interface MAC 02:00:00:00:00:01, link-local
 * fe80::ff:fe00:1, the replay default) answers R=1 S=1 O=0 from its link-local address
 * (source = "auto": the solicitor is link-local), unicast to the SLLA.
 */
#ifndef ND_FRAMES_H
#define ND_FRAMES_H

#include <stdint.h>

/* Multicast NS, untagged: 86 bytes. */
static const uint8_t nd_frame_ns[86] = {
    /* Ethernet II */
    0x33, 0x33, 0xff, 0x00, 0x00, 0x02,             /*  0 dst 33:33:ff:00:00:02 (ff02::1:ff00:2)  */
    0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,             /*  6 src 02:00:00:00:0a:01 (router)          */
    0x86, 0xdd,                                     /* 12 EtherType IPv6                          */
    /* IPv6 (RFC 8200 §3) */
    0x60, 0x00, 0x00, 0x00,                         /* 14 version 6, traffic class 0, flow 0      */
    0x00, 0x20,                                     /* 18 payload length 32                       */
    0x3a,                                           /* 20 next header 58 (ICMPv6)                 */
    0xff,                                           /* 21 hop limit 255                           */
    0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 22 source fe80::ff:fe00:a01                */
    0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x0a, 0x01,
    0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 38 destination ff02::1:ff00:2              */
    0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x02,
    /* ICMPv6 Neighbor Solicitation (RFC 4861 §4.3) */
    0x87, 0x00,                                     /* 54 type 135, code 0                        */
    0xa1, 0x90,                                     /* 56 checksum 0xa190                         */
    0x00, 0x00, 0x00, 0x00,                         /* 58 reserved                                */
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x96, 0xce, /* 62 target 2001:db8:0:96ce::2               */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x01, 0x01,                                     /* 78 option SLLA (type 1), length 1 (8 B)    */
    0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,             /* 80 02:00:00:00:0a:01                       */
};

/* The same NS with one 802.1Q tag, VLAN 10 (PCP 0, DEI 0): 90 bytes.
 * Bytes 12..15 are 81 00 00 0a, then the untagged frame from its EtherType on. */
static const uint8_t nd_frame_ns_vlan[90] = {
    0x33, 0x33, 0xff, 0x00, 0x00, 0x02,             /*  0 dst                                     */
    0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,             /*  6 src                                     */
    0x81, 0x00, 0x00, 0x0a,                         /* 12 802.1Q TPID, TCI = VLAN 10              */
    0x86, 0xdd,                                     /* 16 EtherType IPv6                          */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, /* 18 IPv6: v6, plen 32, nh 58, hlim 255      */
    0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 26 source fe80::ff:fe00:a01                */
    0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x0a, 0x01,
    0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 42 destination ff02::1:ff00:2              */
    0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x02,
    0x87, 0x00, 0xa1, 0x90, 0x00, 0x00, 0x00, 0x00, /* 58 NS, checksum 0xa190, reserved           */
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x96, 0xce, /* 66 target 2001:db8:0:96ce::2               */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01, /* 82 SLLA 02:00:00:00:0a:01                  */
};

/* The expected NA answering nd_frame_ns, untagged: 86 bytes. */
static const uint8_t nd_frame_na[86] = {
    /* Ethernet II */
    0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,             /*  0 dst = the NS's SLLA                     */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,             /*  6 src = interface MAC 02:00:00:00:00:01   */
    0x86, 0xdd,                                     /* 12 EtherType IPv6                          */
    /* IPv6 */
    0x60, 0x00, 0x00, 0x00,                         /* 14 version 6                               */
    0x00, 0x20,                                     /* 18 payload length 32                       */
    0x3a,                                           /* 20 next header 58                          */
    0xff,                                           /* 21 hop limit 255                           */
    0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 22 source fe80::ff:fe00:1 (interface LL)   */
    0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01,
    0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 38 destination fe80::ff:fe00:a01 (NS src)  */
    0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x0a, 0x01,
    /* ICMPv6 Neighbor Advertisement (RFC 4861 §4.4) */
    0x88, 0x00,                                     /* 54 type 136, code 0                        */
    0xea, 0x14,                                     /* 56 checksum 0xea14                         */
    0xc0, 0x00, 0x00, 0x00,                         /* 58 R=1 S=1 O=0, reserved 0                 */
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x96, 0xce, /* 62 target 2001:db8:0:96ce::2               */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x02, 0x01,                                     /* 78 option TLLA (type 2), length 1          */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,             /* 80 02:00:00:00:00:01                       */
};

/* The expected NA answering nd_frame_ns_vlan: the tag mirrored, 90 bytes. */
static const uint8_t nd_frame_na_vlan[90] = {
    0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,             /*  0 dst                                     */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,             /*  6 src                                     */
    0x81, 0x00, 0x00, 0x0a,                         /* 12 802.1Q, VLAN 10 (mirrored)              */
    0x86, 0xdd,                                     /* 16 EtherType IPv6                          */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, /* 18 IPv6: v6, plen 32, nh 58, hlim 255      */
    0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 26 source fe80::ff:fe00:1                  */
    0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01,
    0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 42 destination fe80::ff:fe00:a01           */
    0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x0a, 0x01,
    0x88, 0x00, 0xea, 0x14, 0xc0, 0x00, 0x00, 0x00, /* 58 NA, checksum 0xea14, R=1 S=1 O=0        */
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x96, 0xce, /* 66 target 2001:db8:0:96ce::2               */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* 82 TLLA 02:00:00:00:00:01                  */
};

#endif /* ND_FRAMES_H */
