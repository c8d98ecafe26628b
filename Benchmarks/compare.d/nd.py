#!/usr/bin/python3
"""Traffic for Benchmarks/compare: target sets, flood pcaps, and the NS->NA latency prober.

Standard library only (no scapy): frames are built by hand, checksums by scripts/rfc1071.py.

  nd.py targets  --out DIR [--latency N] [--scale N]
        Writes the target sets every responder is measured with (fixed seed, so every run
        and every responder sees the same addresses):
          cycle200.txt   200 fixed /128s in 2001:db8:0:96ce::/64 (the "cycle" flood)
          latency.txt    N distinct /128s for the latency probes (never repeated)
          correct.txt    a few /128s for the correctness probes
          scale.txt      the scale set: cycle200 + latency + correct + random, N in all
          small-exact.txt  the /128s a responder without prefixes (the kernel) needs for the
                         small configuration: cycle200 + latency + correct
  nd.py pcap     --out FILE --count N (--random | --cycle FILE) [--seed S]
        A classic pcap of N multicast NS (solicited-node destination, SLLA option) from
        the router (02:00:00:00:0a:01, fe80::ff:fe00:a01): random distinct interface IDs
        in the /64, or a cycle over the targets of FILE (shuffled once).
  nd.py probe    --iface IF --kind mcast|ucast|nud --targets FILE --skip K --count N
                 [--warmup W] [--timeout S] [--abort-after M] [--abort-streak M] [--gap S]
        One NS at a time from IF (an AF_PACKET socket), waiting for the NA for that target
        or the timeout. Latency = kernel receive timestamp of the NA minus kernel timestamp
        of the outgoing NS, both taken by the same AF_PACKET tap as tcpdump's
        (SO_TIMESTAMPNS). Prints one JSON object: latencies (us, null = no answer) and the
        NA's fields of the first answer.
  nd.py dadprobe --iface IF --mac MAC --target ADDR --timeout S
        Sends one raw DAD NS (source ::, no SLLA) and reports the NAs seen for the target.
  nd.py nscount  --iface IF [--interval S]
        Counts the NS that arrive on IF (not those sent from it) in the kernel: a packet socket
        with a classic BPF filter for ICMPv6 type 135 and a one-frame buffer that is never read,
        whose PACKET_STATISTICS count every frame the filter passed, read or dropped. Samples
        every --interval until SIGTERM or SIGINT, then prints [[unix time, NS so far], ...].
  nd.py resolve  --iface IF --targets FILE --rate R --seconds S [--timeout T]
        Resolves the targets of FILE round robin, R NS a second for S seconds (multicast NS
        with SLLA, as a router resolving a neighbour), and counts the NAs for them: its socket's
        filter passes inbound NAs only, so a flood leaving the same interface costs it nothing.
        Latency is user-space time here (send to receive, CLOCK_REALTIME vs the NA's kernel
        timestamp). Prints one JSON object.
"""

import argparse
import ctypes
import ipaddress
import json
import os
import random
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts"))
from rfc1071 import icmp6_checksum  # noqa: E402

PREFIX = 0x20010DB8000096CE  # 2001:db8:0:96ce::/64, upper 64 bits
ROUTER_MAC = bytes.fromhex("02000000" "0a01")
ROUTER_LL = ipaddress.IPv6Address("fe80::ff:fe00:a01").packed
BRIDGE_MAC = bytes.fromhex("02000000" "0001")
ETH_P_ALL = 0x0003
ETH_P_IPV6 = 0x86DD
SO_TIMESTAMPNS = 35
SO_ATTACH_FILTER = 26
PACKET_OUTGOING = 4


# ---------------------------------------------------------------------------------------------
# Addresses and frames


def addr(prefix64, iid):
    return ((prefix64 << 64) | iid).to_bytes(16, "big")


def good_iid(iid):
    # Clear of ::, small IDs (the host ::1, the guest ::2) and the RFC 2526 anycast range.
    return 0x10000 < iid < 0xFDFFFFFFFFFFFF80


def solicited_node(target):
    return bytes.fromhex("ff02" + "00" * 9 + "01ff") + target[13:16]


def mcast_mac(ip6):
    return b"\x33\x33" + ip6[12:16]


def ns_frame(target, kind, src_mac=ROUTER_MAC, src_ip=ROUTER_LL, dst_mac=BRIDGE_MAC):
    """kind: mcast (solicited-node, SLLA), ucast (to the target, SLLA), nud (to the target,
    no SLLA), dad (source ::, solicited-node, no SLLA)."""
    if kind in ("mcast", "dad"):
        dst = solicited_node(target)
        edst = mcast_mac(dst)
    else:
        dst = target
        edst = dst_mac
    if kind == "dad":
        src_ip = bytes(16)
    opts = b"" if kind in ("nud", "dad") else struct.pack("!BB", 1, 1) + src_mac
    body = struct.pack("!BBHI", 135, 0, 0, 0) + target + opts
    c = icmp6_checksum(src_ip, dst, body)
    body = body[:2] + struct.pack("!H", c) + body[4:]
    ip = struct.pack("!IHBB", 0x60000000, len(body), 58, 255) + src_ip + dst
    return edst + src_mac + struct.pack("!H", ETH_P_IPV6) + ip + body


# ---------------------------------------------------------------------------------------------
# Target sets


def cmd_targets(a):
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(4861)
    seen = set()

    def fresh(n):
        out = []
        while len(out) < n:
            iid = rng.getrandbits(64)
            if good_iid(iid) and iid not in seen:
                seen.add(iid)
                out.append(iid)
        return out

    def write(name, iids):
        with open(os.path.join(a.out, name), "w") as f:
            for iid in iids:
                f.write(str(ipaddress.IPv6Address(addr(PREFIX, iid))) + "\n")

    cycle = fresh(200)
    lat = fresh(a.latency)
    cor = fresh(64)
    write("cycle200.txt", cycle)
    write("latency.txt", lat)
    write("correct.txt", cor)
    small = cycle + lat + cor
    write("small-exact.txt", small)
    if a.scale < len(small):
        sys.exit("--scale smaller than the exact set of the small configuration")
    rest = fresh(a.scale - len(small))
    scale = small + rest
    random.Random(7217).shuffle(scale)
    write("scale.txt", scale)


def read_targets(path):
    with open(path) as f:
        return [ipaddress.IPv6Address(l.split("#")[0].strip()).packed for l in f if l.split("#")[0].strip()]


# ---------------------------------------------------------------------------------------------
# Flood pcaps


def cmd_pcap(a):
    rng = random.Random(a.seed)
    if a.cycle:
        cyc = read_targets(a.cycle)
        rng.shuffle(cyc)
    seen = set()
    with open(a.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        t0 = 1704067200
        for i in range(a.count):
            if a.cycle:
                target = cyc[i % len(cyc)]
            else:
                while True:
                    iid = rng.getrandbits(64)
                    if good_iid(iid) and iid not in seen:
                        seen.add(iid)
                        break
                target = addr(PREFIX, iid)
            fr = ns_frame(target, "mcast")
            f.write(struct.pack("<IIII", t0 + i // 1000000, i % 1000000, len(fr), len(fr)))
            f.write(fr)


# ---------------------------------------------------------------------------------------------
# Probing


class SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(SockFilter))]


def attach_nd_filter(sock):
    """Classic BPF: IPv6, next header ICMPv6 (no extension headers), type 135 or 136."""
    prog = [
        (0x28, 0, 0, 12),  # ldh [12]
        (0x15, 0, 6, ETH_P_IPV6),  # jeq IPv6 else drop
        (0x30, 0, 0, 20),  # ldb [20] next header
        (0x15, 0, 4, 58),  # jeq ICMPv6 else drop
        (0x30, 0, 0, 54),  # ldb [54] ICMPv6 type
        (0x15, 1, 0, 135),  # jeq NS -> accept
        (0x15, 0, 1, 136),  # jeq NA -> accept
        (0x06, 0, 0, 0x40000),  # accept
        (0x06, 0, 0, 0),  # drop
    ]
    arr = (SockFilter * len(prog))(*[SockFilter(*p) for p in prog])
    fprog = SockFprog(len(prog), arr)
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, bytes(ctypes.string_at(ctypes.addressof(fprog), ctypes.sizeof(fprog))))
    return arr  # keep alive


def open_rx(iface):
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    keep = attach_nd_filter(rx)
    rx.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rx.bind((iface, ETH_P_ALL))
    rx.setblocking(False)
    return rx, keep


def drain(rx):
    while True:
        try:
            rx.recv(4096)
        except BlockingIOError:
            return


def stamp(anc):
    for level, typ, data in anc:
        if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec * 1_000_000_000 + nsec
    return None


def parse_nd(fr):
    """(type, target, fields) of an untagged Ethernet ICMPv6 ND frame, else None."""
    if len(fr) < 78 or fr[12:14] != b"\x86\xdd" or fr[20] != 58:
        return None
    typ = fr[54]
    if typ not in (135, 136):
        return None
    target = fr[62:78]
    fields = None
    if typ == 136:
        flags = fr[58]
        plen = struct.unpack("!H", fr[18:20])[0]
        icmp = fr[54:54 + plen]
        ok = icmp6_checksum(fr[22:38], fr[38:54], icmp[:2] + b"\0\0" + icmp[4:]) == struct.unpack("!H", icmp[2:4])[0]
        tlla = None
        off = 24
        while off + 2 <= len(icmp):
            olen = icmp[off + 1] * 8
            if olen == 0:
                break
            if icmp[off] == 2 and olen >= 8:
                tlla = icmp[off + 2:off + 8].hex(":")
            off += olen
        fields = {
            "eth_src": fr[6:12].hex(":"), "eth_dst": fr[0:6].hex(":"),
            "src": str(ipaddress.IPv6Address(fr[22:38])), "dst": str(ipaddress.IPv6Address(fr[38:54])),
            "hlim": fr[21], "R": flags >> 7 & 1, "S": flags >> 6 & 1, "O": flags >> 5 & 1,
            "checksum_ok": ok, "tlla": tlla,
        }
    return typ, target, fields


def received_nd(rx, deadline):
    """Yields (parsed ND message, ancillary data, address) for every NS or NA that rx receives
    until `deadline` (time.monotonic()), batch by batch as select reports them. What is already
    queued is read even when the deadline has passed (a sender running late still counts the
    answers that came)."""
    while True:
        left = deadline - time.monotonic()
        r, _, _ = select.select([rx], [], [], max(0.0, left))
        if not r:
            return
        while True:
            try:
                data, anc, _flags, sa = rx.recvmsg(4096, 256)
            except BlockingIOError:
                break
            p = parse_nd(data)
            if p is not None:
                yield p, anc, sa
        if left <= 0:
            return


def probe_one(rx, tx, frame, target, timeout):
    """Returns (latency_ns or None, NA fields or None)."""
    drain(rx)
    tx.send(frame)
    t_send = None
    t_na = None
    na = None
    for p, anc, sa in received_nd(rx, time.monotonic() + timeout):
        if p[1] != target:
            continue
        ts = stamp(anc)
        if p[0] == 135 and sa[2] == PACKET_OUTGOING and t_send is None:
            t_send = ts
        elif p[0] == 136 and sa[2] != PACKET_OUTGOING and t_na is None:
            t_na = ts
            na = p[2]
        if t_send is not None and t_na is not None:
            break
    if t_send is None or t_na is None:
        return None, na
    return t_na - t_send, na


def cmd_probe(a):
    targets = read_targets(a.targets)[a.skip:a.skip + a.warmup + a.count]
    if len(targets) < a.warmup + a.count:
        sys.exit("not enough targets in %s after skipping %d" % (a.targets, a.skip))
    rx, _keep = open_rx(a.iface)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    tx.bind((a.iface, 0))
    dst_mac = bytes.fromhex(a.dst_mac.replace(":", ""))
    lat = []
    first_na = None
    misses = 0
    streak = 0
    aborted = False
    for i, t in enumerate(targets):
        ns, na = probe_one(rx, tx, ns_frame(t, a.kind, dst_mac=dst_mac), t, a.timeout)
        if na is not None and first_na is None:
            first_na = na
        if i < a.warmup:
            continue
        lat.append(None if ns is None else ns / 1000.0)
        if ns is None:
            misses += 1
            streak += 1
            if a.abort_after and misses >= a.abort_after and misses == len(lat):
                aborted = True
                break
            if a.abort_streak and streak >= a.abort_streak:
                aborted = True
                break
        else:
            streak = 0
        if a.gap:
            time.sleep(a.gap)
    json.dump({"kind": a.kind, "sent": len(lat), "planned": a.count, "aborted": aborted,
               "answered": sum(1 for x in lat if x is not None), "lat_us": lat, "na": first_na}, sys.stdout)
    sys.stdout.write("\n")


def cmd_dadprobe(a):
    target = ipaddress.IPv6Address(a.target).packed
    mac = bytes.fromhex(a.mac.replace(":", ""))
    rx, _keep = open_rx(a.iface)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    tx.bind((a.iface, 0))
    drain(rx)
    tx.send(ns_frame(target, "dad", src_mac=mac))
    nas = [p[2] for p, _anc, sa in received_nd(rx, time.monotonic() + a.timeout)
           if p[0] == 136 and p[1] == target and sa[2] != PACKET_OUTGOING]
    json.dump({"target": a.target, "nas": nas}, sys.stdout)
    sys.stdout.write("\n")


def na_frame(target, src_mac, dst_mac, src_ip, dst_ip):
    body = struct.pack("!BBHI", 136, 0, 0, 0xE0000000) + target + struct.pack("!BB", 2, 1) + src_mac
    c = icmp6_checksum(src_ip, dst_ip, body)
    body = body[:2] + struct.pack("!H", c) + body[4:]
    ip = struct.pack("!IHBB", 0x60000000, len(body), 58, 255) + src_ip + dst_ip
    return dst_mac + src_mac + struct.pack("!H", ETH_P_IPV6) + ip + body


def cmd_sendfloor(a):
    """The kernel's cost of what every responder does per answer in this bed: one AF_PACKET
    send(2) of an NA on br0 (which, on veth, also runs the router's receive in the sender's
    softirq). Sends --count NAs either back to back or paced at --rate with one sleep per NA
    (a wake-up per NA, as a responder woken by each NS). Reports stime/utime per NA and
    voluntary context switches per NA, from getrusage."""
    import resource
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    tx.bind((a.iface, 0))
    fr = na_frame(addr(PREFIX, 0x1234567890), BRIDGE_MAC, ROUTER_MAC,
                  ipaddress.IPv6Address("fe80::ff:fe00:1").packed, ROUTER_LL)
    send = tx.send
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    if a.rate:
        gap = 1.0 / a.rate
        nxt = time.perf_counter()
        for _ in range(a.count):
            nxt += gap
            d = nxt - time.perf_counter()
            if d > 0:
                select.select([], [], [], d)
            send(fr)
    else:
        for _ in range(a.count):
            send(fr)
    t1 = time.perf_counter()
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    n = float(a.count)
    json.dump({"count": a.count, "rate": a.rate, "elapsed": t1 - t0,
               "stime_us": 1e6 * (r1.ru_stime - r0.ru_stime) / n, "utime_us": 1e6 * (r1.ru_utime - r0.ru_utime) / n,
               "wakeups_per_na": (r1.ru_nvcsw - r0.ru_nvcsw) / n}, sys.stdout)
    sys.stdout.write("\n")


# ---------------------------------------------------------------------------------------------
# Live mode (Benchmarks/compare --live)

PACKET_STATISTICS = 6
PACKET_IGNORE_OUTGOING = 23
SOL_PACKET = 263


def attach_filter(sock, prog):
    arr = (SockFilter * len(prog))(*[SockFilter(*p) for p in prog])
    fprog = SockFprog(len(prog), arr)
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, bytes(ctypes.string_at(ctypes.addressof(fprog), ctypes.sizeof(fprog))))
    return arr


def icmp_type_filter(typ):
    """Classic BPF: IPv6, next header ICMPv6 (no extension headers), ICMPv6 type `typ`."""
    return [
        (0x28, 0, 0, 12),  # ldh [12]
        (0x15, 0, 5, ETH_P_IPV6),
        (0x30, 0, 0, 20),  # ldb [20] next header
        (0x15, 0, 3, 58),
        (0x30, 0, 0, 54),  # ldb [54] ICMPv6 type
        (0x15, 0, 1, typ),
        (0x06, 0, 0, 0x40000),
        (0x06, 0, 0, 0),
    ]


def cmd_nscount(a):
    import signal
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    keep = attach_filter(s, icmp_type_filter(135))
    s.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
    s.bind((a.iface, ETH_P_ALL))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    total = 0
    series = []

    def sample():
        nonlocal total
        # struct tpacket_stats { unsigned tp_packets, tp_drops }: reset by every read;
        # tp_packets counts every frame the filter passed, queued or dropped.
        packets, _drops = struct.unpack("II", s.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))
        total += packets
        series.append([round(time.time(), 3), total])

    sample()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while not stop:
        try:
            time.sleep(a.interval)
        except InterruptedError:
            pass
        sample()
    sample()
    del keep
    json.dump(series, sys.stdout)
    sys.stdout.write("\n")


def cmd_resolve(a):
    targets = read_targets(a.targets)
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    keep = attach_filter(rx, icmp_type_filter(136))
    rx.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
    rx.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rx.bind((a.iface, ETH_P_ALL))
    rx.setblocking(False)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    tx.bind((a.iface, 0))
    frames = [ns_frame(t, "mcast") for t in targets]
    pending = {}  # target -> (send time ns, index)
    sent = answered = late = 0
    per_target = [[0, 0] for _ in targets]
    lat = []
    gap = 1.0 / a.rate
    t_end = time.monotonic() + a.seconds
    nxt = time.monotonic()
    i = 0

    def expire(now_ns):
        for t, (ts, _k) in list(pending.items()):
            if now_ns - ts > a.timeout * 1e9:
                del pending[t]

    while True:
        now = time.monotonic()
        if now >= t_end and not pending:
            break
        if now >= t_end + a.timeout:
            break
        if now >= nxt and now < t_end:
            k = i % len(targets)
            t = targets[k]
            if t in pending:
                # Still unanswered from the previous round: counted as a miss, asked again.
                del pending[t]
            pending[t] = (time.time_ns(), k)
            tx.send(frames[k])
            sent += 1
            per_target[k][0] += 1
            i += 1
            nxt += gap
        for p, anc, _sa in received_nd(rx, min(nxt, t_end + a.timeout)):
            if p[0] != 136 or p[1] not in pending:
                continue
            ts, k = pending.pop(p[1])
            st = stamp(anc) or time.time_ns()
            d = st - ts
            if d > a.timeout * 1e9:
                late += 1
                continue
            answered += 1
            per_target[k][1] += 1
            lat.append(round(d / 1000.0, 1))
        expire(time.time_ns())
    del keep
    json.dump({"sent": sent, "answered": answered, "late": late, "rate": a.rate, "seconds": a.seconds,
               "per_target": [[str(ipaddress.IPv6Address(t)), s, n] for t, (s, n) in zip(targets, per_target)],
               "lat_us": lat}, sys.stdout)
    sys.stdout.write("\n")


def cmd_cgdiff(a):
    """Per-function instructions per NS: callgrind_annotate of the long run minus the short one."""
    import re
    import subprocess

    def fns(path):
        out = subprocess.run(["callgrind_annotate", "--threshold=100", path], capture_output=True, text=True).stdout
        res, go = {}, False
        for line in out.splitlines():
            if "file:function" in line:
                go = True
                continue
            m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(.*)$", line) if go else None
            if m:
                name = re.sub(r" \[[^]]*\]$", "", m.group(2))
                res[name] = res.get(name, 0) + int(m.group(1).replace(",", ""))
        return res

    one, many = fns(a.one), fns(a.many)
    diff = sorted(((v - one.get(k, 0), k) for k, v in many.items()), reverse=True)[:a.top]
    json.dump([{"ir_per_ns": round(d / a.n, 1), "function": k[:150]} for d, k in diff], sys.stdout)
    sys.stdout.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    # Options several sub-commands share, declared once (argparse's parent parsers).
    on_iface = argparse.ArgumentParser(add_help=False)
    on_iface.add_argument("--iface", required=True)
    waits = argparse.ArgumentParser(add_help=False)
    waits.add_argument("--timeout", type=float, default=1.5)

    def command(name, fn, *parents):
        p = sub.add_parser(name, parents=list(parents))
        p.set_defaults(fn=fn)
        return p

    p = command("targets", cmd_targets)
    p.add_argument("--out", required=True)
    p.add_argument("--latency", type=int, default=1400)
    p.add_argument("--scale", type=int, default=10000)
    p = command("pcap", cmd_pcap)
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=200000)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--random", action="store_true")
    g.add_argument("--cycle")
    p.add_argument("--seed", type=int, default=1)
    p = command("probe", cmd_probe, on_iface, waits)
    p.add_argument("--kind", choices=["mcast", "ucast", "nud"], required=True)
    p.add_argument("--targets", required=True)
    p.add_argument("--skip", type=int, default=0)
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--abort-after", type=int, default=0, help="stop after M misses if nothing was answered")
    p.add_argument("--abort-streak", type=int, default=0, help="stop after M misses in a row")
    p.add_argument("--gap", type=float, default=0.0)
    p.add_argument("--dst-mac", default="02:00:00:00:00:01")
    p = command("dadprobe", cmd_dadprobe, on_iface, waits)
    p.add_argument("--mac", required=True)
    p.add_argument("--target", required=True)
    p = command("sendfloor", cmd_sendfloor, on_iface)
    p.add_argument("--count", type=int, default=100000)
    p.add_argument("--rate", type=int, default=0)
    command("nscount", cmd_nscount, on_iface).add_argument("--interval", type=float, default=0.1)
    p = command("resolve", cmd_resolve, on_iface)
    p.add_argument("--targets", required=True)
    p.add_argument("--rate", type=float, default=100)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--timeout", type=float, default=1.0)
    p = command("cgdiff", cmd_cgdiff)
    p.add_argument("one")
    p.add_argument("many")
    p.add_argument("n", type=int)
    p.add_argument("--top", type=int, default=10)
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
