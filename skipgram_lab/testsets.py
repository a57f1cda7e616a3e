"""Readers of the word-similarity and analogy test sets, and where to find them.

gensim ships ``questions-words.txt`` (Mikolov et al. 2013), ``wordsim353.tsv``
(WordSim-353, Finkelstein et al. 2002) and ``simlex999.txt`` (SimLex-999, Hill
et al. 2015) in ``gensim/test/test_data/``. ``make setup`` copies these three
files out of the pinned gensim 4.4.0 sdist into the data cache (see
:mod:`skipgram_lab.english`), so they are there without gensim installed;
:func:`testset_path` finds them. :func:`read_analogies` and
:func:`read_word_pairs` read them, and the original files too. Scoring is in
:mod:`skipgram_lab.evaluate`.

>>> from skipgram_lab.testsets import load_testsets
>>> analogies, ws353, simlex = load_testsets()     # doctest: +SKIP

Licensing: questions-words.txt was published with word2vec under the Apache
License 2.0; WordSim-353 and SimLex-999 are distributed by their authors for
research use. This project redistributes none of them: each user's set-up
fetches them from PyPI.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ._validate import check_int
from .english import TESTSETS, english_text_path


def testset_path(name, data_home=None):
    """The path of a test set: the data cache, else an installed gensim's copy.

    Parameters
    ----------
    name : {"questions-words", "wordsim353", "simlex999"}
    data_home : path or None
        See :func:`skipgram_lab.datasets.get_data_home`.

    Raises
    ------
    FileNotFoundError
        If neither has it; the message names the file and the command that fetches it.
    """
    if name not in TESTSETS:
        raise ValueError(f"name must be one of {list(TESTSETS)}, got name={name!r}")
    try:
        return english_text_path(name, data_home)
    except FileNotFoundError:
        spec = importlib.util.find_spec("gensim")
        if spec is not None and spec.submodule_search_locations:
            filename = {"questions-words": "questions-words.txt", "wordsim353": "wordsim353.tsv",
                        "simlex999": "simlex999.txt"}[name]
            for folder in spec.submodule_search_locations:
                path = Path(folder) / "test" / "test_data" / filename
                if path.is_file():
                    return path
        raise


def load_testsets(data_home=None):
    """The three test sets, read: ``(analogies, wordsim353, simlex999)``.

    Returns
    -------
    analogies : dict of str -> list of (str, str, str, str)
        questions-words, by section, lowercased.
    wordsim353, simlex999 : list of (str, str, float)
    """
    return (read_analogies(testset_path("questions-words", data_home), lowercase=True),
            read_word_pairs(testset_path("wordsim353", data_home)),
            read_word_pairs(testset_path("simlex999", data_home)))


def read_analogies(path, *, lowercase=False):
    """Read the questions-words format: ``: section`` lines, then ``a b c d`` lines.

    Returns
    -------
    dict of str -> list of (str, str, str, str)
        In file order; questions before any ``:`` line go to section ``""``.
    """
    sections: dict = {}
    current = ""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith(":"):
                current = line[1:].strip()
                sections.setdefault(current, [])
                continue
            words = (line.lower() if lowercase else line).split()
            if len(words) != 4:
                raise ValueError(
                    f"{str(path)!r} line {lineno}: expected ': section' or four words "
                    f"'a b c d', got {line[:80]!r}"
                )
            sections.setdefault(current, []).append(tuple(words))
    if not any(sections.values()):
        raise ValueError(f"{str(path)!r} holds no analogy questions")
    return sections


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def read_word_pairs(path, *, lowercase=True, score_column=None):
    """Read word pairs and human scores (WordSim-353, SimLex-999 and similar files).

    Lines starting with ``#`` and blank lines are skipped; fields are split on
    tabs (or on commas, as in WordSim-353's ``combined.csv``, when a line has no
    tab). A first line whose score is not a number is a header; if it names a
    ``SimLex999`` column (the original 10-column SimLex-999.txt) that column is
    the score, otherwise the score is column 2 (``word1 word2 score``).

    Parameters
    ----------
    path : path
    lowercase : bool
    score_column : int or None
        Override the column of the score.

    Returns
    -------
    list of (str, str, float)
    """
    column = None if score_column is None else check_int("score_column", score_column, 2)
    rows, header_done = [], False
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = [x.strip() for x in line.split("\t" if "\t" in line else ",")]
            col = 2 if column is None else column
            if not header_done and not rows and len(fields) > col and not _is_number(fields[col]):
                header_done = True
                names = [x.lower().replace("-", "").replace(" ", "") for x in fields]
                if column is None and "simlex999" in names:
                    column = names.index("simlex999")
                continue
            if len(fields) <= col or not _is_number(fields[col]):
                raise ValueError(
                    f"{str(path)!r} line {lineno}: expected 'word1<TAB>word2<TAB>score' with a "
                    f"number in column {col}, got {line[:80]!r}"
                )
            a, b = (fields[0].lower(), fields[1].lower()) if lowercase else fields[:2]
            rows.append((a, b, float(fields[col])))
    if not rows:
        raise ValueError(f"{str(path)!r} holds no word pairs")
    return rows
