#!/usr/bin/env python3
"""Writes a CycloneDX 1.6 SBOM of N components for the scan benchmark.

A share of the components (default one half) are packages the shared OSV data
names, each at a version one of its advisories' events names (so most are
affected); the rest are packages no advisory names (most components of a real
SBOM). Deterministic: the same data and arguments give the same file.

When OUT is named package-lock.json, writes an npm lockfile (version 3) of N
packages instead, from the npm advisories only.

usage: make-sbom.py SHARED_DATA N OUT [KNOWN_SHARE]
"""
import json
import sys
import zipfile
from pathlib import Path

PURL_TYPES = {
    "PyPI": "pypi", "npm": "npm", "crates.io": "cargo", "Go": "golang",
    "RubyGems": "gem", "Packagist": "composer", "CRAN": "cran",
}
EXPORTS = ["osv-pypa", "osv-nodejs-security-wg", "osv-rustsec", "osv-go-vulndb",
           "osv-rubysec", "osv-friendsofphp", "osv-rconsortium"]


def purl(eco, name, version):
    ty = PURL_TYPES[eco]
    if eco == "npm" and name.startswith("@"):
        name = "%40" + name[1:]
    return f"pkg:{ty}/{name}@{version}"


def main():
    data, n, out = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    share = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
    every = max(1, round(1 / share)) if share > 0 else n + 1
    known = []
    seen = set()
    for export in EXPORTS:
        with zipfile.ZipFile(data / export / "all.zip") as z:
            for info in sorted(z.namelist()):
                record = json.loads(z.read(info))
                for affected in record.get("affected", []):
                    pkg = affected.get("package", {})
                    eco, name = pkg.get("ecosystem"), pkg.get("name")
                    if eco not in PURL_TYPES or not name or (eco, name) in seen:
                        continue
                    for r in affected.get("ranges", []):
                        if r.get("type") == "GIT":
                            continue
                        for event in r.get("events", []):
                            v = event.get("introduced") or event.get("last_affected")
                            if v and v != "0":
                                seen.add((eco, name))
                                known.append(purl(eco, name, v))
                                break
                        if (eco, name) in seen:
                            break
    if out.name == "package-lock.json":
        npm = [p for p in known if p.startswith("pkg:npm/")]
        packages = {"": {"name": "bench", "dependencies": {}}}
        for i in range(n):
            if i % every == 0:
                name, version = npm[i // every % len(npm)][len("pkg:npm/"):].replace("%40", "@").rsplit("@", 1)
                key = f"node_modules/{name}" if i // every < len(npm) else f"node_modules/x{i}/node_modules/{name}"
            else:
                name, version, key = f"unlisted-{i}", f"1.0.{i}", f"node_modules/unlisted-{i}"
            packages[key] = {"version": version, "resolved": f"https://registry.npmjs.org/{name}/-/{name.split('/')[-1]}-{version}.tgz"}
            if i < n // 10:
                packages[""]["dependencies"][name] = version
        out.write_text(json.dumps({"name": "bench", "lockfileVersion": 3, "packages": packages}, indent=2))
        print(f"{out}: {n} packages ({len(npm)} distinct known npm packages available)")
        return
    components = []
    for i in range(n):
        p = known[i // every % len(known)] if i % every == 0 else f"pkg:npm/unlisted-{i}@1.0.{i}"
        components.append({"type": "library", "bom-ref": f"c{i}", "name": p.split("/")[-1].split("@")[0], "purl": p})
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": components}
    out.write_text(json.dumps(bom, indent=1))
    print(f"{out}: {n} components ({len(known)} distinct known packages available)")


main()
