#!/usr/bin/python3
"""Reference for the dpkg ordering: `dpkg --compare-versions`, one process per test.

Reads `A<TAB>B` lines on stdin, prints `<`, `=`, `>` or `!` per line (`!` when
`dpkg --validate-version` rejects either side). Slow: feed it a few hundred pairs.
"""
import subprocess
import sys

_valid = {}


def valid(v):
    if v not in _valid:
        r = subprocess.run(["dpkg", "--validate-version", "--", v],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _valid[v] = r.returncode == 0
    return _valid[v]


def holds(a, op, b):
    r = subprocess.run(["dpkg", "--compare-versions", "--", a, op, b],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def main():
    out = []
    for line in sys.stdin.read().split("\n"):
        if not line:
            continue
        a, b = line.split("\t")
        if not (valid(a) and valid(b)):
            out.append("!")
        elif holds(a, "lt", b):
            out.append("<")
        elif holds(a, "eq", b):
            out.append("=")
        else:
            out.append(">")
    sys.stdout.write("".join(o + "\n" for o in out))


main()
