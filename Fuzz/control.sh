#!/usr/bin/env bash
# Fuzz the control socket's request parser and reply codec (Fuzz/ControlRequestFuzzer.swift)
# with libFuzzer. Called by Fuzz/run.sh after the parse-path fuzzer; runs alone as well.
#
# Usage: Fuzz/control.sh [SECONDS]      (default 20); exits 1 if libFuzzer found anything,
# after copying the input to Fuzz/crashes/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
fuzz_setup 20 "${1:-}"
out="$here/out/control"
mkdir -p "$out/corpus" "$out/artifacts" "$here/crashes"
echo "== build ControlRequestFuzzer"
fuzz_build NDPControl "$out/ControlRequestFuzzer" "$root"/Sources/NDPControl/*.swift "$here/ControlRequestFuzzer.swift"
# Seeds: every request, and a few refusals.
printf 'status\n' >"$out/corpus/status"
printf 'status json\n' >"$out/corpus/status-json"
printf 'reload\n' >"$out/corpus/reload"
printf 'stop\n' >"$out/corpus/unknown"
printf 'status' >"$out/corpus/incomplete"
export SWIFT_BACKTRACE=enable=no
set +e
"$out/ControlRequestFuzzer" "$out/corpus" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=256 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/" >"$out/fuzz.log" 2>&1
status=$?
set -e
found=0
for f in "$out/artifacts"/crash-* "$out/artifacts"/timeout-* "$out/artifacts"/leak-* "$out/artifacts"/oom-*; do
    [ -f "$f" ] || continue
    cp "$f" "$here/crashes/control-$(basename "$f")"
    echo "kept: Fuzz/crashes/control-$(basename "$f")"
    found=1
done
grep -E "^stat::number_of_executed_units|^#[0-9]+\s+DONE" "$out/fuzz.log" | tail -2 || true
if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
    tail -20 "$out/fuzz.log" >&2
    echo "FAIL: libFuzzer found a problem in the control request parser" >&2
    exit 1
fi
echo "OK: control request parser, no crash in ${seconds}s"
