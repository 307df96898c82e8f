#!/usr/bin/env python3
"""Writes crates/ch-cvss/src/v4/lookup.rs: the CVSS v4.0 MacroVector scores.

The scores are facts published with FIRST's reference calculator (`cvssLookup_global`
in cvss_lookup.js). This reads the copy in the PyPI `cvss` package
(`pip install cvss==3.6`), which tests/differential.rs also uses as a reference.
"""
from pathlib import Path

from cvss.constants4 import CVSS_LOOKUP_GLOBAL

root = Path(__file__).resolve().parents[2]
lines = [
    "// The score of each CVSS v4.0 MacroVector, as FIRST's reference calculator publishes it",
    "// (`cvss_lookup.js`, `cvssLookup_global`): 270 facts, keyed by the six EQ digits.",
    "// Regenerate with `python3 scripts/dev/cvss4-lookup.py` (reads the PyPI `cvss` package's copy).",
    "",
    "pub(super) const MACRO_SCORES: [(&str, f64); 270] = [",
]
lines += [f'    ("{k}", {float(v)!r}),' for k, v in CVSS_LOOKUP_GLOBAL.items()]
lines.append("];")
(root / "crates/ch-cvss/src/v4/lookup.rs").write_text("\n".join(lines) + "\n")
