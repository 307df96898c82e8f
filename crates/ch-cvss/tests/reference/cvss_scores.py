#!/usr/bin/env python3
"""Scores CVSS vectors, one per line on stdin, with Red Hat's `cvss` package.

Prints one line per vector: `base<TAB>temporal<TAB>environmental` for v2 and v3
(an empty field where the package gives None), the single score for v4.0, or
`error<TAB>message`.
"""
import sys

from cvss import CVSS2, CVSS3, CVSS4


def fmt(x):
    return "" if x is None else f"{float(x):.1f}"


out = []
for line in sys.stdin:
    vector = line.rstrip("\n")
    try:
        if vector.startswith("CVSS:4.0/"):
            out.append(fmt(CVSS4(vector).base_score))
        elif vector.startswith("CVSS:3."):
            out.append("\t".join(fmt(s) for s in CVSS3(vector).scores()))
        else:
            out.append("\t".join(fmt(s) for s in CVSS2(vector).scores()))
    except Exception as e:  # noqa: BLE001 - every failure is reported to the test
        out.append(f"error\t{type(e).__name__}: {e}")
sys.stdout.write("\n".join(out) + "\n")
