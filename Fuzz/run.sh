#!/usr/bin/env bash
# Fuzz NDPWire's parse -> validate -> answer path with libFuzzer.
#
# Usage: Fuzz/run.sh [SECONDS]          (default 60)
#
#   - builds Fuzz/out/ParseFuzzer from Sources/NDPWire/*.swift + Fuzz/ParseFuzzer.swift with
#     `swiftc -sanitize=fuzzer,address -O` (one module, no SwiftPM);
#   - seeds Fuzz/out/corpus from every record of every capture in
#     ../shared/captures/public (or $NDPD_PUBLIC_CAPTURES) and Captures/*.pcap, plus every
#     Fuzz/regressions/*.bin (so old crashes are re-run first);
#   - runs for SECONDS with -max_total_time, -timeout=5, -rss_limit_mb=2048;
#   - exits 1 if libFuzzer found a crash, timeout, leak or OOM, after copying the input(s) to
#     Fuzz/crashes/ (keep each one as Fuzz/regressions/<name>.bin).
#
# Environment: NDPD_FUZZ_JOBS (parallel workers, default 1), NDPD_FUZZ_ARGS (extra libFuzzer
# flags).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
fuzz_setup 60 "${1:-}"
out="$here/out"
corpus="$out/corpus"
artifacts="$out/artifacts"
public="${NDPD_PUBLIC_CAPTURES:-$root/../shared/captures/public}"
mkdir -p "$out" "$corpus" "$artifacts" "$here/crashes"

echo "== build ($swiftc -sanitize=fuzzer,address -O)"
fuzz_build NDPWire "$out/ParseFuzzer" "$root"/Sources/NDPWire/*.swift "$here/ParseFuzzer.swift"

echo "== seed corpus"
captures=()
if [ -d "$public" ]; then
    captures+=("$public"/*.pcap "$public"/*.pcapng)
else
    echo "note: $public is absent; seeding from the project's captures only" >&2
fi
for f in "$root"/Captures/*.pcap "$root"/Captures/*.pcapng; do [ -f "$f" ] && captures+=("$f"); done
existing=()
for f in "${captures[@]}"; do [ -f "$f" ] && existing+=("$f"); done
if [ "${#existing[@]}" -gt 0 ]; then
    python3 "$here/seed_corpus.py" "$corpus" "${existing[@]}"
fi
for f in "$here"/regressions/*.bin; do
    [ -f "$f" ] && cp "$f" "$corpus/regression-$(basename "$f" .bin)"
done
echo "corpus: $(find "$corpus" -type f | wc -l) inputs"

echo "== fuzz for ${seconds}s"
# The Swift runtime's backtracer would otherwise catch the trap before libFuzzer does.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
jobs="${NDPD_FUZZ_JOBS:-1}"
parallel=()
if [ "$jobs" -gt 1 ]; then parallel=(-fork="$jobs" -ignore_crashes=0); fi
log="$out/fuzz.log"
set +e
# shellcheck disable=SC2086
"$out/ParseFuzzer" "$corpus" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=4096 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${parallel[@]}" ${NDPD_FUZZ_ARGS:-} \
    2>&1 | tee "$log" \
    | grep -E --line-buffered "INITED|pulse|DONE|ERROR|Fatal|violated|SUMMARY|Test unit written|Base64"
status=${PIPESTATUS[0]}
set -e

found=0
for f in "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/leak-* "$artifacts"/oom-*; do
    [ -f "$f" ] || continue
    cp "$f" "$here/crashes/"
    echo "kept: Fuzz/crashes/$(basename "$f")  (add it as Fuzz/regressions/<name>.bin)"
    rm -f "$f"
    found=1
done
echo "== libFuzzer exit status $status; full log in $log"
grep -E "^(stat::|#[0-9]+\s+DONE)" "$log" | tail -12 || true
if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
    echo "FAIL: libFuzzer found a problem" >&2
    exit 1
fi
echo "OK: no crash in ${seconds}s"

# The control socket's request parser: what any local client sends to the daemon.
bash "$here/control.sh" "$(( seconds / 6 > 10 ? seconds / 6 : 10 ))"
