# shellcheck shell=bash
# What Fuzz/run.sh and Fuzz/control.sh share: the run's length, the paths and the libFuzzer
# build. Sourced with `here` set to the Fuzz folder.

# fuzz_setup DEFAULT [SECONDS]: sets `seconds` (SECONDS, else DEFAULT; exits 2 with the usage when
# it is not a whole number), `root` (the package) and `swiftc`.
fuzz_setup() {
    seconds="${2:-$1}"
    case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
    root="$(cd "$here/.." && pwd)"
    swiftc="${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}"
}

# fuzz_build MODULE OUTPUT SOURCE...: the sources as one module (no SwiftPM), with libFuzzer and
# ASan, -O. ld.gold warns once per ASan helper symbol ("Cannot export local symbol"): harmless noise.
fuzz_build() {
    local module="$1" output="$2"
    shift 2
    "$swiftc" -module-name "$module" -parse-as-library -O -g -sanitize=fuzzer,address "$@" -o "$output" \
        -suppress-warnings 2> >(grep -v -e "Cannot export local symbol" >&2)
}
