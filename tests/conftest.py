"""Fixtures shared by several test modules."""

import pytest

from skipgram_lab.corpus import Vocab, tokenize, toy_corpus


@pytest.fixture(scope="session")
def toy():
    """The built-in toy corpus, encoded: (list of id arrays, Vocab)."""
    sents = [tokenize(s) for s in toy_corpus()]
    vocab = Vocab.from_sentences(sents)
    return vocab.encode_sentences(sents), vocab
