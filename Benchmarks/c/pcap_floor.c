/*
 * pcap_floor.c - the replay floor: what libpcap alone costs to read a capture.
 *
 * Opens FILE with pcap_open_offline() and runs pcap_loop() with a callback that only
 * counts the packets and sums their caplen: no parsing, no decision, no output. Whatever
 * `ndpd --replay` spends per packet above this is ndpd's own.
 *
 * Build:  cc -O2 -o pcap_floor pcap_floor.c -lpcap
 * Usage:  pcap_floor FILE
 * Output: open_seconds=<t> (pcap_open_offline alone)
 *         packets=<n> seconds=<wall> ns_per_packet=<x> bytes=<sum of caplen>
 * Times are CLOCK_MONOTONIC; `seconds` covers pcap_loop only. Run it twice and keep the
 * second figure if the file should come from the page cache.
 */
#define _DEFAULT_SOURCE /* clock_gettime, and the BSD u_char/u_int that pcap.h uses */

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct counters {
    uint64_t packets;
    uint64_t bytes;
};

static void on_packet(u_char *user, const struct pcap_pkthdr *header, const u_char *bytes)
{
    (void)bytes;
    struct counters *c = (struct counters *)user;
    c->packets++;
    c->bytes += header->caplen;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];

    double t0 = now_seconds();
    pcap_t *p = pcap_open_offline(argv[1], errbuf);
    double t1 = now_seconds();
    if (p == NULL) {
        fprintf(stderr, "pcap_open_offline(%s): %s\n", argv[1], errbuf);
        return 1;
    }
    printf("open_seconds=%.6f linktype=%d\n", t1 - t0, pcap_datalink(p));

    struct counters c = { 0, 0 };
    double t2 = now_seconds();
    int rc = pcap_loop(p, -1, on_packet, (u_char *)&c);
    double t3 = now_seconds();
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "pcap_loop(%s): %s\n", argv[1], pcap_geterr(p));
        pcap_close(p);
        return 1;
    }
    pcap_close(p);

    double seconds = t3 - t2;
    printf("packets=%llu seconds=%.6f ns_per_packet=%.2f bytes=%llu\n",
           (unsigned long long)c.packets, seconds,
           c.packets ? seconds * 1e9 / (double)c.packets : 0.0,
           (unsigned long long)c.bytes);
    return 0;
}
