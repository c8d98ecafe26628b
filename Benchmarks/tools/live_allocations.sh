#!/usr/bin/env bash
# live_allocations.sh - heap allocations of the live daemon per answered NS (as root).
#
#   Benchmarks/tools/live_allocations.sh [--ndpd PATH] [--few N] [--many N] [--rate PPS]
#
# Runs ndpd under valgrind (memcheck, which counts every malloc) on one end of a veth pair in a
# network namespace of its own, replays --few and then, in a second run, --many multicast NS at
# --rate per second from the other end (one wake-up per NS at 1000/s), stops ndpd with SIGTERM
# and reads valgrind's "total heap usage". Allocations per NS = (allocs(many) - allocs(few)) /
# (many - few): start-up, shutdown and whatever is allocated once cancel out. The hot path's rule
# (README, "Performance": no allocation per frame or per wake-up) holds when this prints 0.00.
#
# valgrind cannot read the Swift toolchain's DWARF 5: the binary is profiled from a copy without
# debug information (as Benchmarks/replay.sh does).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ndpd="" few=200 many=2200 rate=1000
# shellcheck source=common.sh
. "$here/common.sh"
parse_options "$0" --ndpd=ndpd --few=few --many=many --rate=rate -- "$@"
[ "$(id -u)" -eq 0 ] || { echo "live_allocations.sh: needs root (network namespace)" >&2; exit 2; }
for tool in valgrind tcpreplay strip; do
    command -v "$tool" >/dev/null || { echo "live_allocations.sh: $tool missing" >&2; exit 2; }
done
if [ -z "$ndpd" ]; then
    (cd "$root" && swift build -c release --product ndpd >/dev/null)
    ndpd="$root/.build/release/ndpd"
fi

work=$(mktemp -d /tmp/ndpd-allocations.XXXXXX)
ns="ndpalloc$$"
cleanup() {
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
cp "$ndpd" "$work/ndpd" && strip --strip-debug "$work/ndpd"
python3 "$root/Benchmarks/compare.d/nd.py" pcap --out "$work/ns.pcap" --count "$many" --random
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add a0 address 02:00:00:00:00:01 type veth peer name b0
ip netns exec "$ns" sysctl -qw net.ipv6.conf.a0.accept_dad=0 net.ipv6.conf.b0.disable_ipv6=1
ip -n "$ns" link set a0 up
ip -n "$ns" link set b0 up

allocations() { # COUNT -> "allocs answered"
    local count=$1 log="$work/valgrind-$1.log" pid
    ip netns exec "$ns" valgrind --tool=memcheck --leak-check=no --log-file="$log" \
        "$work/ndpd" --interface a0 --proxy 2001:db8:0:96ce::/64 \
        >"$work/ndpd-$count.out" 2>&1 &
    pid=$!
    for _ in $(seq 300); do grep -q "listening on a0" "$work/ndpd-$count.out" 2>/dev/null && break; sleep 0.1; done
    sleep 1
    ip netns exec "$ns" tcpreplay -i b0 -K --pps="$rate" -L "$count" "$work/ns.pcap" >/dev/null 2>&1
    sleep 1
    kill -USR1 "$pid"; sleep 1
    kill -TERM "$pid"; wait "$pid" || true
    local allocs answered
    allocs=$(sed -nE 's/.*total heap usage: ([0-9,]+) allocs.*/\1/p' "$log" | tr -d ,)
    answered=$(sed -nE 's/.*solicitations: ([0-9]+) answered.*/\1/p' "$work/ndpd-$count.out" | tail -n 1)
    echo "${allocs:-?} ${answered:-?}"
}
read -r a_few n_few < <(allocations "$few")
read -r a_many n_many < <(allocations "$many")
echo "ndpd $ndpd: $few NS -> $a_few allocations ($n_few answered); $many NS -> $a_many allocations ($n_many answered)"
awk -v a="$a_few" -v b="$a_many" -v x="$n_few" -v y="$n_many" \
    'BEGIN { if (y > x) printf "allocations per answered NS: %.2f\n", (b - a) / (y - x); else print "no answers: check the logs" }'
