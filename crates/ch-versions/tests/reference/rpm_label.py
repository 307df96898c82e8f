#!/usr/bin/python3
"""Reference for the RPM ordering: python3-rpm's `rpm.labelCompare`.

Reads `A<TAB>B` lines on stdin, prints `<`, `=`, `>` per line, or `!` when
labelCompare raises ValueError ("invalid version") for either side. Each side is split into
(epoch, version, release) the way rpm's parseEVR does: an epoch only when the string
starts with digits followed by `:` (an empty epoch before `:` means 0), the release
after the last `-` of the rest (None when there is no `-`).
Run with Debian's /usr/bin/python3 with python3-rpm installed.
"""
import sys

import rpm


def evr(s):
    i = 0
    while i < len(s) and s[i].isascii() and s[i].isdigit():
        i += 1
    if i < len(s) and s[i] == ":":
        epoch, rest = (s[:i] or "0"), s[i + 1:]
    else:
        epoch, rest = None, s
    if "-" in rest:
        version, release = rest.rsplit("-", 1)
    else:
        version, release = rest, None
    return (epoch, version, release)


def main():
    out = []
    for line in sys.stdin.read().split("\n"):
        if not line:
            continue
        a, b = line.split("\t")
        try:
            c = rpm.labelCompare(evr(a), evr(b))
        except ValueError:  # rpm's rpmverParse refused one side
            out.append("!")
            continue
        out.append("<" if c < 0 else ">" if c > 0 else "=")
    sys.stdout.write("".join(o + "\n" for o in out))


main()
