/*
 * nd_floor_responder.c - the least a user-space NS responder can cost: the floor line of
 * Benchmarks/compare.
 *
 * What it does, and nothing more:
 *   - libpcap in immediate mode, inbound only, a kernel BPF filter that passes only ICMPv6 NS
 *     (type 135 right after the IPv6 header), a blocking pcap_loop;
 *   - for every NS: an NA written from the NS's fixed offsets (untagged Ethernet, no extension
 *     headers), R=1 S=1 O=0, from the interface's link-local address (EUI-64 of its MAC) to the
 *     NS's source, TLLA = the interface's MAC, Ethernet destination = the NS's SLLA when the
 *     option sits where a router puts it, else the Ethernet source; checksum (RFC 4443 §2.3);
 *   - one sendto() per NA on an AF_PACKET socket that also holds the all-multicast membership
 *     (as ndpd's does, so both receive the same solicited-node multicast).
 *
 * No validation (hop limit, checksum, options, RFC 4861 §7.1.1), no policy (every target is
 * answered), no DAD handling, no reload, no counters: nothing can cost less in user space
 * for the same answer. It is a reference for the test bed only, never a responder to run.
 *
 * Build:  cc -O2 -o nd_floor_responder nd_floor_responder.c -lpcap
 * Usage:  nd_floor_responder IFACE        (as root; SIGTERM or SIGINT stops it)
 */
#define _DEFAULT_SOURCE

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
    ETH_LEN = 14,
    IP6_LEN = 40,
    NS_TARGET = ETH_LEN + IP6_LEN + 8, /* RFC 4861 §4.3: type, code, checksum, reserved */
    NS_OPTION = NS_TARGET + 16,
    NA_LEN = ETH_LEN + IP6_LEN + 32,   /* NA (24) + TLLA option (8) */
};

struct responder {
    int fd;
    struct sockaddr_ll to;
    uint8_t mac[6];
    uint8_t link_local[16];
    uint8_t na[NA_LEN];
};

static pcap_t *capture;

static void stop(int signal_number)
{
    (void)signal_number;
    if (capture) pcap_breakloop(capture);
}

/* RFC 1071 ones'-complement sum of n bytes (n even), big-endian words. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 2) sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    return sum;
}

static void on_ns(u_char *user, const struct pcap_pkthdr *header, const u_char *ns)
{
    struct responder *r = (struct responder *)user;
    if (header->caplen < NS_OPTION) return;
    uint8_t *na = r->na;
    const uint8_t *to_mac = ns + 6;
    if (header->caplen >= NS_OPTION + 8 && ns[NS_OPTION] == 1 && ns[NS_OPTION + 1] == 1)
        to_mac = ns + NS_OPTION + 2;
    memcpy(na, to_mac, 6);
    memcpy(na + 6, r->mac, 6);
    na[12] = 0x86; na[13] = 0xdd;
    uint8_t *ip = na + ETH_LEN;
    ip[0] = 0x60; ip[1] = 0; ip[2] = 0; ip[3] = 0;
    ip[4] = 0; ip[5] = 32; ip[6] = 58; ip[7] = 255;
    memcpy(ip + 8, r->link_local, 16);
    memcpy(ip + 24, ns + ETH_LEN + 8, 16);             /* to the NS's source */
    uint8_t *icmp = ip + IP6_LEN;
    icmp[0] = 136; icmp[1] = 0; icmp[2] = 0; icmp[3] = 0;
    icmp[4] = 0xc0; icmp[5] = 0; icmp[6] = 0; icmp[7] = 0; /* R=1 S=1 O=0 */
    memcpy(icmp + 8, ns + NS_TARGET, 16);
    icmp[24] = 2; icmp[25] = 1;
    memcpy(icmp + 26, r->mac, 6);
    /* Pseudo-header (RFC 8200 §8.1): addresses, upper-layer length 32, next header 58. */
    uint32_t sum = sum16(0, ip + 8, 32) + 32 + 58;
    sum = sum16(sum, icmp, 32);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    uint16_t checksum = (uint16_t)~sum;
    icmp[2] = (uint8_t)(checksum >> 8);
    icmp[3] = (uint8_t)checksum;
    (void)sendto(r->fd, na, NA_LEN, 0, (struct sockaddr *)&r->to, sizeof r->to);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s IFACE\n", argv[0]);
        return 2;
    }
    const char *name = argv[1];
    char errbuf[PCAP_ERRBUF_SIZE];
    static struct responder r;
    unsigned index = if_nametoindex(name);
    r.fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (index == 0 || r.fd < 0) { perror(name); return 1; }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(r.fd, SIOCGIFHWADDR, &ifr) != 0) { perror("SIOCGIFHWADDR"); return 1; }
    memcpy(r.mac, ifr.ifr_hwaddr.sa_data, 6);
    /* fe80::/64 with the modified EUI-64 of the MAC (RFC 4291 appendix A). */
    r.link_local[0] = 0xfe; r.link_local[1] = 0x80;
    r.link_local[8] = r.mac[0] ^ 0x02; r.link_local[9] = r.mac[1]; r.link_local[10] = r.mac[2];
    r.link_local[11] = 0xff; r.link_local[12] = 0xfe;
    r.link_local[13] = r.mac[3]; r.link_local[14] = r.mac[4]; r.link_local[15] = r.mac[5];
    r.to.sll_family = AF_PACKET;
    r.to.sll_protocol = htons(ETH_P_IPV6);
    r.to.sll_ifindex = (int)index;
    struct sockaddr_ll bound = { .sll_family = AF_PACKET, .sll_ifindex = (int)index };
    struct packet_mreq mreq = { .mr_ifindex = (int)index, .mr_type = PACKET_MR_ALLMULTI };
    if (bind(r.fd, (struct sockaddr *)&bound, sizeof bound) != 0 ||
        setsockopt(r.fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0) {
        perror("AF_PACKET socket");
        return 1;
    }

    capture = pcap_create(name, errbuf);
    if (!capture) { fprintf(stderr, "%s\n", errbuf); return 1; }
    pcap_set_immediate_mode(capture, 1);
    pcap_set_snaplen(capture, 1522);
    pcap_set_buffer_size(capture, 4 << 20);
    if (pcap_activate(capture) < 0) { fprintf(stderr, "%s\n", pcap_geterr(capture)); return 1; }
    struct bpf_program program;
    if (pcap_setdirection(capture, PCAP_D_IN) != 0 ||
        pcap_compile(capture, &program, "icmp6 and ip6[40] == 135", 1, PCAP_NETMASK_UNKNOWN) != 0 ||
        pcap_setfilter(capture, &program) != 0) {
        fprintf(stderr, "%s\n", pcap_geterr(capture));
        return 1;
    }
    pcap_freecode(&program);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = stop;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    fprintf(stderr, "nd_floor_responder: answering every NS on %s\n", name);
    pcap_loop(capture, -1, on_ns, (u_char *)&r);
    pcap_close(capture);
    close(r.fd);
    return 0;
}
