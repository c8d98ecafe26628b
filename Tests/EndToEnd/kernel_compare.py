#!/usr/bin/env python3
"""Compares ndpd's verdicts on a capture with the Linux kernel's.

    kernel_compare.py CAPTURE KERNEL_VERDICTS NDPD_JSONL HOST_ADDRESS DIFFERENCES

CAPTURE is a classic Ethernet pcap, KERNEL_VERDICTS the `FRAME ANSWERED` lines that
kernel_verdicts.py wrote for it, NDPD_JSONL the output of `ndpd --replay CAPTURE --json` with the
host's address as its one target. A frame is judged twice:

- the kernel calls it a valid NS when it answered it;
- ndpd calls it valid when its decision is `answer` or `ignore` (an ignored NS passed every check).

An NS that only one of them calls valid is a disagreement. ndpd-only disagreements count only for
NS whose target is HOST_ADDRESS: the kernel answers for nothing else, so its silence about other
targets says nothing. Each disagreement gets a kind (below); DIFFERENCES lists the kinds allowed,
one per line, `KIND  RFC  why` (`#` comments). Prints one line per kind with its count, and exits
1 when a kind is not listed.

Kinds:
  kernel-only:REASON   the kernel answered an NS that ndpd calls invalid for REASON (or
                       `undecodable`: ndpd printed no line for the frame)
  ndpd-only:no-slla    ndpd calls valid a multicast NS without a Source Link-Layer Address option
                       that the kernel left unanswered
  ndpd-only:other      any other NS ndpd calls valid and the kernel left unanswered
"""
import json
import struct
import sys

from kernel_verdicts import frames  # the same capture, read the same way


def multicast_without_slla(frame):
    """True for an Ethernet frame holding an NS to a multicast address with no SLLA option."""
    offset = 12
    while frame[offset:offset + 2] in (b"\x81\x00", b"\x88\xa8", b"\x91\x00"):
        offset += 4
    ip = offset + 2
    if len(frame) < ip + 40:
        return False
    next_header, cursor = frame[ip + 6], ip + 40
    # RFC 8200 §4: hop-by-hop, routing, destination options (8-octet units), AH (4-octet units).
    while next_header in (0, 43, 60, 51) and cursor + 2 <= len(frame):
        length = (frame[cursor + 1] + 2) * 4 if next_header == 51 else (frame[cursor + 1] + 1) * 8
        next_header, cursor = frame[cursor], cursor + length
    if next_header != 58 or cursor + 24 > len(frame) or frame[cursor] != 135 or frame[ip + 24] != 0xFF:
        return False
    end = min(len(frame), ip + 40 + struct.unpack("!H", frame[ip + 4:ip + 6])[0])
    option = cursor + 24
    while option + 2 <= end and frame[option + 1] > 0:
        if frame[option] == 1:
            return False
        option += frame[option + 1] * 8
    return True


def main():
    capture, verdicts_path, jsonl, host, differences = sys.argv[1:6]
    kernel = {}
    with open(verdicts_path) as f:
        for line in f:
            number, answered = line.split()
            kernel[int(number)] = answered == "1"
    ndpd = {}
    with open(jsonl) as f:
        for line in f:
            record = json.loads(line) if line.strip() else {}
            if "frame" in record:
                ndpd[record["frame"]] = record
    allowed = set()
    with open(differences) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                allowed.add(line.split()[0])

    counts, examples = {}, {}
    agreed = answered = 0
    for number, frame in enumerate(frames(capture), start=1):
        record = ndpd.get(number)
        ndpd_valid = record is not None and record["decision"] != "invalid"
        kernel_valid = kernel.get(number, False)
        answered += kernel_valid
        if kernel_valid and not ndpd_valid:
            kind = "kernel-only:" + (record["reason"] if record else "undecodable")
        elif ndpd_valid and not kernel_valid and record.get("target") == host:
            kind = "ndpd-only:" + ("no-slla" if multicast_without_slla(frame) else "other")
        else:
            agreed += kernel_valid
            continue
        counts[kind] = counts.get(kind, 0) + 1
        examples.setdefault(kind, number)
    unlisted = sorted(kind for kind in counts if kind not in allowed)
    print(f"kernel_compare: {capture}: {len(kernel)} frames, the kernel answered {answered}, "
          f"ndpd agreed on {agreed}; disagreements: "
          + (", ".join(f"{kind} {n} (first: frame {examples[kind]})" for kind, n in sorted(counts.items())) or "none"))
    for kind in unlisted:
        print(f"kernel_compare: {kind} is not listed in {differences}")
    sys.exit(1 if unlisted else 0)


if __name__ == "__main__":
    main()
