#!/usr/bin/env bash
# Line/region coverage of NDPWire by the fuzz corpus (Fuzz/out/corpus, grown by Fuzz/run.sh).
#
# Usage: Fuzz/coverage.sh [--show FILE]   (FILE: e.g. NeighborSolicitation, prints its missed lines)
#
# Builds the harness with -profile-generate -profile-coverage-mapping (no ASan) into
# Fuzz/out/cov/, replays the corpus once (-runs=0) and prints `llvm-cov report` for the sources.
# Uses the toolchain's own llvm-profdata/llvm-cov (Debian's are older and cannot read the profile).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out/cov"
corpus="$here/out/corpus"
bin="$(dirname "$(readlink -f "$(command -v swiftc)")")"
[ -d "$corpus" ] || { echo "no corpus: run Fuzz/run.sh first" >&2; exit 1; }
mkdir -p "$out"
"$bin/swiftc" -module-name NDPWire -parse-as-library -O -sanitize=fuzzer -profile-generate \
    -profile-coverage-mapping -suppress-warnings "$root"/Sources/NDPWire/*.swift "$here/ParseFuzzer.swift" \
    -o "$out/ParseFuzzerCov" 2> >(grep -v "Cannot export local symbol" >&2)
rm -f "$out"/*.profraw
LLVM_PROFILE_FILE="$out/corpus.profraw" SWIFT_BACKTRACE=enable=no "$out/ParseFuzzerCov" "$corpus" -runs=0 \
    2>&1 | grep -E "DONE|Done" || true
"$bin/llvm-profdata" merge -o "$out/corpus.profdata" "$out/corpus.profraw"
if [ "${1:-}" = "--show" ] && [ -n "${2:-}" ]; then
    "$bin/llvm-cov" show "$out/ParseFuzzerCov" -instr-profile="$out/corpus.profdata" \
        "$root/Sources/NDPWire/$2.swift" | grep -E "^ +[0-9]+\| +0\|" || echo "every line of $2.swift ran"
    exit 0
fi
"$bin/llvm-cov" report "$out/ParseFuzzerCov" -instr-profile="$out/corpus.profdata" \
    "$root"/Sources/NDPWire/*.swift "$here/ParseFuzzer.swift" | sed "s#$root/##" \
    | awk '/^(Sources|Fuzz|TOTAL)/ { printf "%-44s regions %7s   functions %7s   lines %7s (%s of %s missed)\n", $1, $4, $7, $10, $9, $8 }' 
