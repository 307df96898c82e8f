#!/bin/sh
# Builds ./vuln with this run's flag ($FLAG) compiled in, then removes the header.
set -eu
python3 - <<'PY'
import os
data = ", ".join(str(b ^ 0x5A) for b in os.environ["FLAG"].encode())
open("flag_data.h", "w").write("static const unsigned char FLAG_DATA[] = {" + data + "};\n")
PY
gcc -O0 -fno-stack-protector -U_FORTIFY_SOURCE -o vuln vuln.c
rm flag_data.h
