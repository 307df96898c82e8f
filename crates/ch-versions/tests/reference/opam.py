#!/usr/bin/python3
"""Reference for the opam ordering: the `opam` binary itself.

Reads `A<TAB>B` lines on stdin, prints `<`, `=`, `>` or `!` per line. opam has no
command that compares two versions, so this writes a throw-away package repository
with one package per pair (`pN` with versions A and B) and asks
`opam admin list --all-versions --short`, which lists each package's versions in
opam's version order (OpamVersionCompare). Two versions opam considers equal collapse
into one entry; a version opam rejects (OpamPackage.Version.of_string) is not listed,
which we report as `!`. Needs `opam` (Debian package opam); no opam root is needed.
"""
import os
import subprocess
import sys
import tempfile

OPAM = 'opam-version: "2.0"\n'
SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+.~-")


def main():
    pairs = [l.split("\t") for l in sys.stdin.read().split("\n") if l]
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "repo"), "w") as f:
            f.write(OPAM)
        for n, (a, b) in enumerate(pairs):
            for v in {a, b}:
                # A name that cannot be a directory can not be a valid opam version.
                if not v or not set(v) <= SAFE:
                    continue
                d = os.path.join(root, "packages", f"p{n}", f"p{n}.{v}")
                os.makedirs(d, exist_ok=True)
                with open(os.path.join(d, "opam"), "w") as f:
                    f.write(OPAM)
        env = dict(os.environ, HOME=root, OPAMROOT=os.path.join(root, ".opam"),
                   OPAMYES="1", OPAMNOENVNOTICE="1")
        listed = subprocess.run(
            ["opam", "admin", "list", "--all-versions", "--short"],
            cwd=root, env=env, check=True, capture_output=True, text=True).stdout
    order = {}
    for line in listed.split("\n"):
        line = line.strip()
        if not line or "." not in line:
            continue
        name, version = line.split(".", 1)
        order.setdefault(name, []).append(version)
    out = []
    for n, (a, b) in enumerate(pairs):
        vs = order.get(f"p{n}", [])
        if a == b:
            out.append("=" if a in vs else "!")
        elif a in vs and b in vs:
            out.append("<" if vs.index(a) < vs.index(b) else ">")
        elif len(vs) == 1 and (a in vs or b in vs):
            # One entry for two distinct strings: opam found them equal, unless the
            # other one is invalid on its own.
            other = b if a in vs else a
            out.append("=" if valid_alone(other) else "!")
        else:
            out.append("!")
    sys.stdout.write("".join(o + "\n" for o in out))


_alone = {}


def valid_alone(v):
    if v in _alone:
        return _alone[v]
    ok = False
    if v and set(v) <= SAFE:
        with tempfile.TemporaryDirectory() as root:
            with open(os.path.join(root, "repo"), "w") as f:
                f.write(OPAM)
            d = os.path.join(root, "packages", "q", f"q.{v}")
            os.makedirs(d)
            with open(os.path.join(d, "opam"), "w") as f:
                f.write(OPAM)
            env = dict(os.environ, HOME=root, OPAMROOT=os.path.join(root, ".opam"))
            listed = subprocess.run(
                ["opam", "admin", "list", "--all-versions", "--short"],
                cwd=root, env=env, capture_output=True, text=True).stdout
            ok = f"q.{v}" in listed.split()
    _alone[v] = ok
    return ok


main()
