#!/usr/bin/env bash
# wire.sh - NDPWire against the C floor, side by side, in one run.
#
#   Benchmarks/wire.sh [--iterations N] [--rounds R] [--callgrind-iterations N] [--no-callgrind] [--vlan]
#
# Builds `ndpd-bench` (swift build -c release, scratch folder .build-bench) and
# Benchmarks/c/nd_reference.c (cc -O2), checks that both use the same frames (`hex` output
# diffed) and that both pass their self-tests, then measures the two per-packet operations:
#
#   parse: validate an NS (RFC 4861 §7.1.1) and extract its target and SLLA
#          Swift: NeighborSolicitation(decoding:linkType:) (what the engine calls per frame)
#          C:     nd_parse_ns()
#   build: write the answering NA with its checksum into a preallocated buffer
#          Swift: NeighborAdvertisement.write(into:)
#          C:     the builder that computes the checksum the same way (Benchmarks/c/README.md):
#                 nd_build_na_fused() when NDPWire sums the field values (NeighborAdvertisement
#                 has a `checksum` property, since ef2de8d), nd_build_na() when it re-reads the
#                 written frame (ICMPv6Checksum.compute over the buffer). Detected from the source;
#                 --c-build build|build-fused overrides.
#
# Time: each program runs its own loop (N operations per batch, default 1000000, one warm-up
# batch then 11 timed ones, median batch); the two programs alternate R times (default 5) and
# the median of the R medians is reported, so that a burst of load from another process hits
# both sides alike.
# Instructions: valgrind --tool=callgrind, Ir(N) - Ir(0) divided by the operations the N run
# performed (ndpd-bench wire-callgrind: exactly N; nd_reference: 12 N, warm-up + 11 batches),
# default N = 100000. Both count the whole benchmark loop (call, barrier, accumulation).
# Valgrind 3.19 (Debian 12) cannot read the DWARF 5 that Swift 6.3 emits, so the Swift binary
# is measured from a copy with its debug sections stripped (same code).
#
# Target: Swift within 1.25x of C in time for both operations ("met" / "NOT met").
# Everything is built into Benchmarks/out/wire/ (git-ignored) and .build-bench/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$root/Benchmarks/out/wire"
iterations=1000000
rounds=5
cg_iterations=100000
callgrind=1
vlan=""
target=1.25
c_build=""

# shellcheck source=tools/common.sh
. "$root/Benchmarks/tools/common.sh"
parse_options "$0" --iterations=iterations --rounds=rounds --callgrind-iterations=cg_iterations \
    --no-callgrind:callgrind=0 --vlan:vlan=vlan --c-build=c_build -- "$@"

need_pkg cc gcc
[ "$callgrind" = 1 ] && need_pkg valgrind valgrind

mkdir -p "$out"
cd "$root"
echo "# swift: $(swift --version 2>/dev/null | head -n1)"
echo "# cc:    $(cc --version | head -n1)"
echo "# cpu:   $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "+ swift build -c release --scratch-path .build-bench --product ndpd-bench"
# Other work edits Sources/ while this runs: SwiftPM then refuses the build ("modified during
# the build"); try again, and never measure a stale binary.
built=0
for attempt in 1 2 3 4 5; do
    if swift build -c release --scratch-path "$root/.build-bench" --product ndpd-bench >"$out/build.log" 2>&1; then
        built=1
        break
    fi
    grep -q "modified during the build" "$out/build.log" || break
    echo "# sources changed during the build; retrying ($attempt)" >&2
    sleep 5
done
grep -E "error|warning: .*Benchmarks/Swift|Build" "$out/build.log" || true
[ "$built" = 1 ] || { echo "wire.sh: swift build failed (log: $out/build.log)" >&2; exit 1; }
bin_dir="$(swift build -c release --scratch-path "$root/.build-bench" --show-bin-path)"
swift_bench="$bin_dir/ndpd-bench"
[ -x "$swift_bench" ] || { echo "wire.sh: no $swift_bench" >&2; exit 1; }
echo "+ cc -O2 -o $out/nd_reference Benchmarks/c/nd_reference.c"
cc -O2 -o "$out/nd_reference" "$root/Benchmarks/c/nd_reference.c"
c_bench="$out/nd_reference"

"$c_bench" selftest
"$swift_bench" selftest
if ! diff <("$c_bench" hex) <("$swift_bench" hex) >/dev/null; then
    echo "wire.sh: Benchmarks/Swift/Frames.swift and Benchmarks/c/nd_frames.h differ:" >&2
    diff <("$c_bench" hex) <("$swift_bench" hex) >&2 || true
    exit 1
fi
echo "# frames: identical (nd_reference hex = ndpd-bench hex)"

# Each timed Swift loop must call the operation it times on every iteration, as C's loops call
# their noinline functions: an inlined operation could have loop-invariant work hoisted.
loop_calls() { # loop-symbol-part callee-symbol-part
    objdump -d --no-show-raw-insn "$swift_bench" \
        | awk -v loop="$1" '/^[0-9a-f]+ <.*>:$/ {p = index($0, loop) > 0} p' | grep -q "call.*$2"
}
loop_calls validateSolicitationLoop NeighborSolicitationV8decoding \
    || { echo "wire.sh: the parse loop does not call NeighborSolicitation(decoding:) per iteration" >&2; exit 1; }
loop_calls buildAdvertisementLoop NeighborAdvertisementV5write \
    || { echo "wire.sh: the build loop does not call NeighborAdvertisement.write(into:) per iteration" >&2; exit 1; }
echo "# loops: each iteration calls the measured function (objdump)"

# The C builder to compare with: the one that computes the checksum as NDPWire does.
if [ -z "$c_build" ]; then
    if grep -q "public var checksum: UInt16" "$root/Sources/NDPWire/NeighborAdvertisement.swift"; then
        c_build=build-fused
    else
        c_build=build
    fi
fi
case "$c_build" in build|build-fused) ;; *) echo "wire.sh: --c-build build|build-fused" >&2; exit 2 ;; esac
echo "# build compared with nd_reference $c_build (checksum $( [ "$c_build" = build-fused ] && echo "summed from the field values" || echo "re-read from the written frame"), as NDPWire does)"

c_mode() { if [ "$1" = build ]; then echo "$c_build"; else echo "$1"; fi; }
ns_of() { sed -n 's/^ns_per_op=//p'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A swift_ns c_ns swift_ir c_ir
for op in parse build; do
    s_runs=()
    c_runs=()
    for ((r = 1; r <= rounds; r++)); do
        c_runs+=("$("$c_bench" "$(c_mode "$op")" "$iterations" $vlan | ns_of)")
        s_runs+=("$("$swift_bench" wire "$op" "$iterations" $vlan | ns_of)")
    done
    echo "# $op ns/op per round: swift ${s_runs[*]}   C ${c_runs[*]}"
    swift_ns[$op]="$(printf '%s\n' "${s_runs[@]}" | median)"
    c_ns[$op]="$(printf '%s\n' "${c_runs[@]}" | median)"
done

if [ "$callgrind" = 1 ]; then
    total_ir() { awk '/^(totals|summary):/ { print $2; exit }' "$1"; }
    objcopy_bin="$(command -v llvm-objcopy || command -v objcopy)"
    "$objcopy_bin" --strip-debug "$swift_bench" "$out/ndpd-bench.nodebug"
    for op in parse build; do
        for n in 0 "$cg_iterations"; do
            valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.swift.$op.$n" \
                "$out/ndpd-bench.nodebug" wire-callgrind "$op" "$n" $vlan >/dev/null 2>"$out/callgrind.swift.$op.$n.log"
            valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.c.$op.$n" \
                "$c_bench" "$(c_mode "$op")" "$n" $vlan >"$out/callgrind.c.$op.$n.stdout" 2>"$out/callgrind.c.$op.$n.log"
        done
        c_ops="$(sed -n 's/.*total_ops=\([0-9]*\).*/\1/p' "$out/callgrind.c.$op.$cg_iterations.stdout")"
        swift_ir[$op]="$(awk -v a="$(total_ir "$out/callgrind.swift.$op.$cg_iterations")" \
            -v b="$(total_ir "$out/callgrind.swift.$op.0")" -v n="$cg_iterations" 'BEGIN { printf "%.1f", (a - b) / n }')"
        c_ir[$op]="$(awk -v a="$(total_ir "$out/callgrind.c.$op.$cg_iterations")" \
            -v b="$(total_ir "$out/callgrind.c.$op.0")" -v n="$c_ops" 'BEGIN { printf "%.1f", (a - b) / n }')"
    done
fi

echo
frame="untagged 86-byte frames"
[ -n "$vlan" ] && frame="VLAN 10 90-byte frames"
echo "ndpd wire layer vs C (cc -O2), $frame, N=$iterations x 11 batches, median of $rounds rounds; Ir: callgrind, N=$cg_iterations"
printf '%-38s %12s %9s %7s %13s %9s %9s  %s\n' operation "swift ns/op" "C ns/op" ratio "swift Ir/op" "C Ir/op" "Ir ratio" target
status=0
for op in parse build; do
    case "$op" in
        parse) label="validate NS + extract" ;;
        build) label="build NA + checksum ($c_build)" ;;
    esac
    ratio="$(awk -v s="${swift_ns[$op]}" -v c="${c_ns[$op]}" 'BEGIN { printf "%.2f", s / c }')"
    if [ "$callgrind" = 1 ]; then
        s_ir="${swift_ir[$op]}"
        c_ir_v="${c_ir[$op]}"
        ir_ratio="$(awk -v s="$s_ir" -v c="$c_ir_v" 'BEGIN { printf "%.2f", s / c }')"
    else
        s_ir=-; c_ir_v=-; ir_ratio=-
    fi
    verdict="$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r <= t) ? "met" : "NOT met" }')"
    [ "$verdict" = met ] || status=1
    printf '%-38s %12s %9s %7s %13s %9s %9s  %s\n' "$label" "${swift_ns[$op]}" "${c_ns[$op]}" "${ratio}x" \
        "$s_ir" "$c_ir_v" "${ir_ratio}x" "$verdict (<= ${target}x)"
done
exit "$status"
