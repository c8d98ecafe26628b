#!/usr/bin/env bash
# Instructions per NS (callgrind) of `ndpd --replay --quiet --write` for a known LIVE guest, static
# mode beside live mode, in one run: a guest's NA for 2001:db8:0:96ce::5, then 100,000 NS for it
# from a router. (Ir of the 100,001-frame run minus Ir of a 2-frame run) / 99,999, so start-up is
# left out. Debian's valgrind cannot read Swift's DWARF 5: the binary is stripped of it first.
#
#   Benchmarks/tools/live_known_instructions.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=Benchmarks/out
mkdir -p "$out"
/usr/bin/python3 - "$out" <<'PY'
import struct, sys
from scapy.all import Ether, IPv6, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr
target, guest, router = "2001:db8:0:96ce::5", "52:54:00:ab:cd:ef", "02:00:00:00:0a:01"
na = bytes(Ether(src=guest, dst="33:33:00:00:00:01") / IPv6(src=target, dst="ff02::1", hlim=255)
           / ICMPv6ND_NA(tgt=target, R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=guest))
ns = bytes(Ether(src=router, dst="33:33:ff:00:00:05") / IPv6(src="fe80::ff:fe00:a01", dst="ff02::1:ff00:5", hlim=255)
           / ICMPv6ND_NS(tgt=target) / ICMPv6NDOptSrcLLAddr(lladdr=router))
def write(path, count):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, frame in enumerate([na] + [ns] * count):
            f.write(struct.pack("<IIII", 1000, i * 10, len(frame), len(frame)) + frame)
write(sys.argv[1] + "/live-known-100000.pcap", 100000)
write(sys.argv[1] + "/live-known-1.pcap", 1)
PY
swift build -c release --static-swift-stdlib --scratch-path .build-static --product ndpd >/dev/null
objcopy --strip-debug .build-static/release/ndpd "$out/ndpd-nodebug"
ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/refs:/ { gsub(",", "", $NF); print $NF }'; }
per() {
  local big small
  big=$(ir "$out/ndpd-nodebug" --replay "$out/live-known-100000.pcap" --quiet --write "$out/live-known.out.pcap" "$@")
  small=$(ir "$out/ndpd-nodebug" --replay "$out/live-known-1.pcap" --quiet --write "$out/live-known.out.pcap" "$@")
  echo $(((big - small) / 99999))
}
echo "commit $(git rev-parse --short HEAD)"
echo "static mode: $(per --proxy 2001:db8:0:96ce::/64) instructions per NS"
echo "live mode:   $(per --proxy 2001:db8:0:96ce::/64 --mode live) instructions per NS (known LIVE guest)"
