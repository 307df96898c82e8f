#!/usr/bin/env python3
# Known plaintext: every flag starts with "flag{", exactly one key length.
cipher = open("cipher.bin", "rb").read()
known = b"flag{"
key = bytes(c ^ p for c, p in zip(cipher, known))
print(bytes(b ^ key[i % len(key)] for i, b in enumerate(cipher)).decode())
