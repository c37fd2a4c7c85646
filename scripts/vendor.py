#!/usr/bin/env python3
"""Fetch the pinned front-end files from the npm registry into static/vendor/.

Standard library only, so a checkout needs no Node to refresh them:

    python scripts/vendor.py            # download, verify, extract, write VERSIONS.txt
    python scripts/vendor.py --check    # verify the files on disk match VERSIONS.txt

Each tarball is checked against the sha512 ``dist.integrity`` that the registry publishes for
that exact version before anything is extracted; only the files listed below are kept.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import io
import json
import shutil
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
VENDOR_DIR = (
    Path(__file__).resolve().parent.parent / "src" / "finegrid" / "core" / "static" / "vendor"
)


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    # Glob patterns relative to the package root (the tarball's ``package/`` folder).
    files: tuple[str, ...]
    purpose: str


PACKAGES = [
    Package("@picocss/pico", "2.1.1", ("css/pico.min.css", "LICENSE.md"), "CSS framework"),
    Package(
        "leaflet",
        "1.9.4",
        ("dist/leaflet.js", "dist/leaflet.js.map", "dist/leaflet.css", "dist/images/*", "LICENSE"),
        "maps",
    ),
    Package("htmx.org", "2.0.11", ("dist/htmx.min.js", "LICENSE"), "page fragments"),
    # decodes QR codes from camera frames where the browser has no BarcodeDetector
    Package("jsqr", "1.4.0", ("dist/jsQR.js", "LICENSE"), "QR scanning"),
    # the accessibility rules the browser tests run on the main pages; no page loads it
    Package("axe-core", "4.11.0", ("axe.min.js", "LICENSE"), "accessibility checks in tests"),
    Package("echarts", "5.6.0", ("dist/echarts.min.js", "LICENSE", "NOTICE"), "charts"),
]


def _get(url: str) -> bytes:
    # Only ever the fixed https registry URLs built below, never user input.
    request = urllib.request.Request(url, headers={"User-Agent": "finegrid-vendor/1"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.read()


def _tarball_url(pkg: Package) -> str:
    # Scoped tarballs drop the scope from the file name: @picocss/pico/-/pico-2.1.1.tgz
    base = pkg.name.rsplit("/", 1)[-1]
    return f"{REGISTRY}/{pkg.name}/-/{base}-{pkg.version}.tgz"


def _verify(pkg: Package, data: bytes) -> None:
    meta = json.loads(_get(f"{REGISTRY}/{pkg.name}/{pkg.version}"))
    integrity = meta["dist"]["integrity"]
    algo, _, expected = integrity.partition("-")
    if algo != "sha512":
        raise SystemExit(f"{pkg.name}@{pkg.version}: unexpected integrity algorithm {algo!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise SystemExit(f"{pkg.name}@{pkg.version}: sha512 mismatch, refusing to extract")


def _target(pkg: Package) -> Path:
    return VENDOR_DIR / pkg.name


def _extract(pkg: Package, data: bytes) -> list[str]:
    target = _target(pkg)
    if target.exists():
        shutil.rmtree(target)
    written: list[str] = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            # npm tarballs put everything under one top folder, usually ``package/``.
            rel = member.name.split("/", 1)[1] if "/" in member.name else member.name
            if ".." in Path(rel).parts or not any(fnmatch.fnmatch(rel, p) for p in pkg.files):
                continue
            source = tar.extractfile(member)
            assert source is not None
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(source.read())
            written.append(rel)
    missing = [p for p in pkg.files if not any(fnmatch.fnmatch(w, p) for w in written)]
    if missing:
        raise SystemExit(f"{pkg.name}@{pkg.version}: not in tarball: {', '.join(missing)}")
    return sorted(written)


def _versions_text(digests: dict[str, dict[str, str]]) -> str:
    lines = [
        "# Written by scripts/vendor.py from the npm registry; do not edit by hand.",
        "# package\tversion\tpurpose",
    ]
    for pkg in PACKAGES:
        lines.append(f"{pkg.name}\t{pkg.version}\t{pkg.purpose}")
        for rel, digest in sorted(digests[pkg.name].items()):
            lines.append(f"  {rel}\tsha256:{digest}")
    return "\n".join(lines) + "\n"


def _digests(pkg: Package) -> dict[str, str]:
    target = _target(pkg)
    return {
        str(p.relative_to(target)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(target.rglob("*"))
        if p.is_file()
    }


def fetch() -> None:
    digests = {}
    for pkg in PACKAGES:
        url = _tarball_url(pkg)
        print(f"{pkg.name}@{pkg.version}  {url}")
        data = _get(url)
        _verify(pkg, data)
        for rel in _extract(pkg, data):
            print(f"  {rel}")
        digests[pkg.name] = _digests(pkg)
    (VENDOR_DIR / "VERSIONS.txt").write_text(_versions_text(digests), encoding="utf-8")


def check() -> int:
    expected = (VENDOR_DIR / "VERSIONS.txt").read_text(encoding="utf-8")
    actual = _versions_text({pkg.name: _digests(pkg) for pkg in PACKAGES})
    if expected != actual:
        print("static/vendor does not match VERSIONS.txt; run scripts/vendor.py", file=sys.stderr)
        return 1
    print("static/vendor matches VERSIONS.txt")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="verify files on disk, no network")
    args = parser.parse_args()
    if args.check:
        return check()
    fetch()
    return 0


if __name__ == "__main__":
    sys.exit(main())
