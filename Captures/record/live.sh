#!/bin/bash
# Record the live-mode replay fixtures (Captures/live-*.pcap; see ../README.md, "Live mode").
#
#   sudo bash Captures/record/live.sh [OUTDIR]      (OUTDIR defaults to Captures/)
#
# The bed of testbed.sh, with no ndpd in it. Each capture is taken on br0 and keeps only the
# Neighbor Solicitations and Advertisements that the router and the guest send: the host's own
# frames are left out (ndisc6 run on the host stands in for ndpd's probe so that the real guest
# kernel answers one; replay sends its own probes, into --write). No frame is edited.
# Only the .pcap files are written; the .toml and .expected.jsonl files are written by hand.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$(dirname "$HERE")}"

if [ "$(id -u)" != 0 ]; then
    echo "live.sh: must run as root (network namespaces)" >&2
    exit 1
fi
for tool in tcpdump ndisc6 ping bridge; do
    command -v "$tool" >/dev/null || { echo "live.sh: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done

# shellcheck source=testbed.sh
. "$HERE/testbed.sh"

cleanup() { cap_stop; tb_down; }
trap cleanup EXIT
trap 'exit 130' INT TERM

HOST_MAC=02:00:00:00:00:01
# ND only (types 135, 136, no extension header: MLD's hop-by-hop header leaves it out), and
# nothing the host sent.
FILTER="icmp6 and (ip6[40] == 135 or ip6[40] == 136) and not ether src $HOST_MAC"

# ask NS ADDR [IF]: one NS for ADDR from namespace NS (ndisc6: one try, 100 ms wait).
ask() { ip netns exec "$1" ndisc6 -1 -n -r 1 -w 100 "$2" "${3:-eth0}" >/dev/null 2>&1 || true; }
# probe ADDR: the host solicits ADDR on br0, as ndpd's probe does; the guest answers it.
probe() { ask "$H" "$1" br0; }

tb_up

# First contact: the router asks for the guest; the guest answers the host's probe; the router
# asks again.
echo "== live-first-contact"
cap_start "$OUT/live-first-contact.pcap" -i br0 "$FILTER"
ask "$R" "$GUEST_ADDR"
probe "$GUEST_ADDR"
sleep 0.3
ask "$R" "$GUEST_ADDR"
cap_stop

# An absent address: the router asks five times, 200 ms apart; nobody answers.
echo "== live-absent"
cap_start "$OUT/live-absent.pcap" -i br0 "$FILTER"
ip netns exec "$R" ndisc6 -n -r 5 -w 200 2001:db8:0:96ce::a:b5e eth0 >/dev/null 2>&1 || true
cap_stop

# A guest's DAD: the guest adds an address with three DAD probes 1 s apart; the router asks
# during the DAD and again 2.5 s after it ended.
echo "== live-dad"
NEW=2001:db8:0:96ce::5:1
cap_start "$OUT/live-dad.pcap" -i br0 "$FILTER"
gx sysctl -qw net.ipv6.conf.eth0.accept_dad=1 net.ipv6.conf.eth0.dad_transmits=3
ip -n "$G" -6 addr add "$NEW/64" dev eth0
sleep 1.5
ask "$R" "$NEW"
wait_dad "$G" "$NEW"
sleep 2.5
ask "$R" "$NEW"
cap_stop

# A STALE entry re-probed: the guest answers a probe for an address, then gives the address
# up; the router asks once the entry is STALE (reachable = 1 s), and again 5 s later.
echo "== live-stale"
GONE=2001:db8:0:96ce::6:1
ip -n "$G" -6 addr add "$GONE/64" dev eth0 nodad
cap_start "$OUT/live-stale.pcap" -i br0 "$FILTER"
probe "$GONE"
ip -n "$G" -6 addr del "$GONE/64" dev eth0
sleep 1.5
ask "$R" "$GONE"
sleep 5
ask "$R" "$GONE"
cap_stop

for f in live-first-contact live-absent live-dad live-stale; do
    echo "-- $f"
    tcpdump -r "$OUT/$f.pcap" -n -e -tt 2>/dev/null
done
