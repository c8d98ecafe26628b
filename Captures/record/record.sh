#!/bin/bash
# Record ndpd's replay fixtures in network namespaces and rebuild Captures/*.pcap.
#
#   sudo bash Captures/record/record.sh [OUTDIR]      (OUTDIR defaults to Captures/)
#   KEEP_RAW=1 ... keeps the raw captures and prints where they are.
#
# Needs root (namespaces, veths, a bridge). Nothing leaves the namespaces: the router, host, guest
# and intruder namespaces are made with a unique prefix (ndpfx<pid>-) and deleted on any exit.
# Only the .pcap files are (re)written; the .toml configs and .expected.jsonl files are hand-written
# from the spec and stay as they are (build.py picks frames by what they are, so they still hold).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$(dirname "$HERE")}"
PY=/usr/bin/python3   # Debian's python, where python3-scapy lives

if [ "$(id -u)" != 0 ]; then
    echo "record.sh: must run as root (network namespaces)" >&2
    exit 1
fi

# The tools this script uses, from Debian.
need=()
command -v tcpdump >/dev/null || need+=(tcpdump)
command -v tshark >/dev/null || need+=(tshark)
command -v dumpcap >/dev/null || need+=(tshark)
command -v editcap >/dev/null || need+=(tshark)
command -v ndisc6 >/dev/null || need+=(ndisc6)
command -v ping >/dev/null || need+=(iputils-ping)
command -v bridge >/dev/null || need+=(iproute2)
$PY -c 'import scapy' 2>/dev/null || need+=(python3-scapy)
if [ "${#need[@]}" != 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# shellcheck source=testbed.sh
. "$HERE/testbed.sh"

RAW="$(mktemp -d /tmp/ndpfx-raw.XXXXXX)"
cleanup() {
    cap_stop
    tb_down
    if [ "${KEEP_RAW:-0}" = 1 ]; then
        echo "raw captures kept in $RAW"
    else
        rm -rf "$RAW"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { echo "== $*"; }

guest_resolve_gateway() {
    ip -n "$G" -6 neigh flush dev eth0 2>/dev/null || true
    gx ping -6 -c1 -W1 "$GW" >/dev/null 2>&1 || true
}

tb_up

# 1. The seed scenario: the router resolves the guest, a random address of the /64 and the host;
#    the guest resolves its gateway.
step "seed"
cap_start "$RAW/raw-seed.pcap"
router_resolve "$GUEST_ADDR"
router_resolve 2001:db8:0:96ce:5e1a:7f3b:c2d9:84e6
router_resolve "$HOST_ADDR"
guest_resolve_gateway
cap_stop

# 2. The guest reboots: its address goes and comes back with DAD (enhanced_dad: a Nonce option),
#    then the router resolves it again.
step "guest reboot"
cap_start "$RAW/raw-reboot.pcap"
ip -n "$G" -6 addr del "$GUEST_ADDR/64" dev eth0
ip -n "$G" -6 addr add "$GUEST_ADDR/64" dev eth0
wait_dad "$G" "$GUEST_ADDR"
router_resolve "$GUEST_ADDR"
cap_stop

# 3. Ownership for dad = "defend": the intruder claims a fresh address (no owner known); the guest
#    shows it owns ::2 (NS for its gateway), reboots (DAD from the owner); then the intruder
#    claims ::2 (DAD from another MAC). Isolated ports: neither VM sees the other's DAD.
step "DAD ownership"
cap_start "$RAW/raw-owner.pcap"
ip -n "$I" -6 addr add 2001:db8:0:96ce::c3/64 dev eth0
wait_dad "$I" 2001:db8:0:96ce::c3
guest_resolve_gateway
ip -n "$G" -6 addr del "$GUEST_ADDR/64" dev eth0
ip -n "$G" -6 addr add "$GUEST_ADDR/64" dev eth0
wait_dad "$G" "$GUEST_ADDR"
ip -n "$I" -6 addr add "$GUEST_ADDR/64" dev eth0
wait_dad "$I" "$GUEST_ADDR"
cap_stop
ip -n "$I" -6 addr flush dev eth0 scope global

# 4. Unicast NUD: the router holds a STALE entry for the guest at the host's MAC (what it would
#    have learnt from ndpd), sends a packet (DELAY), then probes by unicast NS (PROBE). The host,
#    a router, also forwards that NS to the guest with hop limit 254. Then ndisc6 from the
#    router's link-local address.
step "unicast NUD, ndisc6"
rx sysctl -qw net.ipv6.neigh.eth0.delay_first_probe_time=1
cap_start "$RAW/raw-nud.pcap"
ip -n "$R" -6 neigh flush dev eth0
ip -n "$R" -6 neigh replace "$GUEST_ADDR" lladdr 02:00:00:00:00:01 dev eth0 nud stale
rx ping -6 -c1 -W3 "$GUEST_ADDR" >/dev/null 2>&1 || true
rx ndisc6 -r1 -w300 2001:db8:0:96ce::3 eth0 >/dev/null 2>&1 || true
cap_stop

# 5. Policy: the router asks for anycast, excluded, own, unconfigured and link-local targets; the
#    guest re-runs DAD for its link-local address.
step "policy"
cap_start "$RAW/raw-policy.pcap"
for t in 2001:db8:0:96ce:: 2001:db8:0:96ce:fdff:ffff:ffff:ff80 2001:db8:0:96ce:fdff:ffff:ffff:ffff \
    2001:db8:0:96ce:fdff:ffff:ffff:ff7f 2001:db8:0:96ce::bad "$HOST_ADDR" 2001:db8:0:96cf::2 \
    2001:db8:0:96cf:fdff:ffff:ffff:ffff; do
    router_resolve "$t"
done
rx ndisc6 -r1 -w300 fe80::ff:fe00:b02 eth0 >/dev/null 2>&1 || true
ip -n "$R" -6 neigh flush dev eth0
ip -n "$R" -6 neigh replace fe80::ff:fe00:1 lladdr 02:00:00:00:00:01 dev eth0 nud stale
rx ping -6 -c1 -W3 fe80::ff:fe00:1%eth0 >/dev/null 2>&1 || true
sleep 1.5
ip -n "$G" -6 addr del fe80::ff:fe00:b02/64 dev eth0
ip -n "$G" -6 addr add fe80::ff:fe00:b02/64 dev eth0 scope link
wait_dad "$G" fe80::ff:fe00:b02
cap_stop
ip -n "$G" -6 route replace "$GW" dev eth0
ip -n "$G" -6 route replace default via "$GW" dev eth0

# 6. Cooked captures on "any": every frame is seen once per interface it crosses.
for lt in LINUX_SLL LINUX_SLL2; do
    step "$lt"
    f="$RAW/raw-sll.pcap"
    [ "$lt" = LINUX_SLL2 ] && f="$RAW/raw-sll2.pcap"
    cap_start "$f" -i any -y "$lt"
    router_resolve "$GUEST_ADDR"
    router_resolve "$HOST_ADDR"
    guest_resolve_gateway
    cap_stop
done

# 7. pcapng, as dumpcap writes it.
step "pcapng"
tb_quiesce
ip netns exec "$H" dumpcap -q -i br0 -f icmp6 -w "$RAW/raw-ng.pcapng" 2>"$RAW/raw-ng.log" &
CAP_PID=$!
for i in $(seq 1 50); do [ -s "$RAW/raw-ng.pcapng" ] && break; sleep 0.1; done
sleep 0.5
router_resolve "$GUEST_ADDR"
router_resolve "$HOST_ADDR"
guest_resolve_gateway
cap_stop

step "build fixtures into $OUT"
$PY "$HERE/build.py" "$RAW" "$OUT"
bash "$HERE/pcapng.sh" "$RAW/raw-ng.pcapng" "$OUT/pcapng.pcap"
editcap -F nsecpcap "$OUT/seed.pcap" "$OUT/seed-nsec.pcap"
bash "$HERE/show.sh" "$OUT"
