#!/bin/bash
# pcapng.sh RAW.pcapng OUT.pcap: keep, from dumpcap's pcapng capture on br0, the first router NS for
# the guest, the first router NS for the host, the host's NA and the first guest NS for its
# gateway. The result stays pcapng (section header, interface description, enhanced packet
# blocks), under a .pcap name like the other fixtures (readers go by the magic number).
set -euo pipefail
in="$1" out="$2"
first() {
    tshark -r "$in" -Y "$1" -T fields -e frame.number 2>/dev/null | head -n1
}
n1=$(first 'icmpv6.type == 135 && ipv6.src == 2001:db8:0:96ff:ff:ff:ff:ff && icmpv6.nd.ns.target_address == 2001:db8:0:96ce::2')
n2=$(first 'icmpv6.type == 135 && ipv6.src == 2001:db8:0:96ff:ff:ff:ff:ff && icmpv6.nd.ns.target_address == 2001:db8:0:96ce::1')
n3=$(first 'icmpv6.type == 136 && ipv6.src == 2001:db8:0:96ce::1 && icmpv6.nd.na.target_address == 2001:db8:0:96ce::1')
n4=$(first 'icmpv6.type == 135 && ipv6.src == 2001:db8:0:96ce::2 && icmpv6.nd.ns.target_address == 2001:db8:0:96ff:ff:ff:ff:ff')
for n in "$n1" "$n2" "$n3" "$n4"; do
    [ -n "$n" ] || { echo "pcapng.sh: a wanted frame is missing from $in" >&2; exit 1; }
done
editcap -F pcapng -r "$in" "$out" "$n1" "$n2" "$n3" "$n4"
