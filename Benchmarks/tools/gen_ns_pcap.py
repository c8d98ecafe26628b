#!/usr/bin/env python3
"""Generate a classic pcap of Neighbor Solicitations for ndpd's replay benchmarks.

Every packet is the provider's router (fe80::ff:fe00:a01, MAC 02:00:00:00:0a:01) resolving
a target with a multicast NS to the target's solicited-node group, with an SLLA option:
86 bytes untagged, 90 with --vlan. The frame layout is the one of
Benchmarks/c/nd_frames.h (nd_frame_ns); only the target, the solicited-node destination
(IPv6 and Ethernet) and the checksum change from packet to packet.

Target mix (drawn per packet from --seed):
  ~45%  random interface IDs in 2001:db8:0:96ce::/64      -> answered (the proxied /64)
  ~45%  a cycle over 200 fixed /128s in that /64           -> answered (exact-match set);
        the first is 2001:db8:0:96ce::2, the others fixed random IIDs (independent of
        --seed; --targets-out writes them, one per line)
  ~10%  random interface IDs in 2001:db8:0:96cf::/64      -> not configured

File: pcap 2.4, little-endian, microsecond timestamps, link type 1 (Ethernet), snaplen
65535; timestamps start at 2024-01-01T00:00:00Z and are 1 us apart.

Speed: the ICMPv6 checksum is computed incrementally. The ones'-complement sum of the
16-bit big-endian words of an even-length byte string is congruent, modulo 0xffff, to the
string read as one big-endian integer (2^16 = 1 mod 0xffff); so the per-packet part of the
sum is (target + low 24 bits of the target) mod 0xffff, added to a precomputed constant.
The first 1000 packets and a sample of the rest are re-checked with a textbook RFC 1071
sum before the script exits.

Usage: gen_ns_pcap.py [--count N] [--out FILE] [--seed S] [--vlan ID] [--targets-out FILE]
"""

import argparse
import ipaddress
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts"))
from rfc1071 import ones_complement_sum  # noqa: E402

ROUTER_MAC = bytes.fromhex("02000000 0a01".replace(" ", ""))
ROUTER_LL = ipaddress.IPv6Address("fe80::ff:fe00:a01").packed
PREFIX_ANSWER = 0x20010DB8000096CE  # 2001:db8:0:96ce::/64, upper 64 bits
PREFIX_OUTSIDE = 0x20010DB8000096CF  # 2001:db8:0:96cf::/64
FIXED_COUNT = 200
FIXED_SEED = 200  # the fixed /128s do not depend on --seed
START_SECONDS = 1704067200  # 2024-01-01T00:00:00Z
ICMP_LEN = 32  # NS (24) + SLLA option (8)
MOD = 0xFFFF


def fixed_targets():
    rng = random.Random(FIXED_SEED)
    iids = [2]
    seen = {2}
    while len(iids) < FIXED_COUNT:
        iid = rng.getrandbits(64)
        if iid > 0xFFFF and iid not in seen:  # clear of ::, ::1 and the RFC 2526 range
            seen.add(iid)
            iids.append(iid)
    return iids


def build(args, out):
    fixed = fixed_targets()
    rng = random.Random(args.seed)

    # Constant pieces of every frame.
    vlan = b""
    if args.vlan is not None:
        vlan = struct.pack("!HH", 0x8100, args.vlan)
    frame_len = 14 + len(vlan) + 40 + ICMP_LEN
    eth_mid = ROUTER_MAC + vlan + b"\x86\xdd"  # after the 6-byte destination
    ip_head = struct.pack("!IHBB", 0x60000000, ICMP_LEN, 58, 255) + ROUTER_LL
    sn_prefix = bytes.fromhex("ff02 0000 0000 0000 0000 0001 ff".replace(" ", ""))  # 13 bytes
    icmp_head = b"\x87\x00"
    icmp_mid = b"\x00\x00\x00\x00"  # reserved
    slla = b"\x01\x01" + ROUTER_MAC

    # Constant part of the checksum sum, mod 0xffff: pseudo-header (source, destination
    # with its low 24 bits zero, upper-layer length, next header) and the ICMPv6 message
    # with checksum and target zero.
    const_bytes = (
        ROUTER_LL
        + sn_prefix + b"\x00\x00\x00"
        + struct.pack("!I3xB", ICMP_LEN, 58)
        + icmp_head + b"\x00\x00" + icmp_mid + bytes(16) + slla
    )
    k = int.from_bytes(const_bytes, "big") % MOD
    k_answer = (k + (PREFIX_ANSWER % MOD)) % MOD
    k_outside = (k + (PREFIX_OUTSIDE % MOD)) % MOD
    prefix_answer = PREFIX_ANSWER.to_bytes(8, "big")
    prefix_outside = PREFIX_OUTSIDE.to_bytes(8, "big")

    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

    rec = struct.Struct("<IIII").pack
    pack_h = struct.Struct("!H").pack
    getrandbits = rng.getrandbits
    join = b"".join
    chunk = []
    sec, usec = START_SECONDS, 0
    n_answer_random = n_fixed = n_outside = 0
    fixed_index = 0
    for _ in range(args.count):
        r = getrandbits(72)
        cat = r >> 64
        if cat < 26:  # 26/256 = 10.2%
            iid = r & 0xFFFFFFFFFFFFFFFF
            kk, prefix = k_outside, prefix_outside
            n_outside += 1
        elif cat < 141:  # 115/256 = 44.9%
            iid = r & 0xFFFFFFFFFFFFFFFF
            kk, prefix = k_answer, prefix_answer
            n_answer_random += 1
        else:
            iid = fixed[fixed_index]
            fixed_index = fixed_index + 1 if fixed_index + 1 < FIXED_COUNT else 0
            kk, prefix = k_answer, prefix_answer
            n_fixed += 1
        low24 = iid & 0xFFFFFF
        t = (kk + iid + low24) % MOD
        checksum = MOD - t if t else 0
        iid_bytes = iid.to_bytes(8, "big")
        low3 = iid_bytes[5:]
        chunk.append(join((
            rec(sec, usec, frame_len, frame_len),
            b"\x33\x33\xff", low3, eth_mid,
            ip_head, sn_prefix, low3,
            icmp_head, pack_h(checksum), icmp_mid, prefix, iid_bytes, slla,
        )))
        usec += 1
        if usec == 1000000:
            usec = 0
            sec += 1
        if len(chunk) == 65536:
            out.write(join(chunk))
            chunk = []
    out.write(join(chunk))
    return frame_len, n_answer_random, n_fixed, n_outside, fixed


def verify(path, count, frame_len, sample_seed):
    """Re-check a sample with the textbook sum; returns the number checked."""
    rec_len = 16 + frame_len
    ip = frame_len - 72  # IPv6 header offset (14 or 18)
    picks = set(range(min(count, 1000)))
    rng = random.Random(sample_seed)
    for _ in range(min(count, 1000)):
        picks.add(rng.randrange(count))
    with open(path, "rb") as f:
        for i in sorted(picks):
            f.seek(24 + i * rec_len)
            rec = f.read(rec_len)
            _, _, caplen, length = struct.unpack("<IIII", rec[:16])
            frame = rec[16:]
            assert caplen == length == frame_len == len(frame), i
            src, dst = frame[ip + 8 : ip + 24], frame[ip + 24 : ip + 40]
            icmp = frame[ip + 40 :]
            target = icmp[8:24]
            assert dst == b"\xff\x02" + bytes(9) + b"\x01\xff" + target[13:], i
            assert frame[:6] == b"\x33\x33\xff" + target[13:], i
            pseudo = src + dst + struct.pack("!I3xB", len(icmp), 58)
            assert ones_complement_sum(pseudo + icmp) == 0xFFFF, "bad checksum in packet %d" % i
    return len(picks)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=1_000_000, help="packets (default 1000000)")
    ap.add_argument("--out", default="ns.pcap", help="output file (default ns.pcap)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--vlan", type=int, default=None, help="add one 802.1Q tag with this VLAN ID")
    ap.add_argument("--targets-out", default=None, help="write the 200 fixed /128s to this file")
    args = ap.parse_args()
    if args.count < 0:
        ap.error("--count must be >= 0")
    if args.vlan is not None and not 0 <= args.vlan <= 4095:
        ap.error("--vlan must be in 0..4095")

    t0 = time.monotonic()
    with open(args.out, "wb", buffering=1 << 20) as out:
        frame_len, n_random, n_fixed, n_outside, fixed = build(args, out)
    t1 = time.monotonic()
    checked = verify(args.out, args.count, frame_len, args.seed) if args.count else 0
    if args.targets_out:
        with open(args.targets_out, "w") as f:
            f.write("# the %d fixed /128s of gen_ns_pcap.py\n" % FIXED_COUNT)
            for iid in fixed:
                f.write("%s\n" % ipaddress.IPv6Address((PREFIX_ANSWER << 64) | iid))
    print(
        "wrote %s: %d packets of %d bytes (vlan=%s) in %.2f s; targets: %d random in "
        "2001:db8:0:96ce::/64, %d from the %d fixed /128s, %d outside (2001:db8:0:96cf::/64); "
        "checksums re-checked on %d packets"
        % (args.out, args.count, frame_len, args.vlan, t1 - t0, n_random, n_fixed,
           FIXED_COUNT, n_outside, checked),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
