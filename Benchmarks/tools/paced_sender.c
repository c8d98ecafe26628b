/*
 * paced_sender.c - sends the frames of a pcap file on an interface at an exact rate, each at its
 * own absolute deadline (clock_nanosleep, 1 ns timer slack), cycling over the file.
 *
 * tcpreplay's --pps bunches frames when its own CPU is busy, so how many NS each get a wake-up
 * of their own depends on the load; evenly spaced NS give one wake-up per NS at 10k NS/s
 * whatever the responder, so CPU per NS compares the cost of a wake-up (Benchmarks/tools/wakeup_cost.sh).
 *
 * Build:  cc -O2 -o paced_sender paced_sender.c -lpcap
 * Usage:  paced_sender IFACE PCAP COUNT RATE        (as root)
 */
#define _GNU_SOURCE
#include <linux/if_packet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>

enum { SLOT = 128, MAX_FRAMES = 100000 };

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s IFACE PCAP COUNT RATE\n", argv[0]);
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *file = pcap_open_offline(argv[2], errbuf);
    if (!file) { fprintf(stderr, "%s\n", errbuf); return 1; }
    long count = atol(argv[3]), rate = atol(argv[4]);
    if (count <= 0 || rate <= 0) return 2;
    long capacity = count < MAX_FRAMES ? count : MAX_FRAMES;
    unsigned char (*frames)[SLOT] = malloc((size_t)capacity * SLOT);
    int *lengths = malloc((size_t)capacity * sizeof *lengths);
    struct pcap_pkthdr *header;
    const u_char *bytes;
    long n = 0;
    while (n < capacity && pcap_next_ex(file, &header, &bytes) == 1) {
        lengths[n] = header->caplen > SLOT ? SLOT : (int)header->caplen;
        memcpy(frames[n], bytes, (size_t)lengths[n]);
        n++;
    }
    if (n == 0) { fprintf(stderr, "%s: no frames\n", argv[2]); return 1; }
    int fd = socket(AF_PACKET, SOCK_RAW, 0);
    struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(argv[1]) };
    if (fd < 0 || to.sll_ifindex == 0) { perror(argv[1]); return 1; }
    prctl(PR_SET_TIMERSLACK, 1UL);
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    long step = 1000000000L / rate;
    for (long i = 0; i < count; i++) {
        next.tv_nsec += step;
        while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        (void)sendto(fd, frames[i % n], (size_t)lengths[i % n], 0, (struct sockaddr *)&to, sizeof to);
    }
    return 0;
}
