#!/usr/bin/env python3
"""Write a pcap of a /64 scan: Neighbor Solicitations for random addresses of one prefix.

Every frame is the test bed's router (MAC 02:00:00:00:0a:01, fe80::ff:fe00:a01) resolving a
target with a multicast NS to the target's solicited-node group (RFC 4861 §7.2.2), with an SLLA
option, as a kernel resolving a scanned address sends it: 86 bytes. The targets are random
interface identifiers whose first 16 bits are at least 0x0100, so that no target is one of the
test bed's guest addresses (::2, ::3, ::1:N, ::2:N, ::5:1, ...), and no two are equal.

Usage: scan-ns-pcap.py --count N --out FILE [--seed S] [--prefix 2001:db8:0:96ce::]
                       [--targets-out FILE --targets-count K] [--target ADDR]
  --targets-out writes the first K targets, one per line (the scan scenario makes the router's
  own kernel resolve some of them).
  --target makes every frame ask for ADDR instead (a router asking for one address over and over).

pcap 2.4, little-endian, microsecond timestamps 1 us apart, link type 1 (Ethernet).
"""

import argparse
import ipaddress
import random
import struct
import sys

ROUTER_MAC = bytes.fromhex("02000000" "0a01")
ROUTER_LL = ipaddress.IPv6Address("fe80::ff:fe00:a01").packed
ICMP_LEN = 32  # NS (24) + SLLA option (8)


def checksum(words_sum: int) -> int:
    """Folds a sum of 16-bit words into the ICMPv6 checksum (RFC 1071 / RFC 4443 §2.3)."""
    while words_sum >> 16:
        words_sum = (words_sum & 0xFFFF) + (words_sum >> 16)
    return (~words_sum) & 0xFFFF


def word_sum(data: bytes) -> int:
    return sum(struct.unpack("!%dH" % (len(data) // 2), data))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefix", default="2001:db8:0:96ce::")
    parser.add_argument("--targets-out")
    parser.add_argument("--targets-count", type=int, default=20)
    parser.add_argument("--target")
    args = parser.parse_args()

    upper = ipaddress.IPv6Address(args.prefix).packed[:8]
    rng = random.Random(args.seed)
    # Constant part of the ICMPv6 checksum: pseudo-header source, length, next header; the NS
    # type/code, and the SLLA option. The destination group and the target vary per frame.
    constant = word_sum(ROUTER_LL) + ICMP_LEN + 58 + (135 << 8) + word_sum(bytes([1, 1]) + ROUTER_MAC)
    targets_file = open(args.targets_out, "w") if args.targets_out else None
    seen = set()
    with open(args.out, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        written = 0
        while written < args.count:
            if args.target:
                target = ipaddress.IPv6Address(args.target).packed
            else:
                iid = rng.getrandbits(64) | (0x0100 << 48)
                if iid in seen:
                    continue
                seen.add(iid)
                target = upper + iid.to_bytes(8, "big")
            low = target[13:]
            group = bytes.fromhex("ff0200000000000000000001ff") + low
            ck = checksum(constant + word_sum(group) + word_sum(target))
            frame = (
                b"\x33\x33\xff" + low + ROUTER_MAC + b"\x86\xdd"
                + struct.pack("!IHBB", 0x60000000, ICMP_LEN, 58, 255) + ROUTER_LL + group
                + struct.pack("!BBHI", 135, 0, ck, 0) + target + bytes([1, 1]) + ROUTER_MAC
            )
            usec = written
            out.write(struct.pack("<IIII", 1704067200 + usec // 1_000_000, usec % 1_000_000, len(frame), len(frame)))
            out.write(frame)
            if targets_file is not None and written < args.targets_count:
                targets_file.write(str(ipaddress.IPv6Address(target)) + "\n")
            written += 1
    if targets_file is not None:
        targets_file.close()
    what = args.target if args.target else f"random addresses of {args.prefix}/64"
    print(f"scan-ns-pcap: {args.count} NS for {what} -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
