"""Reference for tests/differential_lang.rs (PyPI).

Reads `A<TAB>B` lines on standard input and prints `<`, `=`, `>` or `!` per
line, comparing the two versions as osv.dev's PyPI helper does:
`packaging_legacy.version.parse`, i.e. `packaging.version.Version` and, for
strings PEP 440 rejects, the old `LegacyVersion` (which sorts before every
PEP 440 version). `!` means that parsing raised (osv.dev treats such a version
as invalid), e.g. a number of more than 4300 digits.

Needs: pip install packaging packaging-legacy
"""
import sys

import packaging_legacy.version


def parse(text):
    try:
        return packaging_legacy.version.parse(text)
    except Exception:  # pylint: disable=broad-except
        return None


def main():
    out = []
    for raw in sys.stdin.buffer.read().split(b"\n"):
        if not raw:
            continue
        a, _, b = raw.decode("utf-8").partition("\t")
        x, y = parse(a), parse(b)
        if x is None or y is None:
            out.append("!")
        elif x < y:
            out.append("<")
        elif x > y:
            out.append(">")
        else:
            out.append("=")
    sys.stdout.write("".join(line + "\n" for line in out))


if __name__ == "__main__":
    main()
