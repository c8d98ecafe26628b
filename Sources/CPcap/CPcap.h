// libpcap, as NDPIO sees it: live captures (opening the handle, compiling and setting the BPF
// filter, reading the capture ring) and capture files in formats ndpd does not read itself.
#ifndef NDPD_CPCAP_H
#define NDPD_CPCAP_H

#include <pcap/pcap.h>

#endif
