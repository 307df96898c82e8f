#!/bin/sh
# Encrypts this run's flag ($FLAG) with a fresh random five-byte key.
set -eu
python3 - <<'PY'
import os, secrets
flag = os.environ["FLAG"].encode()
key = secrets.token_bytes(5)
with open("cipher.bin", "wb") as f:
    f.write(bytes(b ^ key[i % len(key)] for i, b in enumerate(flag)))
PY
