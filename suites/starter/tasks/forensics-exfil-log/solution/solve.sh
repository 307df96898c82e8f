#!/bin/sh
# The pixel requests carry three interleaved base64 chunks, numbered by utm_id.
set -eu
grep -o 'utm_id=[0-9]*&utm_content=[^ ]*' access.log | sort | sed 's/.*utm_content=//' > parts.txt
python3 - <<'PY'
import base64
parts = open("parts.txt").read().split()
enc = "".join(parts[i % 3][i // 3] for i in range(sum(map(len, parts))))
print(base64.urlsafe_b64decode(enc).decode())
PY
