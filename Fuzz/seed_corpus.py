#!/usr/bin/env python3
"""Seed a libFuzzer corpus for Fuzz/ParseFuzzer.swift from capture files.

Usage: seed_corpus.py OUT_DIR CAPTURE...

Every record of every pcap/pcapng capture becomes one corpus file: one selector byte naming
the link type as the harness reads it (0 Ethernet, 1 raw, 2 Linux SLL, 3 Linux SLL2,
4 LINKTYPE_IPV6; plus 128 in a second copy, for the harness's checksum-repair mode), then the
record's captured bytes. BSD loopback (LINKTYPE_NULL/LOOP)
records carrying IPv6 are added as LINKTYPE_IPV6 with the 4-byte family header removed.
Other link types are skipped. Files that are not captures, or are cut, are read as far as
they go (damaged captures are part of the project's fixtures). Files are named by the SHA-1
of their content, as libFuzzer names its own, so seeding twice adds nothing.

Plain Python 3, no third-party modules.
"""

import hashlib
import os
import struct
import sys

SELECTOR = {1: 0, 101: 1, 12: 1, 14: 1, 113: 2, 276: 3, 229: 4}
NULL_LINKTYPES = {0, 108}
AF_INET6_VALUES = {10, 24, 28, 30}  # Linux, NetBSD/OpenBSD, FreeBSD, Darwin


def records_pcap(data):
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        return
    if len(data) < 24:
        return
    linktype = struct.unpack(end + "I", data[20:24])[0] & 0x0FFFFFFF
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        off += 16
        if incl > 262144:
            return
        yield linktype, data[off:off + incl]
        off += incl


def records_pcapng(data):
    off = 0
    end = "<"
    interfaces = []
    while off + 12 <= len(data):
        btype = struct.unpack(end + "I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            bom = data[off + 8:off + 12]
            end = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            interfaces = []
        blen = struct.unpack(end + "I", data[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(data):
            return
        body = data[off + 8:off + blen - 4]
        if btype == 0x00000001 and len(body) >= 2:  # Interface Description Block
            interfaces.append(struct.unpack(end + "H", body[0:2])[0])
        elif btype == 0x00000006 and len(body) >= 20:  # Enhanced Packet Block
            ifid, _, _, caplen = struct.unpack(end + "IIII", body[0:16])
            if ifid < len(interfaces):
                yield interfaces[ifid], body[20:20 + caplen]
        elif btype == 0x00000003 and len(body) >= 4 and interfaces:  # Simple Packet Block
            yield interfaces[0], body[4:]
        elif btype == 0x00000002 and len(body) >= 20:  # obsolete Packet Block
            ifid = struct.unpack(end + "H", body[0:2])[0]
            caplen = struct.unpack(end + "I", body[12:16])[0]
            if ifid < len(interfaces):
                yield interfaces[ifid], body[20:20 + caplen]
        off += blen


def records(data):
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        return records_pcapng(data)
    return records_pcap(data)


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    added = 0
    files = 0
    for path in sys.argv[2:]:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            sys.stderr.write(f"seed_corpus: skip {path}: {e}\n")
            continue
        n = 0
        try:
            for linktype, frame in records(data):
                if linktype in NULL_LINKTYPES:
                    if len(frame) < 4:
                        continue
                    family = {struct.unpack("<I", frame[:4])[0], struct.unpack(">I", frame[:4])[0]}
                    if not family & AF_INET6_VALUES:
                        continue
                    unit = bytes([4]) + frame[4:]
                elif linktype in SELECTOR:
                    unit = bytes([SELECTOR[linktype]]) + frame
                else:
                    continue
                # Each record twice: as captured, and with the selector's high bit set, which
                # makes the harness repair the ICMPv6 checksum before decoding (mutations then
                # reach the checks behind the checksum).
                for variant in (unit, bytes([unit[0] | 0x80]) + unit[1:]):
                    name = os.path.join(out, hashlib.sha1(variant).hexdigest())
                    if not os.path.exists(name):
                        with open(name, "wb") as f:
                            f.write(variant)
                        added += 1
                n += 1
        except (struct.error, IndexError) as e:
            sys.stderr.write(f"seed_corpus: {path}: stopped at a damaged record ({e})\n")
        if n:
            files += 1
    print(f"seed_corpus: {added} new inputs from {files} captures into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
