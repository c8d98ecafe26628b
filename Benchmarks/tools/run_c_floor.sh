#!/usr/bin/env bash
# run_c_floor.sh - build and run ndpd's C floors (Benchmarks/c/) and print the figures.
#
#   Benchmarks/tools/run_c_floor.sh [--iterations N] [--count N]   timings (default)
#   Benchmarks/tools/run_c_floor.sh --callgrind [--iterations N]     instructions per op
#
# Timings: nd_reference parse/build/build-fused/respond, untagged and VLAN 10, N iterations
# per batch (default 1000000), median of 11 batches; then pcap_floor over a generated
# capture of --count NS (default 1000000; Benchmarks/out/ns-<count>.pcap, made once with
# gen_ns_pcap.py), run twice, the second from the page cache.
#
# --callgrind: valgrind --tool=callgrind on `nd_reference MODE N` (default N = 100000)
# and on `nd_reference MODE 0`; instructions per operation = (Ir(N) - Ir(0)) / total_ops,
# where total_ops = 12 * N (one warm-up batch + 11 timed ones, as nd_reference reports).
# The self-test and the timing calls are in both runs and cancel out. ir_per_op covers the
# whole benchmark loop (call, barrier, accumulation); "in:" gives the measured functions
# alone (callgrind_annotate, same subtraction).
#
# Everything is built into Benchmarks/out/ (git-ignored). Installs what it needs
# (gcc, libpcap-dev, valgrind) with apt-get when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
src="$root/Benchmarks/c"
out="$root/Benchmarks/out"

mode=timings
iterations=""
count=1000000
# shellcheck source=common.sh
. "$here/common.sh"
parse_options "$0" --callgrind:mode=callgrind --iterations=iterations --count=count -- "$@"

need_pkg cc gcc
need_pkg /usr/include/pcap/pcap.h libpcap-dev
[ "$mode" = callgrind ] && need_pkg valgrind valgrind

mkdir -p "$out"
echo "# cc: $(cc --version | head -n1)"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cpus"
echo "+ cc -O2 -o $out/nd_reference $src/nd_reference.c"
cc -O2 -o "$out/nd_reference" "$src/nd_reference.c"
echo "+ cc -O2 -o $out/pcap_floor $src/pcap_floor.c -lpcap"
cc -O2 -o "$out/pcap_floor" "$src/pcap_floor.c" -lpcap
"$out/nd_reference" selftest

modes="parse build build-fused respond"

if [ "$mode" = callgrind ]; then
    n="${iterations:-100000}"
    total_ir() { # file -> the totals:/summary: line of a callgrind output
        awk '/^(totals|summary):/ { print $2; exit }' "$1"
    }
    fn_ir() { # file function -> that function's Ir (0 when absent)
        callgrind_annotate --threshold=100 "$1" 2>/dev/null \
            | awk -v f=":$2 " '!found && index($0, f) { gsub(",", "", $1); ir = $1; found = 1 }
                               END { print found ? ir : 0 }'
    }
    functions_of() {
        case "$1" in
            parse) echo nd_parse_ns ;;
            build) echo nd_build_na ;;
            build-fused) echo nd_build_na_fused ;;
            respond) echo nd_parse_ns nd_build_na ;;
        esac
    }
    for m in $modes; do
        for v in "" vlan; do
            base="$out/callgrind.$m${v:+.$v}"
            valgrind --tool=callgrind --callgrind-out-file="$base.0" \
                "$out/nd_reference" "$m" 0 $v >/dev/null 2>"$base.0.log"
            valgrind --tool=callgrind --callgrind-out-file="$base.$n" \
                "$out/nd_reference" "$m" "$n" $v >"$base.$n.stdout" 2>"$base.$n.log"
            ir0="$(total_ir "$base.0")"
            irn="$(total_ir "$base.$n")"
            ops="$(sed -n 's/.*total_ops=\([0-9]*\).*/\1/p' "$base.$n.stdout")"
            # The measured functions alone (self Ir; they call nothing), same subtraction.
            fns=""
            for f in $(functions_of "$m"); do
                fa="$(fn_ir "$base.$n" "$f")"
                fb="$(fn_ir "$base.0" "$f")"
                fns="$fns $(awk -v f="$f" -v a="$fa" -v b="$fb" -v ops="$ops" \
                    'BEGIN { printf "%s=%.1f", f, (a - b) / ops }')"
            done
            awk -v m="$m" -v v="${v:-untagged}" -v a="$irn" -v b="$ir0" -v ops="$ops" -v n="$n" \
                -v fns="$fns" \
                'BEGIN { printf "callgrind mode=%s frame=%s iterations=%s total_ops=%s Ir=%s Ir0=%s ir_per_op=%.1f (in:%s)\n", m, v, n, ops, a, b, (a - b) / ops, fns }'
        done
    done
    exit 0
fi

n="${iterations:-1000000}"
for m in $modes; do
    for v in "" vlan; do
        echo "+ nd_reference $m $n $v"
        "$out/nd_reference" "$m" "$n" $v
    done
done

pcap="$out/ns-$count.pcap"
if [ ! -s "$pcap" ]; then
    echo "+ gen_ns_pcap.py --count $count --out $pcap"
    python3 "$here/gen_ns_pcap.py" --count "$count" --out "$pcap"
fi
echo "+ pcap_floor $pcap   (first run)"
"$out/pcap_floor" "$pcap"
echo "+ pcap_floor $pcap   (second run, page cache warm)"
"$out/pcap_floor" "$pcap"
