#!/usr/bin/env python3
# Invert the transform: subtract 13, then undo the position-dependent XOR.
import ast
import re

source = open("crackme.py").read()
target = ast.literal_eval(re.search(r"TARGET = (\[.*?\])", source).group(1))
print(bytes(((t - 13) & 0xFF) ^ ((i * 7 + 3) & 0xFF) for i, t in enumerate(target)).decode())
