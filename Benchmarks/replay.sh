#!/usr/bin/env bash
# Replay throughput against the libpcap floor, in one run:
#   ndpd --replay --quiet          vs  a bare C pcap_loop read of the same file (target <= 1.3x)
#   ndpd --replay --quiet --write  vs  the same floor                            (target <= 2.5x)
# plus the policy table's lookup flatness and the 1M-target load time.
#
#   Benchmarks/replay.sh [--callgrind]        COUNT=1000000 ROUNDS=11 by default
#
# Times are whole-process wall times (start-up included, as a user sees them), taken with bash's
# $EPOCHREALTIME. The commands alternate in every round (floor, then each ndpd run), so a burst
# of load from another process hits them all alike; each figure is the median of ROUNDS runs.
# The targets apply to the binary README.md installs (`--static-swift-stdlib`: the Swift runtime
# linked in, so the server needs only libpcap); the plain `swift build -c release` binary, which
# loads the Swift runtime and Foundation as shared libraries at every start, is shown beside it.
# `--callgrind` adds instructions per packet, which repeat exactly: (Ir of a 100k-packet run minus
# Ir of the 5-packet seed.pcap run) / 100k, so start-up (and the loading of a 1M-target table) is
# left out of that figure; and the instructions per policy decision at 10, 10k and 1M exact addresses.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-1000000}
rounds=${ROUNDS:-11}
out=Benchmarks/out
mkdir -p "$out"
pcap="$out/ns-$count.pcap"
replies="$out/replies.pcap"

swift build -c release --static-swift-stdlib --scratch-path .build-static --product ndpd >/dev/null
swift build -c release --product ndpd >/dev/null
swift build -c release --product ndpd-policy-bench >/dev/null
cc -O2 -o "$out/pcap_floor" Benchmarks/c/pcap_floor.c -lpcap
[ -f "$pcap" ] || python3 Benchmarks/tools/gen_ns_pcap.py --count "$count" --out "$pcap" >/dev/null
static=.build-static/release/ndpd
dynamic=$(swift build -c release --show-bin-path)/ndpd
policy=$(swift build -c release --show-bin-path)/ndpd-policy-bench
config=(--proxy 2001:db8:0:96ce::/64)

# Seconds one run of a command takes; the command must succeed.
elapsed() {
  local start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || { echo "replay.sh: failed: $*" >&2; exit 1; }
  echo "$EPOCHREALTIME - $start" | bc -l
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# Warm the page cache and the binaries once.
"$out/pcap_floor" "$pcap" >/dev/null
"$static" --replay "$pcap" --quiet "${config[@]}" >/dev/null

floor=(); quiet=(); write=(); quiet_dyn=(); write_dyn=()
for _ in $(seq "$rounds"); do
  floor+=("$(elapsed "$out/pcap_floor" "$pcap")")
  quiet+=("$(elapsed "$static" --replay "$pcap" --quiet "${config[@]}")")
  write+=("$(elapsed "$static" --replay "$pcap" --quiet --write "$replies" "${config[@]}")")
  quiet_dyn+=("$(elapsed "$dynamic" --replay "$pcap" --quiet "${config[@]}")")
  write_dyn+=("$(elapsed "$dynamic" --replay "$pcap" --quiet --write "$replies" "${config[@]}")")
done
f=$(median "${floor[@]}")

echo "replay of $count solicitations ($(nproc) cores, $(date -u +%F)), median of $rounds alternated wall-clock runs"
printf '%-58s %9s %11s %8s  %s\n' "run" "seconds" "ns/packet" "ratio" "target"
row() { # label seconds target
  printf '%-58s %9.4f %11.1f %7.2fx  %s\n' "$1" "$2" "$(echo "$2 * 1000000000 / $count" | bc -l)" "$(echo "$2 / $f" | bc -l)" "$3"
}
verdict() { if (( $(echo "$1 / $f <= $2" | bc -l) )); then echo "<= ${2}x: met"; else echo "<= ${2}x: NOT met"; fi; }
q=$(median "${quiet[@]}"); w=$(median "${write[@]}")
row "C pcap_loop floor" "$f" "-"
row "ndpd --replay --quiet (installed build, static stdlib)" "$q" "$(verdict "$q" 1.3)"
row "ndpd --replay --quiet --write (installed build)" "$w" "$(verdict "$w" 2.5)"
row "ndpd --replay --quiet (plain swift build -c release)" "$(median "${quiet_dyn[@]}")" "(shared runtime: start-up)"
row "ndpd --replay --quiet --write (plain build)" "$(median "${write_dyn[@]}")" ""
# Milliseconds a command takes on the 5-packet seed.pcap, median of 3: start-up and little else.
startup() { echo "$(median "$(elapsed "$@")" "$(elapsed "$@")" "$(elapsed "$@")") * 1000" | bc -l; }
printf 'start-up (5-packet seed.pcap, median of 3): floor %.1f ms, ndpd installed build %.1f ms, plain build %.1f ms\n' \
  "$(startup "$out/pcap_floor" Captures/seed.pcap)" "$(startup "$static" --replay Captures/seed.pcap --quiet)" \
  "$(startup "$dynamic" --replay Captures/seed.pcap --quiet)"

if [ "${1:-}" = "--callgrind" ]; then
  small="$out/ns-100000.pcap"
  [ -f "$small" ] || python3 Benchmarks/tools/gen_ns_pcap.py --count 100000 --out "$small" >/dev/null
  ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/refs:/ {gsub(",", "", $NF); print $NF}'; }
  # Debian's valgrind 3.19 cannot read the DWARF 5 that Swift emits: count a copy without it.
  objcopy --strip-debug "$static" "$out/ndpd-nodebug"
  ndpd="$out/ndpd-nodebug"
  # Instructions per packet of a command whose capture argument is written FILE: its run on the
  # 100k-packet file minus its run on the 5-packet seed.pcap, over 100k.
  per_packet() { echo $(( ($(ir "${@/#FILE/$small}") - $(ir "${@/#FILE/Captures/seed.pcap}")) / 100000 )); }
  fl=$(per_packet "$out/pcap_floor" FILE)
  qi=$(per_packet "$ndpd" --replay FILE --quiet "${config[@]}")
  wi=$(per_packet "$ndpd" --replay FILE --quiet --write "$replies" "${config[@]}")
  echo "instructions per packet (callgrind): floor $fl, ndpd --quiet $qi ($(echo "$qi / $fl" | bc -l | cut -c1-4)x), ndpd --quiet --write $wi ($(echo "$wi / $fl" | bc -l | cut -c1-4)x)"
  # The same replay with a million exact targets besides the /64: the table outgrows the cache,
  # so the engine holds solicitations back and prefetches their table lines (Engine, "Lookahead").
  targets="$out/targets-1m.txt"
  [ -f "$targets" ] || python3 scripts/random-targets.py 2001:db8:1 1000000 7 > "$targets"
  printf '[[proxy]]\ninterface = "br0"\ntargets = ["2001:db8:0:96ce::/64"]\ntargets-file = "targets-1m.txt"\n' > "$out/targets-1m.toml"
  li=$(per_packet "$ndpd" --replay FILE --quiet --config "$out/targets-1m.toml")
  echo "  with 1M exact targets besides the /64 (lookahead and prefetch): ndpd --quiet $li"
fi

echo
"$policy"

if [ "${1:-}" = "--callgrind" ]; then
  # The same decisions counted in instructions, which do not depend on the caches: what the
  # lookup itself costs at each size, (Ir of 65536 decisions - Ir of none) / 65536.
  objcopy --strip-debug "$policy" "$out/policy-nodebug"
  line="instructions per decision (callgrind):"
  for size in 10 10000 1000000; do
    many=$(ir "$out/policy-nodebug" count "$size" 65536)
    none=$(ir "$out/policy-nodebug" count "$size" 0)
    per=$(( (many - none) / 65536 ))
    [ "$size" = 10 ] && base=$per
    line="$line $size: $per ($(printf '%.2f' "$(echo "$per / $base" | bc -l)")x);"
  done
  echo "${line%;}"
fi
