#!/usr/bin/python3
"""Build ndpd's replay fixtures from the raw captures that record.sh made in the test bed.

    /usr/bin/python3 build.py RAWDIR OUTDIR

RAWDIR holds the raw captures (raw-*.pcap, raw-ng.pcapng). OUTDIR receives the fixtures' .pcap
files (the .toml configs and .expected.jsonl files are written by hand, from the spec, and are not
touched here). Every fixture frame is either a frame a real kernel (or ndisc6) sent in the test bed,
copied byte for byte with its timestamp, or such a frame with one deliberate change (a few have
two, on purpose, in precedence.pcap). Each change recomputes the ICMPv6 checksum, except where the
checksum itself is the thing under test.

Frames are picked by what they are (first NS for target T from source S ...), never by position in
the raw capture, so a new recording gives the same fixtures up to timestamps.
"""

import ipaddress
import os
import struct
import sys

from scapy.layers.inet6 import in6_chksum, IPv6  # only to cross-check our own checksum

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts"))
import rfc1071  # noqa: E402

ETH_P_IPV6 = 0x86DD
TPID_8021Q = 0x8100
TPID_8021AD = 0x88A8
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276

ROUTER_MAC = "02:00:00:00:0a:01"
HOST_MAC = "02:00:00:00:00:01"
GUEST_MAC = "02:00:00:00:0b:02"
INTRUDER_MAC = "02:00:00:00:0c:03"

GW = "2001:db8:0:96ff:ff:ff:ff:ff"
ROUTER_LL = "fe80::ff:fe00:a01"
HOST_LL = "fe80::ff:fe00:1"
GUEST_LL = "fe80::ff:fe00:b02"
HOST_ADDR = "2001:db8:0:96ce::1"
GUEST_ADDR = "2001:db8:0:96ce::2"
RANDOM_ADDR = "2001:db8:0:96ce:5e1a:7f3b:c2d9:84e6"


# ---------------------------------------------------------------------------------------------
# pcap files (classic format, written by hand so that caplen/len and the link type are exact)

class Record:
    def __init__(self, ts_sec, ts_usec, data, orig_len=None):
        self.ts_sec, self.ts_usec, self.data = ts_sec, ts_usec, bytes(data)
        self.orig_len = len(data) if orig_len is None else orig_len

    def at(self, ts_sec, ts_usec, data=None, orig_len=None):
        d = self.data if data is None else data
        return Record(ts_sec, ts_usec, d, orig_len)


def read_pcap(path):
    with open(path, "rb") as f:
        blob = f.read()
    magic = blob[:4]
    if magic == b"\xd4\xc3\xb2\xa1":
        endian, nsec = "<", False
    elif magic == b"\x4d\x3c\xb2\xa1":
        endian, nsec = "<", True
    elif magic == b"\xa1\xb2\xc3\xd4":
        endian, nsec = ">", False
    else:
        raise SystemExit(f"{path}: not a classic pcap file")
    linktype = struct.unpack(endian + "I", blob[20:24])[0]
    recs, off = [], 24
    while off + 16 <= len(blob):
        sec, frac, incl, orig = struct.unpack(endian + "IIII", blob[off:off + 16])
        off += 16
        usec = frac // 1000 if nsec else frac
        recs.append(Record(sec, usec, blob[off:off + incl], orig))
        off += incl
    return linktype, recs


def write_pcap(path, linktype, recs, snaplen=262144):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for r in recs:
            f.write(struct.pack("<IIII", r.ts_sec, r.ts_usec, len(r.data), r.orig_len))
            f.write(r.data)


def later(rec, k):
    """A timestamp k milliseconds after rec's (crafted frames follow their source frame)."""
    usec = rec.ts_usec + 1000 * k
    return rec.ts_sec + usec // 1_000_000, usec % 1_000_000


# ---------------------------------------------------------------------------------------------
# Frames: Ethernet (+ tags) / IPv6 (+ extension headers) / ICMPv6, kept as editable fields.

def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(":"))


def ip6(text):
    return ipaddress.IPv6Address(text).packed


def ip6_text(raw):
    return str(ipaddress.IPv6Address(bytes(raw)))


def icmp6_checksum(src, dst, icmp):
    """RFC 4443 §2.3 / RFC 8200 §8.1: pseudo-header (src, dst, upper-layer length, 58) + message."""
    c = rfc1071.icmp6_checksum(src, dst, icmp[:2] + b"\0\0" + icmp[4:])
    return c if c != 0 else 0xFFFF


class Frame:
    """An Ethernet frame carrying IPv6; ext is the raw extension-header chain before ICMPv6."""

    def __init__(self, data):
        self.dst, self.src = data[0:6], data[6:12]
        self.tags = []  # [(tpid, tci)] outermost first
        off = 12
        etype = struct.unpack("!H", data[off:off + 2])[0]
        while etype in (TPID_8021Q, TPID_8021AD):
            tci = struct.unpack("!H", data[off + 2:off + 4])[0]
            self.tags.append((etype, tci))
            off += 4
            etype = struct.unpack("!H", data[off:off + 2])[0]
        assert etype == ETH_P_IPV6, "not IPv6"
        ip = data[off + 2:]
        self.vtcfl = ip[0:4]
        self.plen_override = None
        self.nh = ip[6]
        self.hlim = ip[7]
        self.ipsrc, self.ipdst = ip[8:24], ip[24:40]
        plen = struct.unpack("!H", ip[4:6])[0]
        payload = ip[40:40 + plen]
        self.ext = b""
        self.fragmented = False
        nh = self.nh
        while nh in (0, 43, 44, 60):  # hop-by-hop, routing, fragment, destination options
            hlen = 8 if nh == 44 else (payload[1] + 1) * 8
            self.fragmented |= nh == 44
            self.ext += payload[:hlen]
            nh, payload = payload[0], payload[hlen:]
        assert nh == 58, "not ICMPv6"
        self.icmp = bytearray(payload)

    @classmethod
    def of(cls, rec):
        return cls(rec.data)

    # --- the NS fields, by the RFC's names -------------------------------------------------
    @property
    def icmp_type(self):
        return self.icmp[0]

    @property
    def target(self):
        return ip6_text(self.icmp[8:24])

    def set_target(self, text):
        self.icmp[8:24] = ip6(text)

    def options(self):
        """[(offset, type, len)] of the ND options after the 24-byte NS header."""
        out, off = [], 24
        while off + 2 <= len(self.icmp):
            t, ln = self.icmp[off], self.icmp[off + 1]
            out.append((off, t, ln))
            if ln == 0:
                break
            off += 8 * ln
        return out

    def option(self, otype):
        for off, t, ln in self.options():
            if t == otype:
                return off
        raise KeyError(otype)

    def fix_checksum(self):
        c = icmp6_checksum(self.ipsrc, self.ipdst, bytes(self.icmp))
        self.icmp[2:4] = struct.pack("!H", c)
        return self

    def ip_packet(self):
        """The IPv6 packet: header + extension headers + ICMPv6."""
        first_nh = self.nh
        body = self.ext + bytes(self.icmp)
        plen = len(body) if self.plen_override is None else self.plen_override
        return (bytes(self.vtcfl) + struct.pack("!HBB", plen, first_nh, self.hlim)
                + bytes(self.ipsrc) + bytes(self.ipdst) + body)

    def bytes(self):
        eth = bytes(self.dst) + bytes(self.src)
        for tpid, tci in self.tags:
            eth += struct.pack("!HH", tpid, tci)
        return eth + struct.pack("!H", ETH_P_IPV6) + self.ip_packet()


def solicited_node(text):
    a = ipaddress.IPv6Address(text).packed
    return ip6_text(ip6("ff02::1:ff00:0")[:13] + a[13:])


def multicast_mac(text):
    return b"\x33\x33" + ip6(text)[12:]


# ---------------------------------------------------------------------------------------------
# Picking frames out of a raw Ethernet capture

def ns_frames(recs):
    out = []
    for r in recs:
        try:
            f = Frame.of(r)
        except (AssertionError, IndexError, struct.error):
            continue
        out.append((r, f))
    return out


def pick(recs, *, icmp_type=135, src=None, dst=None, target=None, eth_src=None, eth_dst=None,
         hlim=None, with_option=None, nth=1):
    """The nth frame matching every given criterion (addresses as text, MACs as text)."""
    seen = 0
    for r, f in ns_frames(recs):
        if f.icmp_type != icmp_type:
            continue
        if src is not None and ip6_text(f.ipsrc) != str(ipaddress.IPv6Address(src)):
            continue
        if dst is not None and ip6_text(f.ipdst) != str(ipaddress.IPv6Address(dst)):
            continue
        if target is not None and (len(f.icmp) < 24 or f.target != str(ipaddress.IPv6Address(target))):
            continue
        if eth_src is not None and bytes(f.src) != mac_bytes(eth_src):
            continue
        if eth_dst is not None and bytes(f.dst) != mac_bytes(eth_dst):
            continue
        if hlim is not None and f.hlim != hlim:
            continue
        if with_option is not None and with_option not in [t for _, t, _ in f.options()]:
            continue
        seen += 1
        if seen == nth:
            # Edits start from Frame.of(r): it must give back the recorded bytes exactly.
            assert f.bytes() == r.data, "Frame does not round-trip a recorded frame"
            return r
    crit = dict(icmp_type=icmp_type, src=src, dst=dst, target=target, eth_src=eth_src,
                eth_dst=eth_dst, hlim=hlim, with_option=with_option, nth=nth)
    raise SystemExit(f"build.py: no frame matches {crit}")


def crafted(base_rec, k, frame, orig_len=None):
    sec, usec = later(base_rec, k)
    data = frame.bytes() if isinstance(frame, Frame) else frame
    return Record(sec, usec, data, orig_len)


def restamp(recs, base_rec):
    """Crafted fixtures: give the records increasing timestamps 1 ms apart after base_rec."""
    out = []
    for k, r in enumerate(recs, 1):
        sec, usec = later(base_rec, k)
        out.append(Record(sec, usec, r.data, r.orig_len))
    return out


# ---------------------------------------------------------------------------------------------
# The single-field edits, each recomputing the checksum unless told otherwise

def edit(rec, fn, fix=True):
    f = Frame.of(rec)
    fn(f)
    if fix:
        f.fix_checksum()
    return f


def set_hlim(v):
    def fn(f): f.hlim = v
    return fn


def bad_checksum(f):
    # Flip the lowest bit: never maps 0x0000 <-> 0xffff, which one's complement would accept.
    f.icmp[3] ^= 0x01


def set_code(v):
    def fn(f): f.icmp[1] = v
    return fn


def set_target(text):
    def fn(f): f.set_target(text)
    return fn


def set_option_len(otype, v):
    def fn(f): f.icmp[f.option(otype) + 1] = v
    return fn


def drop_option(otype):
    def fn(f):
        off = f.option(otype)
        ln = f.icmp[off + 1] * 8
        del f.icmp[off:off + ln]
    return fn


def add_option(raw):
    def fn(f): f.icmp += raw
    return fn


def set_src(text):
    def fn(f): f.ipsrc = ip6(text)
    return fn


def set_dst(text, eth_dst=None):
    def fn(f):
        f.ipdst = ip6(text)
        a = ipaddress.IPv6Address(text)
        f.dst = multicast_mac(text) if a.is_multicast else mac_bytes(eth_dst)
    return fn


def cut_icmp(n):
    def fn(f): del f.icmp[n:]
    return fn


def chain(*fns):
    def fn(f):
        for g in fns:
            g(f)
    return fn


def hop_by_hop_padn(f):
    # Hop-by-Hop Options header (RFC 8200 §4.3): next header (58), length 0 (8 bytes), one PadN
    # option (type 1) with 4 zero bytes: 2 + 2 + 4 = 8. It must come first (RFC 8200 §4.1).
    f.ext = bytes([f.nh, 0, 1, 4, 0, 0, 0, 0]) + f.ext
    f.nh = 0


def fragment(f, *, more, offset_units=0, ident=0x6e647064, keep=None):
    """Insert a Fragment header (RFC 8200 §4.5) before ICMPv6; keep the first `keep` bytes.

    The ICMPv6 checksum stays the one of the whole message, as a sender computes it before
    fragmenting."""
    frag = struct.pack("!BBHI", 58, 0, (offset_units << 3) | (1 if more else 0), ident)
    assert not f.ext, "fragment() expects a frame without extension headers"
    f.ext = frag
    f.nh = 44
    if keep is not None:
        del f.icmp[keep:]


def tag(*tags):
    def fn(f): f.tags = list(tags)
    return fn


# ---------------------------------------------------------------------------------------------
# Link-type rewrites

def to_raw_ipv6(rec):
    return Record(rec.ts_sec, rec.ts_usec, Frame.of(rec).ip_packet())


# ---------------------------------------------------------------------------------------------

def verify_checksums(path, recs, exempt=()):
    """Cross-check with scapy's in6_chksum that the ICMPv6 checksum of every complete,
    unfragmented frame of the fixture is right, except the frames in exempt (1-based)."""
    for i, r in enumerate(recs, 1):
        if r.orig_len != len(r.data) or i in exempt:
            continue
        try:
            f = Frame.of(r)
        except AssertionError:
            continue
        if f.fragmented or f.plen_override is not None:
            continue
        pkt = IPv6(f.ip_packet())
        want = in6_chksum(58, pkt, bytes(f.icmp[:2]) + b"\0\0" + bytes(f.icmp[4:]))
        got = struct.unpack("!H", f.icmp[2:4])[0]
        if want != got:
            raise SystemExit(f"{path}: frame {i}: checksum {got:#06x}, scapy says {want:#06x}")


def main():
    rawdir, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    P = lambda name: os.path.join(out, name)

    def load(name):
        lt, recs = read_pcap(os.path.join(rawdir, name))
        return lt, recs

    # --- seed -----------------------------------------------------------------------------
    _, seed_raw = load("raw-seed.pcap")
    ns_guest = pick(seed_raw, src=GW, target=GUEST_ADDR, eth_src=ROUTER_MAC)
    ns_random = pick(seed_raw, src=GW, target=RANDOM_ADDR, eth_src=ROUTER_MAC)
    ns_host = pick(seed_raw, src=GW, target=HOST_ADDR, eth_src=ROUTER_MAC)
    na_host = pick(seed_raw, icmp_type=136, src=HOST_ADDR, eth_src=HOST_MAC)
    ns_gw = pick(seed_raw, src=GUEST_ADDR, target=GW, eth_src=GUEST_MAC)
    seed = [ns_guest, ns_random, ns_host, na_host, ns_gw]
    write_pcap(P("seed.pcap"), LINKTYPE_ETHERNET, seed)

    # --- guest-reboot -----------------------------------------------------------------------
    _, reboot_raw = load("raw-reboot.pcap")
    dad = pick(reboot_raw, src="::", dst=solicited_node(GUEST_ADDR), target=GUEST_ADDR,
               eth_src=GUEST_MAC, with_option=14)
    ns_after = pick(reboot_raw, src=GW, target=GUEST_ADDR, eth_src=ROUTER_MAC)
    assert (dad.ts_sec, dad.ts_usec) < (ns_after.ts_sec, ns_after.ts_usec)
    write_pcap(P("guest-reboot.pcap"), LINKTYPE_ETHERNET, [dad, ns_after])
    write_pcap(P("guest-reboot-defend.pcap"), LINKTYPE_ETHERNET, [dad, ns_after])

    # --- dad-defend: ownership seen, DAD from the owner, DAD from another MAC ---------------
    _, owner_raw = load("raw-owner.pcap")
    dad_new = pick(owner_raw, src="::", target="2001:db8:0:96ce::c3", eth_src=INTRUDER_MAC)
    owner_ns = pick(owner_raw, src=GUEST_ADDR, target=GW, eth_src=GUEST_MAC)
    owner_dad = pick(owner_raw, src="::", target=GUEST_ADDR, eth_src=GUEST_MAC)
    thief_dad = pick(owner_raw, src="::", target=GUEST_ADDR, eth_src=INTRUDER_MAC)
    order = [dad_new, owner_ns, owner_dad, thief_dad]
    assert order == sorted(order, key=lambda r: (r.ts_sec, r.ts_usec))
    write_pcap(P("dad-defend.pcap"), LINKTYPE_ETHERNET, order)

    # --- unusual-valid ------------------------------------------------------------------------
    _, nud_raw = load("raw-nud.pcap")
    nud = pick(nud_raw, src=ROUTER_LL, dst=GUEST_ADDR, target=GUEST_ADDR, eth_src=ROUTER_MAC,
               eth_dst=HOST_MAC, hlim=255)
    ll_ns = pick(nud_raw, src=ROUTER_LL, dst=solicited_node("2001:db8:0:96ce::3"),
                 target="2001:db8:0:96ce::3", eth_src=ROUTER_MAC)
    S = ns_guest
    uv = [
        nud,                                                             # 1 real NUD
        crafted(nud, 1, edit(nud, drop_option(1))),                      # 2 NUD, no SLLA
        ll_ns,                                                           # 3 ndisc6, fe80:: src
        crafted(S, 0, edit(S, tag((TPID_8021Q, 10)), fix=False)),        # 4 802.1Q VLAN 10
        crafted(S, 0, edit(S, tag((TPID_8021AD, 100), (TPID_8021Q, 10)), fix=False)),  # 5 QinQ
        crafted(S, 0, edit(S, hop_by_hop_padn)),                         # 6 HBH PadN
        crafted(S, 0, edit(S, add_option(bytes([253, 1, 0x6e, 0x64, 0x70, 0x64, 0, 0])))),  # 7
    ]
    uv = uv[:3] + restamp(uv[3:], ll_ns)  # the crafted ones follow the real ones, 1 ms apart
    write_pcap(P("unusual-valid.pcap"), LINKTYPE_ETHERNET, uv)

    # --- rejected: one fault each -------------------------------------------------------------
    D = dad
    fwd = pick(nud_raw, src=ROUTER_LL, dst=GUEST_ADDR, target=GUEST_ADDR, eth_src=HOST_MAC,
               eth_dst=GUEST_MAC, hlim=254)
    full = len(S.data)
    rejected = [
        edit(S, lambda f: fragment(f, more=True, keep=24), fix=False),   # 1 first fragment
        edit(S, lambda f: fragment(f, more=False), fix=False),           # 2 atomic fragment
        Frame.of(fwd),                                                   # 3 hop limit 254 (real)
        edit(S, bad_checksum, fix=False),                                # 4 checksum
        edit(S, set_code(1)),                                            # 5 code 1
        edit(S, set_target("ff02::1")),                                  # 6 multicast target
        edit(S, set_option_len(1, 0)),                                   # 7 zero-length option
        edit(S, set_option_len(1, 2)),                                   # 8 option overrun
        edit(S, set_src("::")),                                          # 9 DAD with SLLA
        edit(D, set_dst("ff02::1")),                                     # 10 DAD to ff02::1
        edit(D, set_dst(GUEST_ADDR, HOST_MAC)),                          # 11 DAD to unicast
        edit(S, cut_icmp(20)),                                           # 12 ICMPv6 20 bytes
        ("cut", S.data, 14 + 40 + 4),                                    # 13 cut in ICMPv6 hdr
        ("cut", S.data, 14 + 40 + 28),                                   # 14 cut in the SLLA
        None,                                                            # 15 plen > data
    ]
    f15 = Frame.of(S)
    f15.plen_override = len(f15.icmp) + 8
    rejected[14] = f15
    recs = []
    for k, item in enumerate(rejected):
        if isinstance(item, tuple):
            _, data, n = item
            recs.append(crafted(S, k, data[:n], orig_len=full))
        else:
            recs.append(crafted(S, k, item))
    write_pcap(P("rejected.pcap"), LINKTYPE_ETHERNET, recs)
    verify_checksums("rejected.pcap", recs, exempt={1, 2, 4, 15})

    # --- precedence: two faults, the first in the spec's order wins ---------------------------
    frag254 = edit(S, lambda f: fragment(f, more=False), fix=False)
    frag254.hlim = 254
    first_frag = edit(S, lambda f: fragment(f, more=True, keep=24), fix=False).bytes()
    prec = [
        edit(S, chain(set_hlim(254), bad_checksum), fix=False),         # 1 hop-limit
        edit(S, chain(set_code(1)), fix=False),                          # 2 checksum (stale)
        edit(S, chain(set_code(1), set_target("ff02::1"))),              # 3 code
        edit(S, chain(set_code(1), cut_icmp(20))),                       # 4 code
        edit(S, chain(set_target("ff02::1"), set_option_len(1, 0))),     # 5 multicast-target
        edit(S, chain(set_src("::"), set_option_len(1, 0))),             # 6 zero-length-option
        edit(D, chain(set_target("ff02::1:ff00:2"), set_dst("ff02::1"))),  # 7 multicast-target
        frag254,                                                         # 8 fragmented
        ("cut", first_frag, 14 + 40 + 8 + 12),                           # 9 truncated
        edit(ns_host, set_hlim(254), fix=False),                         # 10 hop-limit (own addr)
        edit(D, set_hlim(254), fix=False),                               # 11 hop-limit (DAD)
    ]
    recs = []
    for k, item in enumerate(prec):
        if isinstance(item, tuple):
            _, data, n = item
            recs.append(crafted(S, k, data[:n], orig_len=len(data)))
        else:
            recs.append(crafted(S, k, item))
    write_pcap(P("precedence.pcap"), LINKTYPE_ETHERNET, recs)
    verify_checksums("precedence.pcap", recs, exempt={1, 2, 8})

    # --- policy: the ignore reasons -----------------------------------------------------------
    _, pol_raw = load("raw-policy.pcap")
    r = lambda t: pick(pol_raw, src=GW, target=t, eth_src=ROUTER_MAC)
    pol = [
        r("2001:db8:0:96ce::"),                                          # 1 subnet-router anycast
        r("2001:db8:0:96ce:fdff:ffff:ffff:ff80"),                        # 2 reserved anycast low
        r("2001:db8:0:96ce:fdff:ffff:ffff:ffff"),                        # 3 reserved anycast high
        r("2001:db8:0:96ce:fdff:ffff:ffff:ff7f"),                        # 4 just below: answer
        r("2001:db8:0:96ce::bad"),                                       # 5 excluded
        r(HOST_ADDR),                                                    # 6 own + excluded
        r("2001:db8:0:96cf::2"),                                         # 7 not configured
        r("2001:db8:0:96cf:fdff:ffff:ffff:ffff"),                        # 8 not configured
        pick(pol_raw, src=ROUTER_LL, target=GUEST_LL, eth_src=ROUTER_MAC),          # 9 ll target
        pick(pol_raw, src=ROUTER_LL, dst=HOST_LL, target=HOST_LL, eth_src=ROUTER_MAC),  # 10
        pick(pol_raw, src="::", target=GUEST_LL, eth_src=GUEST_MAC),    # 11 link-local DAD
    ]
    last = pol[-1]
    pol.append(crafted(last, 1, edit(S, set_target("::"))))             # 12 unspecified target
    pol.append(crafted(last, 2, edit(D, set_target("2001:db8:0:96cf::2"))))  # 13 DAD, not ours
    write_pcap(P("policy.pcap"), LINKTYPE_ETHERNET, pol)
    verify_checksums("policy.pcap", pol)

    # --- damaged-cut: seed.pcap, the file cut inside the last record's data -------------------
    with open(P("seed.pcap"), "rb") as f:
        blob = f.read()
    write_at = len(blob) - len(seed[-1].data) + 30  # 30 bytes into the last frame's 86
    with open(P("damaged-cut.pcap"), "wb") as f:
        f.write(blob[:write_at])

    # --- link types ---------------------------------------------------------------------------
    write_pcap(P("raw-ipv6.pcap"), LINKTYPE_RAW, [to_raw_ipv6(x) for x in seed])
    for name, lt_want in (("sll", LINKTYPE_LINUX_SLL), ("sll2", LINKTYPE_LINUX_SLL2)):
        lt, recs = load(f"raw-{name}.pcap")
        assert lt == lt_want, (name, lt)
        write_pcap(P(f"{name}.pcap"), lt, select_cooked(recs, lt))

    # --- not a capture ------------------------------------------------------------------------
    with open(P("not-a-capture.pcap"), "w") as f:
        f.write("This is not a capture file: it is text with a .pcap name, for the error path.\n"
                "ndpd --replay must say so and exit with status 2.\n")


def cooked_ip(rec, lt):
    """(packet type, ifindex or None, IPv6 packet) of an SLL/SLL2 record."""
    d = rec.data
    if lt == LINKTYPE_LINUX_SLL:
        ptype, proto = struct.unpack("!H", d[0:2])[0], struct.unpack("!H", d[14:16])[0]
        return ptype, None, proto, d[16:]
    proto, _, ifindex, _, ptype = struct.unpack("!HHIHB", d[0:11])
    return ptype, ifindex, proto, d[20:]


def select_cooked(recs, lt):
    """Keep, per interface, the first router NS for ::2, the first router NS for ::1, the host's
    NA answering it and the first guest NS for the gateway (each seen on two interfaces)."""
    wanted = [
        (135, GW, GUEST_ADDR),
        (135, GW, HOST_ADDR),
        (136, HOST_ADDR, HOST_ADDR),
        (135, GUEST_ADDR, GW),
    ]
    out = []
    for icmp_type, src, target in wanted:
        found = []
        keys = set()
        for r in recs:
            ptype, ifindex, proto, ip = cooked_ip(r, lt)
            if proto != ETH_P_IPV6 or ip[6] != 58 or ip[40] != icmp_type:
                continue
            if ip6_text(ip[8:24]) != src or ip6_text(ip[48:64]) != target:
                continue
            key = (ptype, ifindex) if lt == LINKTYPE_LINUX_SLL2 else None
            # SLL v1 has no interface index: the two copies of a frame are consecutive twins.
            if lt == LINKTYPE_LINUX_SLL2 and key in keys:
                continue
            keys.add(key)
            found.append(r)
            if len(found) == 2:
                break
        if len(found) != 2:
            raise SystemExit(f"build.py: want 2 copies of {icmp_type} {src} -> {target}, "
                             f"have {len(found)}")
        out += found
    return out


if __name__ == "__main__":
    main()
