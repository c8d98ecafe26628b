#!/usr/bin/env python3
"""Which frames of a capture the host's Linux kernel answers, one frame at a time.

    kernel_verdicts.py CAPTURE IFACE HOST_PID SRC_MAC DST_MAC SRC_IP DST_IP OUT

Run inside the namespace that holds IFACE (the router's side of the test bed; see run.sh,
scenario `kernel`). Every Ethernet frame of CAPTURE (classic pcap, link type 1) is sent on IFACE,
followed by a barrier: an ICMPv6 Echo Request from SRC_MAC/SRC_IP to the host's DST_IP, with a
sequence number of its own. The host's count of Neighbor Advertisements sent
(`Icmp6OutNeighborAdvertisements` in /proc/HOST_PID/net/snmp6, the namespace of any process in
the host) is read before the frame and once the barrier's Echo Reply is back on IFACE: the
kernel handles one device's frames in order, so by then it has decided on the frame. A higher
count means the kernel answered it. The count rises when the kernel decides to send, before the
solicitor's address is resolved (ndisc_send_skb), so an answer that waits for resolution is seen.

The sender stays on one CPU, so the frame and its barrier go through one receive queue in order.
The host's neighbour cache is flushed every FLUSH_EVERY frames so that fuzzed sources never fill
it (with a full cache the kernel skips the answer, ndisc_recv_ns), and the entries it held before
the first frame (the router's) are put back as STALE: the kernel answers a multicast NS without a
Source Link-Layer Address option only while it has an entry for the solicitor, so removing the
router's would change its answers to the frames that follow.

OUT gets one line per frame, `FRAME ANSWERED` (1-based frame number, 0 or 1); a frame whose barrier
is not answered within a second is sent again once, then reported as an error (exit status 1).
"""
import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts"))
from rfc1071 import icmp6_checksum  # noqa: E402

FLUSH_EVERY = 200
BARRIER_ID = 0x4E44


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        endian = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        endian = ">"
    else:
        sys.exit(f"{path}: not a classic pcap file")
    if struct.unpack(endian + "I", data[20:24])[0] != 1:
        sys.exit(f"{path}: link type is not Ethernet")
    offset = 24
    while offset + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[offset + 8:offset + 12])[0]
        yield data[offset + 16:offset + 16 + caplen]
        offset += 16 + caplen


def echo_request(src_mac, dst_mac, src_ip, dst_ip, sequence):
    """An ICMPv6 Echo Request (RFC 4443 §4.1), identifier BARRIER_ID, the given sequence number."""
    source, destination = socket.inet_pton(socket.AF_INET6, src_ip), socket.inet_pton(socket.AF_INET6, dst_ip)
    body = struct.pack("!BBHHH", 128, 0, 0, BARRIER_ID, sequence) + b"ndpd-barrier"
    body = body[:2] + struct.pack("!H", icmp6_checksum(source, destination, body)) + body[4:]
    ip = struct.pack("!IHBB", 6 << 28, len(body), 58, 64) + source + destination
    return dst_mac + src_mac + b"\x86\xdd" + ip + body


def is_echo_reply(frame, sequence):
    # Ethernet II, IPv6 with no extension header, ICMPv6 type 129 with our identifier and sequence.
    return (len(frame) >= 62 and frame[12:14] == b"\x86\xdd" and frame[20] == 58 and frame[54] == 129
            and struct.unpack("!HH", frame[58:62]) == (BARRIER_ID, sequence))


def advertisements_sent(path):
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"Icmp6OutNeighborAdvertisements"):
                return int(line.split()[1])
    sys.exit(f"{path}: no Icmp6OutNeighborAdvertisements")


def main():
    capture, iface, host_pid, src_mac, dst_mac, src_ip, dst_ip, out = sys.argv[1:9]
    mac = lambda text: bytes(int(x, 16) for x in text.split(":"))
    counter = f"/proc/{host_pid}/net/snmp6"
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x86DD))
    sock.bind((iface, 0x86DD))
    sequence = 0

    def answered(frame):
        nonlocal sequence
        for _ in range(2):
            sequence = (sequence + 1) & 0xFFFF
            before = advertisements_sent(counter)
            sock.send(frame)
            sock.send(echo_request(mac(src_mac), mac(dst_mac), src_ip, dst_ip, sequence))
            deadline = time.monotonic() + 1.0
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                try:
                    reply, address = sock.recvfrom(2048)
                except socket.timeout:
                    break
                if address[2] != socket.PACKET_OUTGOING and is_echo_reply(reply, sequence):
                    return min(1, advertisements_sent(counter) - before)
        return None

    in_host = ["nsenter", "-t", host_pid, "-n", "ip", "-6"]
    # "ADDR dev DEV lladdr MAC [router] STATE"
    known = [line.split() for line in subprocess.run(in_host + ["neigh", "show"], check=True, capture_output=True,
                                                     text=True).stdout.splitlines() if " lladdr " in line]
    verdicts, errors = [], 0
    for number, frame in enumerate(frames(capture), start=1):
        if number % FLUSH_EVERY == 0:
            subprocess.run(in_host + ["neigh", "flush", "all"], check=False)
            for entry in known:
                subprocess.run(in_host + ["neigh", "replace", entry[0], "dev", entry[2], "lladdr", entry[4], "nud", "stale"],
                               check=False)
        verdict = answered(frame)
        if verdict is None:
            errors += 1
            print(f"kernel_verdicts: frame {number}: the barrier was not answered", file=sys.stderr)
            verdict = 0
        verdicts.append(verdict)
    with open(out, "w") as f:
        f.writelines(f"{number} {verdict}\n" for number, verdict in enumerate(verdicts, start=1))
    print(f"kernel_verdicts: {len(verdicts)} frames, {sum(verdicts)} answered, {errors} errors")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
