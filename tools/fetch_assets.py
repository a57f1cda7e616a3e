"""Fetch the JavaScript the rendered book needs, so it works with no network.

By default the HTML of a Jupyter Book loads MathJax and the ipywidgets embed
scripts from CDNs: offline, a reader sees raw TeX and empty widget areas. This
script downloads three pinned npm tarballs once, checks each against its
pinned sha512 integrity string, and extracts only the files the book loads::

    _assets/mathjax/tex-mml-chtml.js          + fonts, TeX extensions, a11y
    _assets/jupyter-widgets/embed-amd.js      + the icon fonts it references
    _assets/requirejs/require.js

``_config.yml`` serves ``_assets`` as static files (``html_static_path``) and
points ``mathjax_path`` and ``nb_ipywidgets_js`` at them.

Usage::

    python tools/fetch_assets.py [DEST] [--force] [--registry URL]

Only the standard library is used (no node, no npm). The result is written to a
temporary folder next to DEST and renamed into place, so an interrupted run
never leaves half a folder. If DEST already holds exactly the pinned versions,
nothing is downloaded.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

DEFAULT_REGISTRY = "https://registry.npmjs.org"
DEFAULT_DEST = "_assets"
MANIFEST = "manifest.json"
TIMEOUT = 60  # seconds per download


@dataclass(frozen=True)
class Package:
    """One npm tarball and the files to take from it.

    ``files`` maps a glob inside the tarball (npm tarballs put everything under
    ``package/``) to a folder under DEST; the path below the glob's fixed
    prefix is kept.
    """

    name: str
    version: str
    integrity: str  # `npm view NAME@VERSION dist.integrity`
    files: tuple[tuple[str, str], ...]

    def tarball_url(self, registry):
        basename = self.name.rsplit("/", 1)[-1]
        return f"{registry.rstrip('/')}/{self.name}/-/{basename}-{self.version}.tgz"


PACKAGES = (
    Package(
        "mathjax", "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
        (
            ("package/LICENSE", "mathjax"),
            ("package/es5/tex-mml-chtml.js", "mathjax"),
            ("package/es5/output/chtml/fonts/woff-v2/*.woff", "mathjax/output/chtml/fonts/woff-v2"),
            # Loaded on demand: \require{...}, autoloaded macros (\color, \cancel, ...).
            ("package/es5/input/tex/extensions/*.js", "mathjax/input/tex/extensions"),
            # Loaded when a reader turns on an accessibility option in the MathJax menu.
            ("package/es5/a11y/*.js", "mathjax/a11y"),
            ("package/es5/sre/mathmaps/*", "mathjax/sre/mathmaps"),
        ),
    ),
    Package(
        "@jupyter-widgets/html-manager", "1.0.15",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
        (
            ("package/dist/embed-amd.js", "jupyter-widgets"),
            # Icon fonts the widget CSS loads relative to embed-amd.js.
            ("package/dist/*.woff2", "jupyter-widgets"),
            ("package/dist/*.woff", "jupyter-widgets"),
            ("package/dist/*.ttf", "jupyter-widgets"),
            ("package/dist/*.eot", "jupyter-widgets"),
            ("package/dist/*.svg", "jupyter-widgets"),
            ("package/dist/embed.js.LICENSE.txt", "jupyter-widgets"),
        ),
    ),
    Package(
        "requirejs", "2.3.8",
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
        (
            ("package/require.js", "requirejs"),
        ),
    ),
)


class AssetError(RuntimeError):
    """A download failed, or a tarball is not the pinned one."""


def manifest_of(packages):
    """What DEST/manifest.json records: name -> version and integrity."""
    return {p.name: {"version": p.version, "integrity": p.integrity} for p in packages}


def is_current(dest, packages=PACKAGES):
    """True if ``dest`` already holds exactly these pinned packages."""
    try:
        recorded = json.loads((Path(dest) / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return recorded.get("packages") == manifest_of(packages) and all(
        (Path(dest) / f).is_file() for f in recorded.get("files", [])
    )


def download(url):
    """The bytes at ``url``, or an AssetError that says how to get them."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as error:  # offline, DNS, timeout, 404
        reason = getattr(error, "reason", error)
        raise AssetError(
            f"could not download {url} ({reason}).\n"
            "The book serves MathJax and the widget scripts from _assets/ so that it renders "
            "offline; they are fetched from the npm registry once. Run `make book` (or "
            "`python tools/fetch_assets.py`) once with network; after that no network is needed."
        ) from None


def verify(data, integrity, what):
    """Check ``data`` against an npm integrity string ``sha512-<base64>``."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise AssetError(f"{what}: unsupported integrity algorithm {algorithm!r}, expected sha512")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise AssetError(
            f"{what}: sha512 mismatch, expected {expected}, got {actual}. The download is "
            "corrupt or not the pinned release; nothing was written. Try again, or check the "
            "registry you use."
        )


def extract(data, package, dest):
    """Write the files of ``package`` selected by its globs below ``dest``; return their paths."""
    written = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        for pattern, folder in package.files:
            prefix = pattern.rsplit("/", 1)[0] + "/"  # kept: the path below the glob's folder
            matched = [m for m in members if fnmatch.fnmatchcase(m.name, pattern)]
            if not matched:
                raise AssetError(f"{package.name}@{package.version}: no file matches {pattern!r}")
            for member in matched:
                relative = Path(folder) / member.name[len(prefix):]
                if relative.is_absolute() or ".." in relative.parts:
                    raise AssetError(f"{package.name}: unsafe path {member.name!r} in tarball")
                target = dest / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tar.extractfile(member).read())
                written.append(relative.as_posix())
    return written


def fetch(dest=DEFAULT_DEST, packages=PACKAGES, registry=DEFAULT_REGISTRY, force=False, log=print):
    """Make ``dest`` hold the pinned assets; return True if anything was downloaded.

    Idempotent: if ``dest`` already holds these versions, nothing happens. All
    tarballs are downloaded and verified before anything is written, and the
    folder is built under a temporary name and renamed into place.
    """
    dest = Path(dest)
    if not force and is_current(dest, packages):
        log(f"{dest}/ is up to date ({', '.join(f'{p.name}@{p.version}' for p in packages)})")
        return False
    tarballs = []
    for package in packages:
        url = package.tarball_url(registry)
        log(f"downloading {package.name}@{package.version} from {url}")
        data = download(url)
        verify(data, package.integrity, f"{package.name}@{package.version}")
        tarballs.append((package, data))

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        files = []
        for package, data in tarballs:
            files += extract(data, package, tmp)
        manifest = {"packages": manifest_of(packages), "files": sorted(files)}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
        old = None
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            os.replace(dest, old / dest.name)
        os.replace(tmp, dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log(f"wrote {len(files)} files to {dest}/")
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", nargs="?", default=DEFAULT_DEST, help="target folder (default: _assets)")
    parser.add_argument("--force", action="store_true", help="download again even if up to date")
    parser.add_argument("--registry", default=os.environ.get("NPM_REGISTRY", DEFAULT_REGISTRY),
                        help="npm registry or mirror (default: $NPM_REGISTRY or %(default)s)")
    args = parser.parse_args(argv)
    try:
        fetch(args.dest, registry=args.registry, force=args.force)
    except AssetError as error:
        print(f"fetch_assets: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
