"""Exercise checks for chapter 17 (subword n-grams): a word's n-grams, and an unseen word's vector.

Same contract as :mod:`skipgram_lab.checks`: print a line starting with
"Correct" and return True, or raise :class:`~skipgram_lab.checks.ExerciseCheckFailed`
saying what is wrong and how to fix it.

>>> from skipgram_lab.subword_ngrams import char_ngrams
>>> from skipgram_lab.checks import check_char_ngrams
>>> check_char_ngrams(char_ngrams)
Correct: the n-grams of 6 words match, in order.
True
"""

from __future__ import annotations

import numpy as np

from ..subword_ngrams import char_ngrams
from ._core import ExerciseCheckFailed, _call, _compare

_WORDS = [("walked", 3, 4), ("dog", 3, 6), ("banana", 3, 3), ("a", 3, 6), ("kings", 2, 3), ("ox", 1, 2)]


def _ngram_hint(got, word, n_min, n_max):
    """Recognise the usual mistakes by what the wrong list equals."""
    marked = f"<{word}>"
    plain = [word[i:i + n] for n in range(n_min, n_max + 1) for i in range(len(word) - n + 1)]
    with_whole = [marked[i:i + n] for n in range(n_min, n_max + 1) for i in range(len(marked) - n + 1)]
    by_position = [marked[i:i + n] for i in range(len(marked)) for n in range(n_min, n_max + 1)
                   if i + n <= len(marked) and n < len(marked)]
    short = [marked[i:i + n] for n in range(n_min, n_max) for i in range(len(marked) - n + 1) if n < len(marked)]
    expected = char_ngrams(word, n_min, n_max)
    if got == plain:
        return 'mark the word first: the n-grams are those of "<" + word + ">", so "<wa" and "ed>" are n-grams.'
    if got == with_whole and with_whole != expected:
        return f'leave out the whole marked word ("{marked}"): the word has its own row.'
    if got == by_position:
        return "order them by length first (all n = n_min, then n_min + 1, ...), each length in reading order."
    if got == short:
        return "n runs from n_min to n_max inclusive: range(n_min, n_max + 1)."
    if sorted(got) == sorted(expected):
        return "the right n-grams in the wrong order: by length first, then in reading order."
    if sorted(set(got)) == sorted(set(expected)):
        return "keep every occurrence in reading order (banana has 'ana' twice); the table removes repeats later."
    return 'take every slice marked[i:i + n] of marked = "<" + word + ">" for n = n_min..n_max.'


def check_char_ngrams(char_ngrams_fn):
    """Check ``char_ngrams(word, n_min, n_max) -> list of str`` (eq. ``sub-ngrams`` of chapter 17)."""
    for word, n_min, n_max in _WORDS:
        got = _call(char_ngrams_fn, word, n_min, n_max)
        expected = char_ngrams(word, n_min, n_max)
        if got is None or not isinstance(got, (list, tuple)):
            raise ExerciseCheckFailed(f"return a list of strings, got {type(got).__name__}.")
        got = list(got)
        if got != expected:
            raise ExerciseCheckFailed(
                f"char_ngrams({word!r}, {n_min}, {n_max}) is wrong: expected {expected}, got {got}. "
                f"Hint: {_ngram_hint(got, word, n_min, n_max)}")
    print(f"Correct: the n-grams of {len(_WORDS)} words match, in order.")
    return True


def reference_unseen_vector(word, Z_ngrams, ngram_index, n_min, n_max):
    """The vector of a word with no row of its own: the mean of its distinct known n-grams' rows.

    Parameters
    ----------
    word : str
    Z_ngrams : (n_ngrams, d) float ndarray
        One row per known n-gram.
    ngram_index : dict of str -> int
        Row of each known n-gram.
    n_min, n_max : int

    Returns
    -------
    (d,) float64 ndarray
        Zeros if none of the word's n-grams is known.
    """
    rows = [ngram_index[g] for g in dict.fromkeys(char_ngrams(word, n_min, n_max)) if g in ngram_index]
    if not rows:
        return np.zeros(Z_ngrams.shape[1])
    return np.asarray(Z_ngrams, dtype=np.float64)[rows].mean(axis=0)


def _unseen_points():
    """Known n-grams from a few words; unseen words with known, unknown and repeated n-grams."""
    known = dict.fromkeys(g for w in ("walks", "jumped", "bandanas", "climb") for g in char_ngrams(w, 3, 4))
    index = {g: j for j, g in enumerate(known)}
    Z = np.random.default_rng(1717).normal(size=(len(index), 3))
    for word in ("walked", "banana", "climbing", "xyz"):
        yield word, Z, index


def _unseen_hint(got, word, Z, index):
    grams = char_ngrams(word, 3, 4)
    known = [index[g] for g in grams if g in index]
    distinct = [index[g] for g in dict.fromkeys(grams) if g in index]
    if known and distinct:
        if np.allclose(got, Z[distinct].sum(axis=0) / len(grams)):
            return "divide by the number of *known* n-grams: an n-gram without a row adds nothing and counts for nothing."
        if np.allclose(got, Z[distinct].sum(axis=0)):
            return "take the mean of the rows, not their sum (eq. sub-input)."
        if len(known) != len(distinct) and np.allclose(got, Z[known].mean(axis=0)):
            return "count a repeated n-gram once (dict.fromkeys keeps the first of each), as the trainer's table does."
    marked = [index[g] for g in dict.fromkeys(word[i:i + n] for n in (3, 4) for i in range(len(word) - n + 1))
              if g in index]
    if marked and np.allclose(got, Z[marked].mean(axis=0)):
        return 'use the n-grams of "<" + word + ">" (char_ngrams), not of the bare word.'
    if not distinct:
        return "a word none of whose n-grams is known gets a zero vector (there is nothing to average)."
    return "rows of the word's distinct known n-grams, then their mean."


def check_unseen_vector(unseen_vector, tol=1e-9):
    """Check ``unseen_vector(word, Z_ngrams, ngram_index, n_min, n_max) -> (d,)`` (eq. ``sub-input`` for an unseen word)."""
    for word, Z, index in _unseen_points():
        got = _call(unseen_vector, word, Z.copy(), dict(index), 3, 4)
        expected = reference_unseen_vector(word, Z, index, 3, 4)
        if got is None:
            raise ExerciseCheckFailed(f"unseen_vector({word!r}, ...) returned None: return a (d,) array.")
        got = np.asarray(got, dtype=np.float64)
        if got.shape == expected.shape and not np.allclose(got, expected, atol=tol):
            raise ExerciseCheckFailed(f"unseen_vector({word!r}, ...) is wrong: expected {np.round(expected, 4)}, "
                                      f"got {np.round(got, 4)}. Hint: {_unseen_hint(got, word, Z, index)}")
        _compare(f"unseen_vector({word!r}, ...)", got, expected, tol)
    print("Correct: the vectors of 4 unseen words match (known n-grams, a repeated one, none known).")
    return True
