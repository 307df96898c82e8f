#!/usr/bin/python3
"""Reference for the dpkg ordering: libapt's comparison (python3-apt), with dpkg's own
validity check.

Reads `A<TAB>B` lines on stdin, prints `<`, `=`, `>` or `!` per line. A version is
unparsable (`!`) when `dpkg --validate-version` rejects it (dpkg's parseversion, errors
and warnings alike); valid pairs are ordered by `apt_pkg.version_compare`.
Run with Debian's /usr/bin/python3 (apt_pkg is not on PyPI).
"""
import subprocess
import sys

import apt_pkg

apt_pkg.init_system()
_valid = {}


def valid(v):
    if v not in _valid:
        r = subprocess.run(["dpkg", "--validate-version", "--", v],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _valid[v] = r.returncode == 0
    return _valid[v]


def main():
    out = []
    for line in sys.stdin.read().split("\n"):
        if not line:
            continue
        a, b = line.split("\t")
        if not (valid(a) and valid(b)):
            out.append("!")
            continue
        c = apt_pkg.version_compare(a, b)
        out.append("<" if c < 0 else ">" if c > 0 else "=")
    sys.stdout.write("".join(o + "\n" for o in out))


main()
