#!/bin/sh
# Writes crackme.py, which accepts only this run's flag ($FLAG).
set -eu
python3 - <<'PY'
import os
flag = os.environ["FLAG"].encode()
target = [((b ^ ((i * 7 + 3) & 0xFF)) + 13) & 0xFF for i, b in enumerate(flag)]
program = f'''import sys

TARGET = {target!r}


def transform(data):
    return [((b ^ ((i * 7 + 3) & 0xFF)) + 13) & 0xFF for i, b in enumerate(data)]


def main():
    if len(sys.argv) != 2:
        print("usage: crackme.py PASSWORD")
        return 2
    if transform(sys.argv[1].encode()) == TARGET:
        print("access granted")
        return 0
    print("access denied")
    return 1


sys.exit(main())
'''
open("crackme.py", "w").write(program)
PY
