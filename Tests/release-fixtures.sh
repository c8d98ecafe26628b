#!/usr/bin/env bash
# The optimised binary on every fixture of Captures/ (run by .ci/run after `swift test`).
#
# `swift test` runs a debug build. The binary users install is optimised, and the optimiser can
# break what debug code gets right (a trap that only the optimised code reaches would crash every
# replay while every test passes). So the release ndpd replays each fixture
# with its config and must print exactly its expected `--json` lines and exit with the expected
# status; then again with 40k extra exact targets from a targets-file, so that the table outgrows
# the cache and the engine's lookahead-and-prefetch path runs (the extra targets, in 3fff::/20,
# match nothing in the fixtures, so the expected lines stay the same).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product ndpd >/dev/null
ndpd=$(swift build -c release --show-bin-path)/ndpd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/random-targets.py 3fff 40000 1 > "$work/extra.txt"

failed=0 checked=0
for expected in Captures/*.expected.jsonl; do
  name=${expected%.expected.jsonl}
  want=0
  [ -f "$name.expected-status" ] && want=$(tr -d '[:space:]' < "$name.expected-status")
  cp "$name.toml" "$work/small.toml"
  { cat "$name.toml"; echo "targets-file = \"$work/extra.txt\""; } > "$work/large.toml"
  for table in small large; do
    set +e
    "$ndpd" --replay "$name.pcap" --config "$work/$table.toml" --json > "$work/out.jsonl" 2> "$work/err.txt"
    status=$?
    set -e
    checked=$((checked + 1))
    if [ "$status" != "$want" ]; then
      echo "FAIL $name ($table table): exit status $status, expected $want: $(head -c 300 "$work/err.txt")"
      failed=$((failed + 1))
    elif ! diff <(grep -v '^{"summary"' "$work/out.jsonl") "$expected" > "$work/diff.txt"; then
      echo "FAIL $name ($table table): output differs from $expected:"; head -20 "$work/diff.txt"
      failed=$((failed + 1))
    fi
  done
done
echo "release build on the fixtures: $checked replays, $failed failed"
[ "$checked" -gt 0 ] && [ "$failed" -eq 0 ]
