#!/usr/bin/python3
"""Cross-check the hand-written *.expected.jsonl against tshark's decode of each fixture.

    /usr/bin/python3 crosscheck.py [CAPTURES_DIR]

It checks only what tshark can tell independently of ndpd: that every frame tshark decodes as a
Neighbor Solicitation has exactly one expected line, that no line names a frame that is not one,
and that each line's source and target are the ones in the frame. The decisions and reasons are
the spec's, read by a person; this script does not judge them. Frames tshark cannot decode as NS
(a first fragment, a record cut inside the ICMPv6 header) are listed for a person to look at.
"""

import glob
import ipaddress
import json
import os
import subprocess
import sys


def tshark_frames(path):
    out = subprocess.run(
        ["tshark", "-r", path, "-T", "fields", "-E", "occurrence=f",
         "-e", "frame.number", "-e", "ipv6.src", "-e", "icmpv6.type",
         "-e", "icmpv6.nd.ns.target_address"],
        capture_output=True, text=True)
    frames = {}
    for line in out.stdout.splitlines():
        num, src, typ, tgt = (line.split("\t") + ["", "", "", ""])[:4]
        frames[int(num)] = (src, typ, tgt)
    return frames


def norm(a):
    return str(ipaddress.IPv6Address(a)) if a else ""


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))
    bad = 0
    for exp in sorted(glob.glob(os.path.join(d, "*.expected.jsonl"))):
        name = os.path.basename(exp)[:-len(".expected.jsonl")]
        frames = tshark_frames(os.path.join(d, name + ".pcap"))
        lines = [json.loads(x) for x in open(exp)]
        by_frame = {x["frame"]: x for x in lines}
        if len(by_frame) != len(lines):
            print(f"{name}: duplicate frame numbers"); bad += 1
        for num, (src, typ, tgt) in frames.items():
            if typ == "135" and num not in by_frame:
                print(f"{name}: frame {num} is an NS but has no expected line"); bad += 1
        for x in lines:
            f = frames.get(x["frame"])
            if f is None:
                print(f"{name}: frame {x['frame']} not in the file"); bad += 1
                continue
            src, typ, tgt = f
            if typ != "135":
                print(f"{name}: frame {x['frame']}: tshark does not decode an NS "
                      f"(expected {x.get('reason', x['decision'])}); check by hand")
                if norm(src) != x["source"]:
                    print(f"{name}: frame {x['frame']}: source {src} != {x['source']}"); bad += 1
                continue
            if norm(src) != x["source"]:
                print(f"{name}: frame {x['frame']}: source {src} != {x['source']}"); bad += 1
            if "target" in x and norm(tgt) != x["target"]:
                print(f"{name}: frame {x['frame']}: target {tgt} != {x['target']}"); bad += 1
            if "target" not in x and tgt:
                print(f"{name}: frame {x['frame']}: tshark reads target {tgt}, line has none")
        print(f"{name}: {len(lines)} lines checked")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
