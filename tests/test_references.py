"""The bibliography parses, every entry is complete, and every citation in the book resolves.

The book build (``-W``) would also fail on a broken entry, but only after executing every chapter;
this test says so in a second.
"""

import re
from pathlib import Path

from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")


def entries():
    return parse_file(str(ROOT / "references.bib")).entries


def cited_keys():
    keys = set()
    for path in [*ROOT.glob("book/*.md"), *ROOT.glob("notebooks/*.ipynb")]:
        for group in CITE.findall(path.read_text(encoding="utf-8")):
            keys.update(k.strip() for k in group.split(","))
    return keys


def test_every_entry_has_authors_title_year_and_venue():
    for key, entry in entries().items():
        assert entry.persons.get("author"), f"{key}: no author"
        assert {"title", "year"} <= set(entry.fields), f"{key}: needs title and year"
        venue = {"journal", "booktitle", "howpublished", "institution", "publisher"} & set(entry.fields)
        assert venue, f"{key}: no venue (journal, booktitle, howpublished, institution or publisher)"


def test_every_citation_resolves_and_every_entry_is_cited():
    known, cited = set(entries()), cited_keys()
    assert cited - known == set(), f"cited but not in references.bib: {sorted(cited - known)}"
    assert known - cited == set(), f"in references.bib but never cited: {sorted(known - cited)}"
