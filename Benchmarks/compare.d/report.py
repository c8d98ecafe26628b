#!/usr/bin/python3
"""Markdown tables from the JSON lines Benchmarks/compare records (results.jsonl).

usage: report.py results.jsonl
"""

import json
import math
import sys

NAMES = {
    "floor": "floor (minimal C responder)",
    "kernel": "kernel proxy_ndp (proxy_delay 0.8 s, default)",
    "kernel0": "kernel proxy_ndp (proxy_delay 0)",
    "ndppd": "ndppd",
    "npd6": "npd6",
    "ndpd": "**ndpd**",
}
ORDER = ["floor", "kernel", "kernel0", "ndppd", "npd6", "ndpd"]
# The live section (Benchmarks/compare --live).
LIVE_NAMES = {
    "ndpd-static": "ndpd, static mode (reference)",
    "ndpd-live": "**ndpd live**, guest-interfaces = [\"vmbr1\"]",
    "ndppd-iface": "ndppd `iface vmbr1`",
    "ndppd-auto": "ndppd `auto`",
    "ndpd-routes": "**ndpd live**, guest-interfaces = \"routes\"",
}
LIVE_ORDER = ["ndpd-static", "ndpd-live", "ndppd-iface", "ndppd-auto", "ndpd-routes"]
PEERS = ["kernel", "kernel0", "ndppd", "npd6"]


def load(path):
    recs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                recs.append(json.loads(line))
    return recs


def pct(values, p):
    """Nearest-rank percentile."""
    if not values:
        return None
    v = sorted(values)
    k = max(0, math.ceil(p / 100.0 * len(v)) - 1)
    return v[k]


def fmt_us(x):
    if x is None:
        return "–"
    if x >= 10000:
        return "%.0f ms" % (x / 1000)
    if x >= 1000:
        return "%.1f ms" % (x / 1000)
    if x >= 100:
        return "%.0f µs" % x
    return "%.1f µs" % x


def fmt_pct(num, den):
    if not den:
        return "–"
    f = 100.0 * num / den
    if f >= 99.95 and num < den:
        return "99.9%"
    return "%.1f%%" % f if f < 100 else "100%"


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out)


class Report:
    def __init__(self, recs):
        self.recs = recs
        self.meta = next((r for r in recs if r["type"] == "meta"), {})
        self.end = next((r for r in recs if r["type"] == "end"), {})
        self.responders = [n for n in ORDER if any(r.get("responder") == n for r in recs)]

    def of(self, typ, **kw):
        return [r for r in self.recs if r["type"] == typ and all(r.get(k) == v for k, v in kw.items())]

    # ---- latency

    def lat(self, name, cfg, kind):
        """(pooled latencies, answered, sent, per-rep medians, aborted)"""
        allv, answered, sent, reps, aborted = [], 0, 0, [], False
        for r in self.of("latency", responder=name, config=cfg, kind=kind):
            p = r.get("probe") or {}
            vals = [x for x in p.get("lat_us", []) if x is not None]
            allv += vals
            answered += p.get("answered", 0)
            sent += p.get("sent", 0)
            aborted |= bool(p.get("aborted"))
            reps.append(pct(vals, 50))
        return allv, answered, sent, reps, aborted

    def latency_table(self, cfg):
        rows = []
        for name in self.responders:
            for kind in ("mcast", "ucast"):
                allv, ans, sent, reps, aborted = self.lat(name, cfg, kind)
                if not sent:
                    continue
                answered = "%d/%d" % (ans, sent)
                if aborted:
                    answered += " (stopped after %d misses)" % sent
                rows.append([NAMES[name], "multicast" if kind == "mcast" else "unicast", answered,
                             fmt_us(pct(allv, 50)), fmt_us(pct(allv, 90)), fmt_us(pct(allv, 99)),
                             " / ".join(fmt_us(x) for x in reps)])
        return table(["Responder", "NS", "answered", "median", "p90", "p99", "median per repetition"], rows)

    # ---- flood

    def flood(self, name, cfg, traffic, rate):
        """The repetition with the median fraction answered, with the range of all repetitions
        (_fmin, _fmax), their median CPU (_cpu) and their count (_n)."""
        reps = [f for f in self.of("flood", responder=name, config=cfg, traffic=traffic, rate=str(rate)) if f["sent"]]
        if not reps:
            return None
        reps.sort(key=lambda f: f["nas"] / f["sent"])
        med = dict(reps[(len(reps) - 1) // 2])
        fr = [f["nas"] / f["sent"] for f in reps]
        med["_fmin"], med["_fmax"], med["_n"] = min(fr), max(fr), len(reps)
        cpus = sorted(self.cpu1(f) for f in reps if self.cpu1(f) is not None)
        med["_cpu"] = cpus[(len(cpus) - 1) // 2] if cpus else None
        return med

    @staticmethod
    def frac_cell(f):
        c = fmt_pct(f["nas"], f["sent"])
        if f.get("_n", 1) > 1 and f["_fmax"] - f["_fmin"] >= 0.0005:
            c += " (%s–%s)" % (fmt_pct(f["_fmin"], 1), fmt_pct(f["_fmax"], 1))
        return c

    def rates(self):
        return self.meta.get("rates", "").split()

    @staticmethod
    def rate_label(r):
        return "top speed" if r == "top" else "%dk/s" % (int(r) // 1000)

    def flood_cells(self, name, traffic, cell, missing="–"):
        """One cell per rate for the small configuration's floods: cell(rate, f), or `missing`
        where that flood did not run."""
        cells = []
        for rate in self.rates():
            f = self.flood(name, "small", traffic, rate)
            cells.append(missing if f is None else cell(rate, f))
        return cells

    def flood_answered_table(self):
        def answered(rate, f):
            c = self.frac_cell(f)
            if rate == "top" and f.get("pps"):
                c += " (%dk/s)" % round(f["pps"] / 1000)
            return c

        rates = self.rates()
        rows = []
        for name in self.responders:
            for traffic in ("random", "cycle200"):
                cells = self.flood_cells(name, traffic, answered,
                                         "n/a" if traffic == "random" and name.startswith("kernel") else "–")
                if all(c in ("n/a", "–") for c in cells):
                    cells = ["n/a: no prefixes, random targets are not among its entries"] + [""] * (len(rates) - 1)
                rows.append([NAMES[name], traffic] + cells)
        return table(["Responder", "targets"] + [self.rate_label(r) for r in rates], rows)

    def flood_bed_table(self):
        """What the bed delivered: tcpreplay's achieved rate, frames br0 received."""
        def delivered(_rate, f):
            c = "%.0fk/s, br0 %s" % ((f.get("pps") or 0) / 1000, fmt_pct(min(f["br0_rx"], f["sent"]), f["sent"]))
            if f.get("ndpd_capture_drops"):
                c += ", ring drops %d" % f["ndpd_capture_drops"]
            return c

        rates = self.rates()
        rows = []
        for name in self.responders:
            for traffic in ("random", "cycle200"):
                cells = self.flood_cells(name, traffic, delivered)
                if all(c == "–" for c in cells):
                    continue
                loads = [float(f["loadavg"]) for f in self.of("flood", responder=name, config="small", traffic=traffic) if f.get("loadavg")]
                rows.append([NAMES[name], traffic] + cells + ["%.1f–%.1f" % (min(loads), max(loads)) if loads else "?"])
        return table(["Responder", "targets"] + [self.rate_label(r) for r in rates] + ["load average (1 min) during these cells"], rows)

    @staticmethod
    def cpu1(f):
        if f is None or f.get("cpu_ticks") is None or not f["sent"]:
            return None
        return f["cpu_ticks"] / float(f.get("clk_tck") or 100) / (f["sent"] / 100000.0)

    def cpu(self, f):
        if f is None:
            return None
        return f["_cpu"] if "_cpu" in f else self.cpu1(f)

    def hwm(self, name, cfg):
        r = next(iter(self.of("responder", responder=name, config=cfg)), None)
        return None if r is None else r.get("vmhwm_kib")

    def flood_cpu_table(self):
        rates = self.rates()
        rows = []
        for name in self.responders:
            for traffic in ("random", "cycle200"):
                cells = self.flood_cells(name, traffic, lambda _rate, f: "n/a (softirq)" if name.startswith("kernel")
                                         else "%.2f s" % self.cpu(f))
                if all(c == "–" for c in cells):
                    continue
                h = self.hwm(name, "small")
                rows.append([NAMES[name], traffic] + cells + ["n/a (kernel)" if name.startswith("kernel") else ("%.1f MiB" % (h / 1024.0) if h else "–")])
        return table(["Responder", "targets"] + [self.rate_label(r) for r in rates] + ["peak RSS (VmHWM)"], rows)

    # ---- scale

    def scale_table(self):
        rows = []
        for name in self.responders:
            if not self.of("config", responder=name, config="scale"):
                continue
            row = [NAMES[name]]
            for kind in ("mcast", "ucast"):
                s = self.lat(name, "small", kind)
                l = self.lat(name, "scale", kind)
                row.append("%s → %s" % (fmt_us(pct(s[0], 50)), fmt_us(pct(l[0], 50))))
                row.append("%s → %s" % (fmt_us(pct(s[0], 99)), fmt_us(pct(l[0], 99))))
            for traffic_s, traffic_l in (("cycle200", "cycle200"), ("random", "cycle10k")):
                fs = self.flood(name, "small", traffic_s, 100000)
                fl = self.flood(name, "scale", traffic_l, 100000)
                a = "%s at %dk/s" % (self.frac_cell(fs), round((fs.get("pps") or 0) / 1000)) if fs else "n/a"
                b = "%s at %dk/s" % (self.frac_cell(fl), round((fl.get("pps") or 0) / 1000)) if fl else "–"
                row.append("%s → %s" % (a, b))
            cs = self.cpu(self.flood(name, "small", "cycle200", 100000))
            cl = self.cpu(self.flood(name, "scale", "cycle200", 100000))
            row.append("n/a" if name.startswith("kernel") else "%s → %s" % ("%.2f s" % cs if cs is not None else "–", "%.2f s" % cl if cl is not None else "–"))
            h = self.hwm(name, "scale")
            row.append("n/a" if name.startswith("kernel") else ("%.1f MiB" % (h / 1024.0) if h else "–"))
            rows.append(row)
        return table(["Responder", "mcast median", "mcast p99", "ucast median", "ucast p99",
                      "flood 100k/s, 200 targets", "flood 100k/s, distinct targets (random /64 → cycle over the 10k)",
                      "CPU per 100k NS at 100k/s (200 targets)", "peak RSS"], rows)

    # ---- correctness

    def correctness_table(self):
        rows = []
        for name in self.responders:
            cor = {r["kind"]: r["probe"] for r in self.of("correct", responder=name)}
            if not cor:
                continue
            ts = next(iter(self.of("tshark", responder=name)), {"nas": []})
            nas = ts["nas"]

            def answered(kind):
                p = cor.get(kind)
                if not p:
                    return "–"
                return "%s %d/%d" % ("yes" if p["answered"] == p["sent"] else ("no" if p["answered"] == 0 else "partly"), p["answered"], p["sent"])

            dad_raw = self.dad_cell(name, "dad-raw")
            dad_guest = self.dad_cell(name, "dad-guest")

            def flags(kinds):
                s = sorted({"R%s S%s O%s" % (n["R"], n["S"], n["O"]) for n in nas if n["kind"] in kinds})
                return ", ".join(s) if s else "–"

            def dests(kinds):
                s = sorted({"%s→%s" % (short(n["src"]), short(n["dst"])) for n in nas if n["kind"] in kinds and n["side"] == "router"})
                return ", ".join(s) if s else "–"

            cks = {}
            for n in nas:
                cks[n["checksum_status"]] = cks.get(n["checksum_status"], 0) + 1
            ck = ", ".join("%d %s" % (v, {"1": "good", "0": "BAD", "2": "unverified"}.get(k, k)) for k, v in sorted(cks.items())) or "–"
            tl = sorted({n["tlla"] or "none" for n in nas if n["side"] == "router"})
            rows.append([NAMES[name], answered("mcast"), answered("ucast"), answered("nud"), dad_raw, dad_guest,
                         "mcast: %s; ucast: %s; NUD: %s; DAD: %s" % (flags(["mcast"]), flags(["ucast"]), flags(["nud"]), flags(["dad-raw", "dad-guest"])),
                         dests(["mcast", "ucast", "nud"]), ", ".join(tl), ck])
        return table(["Responder", "multicast NS", "unicast NS (SLLA)", "unicast NUD (no SLLA)",
                      "DAD probe (raw, from guest)", "guest kernel's DAD", "NA flags", "NA source → destination",
                      "TLLA", "checksums (tshark)"], rows)

    def dad_answers(self, name, kind):
        """NAs for the DAD target seen anywhere (router or guest capture, the raw prober)."""
        ts = next(iter(self.of("tshark", responder=name)), {"nas": []})
        nas = [n for n in ts["nas"] if n["kind"] == kind]
        if kind == "dad-raw":
            raw = next(iter(self.of("dad", responder=name, how="raw")), {})
            extra = len((raw.get("result") or {}).get("nas", []))
        else:
            gk = next(iter(self.of("dad", responder=name, how="guest-kernel")), {})
            extra = gk.get("nas_seen_by_guest", 0)
        return nas, extra

    def guest_state(self, name):
        gk = next(iter(self.of("dad", responder=name, how="guest-kernel")), {})
        return gk.get("state", "?")

    def dad_cell(self, name, kind):
        nas, extra = self.dad_answers(name, kind)
        state = ""
        if kind == "dad-guest":
            st = self.guest_state(name)
            state = ", guest address %s" % ("usable" if st == "ok" else "**%s**" % st)
        if not nas and not extra:
            return "not answered" + state
        where = sorted({"%s to %s (eth %s)" % (n["side"] + " saw", n["dst"], n["eth_dst"]) for n in nas})
        return "**answered**: %s%s" % ("; ".join(where) or "%d NA" % extra, state)

    # ---- profile

    def profile_table(self):
        rows = []
        for name in self.responders:
            if name.startswith("kernel"):
                continue
            for traffic in ("random", "cycle200"):
                for rate in ("10000", "100000"):
                    f = self.flood(name, "small", traffic, rate)
                    if f is None or f.get("cpu_ticks") is None or not f["sent"]:
                        continue
                    cpu_s = f["cpu_ticks"] / float(f.get("clk_tck") or 100)
                    w = f.get("wakeups")
                    sysshare = "%.0f%%" % (100.0 * f["sys_ticks"] / f["cpu_ticks"]) if f.get("sys_ticks") is not None and f["cpu_ticks"] else "–"
                    rows.append([NAMES[name], traffic, self.rate_label(rate), "%.1f µs" % (1e6 * cpu_s / f["sent"]), sysshare,
                                 "%.2f" % (w / f["sent"]) if w is not None else "–",
                                 "%.1f µs" % (1e6 * cpu_s / w) if w else "–", f.get("loadavg", "?")])
        return table(["Responder", "targets", "rate", "CPU per NS", "of which in the kernel (stime)", "wake-ups per NS (voluntary context switches)",
                      "CPU per wake-up", "load average (1 min) after the cell"], rows)

    # ---- the floor (issue 13)

    def round_median(self, name, kind):
        """The median of the per-round latency medians, and their count."""
        reps = [x for x in self.lat(name, "small", kind)[3] if x is not None]
        return (pct(reps, 50) if reps else None), len(reps)

    def syscalls_per_answer(self, name):
        """The median over the rounds of the system calls per answered NS, and the round that
        gave it."""
        rounds = sorted(((sum(r["calls"].values()) / float(r["answered"]), r)
                         for r in self.of("syscalls", responder=name) if r.get("answered")), key=lambda x: x[0])
        if not rounds:
            return None, None
        return rounds[(len(rounds) - 1) // 2]

    def paired_cpu_ratio(self, traffic, rate):
        """The median over the rounds of ndpd's CPU per NS over the floor's in the same round, and
        how many rounds: the two cells run a minute apart, so a slow drift of the shared machine
        cancels out of each ratio."""
        def by_round(name):
            return {f.get("rep"): self.cpu1(f) for f in self.of("flood", responder=name, config="small", traffic=traffic,
                                                                 rate=str(rate)) if f["sent"] and self.cpu1(f)}
        floor, ndpd = by_round("floor"), by_round("ndpd")
        ratios = sorted(ndpd[r] / floor[r] for r in floor if r in ndpd)
        return (ratios[(len(ratios) - 1) // 2], len(ratios)) if ratios else (None, 0)

    def floor_table(self):
        """Every ndpd figure next to the floor's, as a ratio, with issue 13's targets."""
        if "floor" not in self.responders or "ndpd" not in self.responders:
            return None
        rows = []

        def ratio(f, n):
            return "%.2fx" % (n / f) if f and n is not None else "–"

        def verdict(f, n, limit):
            if not f or n is None:
                return "–"
            return "met" if n <= f * limit else "**NOT met**"

        for kind, label in (("mcast", "multicast NS → NA, median of the round medians"),
                            ("ucast", "unicast NS → NA, median of the round medians")):
            (f, fn), (n, nn) = self.round_median("floor", kind), self.round_median("ndpd", kind)
            rows.append([label + " (%d rounds)" % min(fn, nn), fmt_us(f), fmt_us(n), ratio(f, n), "≤ 1.15x", verdict(f, n, 1.15)])
        for rate in ("10000", "100000"):
            for traffic in ("random", "cycle200"):
                fc = self.cpu(self.flood("floor", "small", traffic, rate))
                nc = self.cpu(self.flood("ndpd", "small", traffic, rate))
                if fc is None and nc is None:
                    continue
                rows.append(["CPU-s per 100k NS at %s, %s targets (median of rounds)" % (self.rate_label(rate), traffic),
                             "%.2f s" % fc if fc is not None else "–", "%.2f s" % nc if nc is not None else "–",
                             ratio(fc, nc), "≤ 1.1x", verdict(fc, nc, 1.1)])
                paired, n = self.paired_cpu_ratio(traffic, rate)
                if paired is not None:
                    rows.append(["same, median of the %d per-round ratios (ndpd's cell over the floor's of the same round)" % n,
                                 "", "", "%.2fx" % paired, "(for information)", ""])
        (fs, fr), (ns, nr) = self.syscalls_per_answer("floor"), self.syscalls_per_answer("ndpd")
        if fs is not None or ns is not None:
            rows.append(["system calls per answered NS at 1k NS/s (strace -c -f, median of rounds)", "%.2f" % fs if fs else "–",
                         "%.2f" % ns if ns else "–", ratio(fs, ns), "≤ 1.05x", verdict(fs, ns, 1.05)])
        for rate, floor in (("100000", 100.0), ("top", 95.0)):
            for traffic in ("random", "cycle200"):
                ff = self.flood("floor", "small", traffic, rate)
                nf = self.flood("ndpd", "small", traffic, rate)
                if nf is None:
                    continue
                frac = 100.0 * nf["nas"] / nf["sent"] if nf["sent"] else 0
                rows.append(["answered at %s, %s targets" % (self.rate_label(rate), traffic),
                             self.frac_cell(ff) if ff else "–", self.frac_cell(nf), "–",
                             "%s" % ("100%" if floor == 100.0 else "≥ 95%"), "met" if frac >= floor - 1e-9 else "**NOT met**"])
        return table(["figure", "floor", "ndpd", "ndpd / floor", "target (issue 13)", "verdict"], rows)

    def syscalls_table(self):
        rows = []
        for name in self.responders:
            per, r = self.syscalls_per_answer(name)
            if r is None:
                continue
            calls = sorted(r["calls"].items(), key=lambda kv: -kv[1])
            every = sorted(sum(x["calls"].values()) / float(x["answered"]) for x in self.of("syscalls", responder=name) if x.get("answered"))
            rows.append([NAMES[name], "%d/%d" % (r["answered"], r["sent"]), "%.2f" % per,
                         " / ".join("%.2f" % x for x in every), ", ".join("%s %d" % kv for kv in calls)])
        return table(["Responder", "answered (median round)", "system calls per answered NS (median)", "every round, sorted",
                      "calls in the median round (strace -c -f)"], rows) if rows else None

    # ---- targets

    def targets(self):
        rows = []

        def verdict(ok):
            return "met" if ok else "**NOT met**"

        if "ndpd" not in self.responders:
            return "(ndpd was not measured)"
        m = self.lat("ndpd", "small", "mcast")
        med = pct(m[0], 50)
        p99 = pct(m[0], 99)
        rows.append(["multicast NS→NA median ≤ 100 µs", fmt_us(med), verdict(med is not None and med <= 100)])
        peers = []
        for n in PEERS:
            l = self.lat(n, "small", "mcast")
            if l[2] and l[1] >= 0.9 * l[2]:
                peers.append((pct(l[0], 50), n))
        if peers:
            best = min(peers)
            rows.append(["multicast median no worse than the best peer", "%s vs %s (%s)" % (fmt_us(med), fmt_us(best[0]), NAMES[best[1]]),
                         verdict(med is not None and med <= best[0])])
        us = [(pct(self.lat(n, "small", "mcast")[0], 50), n) for n in ("ndppd", "npd6") if self.lat(n, "small", "mcast")[2]]
        if us:
            bu = min(us)
            rows.append(["(for information) … no worse than the best user-space peer", "%s vs %s (%s)" % (fmt_us(med), fmt_us(bu[0]), NAMES[bu[1]]),
                         "yes" if med is not None and med <= bu[0] else "no"])
        rows.append(["multicast p99 ≤ 250 µs", fmt_us(p99), verdict(p99 is not None and p99 <= 250)])
        u = self.lat("ndpd", "small", "ucast")
        cor = {r["kind"]: r["probe"] for r in self.of("correct", responder="ndpd")}
        nud = cor.get("nud") or {"answered": 0, "sent": 0}
        ok = u[2] > 0 and u[1] == u[2] and nud["answered"] == nud["sent"] and nud["sent"] > 0
        rows.append(["unicast NS answered 100%", "%d/%d (latency probes, SLLA), %d/%d NUD without SLLA" % (u[1], u[2], nud["answered"], nud["sent"]), verdict(ok)])
        for rate, floor, label in (("100000", 99.0, "flood answered ≥ 99% at 100k NS/s"), ("top", 95.0, "flood answered ≥ 95% at top speed")):
            figs, ok = [], True
            for traffic in ("random", "cycle200"):
                f = self.flood("ndpd", "small", traffic, rate)
                if f is None or not f["sent"]:
                    ok = False
                    figs.append("%s: –" % traffic)
                    continue
                frac = 100.0 * f["nas"] / f["sent"]
                ok &= frac >= floor
                figs.append("%s: %s%s" % (traffic, fmt_pct(f["nas"], f["sent"]), " at %dk/s" % round(f["pps"] / 1000) if rate == "top" and f.get("pps") else ""))
            rows.append([label, "; ".join(figs), verdict(ok)])
        figs, ok = [], True
        for traffic in ("random", "cycle200"):
            c = self.cpu(self.flood("ndpd", "small", traffic, "10000"))
            ok &= c is not None and c <= 0.3
            figs.append("%s: %s" % (traffic, "%.2f s" % c if c is not None else "–"))
        nd = [self.cpu(self.flood("ndppd", "small", t, "10000")) for t in ("random", "cycle200")]
        nd = [x for x in nd if x is not None]
        extra = " (ndppd: %s)" % ", ".join("%.2f s" % x for x in nd) if nd else ""
        rows.append(["CPU at 10k NS/s ≤ 0.3 s per 100k NS", "; ".join(figs) + extra, verdict(ok)])
        if self.of("config", responder="ndpd", config="scale"):
            figs, ok = [], True

            def within(a, b, lower_is_better=True):
                if a is None or b is None:
                    return False
                return b <= a * 1.1 if lower_is_better else b >= a * 0.9

            def rel(a, b):
                return " (%+.0f%%%s)" % (100.0 * (b - a) / a, "" if within(a, b) else ", **over 10%**") if a and b is not None else ""

            for kind in ("mcast", "ucast"):
                a = pct(self.lat("ndpd", "small", kind)[0], 50)
                b = pct(self.lat("ndpd", "scale", kind)[0], 50)
                w = within(a, b)
                ok &= w
                figs.append("%s median %s → %s%s" % (kind, fmt_us(a), fmt_us(b), rel(a, b)))
            for ts, tl in (("cycle200", "cycle200"), ("random", "cycle10k")):
                fs = self.flood("ndpd", "small", ts, "100000")
                fl = self.flood("ndpd", "scale", tl, "100000")
                if fs and fl and fs["sent"] and fl["sent"]:
                    a = 100.0 * fs["nas"] / fs["sent"]
                    b = 100.0 * fl["nas"] / fl["sent"]
                    w = within(a, b, lower_is_better=False)
                    ok &= w
                    figs.append("answered %s %.1f%% → %s %.1f%%" % (ts, a, tl, b))
                else:
                    ok = False
            cs = self.cpu(self.flood("ndpd", "small", "cycle200", "100000"))
            cl = self.cpu(self.flood("ndpd", "scale", "cycle200", "100000"))
            if cs is not None and cl is not None:
                # Clock ticks are 10 ms: allow one tick of slack on top of the 10%.
                w = cl <= cs * 1.1 + 0.01 / max(1e-9, (self.flood("ndpd", "scale", "cycle200", "100000")["sent"] / 100000.0))
                ok &= w
                figs.append("CPU/100k at 100k/s %.2f s → %.2f s (%+.0f%%%s)" % (cs, cl, 100.0 * (cl - cs) / cs, "" if w else ", **over 10%** (clock ticks are 10 ms)"))
            cg = next(iter(self.of("callgrind")), None)
            if cg and cg.get("ir_per_ns_scale"):
                figs.append("callgrind: %d → %d instructions per NS" % (cg["ir_per_ns"], cg["ir_per_ns_scale"]))
            rows.append(["10k exact addresses: within 10% of the small configuration", "; ".join(figs), verdict(ok)])
        if self.of("correct", responder="ndpd"):
            rn, rx = self.dad_answers("ndpd", "dad-raw")
            gn, gx = self.dad_answers("ndpd", "dad-guest")
            st = self.guest_state("ndpd")
            ok = not rn and not rx and not gn and not gx and st == "ok"
            rows.append(["never answers DAD", "raw DAD probe: %d NA; guest kernel's DAD: %d NA, address %s" % (len(rn) + rx, len(gn) + gx, "usable" if st == "ok" else st), verdict(ok)])
        return table(["Target", "ndpd's figure in this run", "verdict"], rows)

    # ---- all

    def pinning(self):
        """Where the bed ran its processes (compare's --pin)."""
        m = self.meta
        if m.get("pin") in (None, "none"):
            return "no"
        where = "responders and the latency prober on CPU %s (taskset)" % m.get("pin")
        if m.get("send_cpu") not in (None, "none"):
            # Runs before the sender was pinned record no send_cpu.
            where += ", the flood sender (tcpreplay) on CPU %s" % m["send_cpu"]
        return where

    def render(self):
        m = self.meta
        out = []
        out.append("# ndpd side by side: the floor, kernel proxy_ndp, ndppd, npd6, ndpd" if self.responders
                   else "# ndpd's live mode side by side with ndppd's iface and auto rules")
        out.append("")
        out.append("- Date: %s; machine: %s cores (%s), kernel %s; load average %s at start, %s at end (shared machine: "
                   "other jobs ran meanwhile, latency tails and top-speed figures are the noisiest)"
                   % (m.get("date"), m.get("cores"), m.get("cpu"), m.get("kernel"), m.get("loadavg_start"), self.end.get("loadavg_end", "?")))
        out.append("- Command: `%s`; commit %s%s; %s; run time %s" % (
            m.get("command"), m.get("commit"), " (with uncommitted changes under Sources/)" if m.get("sources_dirty") else "",
            "QUICK run" if m.get("quick") else "full run",
            "%.0f s" % float(self.end["seconds"]) if self.end.get("seconds") else "?"))
        v = m.get("versions", {})
        out.append("- Peers: Debian packages ndppd %s, npd6 %s; tcpreplay %s; ndpd built from this tree (release)" % (v.get("ndppd"), v.get("npd6"), v.get("tcpreplay")))
        out.append("")
        if not self.responders:
            out += self.live_render()
            return "\n".join(out)
        out.append("## Configurations")
        out.append("")
        rows = []
        for r in self.of("config"):
            rows.append([NAMES[r["responder"]], r["config"], r["describe"] + ("; " + r["version"] if r.get("version") else "")])
        for r in self.of("failed"):
            rows.append([NAMES[r["responder"]], r["config"], "**did not start**: " + r["log"].replace("\n", " ")[-200:]])
        paragraphs(out,
                   table(["Responder", "set", "configuration"], rows),
                   "## NS→NA latency (small configuration)",
                   "Router side, one NS at a time (%d per kind and repetition after %s warm-up probes, %d repetitions, a distinct "
                   "target for every probe, timeout %s s); latency = kernel timestamp of the NA received on the router's "
                   "interface minus that of the outgoing NS (the same AF_PACKET tap tcpdump uses). Unicast NS carry an SLLA "
                   "and are sent from the router's link-local address to the target. Percentiles over the answered probes "
                   "of all repetitions (nearest rank)." % (m.get("lat_n", 0), "5", m.get("reps", 0), m.get("timeout")),
                   self.latency_table("small"))
        if self.of("flood"):
            paragraphs(out,
                       "## Flood: fraction answered (small configuration)",
                       "%d distinct multicast NS per cell, replayed by tcpreplay from the router's namespace (`-K`, `--pps` or "
                       "`--topspeed`): random targets in the /64 (each once), or a cycle over 200 fixed targets. Answered = "
                       "the router kernel's `Icmp6InNeighborAdvertisements` delta (counted by its stack, so no capture drops, "
                       "and only NAs with a valid checksum) over the NS tcpreplay sent. Cells above 10k/s are run %d "
                       "times: the median is shown, the range in parentheses when they differ. The rate in the "
                       "top-speed column is what tcpreplay achieved." % (m.get("flood_n", 0), m.get("flood_reps", 1)),
                       self.flood_answered_table(),
                       "What the bed delivered (median repetition: tcpreplay's achieved rate; share of the NS that "
                       "reached br0; ndpd's own capture-ring drop counter where non-zero), and how busy the shared "
                       "machine was (2 cores: tcpreplay, the softirq work, the responder and everyone else's jobs):",
                       self.flood_bed_table(),
                       "## Flood: responder CPU seconds per 100k NS, and peak RSS (small configuration)",
                       "utime+stime of the responder process from /proc/PID/stat before and after each cell (10 ms clock "
                       "ticks), divided by the NS sent / 100k. The kernel answers in softirq context, charged to whichever "
                       "process runs it (here mostly tcpreplay): not attributable, n/a. Peak RSS: VmHWM at the end of "
                       "the responder's run (all cells).",
                       self.flood_cpu_table(),
                       "Where the user-space responders' CPU goes, from /proc: CPU per NS, and how often the process "
                       "went to sleep and was woken again (voluntary context switches of all its threads) per NS. "
                       "One wake-up per NS means one poll/recv/send round trip per solicitation, no batching.",
                       self.profile_table())
            fl = [r["result"] for r in self.of("sendfloor")]
            if fl:
                paragraphs(out,
                           "The floor of this bed, without any responder: a Python loop in the host namespace sending the "
                           "same NA frame on an AF_PACKET socket on br0 (on veth, the router's receive of each NA runs in "
                           "the sender's softirq and is charged to it). utime/stime are split by tick sampling, so only "
                           "their sum is exact; the Python interpreter's own work is in utime.",
                           table(["sending", "stime per NA", "utime per NA", "wake-ups per NA"],
                                 [["back to back (%.0fk/s)" % (f["count"] / f["elapsed"] / 1000) if not f["rate"] else "paced at %dk/s, one sleep per NA" % (f["rate"] // 1000),
                                   "%.1f µs" % f["stime_us"], "%.1f µs" % f["utime_us"], "%.2f" % f["wakeups_per_na"]] for f in fl]))
        bursts = self.of("burst")
        if bursts:
            paragraphs(out,
                       "Burst absorbed while the responder is stopped (SIGSTOP, 5000 NS at top speed, SIGCONT): how "
                       "many NS its capture ring or socket buffer held, i.e. how long a descheduling it survives "
                       "under a flood.",
                       table(["Responder", "NS answered after SIGCONT", "= at 100k NS/s, a pause of"],
                             [[NAMES[b["responder"]], "%d of %d" % (b["answered"], b["sent"]), "%.1f ms" % (b["answered"] / 100.0)] for b in bursts]))
        if self.of("config", config="scale"):
            paragraphs(out,
                       "## Scale: %d exact addresses configured (small → scale)" % m.get("scale_n", 0),
                       "Same probes (all targets are among the 10k addresses), same 100k/s floods. The kernel's default "
                       "proxy_delay dominates its latency at any size: scale is measured with proxy_delay 0 only.",
                       self.scale_table())
        ft = self.floor_table()
        if ft:
            paragraphs(out,
                       "## ndpd against the floor (issue 13)",
                       "The floor is `Benchmarks/c/nd_floor_responder.c`: libpcap in immediate mode, one AF_PACKET "
                       "sendto per NS, no validation and no policy, measured in the same bed and the same interleaved "
                       "rounds. Pinned: %s." % self.pinning(),
                       ft)
        st = self.syscalls_table()
        if st:
            paragraphs(out,
                       "System calls while 2000 NS arrive at 1000 NS/s, one at a time (strace -c -f attached to the "
                       "responder; tcpreplay from the router's namespace, random targets):",
                       st)
        paragraphs(out,
                   "## Correctness summary",
                   "5 NS of each kind from the router (distinct configured targets), one raw DAD probe (source ::, no SLLA) "
                   "from the guest's port for a configured target, and the guest kernel's own DAD when it adds "
                   "2001:db8:0:96ce::2/64 (configured for every responder). NAs decoded by tshark from captures on the "
                   "router's and the guest's interface.",
                   self.correctness_table())
        cg = next(iter(self.of("callgrind")), None)
        if cg:
            paragraphs(out,
                       "## ndpd's own instructions per NS (callgrind)",
                       "`ndpd --replay` (the daemon's engine: parse, validate, decide, build the NA, here written to "
                       "/dev/null through ndpd's pcap writer) over %d NS, minus a 1-NS run, divided by %d: **%d "
                       "instructions per NS** in user space (the live daemon adds the capture ring read and one "
                       "send(2) per NA, in the kernel). With the 10k exact addresses (targets-file, NS cycling over "
                       "them): **%s instructions per NS**. Heaviest functions (/64), instructions per NS (self cost):"
                       % (cg["ns"] + 1, cg["ns"], cg["ir_per_ns"], cg.get("ir_per_ns_scale", "–")))
            top = cg.get("top", [])
            names = demangle([t["function"].split(":", 1)[1] if t["function"].startswith("???:") else t["function"] for t in top])
            out.append(table(["instructions per NS", "function"], [["%.0f" % t["ir_per_ns"], "`%s`" % n[:140]] for t, n in zip(top, names)]))
            out.append("")
        paragraphs(out,
                   "## ndpd against its targets",
                   self.targets())
        out += self.live_render()
        return "\n".join(out)

    # ---- live section (--live)

    def live_lat(self, name, phase, kind):
        """(pooled latencies, answered, sent, aborted reps, planned)"""
        allv, answered, sent, aborted, planned = [], 0, 0, 0, 0
        for r in self.of("live-latency", responder=name, phase=phase, kind=kind):
            p = r.get("probe") or {}
            allv += [x for x in p.get("lat_us", []) if x is not None]
            answered += p.get("answered", 0)
            sent += p.get("sent", 0)
            planned += p.get("planned", 0)
            aborted += bool(p.get("aborted"))
        return allv, answered, sent, aborted, planned

    def live_names(self):
        return [n for n in LIVE_ORDER if any(r.get("responder") == n and r["type"].startswith("live-") for r in self.recs)]

    def live_failed(self, name):
        return next(iter(self.of("live-failed", responder=name)), None)

    @staticmethod
    def refusal(f):
        log = " ".join(f.get("log", "").split())
        # The daemon's own words, without the logger's prefix.
        for marker in ("critical ndpd: [NDPDaemon] ", "critical ndpd: "):
            if marker in log:
                log = log.split(marker, 1)[1]
        return log[-260:]

    def live_answered(self, ans, sent, aborted, planned):
        c = "%d/%d" % (ans, sent)
        if aborted and sent < planned:
            c += " (stopped after 10 misses in a row, of %d planned)" % planned
        return c

    def live_latency_table(self):
        rows = []
        for name in self.live_names():
            f = self.live_failed(name)
            if f and not self.of("live-latency", responder=name):
                rows.append([LIVE_NAMES[name], "**refused / not available**: %s" % self.refusal(f)] + [""] * 7)
                continue
            fv, fa, fs, fab, fp = self.live_lat(name, "first", "mcast")
            kv, ka, ks, kab, kp = self.live_lat(name, "known", "mcast")
            uv, ua, us, uab, up = self.live_lat(name, "known", "ucast")
            nothing = "not measured: no first contact answered, nothing known"
            rows.append([LIVE_NAMES[name],
                         self.live_answered(fa, fs, fab, fp), fmt_us(pct(fv, 50)), fmt_us(pct(fv, 99)),
                         self.live_answered(ka, ks, kab, kp) if ks else nothing, fmt_us(pct(kv, 50)), fmt_us(pct(kv, 99)),
                         self.live_answered(ua, us, uab, up) if us else ("–" if ks else nothing), fmt_us(pct(uv, 50))])
        return table(["Responder", "first contact: answered", "median", "p99", "known guest, multicast NS: answered",
                      "median", "p99", "known guest, unicast NS: answered", "median"], rows)

    def live_scan_table(self):
        rows = []
        for name in self.live_names():
            scans = self.of("live-scan", responder=name)
            if not scans:
                f = self.live_failed(name)
                if f:
                    rows.append([LIVE_NAMES[name], "**refused / not available**"] + [""] * 7)
                continue
            sent = sum(s["sent"] for s in scans)
            secs = sum(s["seconds"] for s in scans)
            gns = sum(s["guest_ns"] for s in scans)
            peak = max(s["guest_ns_peak_1s"] for s in scans)
            rs = sum(s["resolve"]["sent"] for s in scans)
            ra = sum(s["resolve"]["answered"] for s in scans)
            lat = [x for s in scans for x in s.get("resolve_lat_us", [])]
            pt = sum(p[0] for s in scans for p in s["pings"] if p)
            pr = sum(p[1] for s in scans for p in s["pings"] if p)
            hwm = max((s["vmhwm_kib"] or 0) for s in scans)
            pps = sorted(s["pps"] for s in scans)
            rows.append([LIVE_NAMES[name], "%d NS, %.0fk/s (tcpreplay, median round)" % (sent, pps[(len(pps) - 1) // 2] / 1000),
                         "%.0f/s" % (gns / secs if secs else 0), "%d" % peak,
                         "%s (%d/%d)" % (fmt_pct(ra, rs), ra, rs), fmt_us(pct(lat, 50)) + " / " + fmt_us(pct(lat, 99)),
                         "%s (%d/%d)" % (fmt_pct(pr, pt), pr, pt), "%.1f MiB" % (hwm / 1024.0) if hwm else "–",
                         ", ".join("%s %s" % (k, v) for k, v in sorted(scans[-1].get("live_states", {}).items()) if v) or "–"])
        return table(["Responder", "scan (tcpreplay, all rounds)", "probes seen on the guest side, per second",
                      "most in 1 s", "live guests' NS answered during the scan", "their latency, median / p99",
                      "pings answered", "peak RSS (VmHWM)", "ndpd's table after the scan"], rows)

    def live_memory_table(self):
        rows = []
        for name in self.live_names():
            m = next(iter(self.of("live-memory", responder=name)), None)
            if m is None:
                f = self.live_failed(name)
                if f:
                    rows.append([LIVE_NAMES[name], "**refused / not available**", "", "", "", "", ""])
                continue
            if m.get("skipped"):
                rows.append([LIVE_NAMES[name], "not measured: %s" % m["skipped"], "–", "–", "–", "–", "–"])
                continue
            how = ("%d `ip neigh add … nud permanent dev vmbr1` before the start (kernel neighbour table)" % m["target_entries"]
                   if m["method"] == "neigh-permanent" else
                   "%d NS for distinct addresses at %d/s, every probe answered by a responder in guest 1 (ttl 600000)" % (m["target_entries"], m["pps"]))
            held = ("%s LIVE (ndpd status)" % m["states"].get("live", "?")) if m["method"] == "neigh-permanent" else "%s answered upstream (sessions)" % m["entries"]
            hwm, rss = m.get("vmhwm_kib"), m.get("vmrss_kib")
            # The same program's VmRSS just after its start in round 1, with no entry.
            st = next(iter(self.of("live-start", responder=name, rep=1)), {}).get("vmrss_kib")
            per = "–"
            if rss and st and m.get("entries"):
                per = "%.0f B" % ((rss - st) * 1024.0 / m["entries"])
            rows.append([LIVE_NAMES[name], how, held, "%.1f MiB" % (hwm / 1024.0) if hwm else "–", "%.1f MiB" % (rss / 1024.0) if rss else "–",
                         "%.1f MiB" % (st / 1024.0) if st else "–", per])
        return table(["Responder", "how the entries were made", "entries held", "VmHWM", "VmRSS",
                      "VmRSS just after start, no entry (round 1)", "(VmRSS − that) / entry"], rows)

    def live_targets(self):
        rows = []

        def verdict(ok):
            return "met" if ok else "**NOT met**"

        static = self.live_lat("ndpd-static", "known", "mcast")[0]
        for name in ("ndpd-live", "ndpd-routes"):
            if name not in self.live_names():
                continue
            if not self.of("live-latency", responder=name):
                f = self.live_failed(name)
                rows.append([LIVE_NAMES[name], "all", "refused / not available" + (": " + self.refusal(f) if f else ""), "–"])
                continue
            fv, fa, fs, _, _ = self.live_lat(name, "first", "mcast")
            p99 = pct(fv, 99)
            sf = self.live_lat("ndpd-static", "first", "mcast")[0]
            ref = ""
            if sf:
                # The same probes, as far apart, to a responder that answers at once: what the
                # bed and the shared machine add to a probe sent after 10 ms of quiet.
                ref = " (static mode, answering at once, probed the same way: p99 %s, %d of %d over 2 ms; ndpd live: %d over 2 ms)" % (
                    fmt_us(pct(sf, 99)), sum(1 for x in sf if x > 2000), len(sf), sum(1 for x in fv if x > 2000))
            rows.append([LIVE_NAMES[name], "first contact p99 ≤ 2 ms (all answered)", "%s, %d/%d answered%s" % (fmt_us(p99), fa, fs, ref),
                         verdict(p99 is not None and p99 <= 2000 and fa == fs)])
            kv = self.live_lat(name, "known", "mcast")[0]
            if static and kv:
                a, b = pct(kv, 50), pct(static, 50)
                rows.append([LIVE_NAMES[name], "known guest within 10% of static mode (multicast median)",
                             "%s vs %s (%+.0f%%)" % (fmt_us(a), fmt_us(b), 100.0 * (a - b) / b), verdict(a <= 1.1 * b)])
            scans = self.of("live-scan", responder=name)
            if scans:
                rs = sum(s["resolve"]["sent"] for s in scans)
                ra = sum(s["resolve"]["answered"] for s in scans)
                rows.append([LIVE_NAMES[name], "live guests answered during a 100k NS/s scan ≥ 99%", "%s (%d/%d)" % (fmt_pct(ra, rs), ra, rs), verdict(rs and ra >= 0.99 * rs)])
                secs = sum(s["seconds"] for s in scans)
                gns = sum(s["guest_ns"] for s in scans)
                # The first-contact bucket starts full (capacity = probe-rate): one burst of 200,
                # then 200 a second; a round's scan is one bucket's life.
                bound = 200 * secs + 200 * len(scans)
                rows.append([LIVE_NAMES[name], "probes during the scan within probe-rate (200/s, after one burst of 200)",
                             "%d NS on the guest side in %.1f s (%.0f/s; bound %d)" % (gns, secs, gns / secs if secs else 0, bound),
                             verdict(secs and gns <= bound)])
        return table(["ndpd", "target", "figure in this run", "verdict"], rows)

    def live_render(self):
        if not any(r["type"].startswith("live-") for r in self.recs):
            return []
        lm = next(iter(self.of("live-meta")), {})
        le = next(iter(self.of("live-end")), {})
        out = ["## Live mode: ndpd against ndppd's `iface` and `auto` (issue 11)", ""]
        out.append("A routed bed of its own: the router (`2001:db8:0:96ff:ff:ff:ff:ff/56` on rtr0) solicits the guests' "
                   "/64 on its link, which reaches the host's br0 only; the host (forwarding on, proxy_ndp 0, no address "
                   "in the /64) routes `2001:db8:0:96ce::/64` to the bridge vmbr1, behind which two guests hold their "
                   "addresses (nodad). Rounds interleaved (%s), %d round(s); every responder restarted each round; "
                   "%s. Load average %s at the start of this section, "
                   "%s at its end; section run time %s. The machine was shared with other engineers' builds and tests."
                   % (", ".join(lm.get("responders", "").split()), lm.get("rounds", 0),
                      "responders and the latency prober pinned to CPU %s (taskset)" % self.meta.get("pin")
                      if self.meta.get("pin") not in (None, "none") else "nothing pinned", lm.get("loadavg_start", "?"),
                      le.get("loadavg_end", "?"), "%.0f s" % float(le["seconds"]) if le.get("seconds") else "?"))
        out.append("")
        rows = []
        for r in self.of("live-config"):
            rows.append([LIVE_NAMES[r["responder"]], r["describe"] + ("; " + r["version"] if r.get("version") else "")])
        seen = set()
        for r in self.of("live-failed"):
            if r["responder"] in seen:
                continue
            seen.add(r["responder"])
            rows.append([LIVE_NAMES[r["responder"]], "%s: **refused / not available** (%s): %s" % (r.get("describe", ""), r["phase"], self.refusal(r))])
        paragraphs(out,
                   table(["Responder", "configuration"], rows),
                   "### Latency: first contact, and a known guest",
                   "Router side, one multicast NS at a time, kernel timestamps as above (timeout %s s). **First contact**: "
                   "%d addresses a round (after %d warm-up ones), alternating between the two guests, none asked for before "
                   "in that responder's process, %s s apart (ndpd's default probe-rate is 200/s); the answer needs the "
                   "responder's probe on vmbr1 and the guest's NA. **Known guest**: right after, the same addresses again "
                   "(LIVE in ndpd's table, in ndppd's session cache), multicast as a router resolving them, then unicast "
                   "as its reachability check. ndpd static mode answers every address of the /64 at once: the reference "
                   "for the known-guest latency. Percentiles over all rounds (nearest rank)."
                   % (lm.get("timeout"), lm.get("fc_n", 0), lm.get("warmup", 0), lm.get("fc_gap")),
                   self.live_latency_table())
        if self.of("live-scan"):
            paragraphs(out,
                       "### Scan: random /64 targets at 100k NS/s",
                       "%d multicast NS for distinct random addresses of the /64 per round (tcpreplay `-K --pps=100000` from "
                       "the router), while the router resolves both guests' first addresses (2001:db8:0:96ce::2 and ::3, "
                       "learned by one NS each just before; 200 NS/s round robin, timeout 1 s, user-space send time) and "
                       "pings each 100 times a second. Probes on the guest side: the NS that reached guest 1's eth0 "
                       "(vmbr1 floods the multicast probes to both guests), counted in the kernel by a packet socket's "
                       "filter (nd.py nscount), between the scan's first and last frame. Static mode is not scanned: it "
                       "answers every target." % lm.get("scan_n", 0),
                       self.live_scan_table())
        if self.of("live-memory"):
            paragraphs(out,
                       "### Memory with %d live entries" % lm.get("mem_n", 0),
                       "ndpd learns the kernel's neighbour entries on its guest interfaces (REACHABLE, PERMANENT … are "
                       "LIVE): %d permanent entries on vmbr1 (permanent, because the kernel's gc_thresh3, 1024 by default, "
                       "is one limit for the whole machine and would drop reachable ones), read at start. ndppd learns "
                       "only from answered probes: a responder that answers every NS (Benchmarks/c/nd_floor_responder.c) "
                       "runs in guest 1 and the router asks for %d distinct addresses. Memory read from /proc/PID/status "
                       "once the entries are held." % (lm.get("mem_n", 0), lm.get("mem_n", 0)),
                       self.live_memory_table())
        lt = self.live_targets()
        if lt.count("\n") > 1:
            paragraphs(out,
                       "### ndpd live mode against its targets",
                       lt)
        return out



def paragraphs(out, *blocks):
    """Appends Markdown blocks (a heading, a paragraph, a table), each followed by the blank line that ends it."""
    for b in blocks:
        out += [b, ""]


def demangle(names):
    import shutil
    import subprocess
    tool = shutil.which("swift-demangle") or "/opt/swift/usr/bin/swift-demangle"
    try:
        out = subprocess.run([tool, "--simplified", "--compact"], input="\n".join(names), capture_output=True, text=True, timeout=10).stdout.splitlines()
        if len(out) == len(names):
            return out
    except Exception:
        pass
    return names


def short(a):
    if a.startswith("fe80::"):
        return "link-local " + a
    return a


def main():
    print(Report(load(sys.argv[1])).render())


if __name__ == "__main__":
    main()
