"""Print a built page to PDF with headless Chromium, offline (``make pdf``).

    python tools/print_pdf.py _build/singlehtml/index.html _build/html/skipgram-lab.pdf

The page is the whole book on one page (Jupyter Book's ``singlehtml``
builder). Its index.html only redirects to the root page, which lives in a
subfolder (book/intro.html) but links its stylesheets, scripts and images as
if it sat beside index.html: a copy of it is put there and printed, with one
print rule added (long code lines wrap instead of being cut off). MathJax is served from the book's own _static/, so the math is
typeset with no network. Chromium runs with every host name unresolvable, and
waits (virtual time) until MathJax and the scripts have finished before it
prints. Prints the number of pages and the size.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PRINT_CSS = "<style>@media print { pre { white-space: pre-wrap; overflow-wrap: anywhere; } }</style>"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer",
         "--run-all-compositor-stages-before-draw", "--virtual-time-budget=60000"]


def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    return found


def page_count(pdf_bytes):
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf_bytes))


def followed(page):
    """The page a ``<meta http-equiv="Refresh" content="0; url=...">`` redirect leads to, or ``page``."""
    redirect = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', page.read_text(encoding="utf-8"), re.I)
    return (page.parent / redirect[1]).resolve() if redirect else page


def print_pdf(page, pdf):
    page, pdf = Path(page).resolve(), Path(pdf).resolve()
    if not page.is_file():
        raise FileNotFoundError(f"{page} does not exist: build it first "
                                "(jupyter-book build . --builder singlehtml)")
    target = followed(page)
    if target.parent != page.parent:  # see the module docstring
        copy = page.parent / "print.html"
        copy.write_text(target.read_text(encoding="utf-8").replace("</head>", PRINT_CSS + "</head>", 1),
                        encoding="utf-8")
        page = copy
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
                              page.as_uri()], capture_output=True, text=True, timeout=600)
    if run.returncode or not pdf.is_file():
        raise RuntimeError(f"chromium could not print {page}:\n{run.stderr[-3000:]}")
    pages = page_count(pdf.read_bytes())
    if not pages:
        raise RuntimeError(f"{pdf} has no pages: chromium printed nothing from {page}")
    return pages


def main(argv=None):
    parser = argparse.ArgumentParser(description="Print a built page to PDF with headless Chromium.")
    parser.add_argument("page", type=Path)
    parser.add_argument("pdf", type=Path)
    args = parser.parse_args(argv)
    try:
        pages = print_pdf(args.page, args.pdf)
    except (FileNotFoundError, RuntimeError) as error:
        print(f"print_pdf: error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.pdf}: {pages} pages, {args.pdf.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
