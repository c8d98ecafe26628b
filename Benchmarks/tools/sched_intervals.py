#!/usr/bin/env python3
"""sched_intervals.py PERF_DATA PID: one process's on-CPU time per wake-up, from a
`perf record -a -e sched:sched_switch,sched:sched_waking,irq:softirq_entry,irq:softirq_exit`
recording (Benchmarks/tools/wakeup_cost.sh --sched).

Prints, for the threads of PID: the wake-ups, the intervals between being switched in and
switched out (median, 10th and 90th percentiles, total), and the softirq time spent inside them
(the kernel work a send triggers, charged to the sender)."""
import re
import subprocess
import sys

path, pid = sys.argv[1], sys.argv[2]
out = subprocess.run(["perf", "script", "--ns", "-i", path, "-F", "pid,tid,cpu,time,event,trace"],
                     capture_output=True, text=True).stdout
rows = []
tids = set()
for line in out.splitlines():
    m = re.match(r"\s*(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):\s+(.*)", line)
    if not m:
        continue
    p, t, cpu, ts, event, trace = m.groups()
    rows.append((t, int(cpu), float(ts), event, trace))
    if p == pid:
        tids.add(t)
running, intervals, softirq_start, softirq, wakings = {}, [], {}, 0.0, 0
for t, cpu, ts, event, trace in rows:
    if event == "sched:sched_switch":
        m = re.search(r"prev_pid=(\d+) .*==> next_comm=.* next_pid=(\d+)", trace)
        if m.group(1) in tids and cpu in running:
            intervals.append(ts - running.pop(cpu))
        if m.group(2) in tids:
            running[cpu] = ts
    elif event == "sched:sched_waking":
        if re.search(r" pid=(\d+) ", trace).group(1) in tids:
            wakings += 1
    elif event == "irq:softirq_entry" and t in tids:
        softirq_start[cpu] = ts
    elif event == "irq:softirq_exit" and t in tids and cpu in softirq_start:
        softirq += ts - softirq_start.pop(cpu)
us = sorted(x * 1e6 for x in intervals)
n = len(us)
if n == 0:
    print("no intervals")
    sys.exit(0)
print(f"wake-ups {wakings}, on-CPU intervals {n}: median {us[n // 2]:.1f} us, p10 {us[n // 10]:.1f}, "
      f"p90 {us[9 * n // 10]:.1f}, total {sum(us) / 1000:.1f} ms, of which softirq {softirq * 1e3:.1f} ms")
