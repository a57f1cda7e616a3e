"""Fixtures shared by several test modules."""

import pytest

from skipgram_lab.corpus import Vocab, tokenize, toy_corpus


@pytest.fixture(scope="session")
def toy():
    """The built-in toy corpus, encoded: (list of id arrays, Vocab)."""
    sents = [tokenize(s) for s in toy_corpus()]
    vocab = Vocab.from_sentences(sents)
    return vocab.encode_sentences(sents), vocab


def pytest_collection_modifyitems(session, config, items):
    """Run the notebooks (nbval) before the book: the book build reuses their runs.

    tests/test_notebooks.py puts each chapter's nbval run into the book's execution cache
    (tests/nbval_record.py), so tests/test_book.py, which builds the book, need not execute the
    chapters again. Otherwise the order is pytest's (a stable sort).
    """
    items.sort(key=lambda item: 0 if item.nodeid.startswith("tests/test_notebooks.py") else 1)
