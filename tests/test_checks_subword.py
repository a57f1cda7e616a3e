"""Chapter 17's checks pass the reference and name the typical mistakes."""

import numpy as np
import pytest

from skipgram_lab.checks import ExerciseCheckFailed, check_char_ngrams, check_unseen_vector
from skipgram_lab.checks.subword import reference_unseen_vector
from skipgram_lab.subword_ngrams import char_ngrams, ngram_table, word_vectors
from skipgram_lab.corpus import Vocab


def test_reference_ngrams_pass(capsys):
    assert check_char_ngrams(char_ngrams)
    assert capsys.readouterr().out.startswith("Correct")


def unmarked(word, n_min, n_max):
    return [word[i:i + n] for n in range(n_min, n_max + 1) for i in range(len(word) - n + 1)]


def with_whole_word(word, n_min, n_max):
    m = f"<{word}>"
    return [m[i:i + n] for n in range(n_min, n_max + 1) for i in range(len(m) - n + 1)]


def by_position(word, n_min, n_max):
    m = f"<{word}>"
    return [m[i:i + n] for i in range(len(m)) for n in range(n_min, n_max + 1) if i + n <= len(m) and n < len(m)]


def without_n_max(word, n_min, n_max):
    return char_ngrams(word, n_min, n_max - 1) if n_max > n_min else []


def distinct_only(word, n_min, n_max):
    return list(dict.fromkeys(char_ngrams(word, n_min, n_max)))


def stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("fn,message", [
    (unmarked, "mark the word first"),
    (with_whole_word, "leave out the whole marked word"),
    (by_position, "by length first"),
    (without_n_max, "inclusive"),
    (distinct_only, "keep every occurrence"),
    (lambda w, a, b: None, "return a list"),
    (stub, "not implemented yet"),
])
def test_typical_ngram_mistakes_are_named(fn, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        check_char_ngrams(fn)


def test_reference_unseen_vector_passes_and_agrees_with_the_library(capsys):
    assert check_unseen_vector(reference_unseen_vector)
    assert capsys.readouterr().out.startswith("Correct")
    # the reference is word_vectors for a word outside the vocabulary
    table = ngram_table(Vocab(["walks", "bandanas"], [2, 1]), 3, 4)
    Z = np.random.default_rng(0).normal(size=(table.n_rows, 3))
    index = {g: j for j, g in enumerate(table.ngrams)}
    for word in ("walked", "banana", "xyz"):
        np.testing.assert_allclose(reference_unseen_vector(word, Z[len(table.vocab):], index, 3, 4),
                                   word_vectors(Z, table, [word])[0])


def all_ngrams_in_denominator(word, Z, index, n_min, n_max):
    grams = char_ngrams(word, n_min, n_max)
    rows = [index[g] for g in dict.fromkeys(grams) if g in index]
    return Z[rows].sum(axis=0) / max(len(grams), 1)


def summed(word, Z, index, n_min, n_max):
    rows = [index[g] for g in dict.fromkeys(char_ngrams(word, n_min, n_max)) if g in index]
    return Z[rows].sum(axis=0)


def repeats_counted(word, Z, index, n_min, n_max):
    rows = [index[g] for g in char_ngrams(word, n_min, n_max) if g in index]
    return Z[rows].mean(axis=0) if rows else np.zeros(Z.shape[1])


def bare_word(word, Z, index, n_min, n_max):
    grams = dict.fromkeys(word[i:i + n] for n in range(n_min, n_max + 1) for i in range(len(word) - n + 1))
    rows = [index[g] for g in grams if g in index]
    return Z[rows].mean(axis=0) if rows else np.zeros(Z.shape[1])


def nan_when_none_known(word, Z, index, n_min, n_max):
    rows = [index[g] for g in dict.fromkeys(char_ngrams(word, n_min, n_max)) if g in index]
    return Z[rows].mean(axis=0) if rows else np.full(Z.shape[1], np.nan)


@pytest.mark.parametrize("fn,message", [
    (all_ngrams_in_denominator, "known"),
    (summed, "mean of the rows, not their sum"),
    (repeats_counted, "repeated n-gram once"),
    (bare_word, "not of the bare word"),
    (nan_when_none_known, "zero vector"),
    (lambda *a: None, "returned None"),
    (lambda *a: np.zeros(2), "shape"),
    (stub, "not implemented yet"),
])
def test_typical_unseen_vector_mistakes_are_named(fn, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        check_unseen_vector(fn)
