#!/usr/bin/env python3
"""Writes Neighbor Solicitations behind hand-picked extension headers, one per IP-layer rule.

    kernel_options.py OUT.pcap

The fuzzer's passes (run.sh, scenario `kernel`) never reach some rules: its hop-by-hop and
destination options headers always hold non-zero padding, which Linux discards first. These
frames put each rule on its own, next to a twin that keeps it, so that Linux's verdict on each
can be compared with ndpd's. Every frame is a valid NS from the router (fe80::ff:fe00:a01,
02:00:00:00:0a:01, with its SLLA) for the host's address 2001:db8:0:96ce::1; only the headers
between IPv6 and ICMPv6 differ, or, in the first few, an address of the fixed header. Plain
Python 3.
"""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts"))
from rfc1071 import icmp6_checksum  # noqa: E402

ROUTER_MAC = bytes.fromhex("020000000a01")
HOST_MAC = bytes.fromhex("020000000001")
ROUTER = socket.inet_pton(socket.AF_INET6, "fe80::ff:fe00:a01")
HOST = socket.inet_pton(socket.AF_INET6, "2001:db8:0:96ce::1")
SOLICITED = socket.inet_pton(socket.AF_INET6, "ff02::1:ff00:1")


def options(protocol, data):
    """A hop-by-hop (0) or destination options (60) header holding `data`, which fills it."""
    assert (len(data) + 2) % 8 == 0
    return protocol, bytes([(len(data) + 2) // 8 - 1]) + data


def routing(kind, segments_left):
    """A routing header of `kind` with no addresses (RFC 8200 §4.4)."""
    return 43, bytes([0, kind, segments_left, 0, 0, 0, 0])


def solicitation(headers, unicast=False, source=ROUTER, destination=None, link=None):
    destination = destination or (HOST if unicast else SOLICITED)
    body = struct.pack("!BBHI", 135, 0, 0, 0) + HOST + bytes([1, 1]) + ROUTER_MAC
    body = body[:2] + struct.pack("!H", icmp6_checksum(source, destination, body)) + body[4:]
    chain, first = b"", 58
    for protocol, rest in reversed(headers):
        chain = bytes([first]) + rest + chain
        first = protocol
    ip = struct.pack("!IHBB", 6 << 28, len(chain) + len(body), first, 255) + source + destination
    link = link or (HOST_MAC if unicast else bytes.fromhex("3333ff000001"))
    return link + ROUTER_MAC + b"\x86\xdd" + ip + chain + body


def address(text):
    return socket.inet_pton(socket.AF_INET6, text)


FRAMES = [
    solicitation([]),
    solicitation([], source=address("::1")),                                  # loopback source
    solicitation([], destination=address("::1"), link=HOST_MAC),              # loopback destination
    solicitation([], destination=address("::"), link=HOST_MAC),               # unspecified destination
    solicitation([], destination=address("ff01::1:ff00:1")),                  # interface-local group
    solicitation([], source=address("::ffff:10.0.0.1")),                      # v4-mapped source: kept

    solicitation([options(0, bytes([1, 4, 0, 0, 0, 0]))]),                    # PadN of 6: kept
    solicitation([options(0, bytes([1, 4, 0, 0, 1, 0]))]),                    # PadN, non-zero octet
    solicitation([options(60, bytes(14))]),                                   # 14 octets of Pad1
    solicitation([options(60, bytes([0x1E, 4, 0, 0, 0, 0]))]),                # unknown, action 00
    solicitation([options(60, bytes([0x5E, 4, 0, 0, 0, 0]))]),                # unknown, action 01
    solicitation([options(0, bytes([0x9E, 4, 0, 0, 0, 0]))]),                 # unknown, action 10
    solicitation([options(0, bytes([0xDE, 4, 0, 0, 0, 0]))]),                 # unknown, action 11
    solicitation([options(60, bytes([0x1E, 9, 0, 0, 0, 0]))]),                # runs past the header
    solicitation([options(60, bytes([0x1E, 0] * 8 + [1, 4, 0, 0, 0, 0]))]),  # 8 options: kept
    solicitation([options(60, bytes([0x1E, 0] * 9 + [0, 0, 0, 0]))]),        # 9 options
    solicitation([options(0, bytes([5, 2, 0, 0, 1, 0]))]),                    # Router Alert: kept
    solicitation([options(0, bytes([5, 3, 0, 0, 0, 0]))]),                    # Router Alert, length 3
    solicitation([options(60, bytes([5, 3, 0, 0, 0, 0]))]),                   # ...in destination options
    solicitation([options(0, bytes([0, 0, 0xC2, 4, 0, 1, 0, 0, 1, 4, 0, 0, 0, 0]))]),  # Jumbo
    solicitation([options(0, bytes([7, 12]) + bytes(12))]),                   # CALIPSO
    solicitation([options(60, bytes([7, 4, 0, 0, 0, 0]))]),                   # ...in destination options
    solicitation([options(0, bytes([0x31, 4, 0, 0, 0, 0]))]),                 # IOAM, misaligned
    solicitation([options(0, bytes([0, 0, 0x31, 2, 0, 0]))]),                 # IOAM, aligned: kept
    solicitation([options(60, bytes([0xC9, 4, 0, 0, 0, 0]))]),                # Home Address (action 11)
    solicitation([routing(253, 0)], unicast=True),                            # segments left 0: kept
    solicitation([routing(0, 1)], unicast=True),                              # RH0, segments left 1
    solicitation([routing(2, 0)], unicast=True),                              # type 2
    solicitation([routing(3, 0)], unicast=True),                              # type 3
    solicitation([routing(4, 0)], unicast=True),                              # type 4
    solicitation([routing(253, 0)]),                                          # to a multicast group
    solicitation([options(0, bytes([1, 4, 0, 0, 0, 0])), options(60, bytes([0x1E, 4, 0, 0, 0, 0])),
                  routing(253, 0), options(60, bytes([1, 4, 0, 0, 0, 0]))], unicast=True),  # all kept
]


def main():
    with open(sys.argv[1], "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for number, frame in enumerate(FRAMES):
            out.write(struct.pack("<IIII", 1_700_000_000, number, len(frame), len(frame)) + frame)


if __name__ == "__main__":
    main()
