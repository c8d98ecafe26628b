#!/usr/bin/env python3
"""Prints COUNT random IPv6 addresses inside PREFIX, one per line: a targets-file of guests.

usage: random-targets.py PREFIX COUNT SEED

PREFIX is the leading 16-bit groups, e.g. `3fff` or `2001:db8:1`; the other groups are drawn
from Python's random generator seeded with SEED, so a seed always gives the same file. Used
where a test or benchmark needs a large table: Tests/release-fixtures.sh, the end-to-end
resolution scenario and Benchmarks/replay.sh.
"""
import random
import sys

prefix, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
groups = prefix.split(":")
random.seed(seed)
free = 8 - len(groups)
pattern = ":".join(groups + ["%x"] * free)
sys.stdout.write("".join(pattern % tuple(random.getrandbits(16) for _ in range(free)) + "\n" for _ in range(count)))
