#!/usr/bin/env bash
# wakeup_cost.sh - CPU per NS of the floor and of one or two ndpd builds at a paced rate, in
# interleaved rounds, in the bed of Benchmarks/compare (as root).
#
#   Benchmarks/tools/wakeup_cost.sh [--ndpd PATH] [--ndpd2 PATH] [--rounds N] [--count N]
#                                   [--rate PPS] [--sender paced|tcpreplay] [--sched] [--callgrind]
#
# Router, host (bridge br0, isolated ports) and guest namespaces as in Benchmarks/compare; each
# responder runs pinned to CPU 1, the sender pinned to CPU 0. Per responder and round: start,
# 2000 NS of warm-up, then --count NS at --rate from the router's side, with
# Benchmarks/tools/paced_sender.c (every NS at its own deadline: one wake-up per NS at 10k NS/s)
# or tcpreplay --pps as Benchmarks/compare sends them. CPU = the responder's sum_exec_runtime
# (/proc/PID/task/*/schedstat, in ns: what /proc/PID/stat's utime+stime add up to), wake-ups =
# voluntary context switches of all its threads. Prints one line per responder and round.
#
# --sched also records the scheduler's switches and wake-ups (perf record -a, sched and softirq
# tracepoints) during 5000 more NS, and prints each responder's on-CPU time per wake-up from
# them (Benchmarks/tools/sched_intervals.py): the cost of one wake-up, whatever else the run did.
#
# --callgrind instead counts each ndpd build's user-space instructions per NS, exactly: the daemon
# under valgrind --tool=callgrind (from a copy without debug information, which valgrind cannot
# read), 2000 NS at 500 NS/s to warm up, counters zeroed, then 1000 NS at 500 NS/s (one wake-up
# each), counters dumped; prints the total per NS and the heaviest functions.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
NDPD="$REPO/.build/release/ndpd" NDPD2="" ROUNDS=5 COUNT=30000 RATE=10000 SENDER=paced SCHED=0 CALLGRIND=0
# shellcheck source=common.sh
. "$HERE/common.sh"
parse_options "$0" --ndpd=NDPD --ndpd2=NDPD2 --rounds=ROUNDS --count=COUNT --rate=RATE --sender=SENDER \
  --sched:SCHED=1 --callgrind:CALLGRIND=1 -- "$@"
[ "$(id -u)" = 0 ] || { echo "wakeup_cost.sh: run as root" >&2; exit 1; }
if [ "$CALLGRIND" = 1 ]; then
  for tool in valgrind callgrind_control callgrind_annotate objcopy; do
    command -v "$tool" >/dev/null || { echo "wakeup_cost.sh: --callgrind needs $tool" >&2; exit 1; }
  done
fi
WORK=$(mktemp -d /tmp/wakeup-cost.XXXXXX)
PFX="wkc$$-" R="wkc$$-r" H="wkc$$-h" G="wkc$$-g" BR=br0 RP=""
cleanup() {
  [ -n "$RP" ] && kill -TERM "$RP" 2>/dev/null
  sleep 0.3
  local ns p
  for ns in "$R" "$H" "$G"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
cc -O2 -o "$WORK/floor" "$REPO/Benchmarks/c/nd_floor_responder.c" -lpcap || exit 1
cc -O2 -o "$WORK/paced_sender" "$HERE/paced_sender.c" -lpcap || exit 1
python3 "$REPO/Benchmarks/compare.d/nd.py" pcap --out "$WORK/ns.pcap" --count 100000 --random || exit 1
inR() { ip netns exec "$R" "$@"; }
inH() { ip netns exec "$H" "$@"; }
for ns in "$R" "$H" "$G"; do ip netns add "$ns" && ip -n "$ns" link set lo up || exit 1; done
inH sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.forwarding=1 \
  net.ipv6.conf.all.proxy_ndp=0 net.ipv6.conf.default.proxy_ndp=0 net.ipv6.conf.default.accept_dad=0
ip -n "$H" link add up0 type veth peer name rtr0 netns "$R"
ip -n "$H" link add vm0 type veth peer name eth0 netns "$G"
inH sysctl -qw net.ipv6.conf.up0.disable_ipv6=1 net.ipv6.conf.vm0.disable_ipv6=1
ip -n "$R" link set rtr0 address 02:00:00:00:0a:01
ip -n "$G" link set eth0 address 02:00:00:00:0b:02
inR sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.conf.rtr0.accept_dad=0
inH ip link add "$BR" address 02:00:00:00:00:01 type bridge mcast_snooping 0
inH sysctl -qw "net.ipv6.conf.$BR.accept_dad=0" "net.ipv6.conf.$BR.proxy_ndp=0"
inH ip link set up0 master "$BR"; inH bridge link set dev up0 isolated on
inH ip link set vm0 master "$BR"; inH bridge link set dev vm0 isolated on
inH ip link set up0 up; inH ip link set vm0 up; inH ip link set "$BR" up
inH ip -6 addr add 2001:db8:0:96ce::1/64 dev "$BR" nodad
ip -n "$R" link set rtr0 up
ip -n "$R" -6 addr add 2001:db8:0:96ff:ff:ff:ff:ff/56 dev rtr0 nodad
ip -n "$G" link set eth0 up
sleep 1
printf '[[proxy]]\ninterface = "%s"\ntargets = ["2001:db8:0:96ce::/64"]\nunsolicited-na = false\n' "$BR" >"$WORK/ndpd.toml"

send() { # COUNT
  if [ "$SENDER" = tcpreplay ]; then
    inR taskset -c 0 tcpreplay -i rtr0 -K --pps="$RATE" -L "$1" "$WORK/ns.pcap" >/dev/null 2>&1
  else
    inR taskset -c 0 "$WORK/paced_sender" rtr0 "$WORK/ns.pcap" "$1" "$RATE"
  fi
}
nas() { inR awk '$1 == "Icmp6InNeighborAdvertisements" { print $2 }' /proc/net/snmp6; }
runtime_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ n += $1 } END { print n }'; }
wakeups() { cat /proc/"$1"/task/*/status | awk '$1 == "voluntary_ctxt_switches:" { n += $2 } END { print n }'; }
start() {
  case $1 in
    floor) ip netns exec "$H" taskset -c 1 "$WORK/floor" "$BR" >>"$WORK/floor.log" 2>&1 & ;;
    ndpd) ip netns exec "$H" taskset -c 1 "$NDPD" --config "$WORK/ndpd.toml" >>"$WORK/ndpd.log" 2>&1 & ;;
    ndpd2) ip netns exec "$H" taskset -c 1 "$NDPD2" --config "$WORK/ndpd.toml" >>"$WORK/ndpd2.log" 2>&1 & ;;
  esac
  RP=$!
  sleep 1.5
}
if [ "$CALLGRIND" = 1 ]; then
  for build in "$NDPD" ${NDPD2:+"$NDPD2"}; do
    objcopy --strip-debug "$build" "$WORK/ndpd-nodebug"
    ip netns exec "$H" taskset -c 1 valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
      "$WORK/ndpd-nodebug" --config "$WORK/ndpd.toml" >>"$WORK/ndpd.log" 2>&1 &
    RP=$!
    sleep 8
    RATE=500 send 2000
    sleep 1
    callgrind_control -z "$RP" >/dev/null
    RATE=500 send 1000
    sleep 1
    callgrind_control -d "$RP" >/dev/null
    sleep 1
    kill -TERM "$RP"; wait "$RP" 2>/dev/null; RP=""
    # The dump after the zeroing is the second file: 1000 NS, one wake-up each.
    total=$(callgrind_annotate "$WORK/callgrind.out.1" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
    echo "# $build: $((total / 1000)) user-space instructions per NS (1000 NS at 500 NS/s)"
    # Self cost per NS of the heaviest functions (the callers that only hold the loop left out).
    callgrind_annotate --auto=no --threshold=100 "$WORK/callgrind.out.1" | grep -v "(100.0%)" | grep -E '^ *[0-9,]+ \(' |
      grep -v 'PROGRAM TOTALS\|below main\|libc_start\|ndpd_main\|NDPCommand\|DaemonO3run\|LiveDaemonC3run\|ld-linux' |
      sed -E 's/^ *([0-9,]+) +\( *[0-9.]+%\) +/\1 /' |
      awk '{ n = $1; gsub(",", "", n); $1 = ""; printf "%6d %s\n", n / 1000, substr($0, 2, 150) }' | head -n 15
    rm -f "$WORK"/callgrind.out*
  done
  exit 0
fi
RESPONDERS="floor ndpd"
[ -n "$NDPD2" ] && RESPONDERS="floor ndpd ndpd2"
echo "# sender $SENDER, $COUNT NS per cell at $RATE/s; ndpd = $NDPD${NDPD2:+, ndpd2 = $NDPD2}"
echo "round responder answered cpu_us wakeups cpu_us_per_ns wakeups_per_ns cpu_us_per_wakeup load1"
for round in $(seq "$ROUNDS"); do
  for responder in $RESPONDERS; do
    start "$responder"
    send 2000
    sleep 0.3
    c0=$(runtime_ns "$RP") w0=$(wakeups "$RP") n0=$(nas)
    send "$COUNT"
    sleep 0.5
    c1=$(runtime_ns "$RP") w1=$(wakeups "$RP") n1=$(nas)
    cpu=$(((c1 - c0) / 1000)) wk=$((w1 - w0))
    echo "$round $responder $((n1 - n0)) $cpu $wk $(echo "scale=2; $cpu / $COUNT" | bc) $(echo "scale=3; $wk / $COUNT" | bc) $(echo "scale=2; $cpu / ($wk + 1)" | bc) $(cut -d' ' -f1 /proc/loadavg)"
    if [ "$SCHED" = 1 ]; then
      perf record -q -e sched:sched_switch,sched:sched_waking,irq:softirq_entry,irq:softirq_exit -a \
        -o "$WORK/sched.data" -- bash -c "$(declare -f send inR); R=$R SENDER=$SENDER RATE=$RATE WORK=$WORK send 5000" 2>/dev/null
      echo "  $round $responder, 5000 NS: $(python3 "$HERE/sched_intervals.py" "$WORK/sched.data" "$RP")"
    fi
    kill -TERM "$RP"; wait "$RP" 2>/dev/null; RP=""
    sleep 0.3
  done
done
