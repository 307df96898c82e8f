#!/bin/sh
# Legitimate reads keep working; a missing document is an error.
python3 - <<'PY'
import sys
import storage
assert storage.read_document("docs", "q3.txt") == "quarterly figures\n"
assert storage.read_document("docs", "minutes/2026-10.txt") == "board minutes\n"
try:
    storage.read_document("docs", "missing.txt")
except Exception:
    pass
else:
    sys.exit("reading a missing document did not fail")
print("tests passed")
PY
