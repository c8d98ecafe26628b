/*
 * nd_reference.c - the C floor for ndpd's two per-packet operations.
 *
 *   a. nd_parse_ns():  validate a Neighbor Solicitation in a full Ethernet frame
 *      (RFC 4861 §7.1.1) and extract its target address and Source Link-Layer Address;
 *   b. nd_build_na():  write the answering Neighbor Advertisement (RFC 4861 §4.4) into a
 *      caller buffer, checksum (RFC 4443 §2.3) filled last.
 *
 * This is meant to be what a careful C programmer writes for a responder: plain portable
 * C, byte-wise header access, a 32-bit-word ones'-complement sum into a 64-bit accumulator
 * (RFC 1071 §2(B): byte-order independent), no hand-written SIMD, no shortcuts in the
 * validation. Both functions are noinline, as they would be behind a pcap callback.
 *
 * Build:  cc -O2 -o nd_reference nd_reference.c
 * Usage:  nd_reference parse|build|build-fused|respond N [vlan]
 *                                                      time N operations per batch, 11 timed
 *                                                      batches (after one warm-up), median
 *         nd_reference selftest                        only the start-up checks
 *         nd_reference hex                             print the benchmark frames in hex
 *
 * Every run starts with the self-test (parse results, checksum rejection, rule violations,
 * golden NA bytes, NA checksum verification) and exits 1 if any check fails.
 * Frames: nd_frames.h (documented in README.md).
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nd_frames.h"

/* ------------------------------------------------------------------------------------ */
/* Wire constants                                                                        */
/* ------------------------------------------------------------------------------------ */

enum {
    ETH_HEADER_LEN = 14,       /* dst(6) src(6) EtherType(2) */
    VLAN_TAG_LEN = 4,          /* TPID(2) TCI(2) */
    ETHERTYPE_VLAN = 0x8100,   /* IEEE 802.1Q */
    ETHERTYPE_QINQ = 0x88a8,   /* IEEE 802.1ad service tag */
    ETHERTYPE_IPV6 = 0x86dd,
    MAX_VLAN_TAGS = 2,

    IP6_HEADER_LEN = 40,       /* RFC 8200 §3 */
    IP6_OFF_PAYLOAD_LEN = 4,
    IP6_OFF_NEXT_HEADER = 6,
    IP6_OFF_HOP_LIMIT = 7,
    IP6_OFF_SOURCE = 8,
    IP6_OFF_DESTINATION = 24,

    NH_HOP_BY_HOP = 0,         /* RFC 8200 §4.3 */
    NH_ROUTING = 43,           /* RFC 8200 §4.4 */
    NH_FRAGMENT = 44,          /* RFC 8200 §4.5 */
    NH_ICMPV6 = 58,
    NH_DEST_OPTIONS = 60,      /* RFC 8200 §4.6 */

    ICMP6_NS = 135,            /* RFC 4861 §4.3 */
    ICMP6_NA = 136,            /* RFC 4861 §4.4 */
    ND_HOP_LIMIT = 255,
    NS_MIN_LEN = 24,           /* type, code, checksum, reserved(4), target(16) */
    NA_LEN = 32,               /* 24 + TLLA option (8) */
    ND_OFF_TARGET = 8,
    ND_OPT_SLLA = 1,           /* RFC 4861 §4.6.1 */
    ND_OPT_TLLA = 2,
    NA_FLAG_ROUTER = 0x80,
    NA_FLAG_SOLICITED = 0x40,
    NA_FLAG_OVERRIDE = 0x20,
};

/* Why a frame was not accepted as an NS. */
enum nd_error {
    ND_OK = 0,
    ND_ERR_TRUNCATED,        /* a header, or the IPv6 payload length, runs past the frame */
    ND_ERR_TOO_MANY_TAGS,    /* more than two 802.1Q/802.1ad tags */
    ND_ERR_NOT_IPV6,         /* EtherType after the tags is not 0x86dd */
    ND_ERR_IP_VERSION,       /* IPv6 version field != 6 */
    ND_ERR_EXT_HEADER,       /* hop-by-hop not first (RFC 8200 §4.1), or routing header with
                              * segments left > 0 (the packet is not for this node yet) */
    ND_ERR_FRAGMENT,         /* fragment header: fragmented ND is dropped (RFC 6980 §5) */
    ND_ERR_NOT_ICMPV6,       /* the header chain ends in another protocol */
    ND_ERR_NOT_NS,           /* ICMPv6 but not type 135 */
    ND_ERR_HOP_LIMIT,        /* §7.1.1: hop limit != 255 */
    ND_ERR_CODE,             /* §7.1.1: code != 0 */
    ND_ERR_ICMP_LENGTH,      /* §7.1.1: ICMP length < 24 */
    ND_ERR_CHECKSUM,         /* §7.1.1: ICMPv6 checksum invalid */
    ND_ERR_TARGET_MULTICAST, /* §7.1.1: target is multicast */
    ND_ERR_OPTION_LENGTH,    /* §7.1.1: an option has length 0 or runs past the packet */
    ND_ERR_SLLA_LENGTH,      /* SLLA option is not 8 bytes, as Ethernet requires (§4.6.1) */
    ND_ERR_DAD_DESTINATION,  /* §7.1.1: source :: but destination not solicited-node */
    ND_ERR_DAD_SLLA,         /* §7.1.1: source :: with an SLLA option */
    ND_ERR_COUNT
};

static const char *const nd_error_names[ND_ERR_COUNT] = {
    "ok", "truncated", "too-many-tags", "not-ipv6", "ip-version", "ext-header", "fragment",
    "not-icmpv6", "not-ns", "hop-limit", "code", "icmp-length", "checksum",
    "target-multicast", "option-length", "slla-length", "dad-destination", "dad-slla",
};

/* What a responder needs from an accepted NS. */
struct nd_ns {
    uint8_t target[16];
    uint8_t slla[6];
    uint8_t has_slla;
    uint8_t vlan_count;             /* 0..2 */
    uint8_t vlan_tags[2][4];        /* TPID + TCI as on the wire, outermost first */
    uint16_t ip6_offset;            /* IPv6 header offset (source at +8, destination at +24) */
};

/* Everything the NA builder writes. */
struct nd_na_params {
    uint8_t eth_dst[6];
    uint8_t eth_src[6];
    uint8_t vlan_count;             /* 0..2, mirrored from the NS */
    uint8_t vlan_tags[2][4];
    uint8_t ip_src[16];
    uint8_t ip_dst[16];
    uint8_t target[16];
    uint8_t tlla[6];
    uint8_t router, solicited, override;
};

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* :: (RFC 4291 §2.5.2), two 64-bit loads rather than a memcmp() call. */
static inline int is_unspecified(const uint8_t *a)
{
    uint64_t hi, lo;
    memcpy(&hi, a, 8);
    memcpy(&lo, a + 8, 8);
    return (hi | lo) == 0;
}

/* ------------------------------------------------------------------------------------ */
/* Internet checksum (RFC 1071), native-order words: the folded result, stored with      */
/* memcpy, is in network order (RFC 1071 §2(B)).                                          */
/* ------------------------------------------------------------------------------------ */

/* Adds n bytes starting at an even offset of the checksummed data. */
static inline uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t n)
{
    while (n >= 4) {
        uint32_t w;
        memcpy(&w, p, 4);
        sum += w;
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        uint16_t w;
        memcpy(&w, p, 2);
        sum += w;
        p += 2;
        n -= 2;
    }
    if (n) { /* odd tail: the last byte is the high-order byte of a zero-padded word */
        uint8_t pad[2] = { p[0], 0 };
        uint16_t w;
        memcpy(&w, pad, 2);
        sum += w;
    }
    return sum;
}

static inline uint16_t csum_fold(uint64_t sum)
{
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)sum;
}

/* RFC 8200 §8.1 pseudo-header: source, destination, upper-layer length (32 bits), zero,
 * next header 58. `ip` is the IPv6 header; its destination is the final one (a routing
 * header with segments left > 0 was rejected before). */
static inline uint64_t csum_pseudo(const uint8_t *ip, uint32_t upper_len)
{
    uint64_t sum = csum_add(0, ip + IP6_OFF_SOURCE, 32);
    sum += htonl(upper_len);
    sum += htonl(NH_ICMPV6);
    return sum;
}

/* ------------------------------------------------------------------------------------ */
/* a. Parse and validate an NS                                                           */
/* ------------------------------------------------------------------------------------ */

__attribute__((noinline))
enum nd_error nd_parse_ns(const uint8_t *frame, size_t len, struct nd_ns *out)
{
    if (len < ETH_HEADER_LEN)
        return ND_ERR_TRUNCATED;

    /* Ethernet II, up to two 802.1ad/802.1Q tags. */
    size_t off = 12;
    uint16_t ethertype = rd16(frame + off);
    unsigned tags = 0;
    while (ethertype == ETHERTYPE_VLAN || ethertype == ETHERTYPE_QINQ) {
        if (tags == MAX_VLAN_TAGS)
            return ND_ERR_TOO_MANY_TAGS;
        if (len - off < VLAN_TAG_LEN + 2)
            return ND_ERR_TRUNCATED;
        memcpy(out->vlan_tags[tags], frame + off, VLAN_TAG_LEN);
        tags++;
        off += VLAN_TAG_LEN;
        ethertype = rd16(frame + off);
    }
    if (ethertype != ETHERTYPE_IPV6)
        return ND_ERR_NOT_IPV6;
    off += 2;
    out->vlan_count = (uint8_t)tags;

    /* IPv6 header. The payload length bounds everything after it (Ethernet padding after
     * the payload is ignored). */
    if (len - off < IP6_HEADER_LEN)
        return ND_ERR_TRUNCATED;
    const uint8_t *ip = frame + off;
    if ((ip[0] >> 4) != 6)
        return ND_ERR_IP_VERSION;
    size_t payload_len = rd16(ip + IP6_OFF_PAYLOAD_LEN);
    if (payload_len > len - off - IP6_HEADER_LEN)
        return ND_ERR_TRUNCATED;
    out->ip6_offset = (uint16_t)off;

    /* Walk the extension headers (RFC 8200 §4). Each is at least 8 bytes, so the walk is
     * bounded by the payload length. */
    const uint8_t *p = ip + IP6_HEADER_LEN;
    const uint8_t *const end = p + payload_len;
    uint8_t next = ip[IP6_OFF_NEXT_HEADER];
    while (next != NH_ICMPV6) {
        if (next == NH_FRAGMENT)
            return ND_ERR_FRAGMENT;
        if (next != NH_HOP_BY_HOP && next != NH_ROUTING && next != NH_DEST_OPTIONS)
            return ND_ERR_NOT_ICMPV6;
        if (next == NH_HOP_BY_HOP && p != ip + IP6_HEADER_LEN)
            return ND_ERR_EXT_HEADER;
        if (end - p < 8)
            return ND_ERR_TRUNCATED;
        size_t hdr_len = ((size_t)p[1] + 1) * 8;
        if (hdr_len > (size_t)(end - p))
            return ND_ERR_TRUNCATED;
        if (next == NH_ROUTING && p[3] != 0) /* segments left */
            return ND_ERR_EXT_HEADER;
        next = p[0];
        p += hdr_len;
    }

    /* ICMPv6 NS, RFC 4861 §7.1.1: the cheap field checks first, the checksum after. */
    const uint8_t *icmp = p;
    size_t icmp_len = (size_t)(end - icmp);
    if (icmp_len < 4)
        return icmp_len == 0 ? ND_ERR_TRUNCATED : ND_ERR_ICMP_LENGTH;
    if (icmp[0] != ICMP6_NS)
        return ND_ERR_NOT_NS;
    if (ip[IP6_OFF_HOP_LIMIT] != ND_HOP_LIMIT)
        return ND_ERR_HOP_LIMIT;
    if (icmp[1] != 0)
        return ND_ERR_CODE;
    if (icmp_len < NS_MIN_LEN)
        return ND_ERR_ICMP_LENGTH;
    {
        uint64_t sum = csum_pseudo(ip, (uint32_t)icmp_len);
        sum = csum_add(sum, icmp, icmp_len);
        if (csum_fold(sum) != 0xffff)
            return ND_ERR_CHECKSUM;
    }
    const uint8_t *target = icmp + ND_OFF_TARGET;
    if (target[0] == 0xff)
        return ND_ERR_TARGET_MULTICAST;

    /* Options (RFC 4861 §4.6): type, length in units of 8 bytes. Unknown ones (Nonce, ...)
     * are skipped; of several SLLA options the first is kept (as Linux does). */
    const uint8_t *slla = NULL;
    const uint8_t *opt = icmp + NS_MIN_LEN;
    while (opt < end) {
        if (end - opt < 2)
            return ND_ERR_OPTION_LENGTH;
        size_t opt_len = (size_t)opt[1] * 8;
        if (opt_len == 0 || opt_len > (size_t)(end - opt))
            return ND_ERR_OPTION_LENGTH;
        if (opt[0] == ND_OPT_SLLA && slla == NULL) {
            if (opt_len != 8)
                return ND_ERR_SLLA_LENGTH;
            slla = opt + 2;
        }
        opt += opt_len;
    }

    /* Source :: (DAD probe): destination solicited-node ff02::1:ffXX:XXXX, and no SLLA. */
    static const uint8_t solicited_node_prefix[13] = {
        0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff
    };
    if (is_unspecified(ip + IP6_OFF_SOURCE)) {
        if (memcmp(ip + IP6_OFF_DESTINATION, solicited_node_prefix, 13) != 0)
            return ND_ERR_DAD_DESTINATION;
        if (slla != NULL)
            return ND_ERR_DAD_SLLA;
    }

    memcpy(out->target, target, 16);
    if (slla != NULL) {
        memcpy(out->slla, slla, 6);
        out->has_slla = 1;
    } else {
        out->has_slla = 0;
    }
    return ND_OK;
}

/* ------------------------------------------------------------------------------------ */
/* b. Build an NA                                                                         */
/* ------------------------------------------------------------------------------------ */

/* Writes every byte of the frame (Ethernet + mirrored tags + IPv6 + NA + TLLA) except the
 * checksum, which it zeroes. Returns the frame length, or 0 when it does not fit. */
static inline size_t write_na(uint8_t *buf, size_t cap, const struct nd_na_params *prm,
                              uint8_t **ip_out, uint8_t **icmp_out)
{
    if (prm->vlan_count > MAX_VLAN_TAGS)
        return 0;
    size_t frame_len = ETH_HEADER_LEN + (size_t)prm->vlan_count * VLAN_TAG_LEN
                     + IP6_HEADER_LEN + NA_LEN;
    if (cap < frame_len)
        return 0;

    memcpy(buf, prm->eth_dst, 6);
    memcpy(buf + 6, prm->eth_src, 6);
    size_t off = 12;
    for (unsigned i = 0; i < prm->vlan_count; i++) {
        memcpy(buf + off, prm->vlan_tags[i], VLAN_TAG_LEN);
        off += VLAN_TAG_LEN;
    }
    buf[off] = ETHERTYPE_IPV6 >> 8;
    buf[off + 1] = ETHERTYPE_IPV6 & 0xff;
    off += 2;

    uint8_t *ip = buf + off;
    ip[0] = 0x60;                               /* version 6, traffic class 0 */
    ip[1] = 0;                                  /* flow label 0 */
    ip[2] = 0;
    ip[3] = 0;
    ip[4] = 0;                                  /* payload length 32 */
    ip[5] = NA_LEN;
    ip[IP6_OFF_NEXT_HEADER] = NH_ICMPV6;
    ip[IP6_OFF_HOP_LIMIT] = ND_HOP_LIMIT;
    memcpy(ip + IP6_OFF_SOURCE, prm->ip_src, 16);
    memcpy(ip + IP6_OFF_DESTINATION, prm->ip_dst, 16);

    uint8_t *icmp = ip + IP6_HEADER_LEN;
    icmp[0] = ICMP6_NA;
    icmp[1] = 0;                                /* code */
    icmp[2] = 0;                                /* checksum, filled last */
    icmp[3] = 0;
    icmp[4] = (uint8_t)((prm->router ? NA_FLAG_ROUTER : 0)
                      | (prm->solicited ? NA_FLAG_SOLICITED : 0)
                      | (prm->override ? NA_FLAG_OVERRIDE : 0));
    icmp[5] = 0;                                /* reserved */
    icmp[6] = 0;
    icmp[7] = 0;
    memcpy(icmp + ND_OFF_TARGET, prm->target, 16);
    icmp[24] = ND_OPT_TLLA;
    icmp[25] = 1;                               /* 8 bytes */
    memcpy(icmp + 26, prm->tlla, 6);

    *ip_out = ip;
    *icmp_out = icmp;
    return frame_len;
}

/* The sum over the NA's pseudo-header and message, taken from the inputs instead of the
 * freshly written buffer (the constant words added directly). */
static inline uint64_t csum_na_inputs(const struct nd_na_params *prm, uint8_t flags)
{
    uint64_t sum = csum_add(0, prm->ip_src, 16);
    sum = csum_add(sum, prm->ip_dst, 16);
    sum += htonl(NA_LEN);
    sum += htonl(NH_ICMPV6);
    sum += htons(ICMP6_NA << 8);                /* type, code */
    sum += htons((uint16_t)(flags << 8));       /* flags, reserved */
    sum = csum_add(sum, prm->target, 16);
    sum += htons(ND_OPT_TLLA << 8 | 1);
    return csum_add(sum, prm->tlla, 6);
}

/* Both builders: write the frame, then fill the checksum last. Returns the frame length
 * (86 untagged), or 0 when it does not fit in `cap`. `fused` is a constant at each call, so
 * each builder compiles to its own straight-line code. */
static inline __attribute__((always_inline)) size_t build_na(uint8_t *buf, size_t cap,
                                                             const struct nd_na_params *prm,
                                                             int fused)
{
    uint8_t *ip, *icmp;
    size_t frame_len = write_na(buf, cap, prm, &ip, &icmp);
    if (frame_len == 0)
        return 0;
    uint64_t sum = fused ? csum_na_inputs(prm, icmp[4])
                         : csum_add(csum_pseudo(ip, NA_LEN), icmp, NA_LEN);
    uint16_t checksum = (uint16_t)~csum_fold(sum);
    memcpy(icmp + 2, &checksum, 2);
    return frame_len;
}

/* The textbook builder: checksum the pseudo-header and the message as written.
 * Note: reading back as 32-bit words what was just written byte by byte defeats the CPU's
 * store-to-load forwarding; that stall is most of this function's time (see the fused
 * variant below and README.md). */
__attribute__((noinline))
size_t nd_build_na(uint8_t *buf, size_t cap, const struct nd_na_params *prm)
{
    return build_na(buf, cap, prm, 0);
}

/* The same frame, byte for byte, with the sum taken from the inputs (csum_na_inputs): no
 * store-to-load forwarding stalls. */
__attribute__((noinline))
size_t nd_build_na_fused(uint8_t *buf, size_t cap, const struct nd_na_params *prm)
{
    return build_na(buf, cap, prm, 1);
}

/* ------------------------------------------------------------------------------------ */
/* The responder's glue: NS -> NA parameters (ndpd's defaults: R=1, O=0, source "auto"   */
/* with a link-local solicitor -> the interface's link-local address).                    */
/* ------------------------------------------------------------------------------------ */

static const uint8_t iface_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t iface_ll[16] = {
    0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01
};
static const uint8_t all_nodes[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };

static inline void na_params_from_ns(const uint8_t *frame, const struct nd_ns *ns,
                                     struct nd_na_params *prm)
{
    const uint8_t *ns_src = frame + ns->ip6_offset + IP6_OFF_SOURCE;
    int dad = is_unspecified(ns_src);
    if (dad)
        memcpy(prm->eth_dst, all_nodes_mac, 6);
    else
        memcpy(prm->eth_dst, ns->has_slla ? ns->slla : frame + 6, 6);
    memcpy(prm->eth_src, iface_mac, 6);
    prm->vlan_count = ns->vlan_count;
    memcpy(prm->vlan_tags, ns->vlan_tags, sizeof prm->vlan_tags);
    memcpy(prm->ip_src, iface_ll, 16);
    memcpy(prm->ip_dst, dad ? all_nodes : ns_src, 16);
    memcpy(prm->target, ns->target, 16);
    memcpy(prm->tlla, iface_mac, 6);
    prm->router = 1;
    prm->solicited = !dad;
    prm->override = 0;
}

/* ------------------------------------------------------------------------------------ */
/* Self-test                                                                               */
/* ------------------------------------------------------------------------------------ */

static int checks_run, checks_failed;

static void check(int ok, const char *what)
{
    checks_run++;
    if (!ok) {
        checks_failed++;
        fprintf(stderr, "SELFTEST FAILED: %s\n", what);
    }
}

static void check_err(enum nd_error got, enum nd_error want, const char *what)
{
    checks_run++;
    if (got != want) {
        checks_failed++;
        fprintf(stderr, "SELFTEST FAILED: %s: got %s, want %s\n", what,
                (unsigned)got < ND_ERR_COUNT ? nd_error_names[got] : "?",
                nd_error_names[want]);
    }
}

/* Textbook RFC 1071 over big-endian 16-bit words, independent of csum_add(): used to
 * fix up the test frames and to verify the built NAs. Returns the folded sum over the
 * pseudo-header and the ICMPv6 message (0xffff when the checksum in it is valid). */
static uint16_t ref_sum(const uint8_t *ip, const uint8_t *icmp, size_t icmp_len)
{
    uint32_t sum = 0;
    for (int i = 0; i < 32; i += 2)
        sum += (uint32_t)(ip[IP6_OFF_SOURCE + i] << 8 | ip[IP6_OFF_SOURCE + i + 1]);
    sum += (uint32_t)(icmp_len >> 16) + (uint32_t)(icmp_len & 0xffff) + NH_ICMPV6;
    for (size_t i = 0; i < icmp_len; i++)
        sum += (i & 1) ? icmp[i] : (uint32_t)icmp[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

/* The checksum recomputed over a packet that carries one: 0 when it is valid. */
static uint16_t ref_verify(const uint8_t *ip, const uint8_t *icmp, size_t icmp_len)
{
    return (uint16_t)(~ref_sum(ip, icmp, icmp_len) & 0xffff);
}

static void ref_fix(uint8_t *ip, uint8_t *icmp, size_t icmp_len)
{
    icmp[2] = icmp[3] = 0;
    uint16_t c = (uint16_t)~ref_sum(ip, icmp, icmp_len);
    icmp[2] = (uint8_t)(c >> 8);
    icmp[3] = (uint8_t)c;
}

/* Copies the untagged NS and lets the caller edit it; returns its length. The IPv6 header
 * is at 14, ICMPv6 at 54. */
enum { T_IP = 14, T_ICMP = 54 };

static size_t copy_ns(uint8_t *f) { memcpy(f, nd_frame_ns, sizeof nd_frame_ns); return sizeof nd_frame_ns; }

static enum nd_error parse_fixed(uint8_t *f, size_t len, size_t ip, size_t icmp)
{
    size_t icmp_len = (size_t)rd16(f + ip + 4) - (icmp - ip - IP6_HEADER_LEN);
    ref_fix(f + ip, f + icmp, icmp_len);
    struct nd_ns r;
    return nd_parse_ns(f, len, &r);
}

static const uint8_t want_target[16] = {
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x96, 0xce, 0, 0, 0, 0, 0, 0, 0, 0x02
};
static const uint8_t want_slla[6] = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01 };

/* One edit of the untagged NS each: `n` bytes written at `off`, the frame cut to `len`, and
 * with `fix` the checksum fixed up after the edit, so that the rule itself is what fails. */
static const struct edit_case {
    size_t off;
    const char *bytes;
    size_t n, len;
    int fix;
    enum nd_error want;
    const char *what;
} edit_cases[] = {
    { 12, "\x08\x00", 2, 86, 0, ND_ERR_NOT_IPV6, "EtherType IPv4" },
    { T_IP, "\x40", 1, 86, 0, ND_ERR_IP_VERSION, "IP version 4" },
    { T_IP + 5, "\x21", 1, 86, 0, ND_ERR_TRUNCATED, "payload length 33 in 86 bytes" },
    { T_IP + 6, "\x11", 1, 86, 0, ND_ERR_NOT_ICMPV6, "next header UDP" },
    { T_ICMP, "\x88", 1, 86, 1, ND_ERR_NOT_NS, "type 136" },
    { T_IP + 7, "\xfe", 1, 86, 1, ND_ERR_HOP_LIMIT, "hop limit 254" },
    { T_ICMP + 1, "\x01", 1, 86, 1, ND_ERR_CODE, "code 1" },
    { T_IP + 5, "\x10", 1, 70, 1, ND_ERR_ICMP_LENGTH, "ICMPv6 length 16" },
    { T_ICMP + 8, "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16, 86, 1, ND_ERR_TARGET_MULTICAST, "target ff02::1" },
    { T_ICMP + 25, "\x00", 1, 86, 1, ND_ERR_OPTION_LENGTH, "option length 0" },
    { T_ICMP + 25, "\x02", 1, 86, 1, ND_ERR_OPTION_LENGTH, "option past the end" },
};

static void selftest(void)
{
    uint8_t f[256];
    struct nd_ns r;
    size_t n;
    char what[96];

    /* The fixed frames parse, with the right target, SLLA and tags. */
    memset(&r, 0xa5, sizeof r);
    check_err(nd_parse_ns(nd_frame_ns, sizeof nd_frame_ns, &r), ND_OK, "fixed NS");
    check(memcmp(r.target, want_target, 16) == 0, "fixed NS: target");
    check(r.has_slla == 1 && memcmp(r.slla, want_slla, 6) == 0, "fixed NS: SLLA");
    check(r.vlan_count == 0 && r.ip6_offset == 14, "fixed NS: no tag");

    memset(&r, 0xa5, sizeof r);
    check_err(nd_parse_ns(nd_frame_ns_vlan, sizeof nd_frame_ns_vlan, &r), ND_OK, "VLAN NS");
    check(memcmp(r.target, want_target, 16) == 0, "VLAN NS: target");
    check(r.has_slla == 1 && memcmp(r.slla, want_slla, 6) == 0, "VLAN NS: SLLA");
    check(r.vlan_count == 1 && memcmp(r.vlan_tags[0], "\x81\x00\x00\x0a", 4) == 0
          && r.ip6_offset == 18, "VLAN NS: tag 10");

    /* One flipped checksum byte, or one flipped payload byte, is rejected. */
    for (int i = 0; i < 2; i++) {
        memcpy(f, nd_frame_ns, sizeof nd_frame_ns);
        f[56 + i] ^= 0x01;
        snprintf(what, sizeof what, "NS with checksum byte %d flipped", i);
        check_err(nd_parse_ns(f, sizeof nd_frame_ns, &r), ND_ERR_CHECKSUM, what);
        memcpy(f, nd_frame_ns_vlan, sizeof nd_frame_ns_vlan);
        f[60 + i] ^= 0x80;
        snprintf(what, sizeof what, "VLAN NS with checksum byte %d flipped", i);
        check_err(nd_parse_ns(f, sizeof nd_frame_ns_vlan, &r), ND_ERR_CHECKSUM, what);
    }
    copy_ns(f);
    f[77] ^= 0x01;  /* last byte of the target */
    check_err(nd_parse_ns(f, 86, &r), ND_ERR_CHECKSUM, "NS with target byte flipped");
    copy_ns(f);
    f[85] ^= 0x10;  /* last byte of the SLLA */
    check_err(nd_parse_ns(f, 86, &r), ND_ERR_CHECKSUM, "NS with SLLA byte flipped");
    copy_ns(f);
    f[37] ^= 0x01;  /* source address: pseudo-header */
    check_err(nd_parse_ns(f, 86, &r), ND_ERR_CHECKSUM, "NS with source byte flipped");

    /* Every proper prefix of a valid frame is rejected. */
    for (size_t len = 0; len < sizeof nd_frame_ns; len++) {
        snprintf(what, sizeof what, "prefix of %zu bytes", len);
        check(nd_parse_ns(nd_frame_ns, len, &r) != ND_OK, what);
    }
    for (size_t len = 0; len < sizeof nd_frame_ns_vlan; len++) {
        snprintf(what, sizeof what, "VLAN prefix of %zu bytes", len);
        check(nd_parse_ns(nd_frame_ns_vlan, len, &r) != ND_OK, what);
    }

    /* Ethernet padding after the IPv6 payload is ignored. */
    n = copy_ns(f);
    memset(f + n, 0, 14);
    check_err(nd_parse_ns(f, n + 14, &r), ND_OK, "NS with Ethernet padding");

    /* Tags: 802.1ad + 802.1Q is accepted, a third tag is not. */
    memcpy(f, nd_frame_ns, 12);
    memcpy(f + 12, "\x88\xa8\x00\x64\x81\x00\x00\x0a", 8);
    memcpy(f + 20, nd_frame_ns + 12, 74);
    memset(&r, 0, sizeof r);
    check_err(nd_parse_ns(f, 94, &r), ND_OK, "QinQ NS");
    check(r.vlan_count == 2 && memcmp(r.vlan_tags[0], "\x88\xa8\x00\x64", 4) == 0
          && memcmp(r.vlan_tags[1], "\x81\x00\x00\x0a", 4) == 0, "QinQ NS: tags");
    memcpy(f, nd_frame_ns, 12);
    memcpy(f + 12, "\x88\xa8\x00\x64\x81\x00\x00\x0a\x81\x00\x00\x0b", 12);
    memcpy(f + 24, nd_frame_ns + 12, 74);
    check_err(nd_parse_ns(f, 98, &r), ND_ERR_TOO_MANY_TAGS, "three tags");

    /* Layer errors, then RFC 4861 §7.1.1 one rule at a time: one edit each (edit_cases). */
    for (size_t i = 0; i < sizeof edit_cases / sizeof edit_cases[0]; i++) {
        const struct edit_case *c = &edit_cases[i];
        copy_ns(f);
        memcpy(f + c->off, c->bytes, c->n);
        check_err(c->fix ? parse_fixed(f, c->len, T_IP, T_ICMP) : nd_parse_ns(f, c->len, &r), c->want, c->what);
    }
    copy_ns(f);
    f[T_IP + 5] = 40;   /* SLLA of 16 bytes */
    memset(f + 86, 0, 8);
    f[T_ICMP + 25] = 2;
    check_err(parse_fixed(f, 94, T_IP, T_ICMP), ND_ERR_SLLA_LENGTH, "SLLA of 16 bytes");
    copy_ns(f);
    f[T_IP + 5] = 40;   /* unknown option (Nonce, RFC 3971) after the SLLA is skipped */
    memcpy(f + 86, "\x0e\x01\x01\x02\x03\x04\x05\x06", 8);
    check_err(parse_fixed(f, 94, T_IP, T_ICMP), ND_OK, "NS with a Nonce option");
    copy_ns(f);
    f[T_IP + 5] = 25;   /* one stray byte after the SLLA */
    f[86] = 0;
    check_err(parse_fixed(f, 87, T_IP, T_ICMP), ND_ERR_OPTION_LENGTH, "stray byte after options");

    /* DAD: source ::, solicited-node destination, no SLLA. */
    copy_ns(f);
    memset(f + T_IP + 8, 0, 16);
    f[T_IP + 5] = 24;
    memset(&r, 0xa5, sizeof r);
    {
        enum nd_error e = parse_fixed(f, 78, T_IP, T_ICMP);
        check_err(e, ND_OK, "DAD NS");
        check(nd_parse_ns(f, 78, &r) == ND_OK && r.has_slla == 0
              && memcmp(r.target, want_target, 16) == 0, "DAD NS: no SLLA, target");
    }
    copy_ns(f);
    memset(f + T_IP + 8, 0, 16);
    check_err(parse_fixed(f, 86, T_IP, T_ICMP), ND_ERR_DAD_SLLA, "DAD NS with SLLA");
    copy_ns(f);
    memset(f + T_IP + 8, 0, 16);
    f[T_IP + 5] = 24;
    memcpy(f + T_IP + 24, want_target, 16);   /* unicast destination */
    check_err(parse_fixed(f, 78, T_IP, T_ICMP), ND_ERR_DAD_DESTINATION, "DAD NS to unicast");

    /* Extension headers: hop-by-hop (PadN) + destination options (PadN) are walked. */
    memcpy(f, nd_frame_ns, 54);
    f[T_IP + 5] = 48;
    f[T_IP + 6] = NH_HOP_BY_HOP;
    memcpy(f + 54, "\x3c\x00\x01\x04\x00\x00\x00\x00", 8);      /* HBH -> dest opts */
    memcpy(f + 62, "\x3a\x00\x01\x04\x00\x00\x00\x00", 8);      /* dest opts -> ICMPv6 */
    memcpy(f + 70, nd_frame_ns + 54, 32);
    memset(&r, 0xa5, sizeof r);
    check_err(parse_fixed(f, 102, T_IP, 70), ND_OK, "NS behind HBH + dest options");
    check(nd_parse_ns(f, 102, &r) == ND_OK && memcmp(r.target, want_target, 16) == 0
          && r.has_slla && memcmp(r.slla, want_slla, 6) == 0, "NS behind HBH: fields");
    f[T_IP + 5] = 47;   /* ICMPv6 cut by one byte: the SLLA option runs past the end */
    check(parse_fixed(f, 102, T_IP, 70) != ND_OK, "NS behind HBH, payload one short");
    f[T_IP + 5] = 48;
    f[62] = NH_FRAGMENT;
    check_err(nd_parse_ns(f, 102, &r), ND_ERR_FRAGMENT, "fragment header");
    f[62] = NH_HOP_BY_HOP;
    check_err(nd_parse_ns(f, 102, &r), ND_ERR_EXT_HEADER, "hop-by-hop not first");
    f[62] = NH_ICMPV6;
    f[T_IP + 6] = NH_ROUTING;
    f[54] = NH_DEST_OPTIONS;
    memcpy(f + 55, "\x00\x04\x00\x00\x00\x00\x00", 7);          /* routing type 4, SL 0 */
    check_err(parse_fixed(f, 102, T_IP, 70), ND_OK, "routing header, segments left 0");
    f[57] = 1;
    check_err(nd_parse_ns(f, 102, &r), ND_ERR_EXT_HEADER, "routing header, segments left 1");
    f[55] = 6;          /* routing header claims 56 bytes: past the 48-byte payload */
    check_err(nd_parse_ns(f, 102, &r), ND_ERR_TRUNCATED, "extension header past the payload");

    /* Build: the golden NAs, every byte written (buffer pre-filled with garbage). */
    static const struct { const uint8_t *ns, *na; size_t len; const char *name; } golden[2] = {
        { nd_frame_ns, nd_frame_na, sizeof nd_frame_na, "NA" },
        { nd_frame_ns_vlan, nd_frame_na_vlan, sizeof nd_frame_na_vlan, "VLAN NA" },
    };
    static const struct {
        size_t (*fn)(uint8_t *, size_t, const struct nd_na_params *);
        const char *name;
    } builders[2] = { { nd_build_na, "build" }, { nd_build_na_fused, "build-fused" } };
    for (int b = 0; b < 2; b++) {
        for (int g = 0; g < 2; g++) {
            struct nd_na_params prm;
            memset(&r, 0, sizeof r);
            nd_parse_ns(golden[g].ns, golden[g].len, &r);
            na_params_from_ns(golden[g].ns, &r, &prm);
            memset(f, 0xa5, sizeof f);
            n = builders[b].fn(f, sizeof f, &prm);
            snprintf(what, sizeof what, "%s %s: length %zu", builders[b].name,
                     golden[g].name, golden[g].len);
            check(n == golden[g].len, what);
            snprintf(what, sizeof what, "%s %s: golden bytes", builders[b].name, golden[g].name);
            check(n == golden[g].len && memcmp(f, golden[g].na, n) == 0, what);
            size_t ip = n - NA_LEN - IP6_HEADER_LEN;
            snprintf(what, sizeof what, "%s %s: checksum verifies (recomputed sum is 0)",
                     builders[b].name, golden[g].name);
            check(ref_verify(f + ip, f + ip + IP6_HEADER_LEN, NA_LEN) == 0, what);
            snprintf(what, sizeof what, "%s %s: too small a buffer", builders[b].name,
                     golden[g].name);
            check(builders[b].fn(f, golden[g].len - 1, &prm) == 0, what);
        }
    }
    /* A DAD answer: S=0, to ff02::1 / 33:33:00:00:00:01, checksum valid. */
    {
        struct nd_na_params prm;
        copy_ns(f);
        memset(f + T_IP + 8, 0, 16);
        f[T_IP + 5] = 24;
        memset(&r, 0, sizeof r);
        check_err(parse_fixed(f, 78, T_IP, T_ICMP), ND_OK, "DAD NS for the NA");
        nd_parse_ns(f, 78, &r);
        na_params_from_ns(f, &r, &prm);
        uint8_t na[128];
        memset(na, 0xa5, sizeof na);
        n = nd_build_na(na, sizeof na, &prm);
        check(n == 86 && memcmp(na, all_nodes_mac, 6) == 0
              && memcmp(na + T_IP + 24, all_nodes, 16) == 0 && na[T_ICMP + 4] == 0x80
              && ref_verify(na + T_IP, na + T_ICMP, NA_LEN) == 0,
              "DAD NA: R=1 S=0 to ff02::1, checksum valid");
        uint8_t na2[128];
        memset(na2, 0x5a, sizeof na2);
        check(nd_build_na_fused(na2, sizeof na2, &prm) == 86 && memcmp(na, na2, 86) == 0,
              "DAD NA: fused builder gives the same bytes");
    }
}

/* ------------------------------------------------------------------------------------ */
/* Benchmark                                                                              */
/* ------------------------------------------------------------------------------------ */

static volatile uint64_t sink;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The empty asm with a "memory" clobber tells the compiler the frame (or the parameters)
 * may have changed: every iteration re-reads them and does the whole operation. The
 * results are accumulated and stored to a volatile sink. */
static uint64_t bench_parse(const uint8_t *frame, size_t len, long iterations)
{
    uint64_t acc = 0;
    for (long i = 0; i < iterations; i++) {
        struct nd_ns r;
        __asm__ volatile("" : : "r"(frame) : "memory");
        enum nd_error e = nd_parse_ns(frame, len, &r);
        acc += e != ND_OK ? (uint64_t)e << 32 : (uint64_t)(r.target[15] ^ r.slla[5]);
    }
    return acc;
}

/* `build` is a constant at each call: inlined, the loop calls the builder directly. */
static inline __attribute__((always_inline)) uint64_t
bench_build(size_t (*build)(uint8_t *, size_t, const struct nd_na_params *),
            const struct nd_na_params *prm, uint8_t *buf, size_t cap, long iterations)
{
    uint64_t acc = 0;
    for (long i = 0; i < iterations; i++) {
        __asm__ volatile("" : : "r"(prm), "r"(buf) : "memory");
        size_t n = build(buf, cap, prm);
        acc += n;
    }
    __asm__ volatile("" : : "r"(buf) : "memory");
    return acc + buf[0];
}

/* parse + fill the parameters + build, as the responder does per NS it answers. */
static uint64_t bench_respond(const uint8_t *frame, size_t len, uint8_t *buf, size_t cap,
                              long iterations)
{
    uint64_t acc = 0;
    for (long i = 0; i < iterations; i++) {
        struct nd_ns r;
        struct nd_na_params prm;
        __asm__ volatile("" : : "r"(frame), "r"(buf) : "memory");
        if (nd_parse_ns(frame, len, &r) == ND_OK) {
            na_params_from_ns(frame, &r, &prm);
            acc += nd_build_na(buf, cap, &prm);
        }
    }
    __asm__ volatile("" : : "r"(buf) : "memory");
    return acc + buf[0];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void print_hex(const char *name, const uint8_t *p, size_t n)
{
    printf("%s (%zu bytes):\n", name, n);
    for (size_t i = 0; i < n; i++)
        printf("%02x%s", p[i], (i % 16 == 15 || i + 1 == n) ? "\n" : " ");
}

static int usage(const char *argv0)
{
    fprintf(stderr, "usage: %s parse|build|build-fused|respond N [vlan]\n"
                    "       %s selftest | hex\n", argv0, argv0);
    return 2;
}

enum { BATCHES = 11 };

int main(int argc, char **argv)
{
    selftest();
    if (checks_failed) {
        fprintf(stderr, "selftest: %d of %d checks failed\n", checks_failed, checks_run);
        return 1;
    }
    if (argc < 2)
        return usage(argv[0]);
    if (strcmp(argv[1], "selftest") == 0) {
        printf("selftest=ok checks=%d\n", checks_run);
        return 0;
    }
    if (strcmp(argv[1], "hex") == 0) {
        print_hex("NS", nd_frame_ns, sizeof nd_frame_ns);
        print_hex("NS VLAN 10", nd_frame_ns_vlan, sizeof nd_frame_ns_vlan);
        print_hex("NA", nd_frame_na, sizeof nd_frame_na);
        print_hex("NA VLAN 10", nd_frame_na_vlan, sizeof nd_frame_na_vlan);
        return 0;
    }
    int mode;
    if (strcmp(argv[1], "parse") == 0) mode = 0;
    else if (strcmp(argv[1], "build") == 0) mode = 1;
    else if (strcmp(argv[1], "respond") == 0) mode = 2;
    else if (strcmp(argv[1], "build-fused") == 0) mode = 3;
    else return usage(argv[0]);
    if (argc < 3 || argc > 4)
        return usage(argv[0]);
    char *endp;
    long iterations = strtol(argv[2], &endp, 10);
    if (*endp != '\0' || iterations < 0)
        return usage(argv[0]);
    int vlan = 0;
    if (argc == 4) {
        if (strcmp(argv[3], "vlan") != 0)
            return usage(argv[0]);
        vlan = 1;
    }

    const uint8_t *frame = vlan ? nd_frame_ns_vlan : nd_frame_ns;
    size_t frame_len = vlan ? sizeof nd_frame_ns_vlan : sizeof nd_frame_ns;
    struct nd_ns ns;
    struct nd_na_params prm;
    nd_parse_ns(frame, frame_len, &ns);
    na_params_from_ns(frame, &ns, &prm);
    static uint8_t buf[128];

    /* One untimed warm-up batch, then BATCHES timed ones; total = (BATCHES + 1) * N. */
    double per_op[BATCHES];
    for (int b = -1; b < BATCHES; b++) {
        double t0 = now_ns();
        uint64_t acc;
        switch (mode) {
        case 0: acc = bench_parse(frame, frame_len, iterations); break;
        case 1: acc = bench_build(nd_build_na, &prm, buf, sizeof buf, iterations); break;
        case 3: acc = bench_build(nd_build_na_fused, &prm, buf, sizeof buf, iterations); break;
        default: acc = bench_respond(frame, frame_len, buf, sizeof buf, iterations); break;
        }
        double t1 = now_ns();
        sink = sink + acc;
        if (b >= 0)
            per_op[b] = iterations ? (t1 - t0) / (double)iterations : 0.0;
    }
    qsort(per_op, BATCHES, sizeof per_op[0], cmp_double);
    printf("mode=%s frame=%s frame_len=%zu iterations=%ld batches=%d total_ops=%ld "
           "min_ns=%.3f max_ns=%.3f\n",
           argv[1], vlan ? "vlan10" : "untagged", frame_len, iterations, BATCHES,
           iterations * (BATCHES + 1), per_op[0], per_op[BATCHES - 1]);
    printf("ns_per_op=%.3f\n", per_op[BATCHES / 2]);
    return 0;
}
