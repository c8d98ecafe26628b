"""The Internet checksum (RFC 1071) as the project's Python tools compute it, one copy for all:
the end-to-end frame builders (Tests/EndToEnd), the benchmark generators (Benchmarks/compare.d/nd.py,
Benchmarks/tools/gen_ns_pcap.py) and the fixture recorder (Captures/record/build.py).

A script elsewhere in the tree imports it with its own folder's path to scripts/:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts"))
"""
import struct


def ones_complement_sum(data):
    """The folded ones'-complement sum of `data` as big-endian 16-bit words (an odd length is
    padded with a zero byte): 0 to 0xFFFF, before the final complement."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def icmp6_checksum(src, dst, message):
    """The ICMPv6 checksum (RFC 4443 §2.3) of `message` from `src` to `dst` (16-byte addresses):
    the complemented sum over the pseudo-header (RFC 8200 §8.1: source, destination, upper-layer
    length, next header 58) and the message, whose checksum field is taken as it is."""
    pseudo = src + dst + struct.pack("!I3xB", len(message), 58)
    return ~ones_complement_sum(pseudo + message) & 0xFFFF
