#!/usr/bin/env bash
# Replay throughput against the libpcap floor, in one run (issue 3):
#   ndpd --replay --quiet          vs  a bare C pcap_loop read of the same file (target <= 1.3x)
#   ndpd --replay --quiet --write  vs  the same floor                            (target <= 2.5x)
# plus the policy table's lookup flatness and the 1M-target load time.
# Wall times are medians of 5 runs; `--callgrind` adds instruction counts, which repeat exactly.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-1000000}
out=Benchmarks/out
mkdir -p "$out"
pcap="$out/ns-$count.pcap"

swift build -c release --product ndpd >/dev/null
swift build -c release --product ndpd-policy-bench >/dev/null
cc -O2 -o "$out/pcap_floor" Benchmarks/c/pcap_floor.c -lpcap
[ -f "$pcap" ] || python3 Benchmarks/tools/gen_ns_pcap.py --count "$count" --out "$pcap" >/dev/null
ndpd=$(swift build -c release --show-bin-path)/ndpd
policy=$(swift build -c release --show-bin-path)/ndpd-policy-bench
config=(--proxy 2001:db8:0:96ce::/64)

# Median wall seconds of 5 runs of a command (output discarded).
median() {
  local times=()
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n 3p
}

floor=$(median "$out/pcap_floor" "$pcap")
quiet=$(median "$ndpd" --replay "$pcap" --quiet "${config[@]}")
write=$(median "$ndpd" --replay "$pcap" --quiet --write "$out/replies.pcap" "${config[@]}")

echo "replay of $count solicitations ($(nproc) cores, $(date -u +%F)), median of 5 wall-clock runs"
printf '%-34s %10s %12s %8s  %s\n' "run" "seconds" "ns/packet" "ratio" "target"
row() { printf '%-34s %10.3f %12.1f %7.2fx  %s\n' "$1" "$2" "$(echo "$2 * 1000000000 / $count" | bc -l)" "$(echo "$2 / $floor" | bc -l)" "$3"; }
verdict() { if (( $(echo "$1 / $floor <= $2" | bc -l) )); then echo "<= ${2}x: met"; else echo "<= ${2}x: NOT met"; fi; }
row "C pcap_loop floor" "$floor" "-"
row "ndpd --replay --quiet" "$quiet" "$(verdict "$quiet" 1.3)"
row "ndpd --replay --quiet --write" "$write" "$(verdict "$write" 2.5)"

if [ "${1:-}" = "--callgrind" ]; then
  small="$out/ns-100000.pcap"
  [ -f "$small" ] || python3 Benchmarks/tools/gen_ns_pcap.py --count 100000 --out "$small" >/dev/null
  ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/refs:/ {gsub(",", "", $NF); print $NF}'; }
  # Debian's valgrind 3.19 cannot read the DWARF 5 that Swift emits: count a copy without it.
  objcopy --strip-debug "$ndpd" "$out/ndpd-nodebug"
  ndpd="$out/ndpd-nodebug"
  # Instructions per packet: a 100k-packet run minus a 5-packet run, over 100k.
  f=$(( ($(ir "$out/pcap_floor" "$small") - $(ir "$out/pcap_floor" Captures/seed.pcap)) / 100000 ))
  q=$(( ($(ir "$ndpd" --replay "$small" --quiet "${config[@]}") - $(ir "$ndpd" --replay Captures/seed.pcap --quiet "${config[@]}")) / 100000 ))
  echo "instructions per packet (callgrind): floor $f, ndpd --quiet $q, ratio $(echo "$q / $f" | bc -l | cut -c1-4)x"
fi

echo
"$policy"
