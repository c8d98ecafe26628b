#!/bin/bash
# show.sh [DIR]: one line per frame of every fixture, as tshark decodes it (tshark 4 validates the
# ICMPv6 checksum by default).
# Columns: frame, caplen/len, 802.1ad S-VLAN id, 802.1Q VLAN id, IPv6 source, destination, hop limit, ICMPv6 type, code,
# NS target, option types, checksum status (1 good, 0 bad), fragment header present.
set -uo pipefail
DIR="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
for f in "$DIR"/*.pcap; do
    echo "== $(basename "$f")"
    tshark -r "$f" \
        -T fields -E occurrence=a -E aggregator=, \
        -e frame.number -e frame.cap_len -e frame.len -e ieee8021ad.id -e vlan.id -e ipv6.src -e ipv6.dst \
        -e ipv6.hlim -e icmpv6.type -e icmpv6.code -e icmpv6.nd.ns.target_address \
        -e icmpv6.opt.type -e icmpv6.checksum.status -e ipv6.fraghdr.ident 2>/dev/null ||
        echo "(tshark cannot read $(basename "$f"))"
done
