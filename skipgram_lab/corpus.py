"""Text -> tokens -> ids: normalisation, the toy corpus and the vocabulary.

>>> from skipgram_lab.corpus import toy_corpus, tokenize, Vocab
>>> sentences = [tokenize(line) for line in toy_corpus()]
>>> vocab = Vocab.from_sentences(sentences, min_count=1)
>>> ids = vocab.encode(sentences[0])       # "The dog fetched the ball."
>>> vocab.decode(ids)
['the', 'dog', 'fetched', 'the', 'ball']

Chapter 2 ("From text to token ids") walks through this module.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from ._validate import check_int

#: Letters only (any script), so "fetched." -> "fetched" and "it's" -> "it", "s".
WORD_PATTERN = r"[^\W\d_]+"

_TOY = """\
The dog fetched the ball.
The dog chased the cat.
The cat chased the mouse.
A puppy fetched the stick.
The puppy chased the ball.
The dog ate the bone.
The cat ate the fish.
The kitten ate the fish.
A kitten chased the mouse.
The dog barked at the cat.
The puppy barked at the kitten.
The dog and the puppy played in the park.
The cat and the kitten slept on the sofa.
The kitten slept on the warm sofa.
The cat slept in the sun.
The dog slept in the sun.
The girl threw the ball to the dog.
The boy threw the stick to the puppy.
The girl fed the cat.
The boy fed the dog.
The girl and the boy walked to the park.
The boy walked the dog in the park.
The girl walked the puppy in the park.
She ate an apple.
He ate a banana.
The girl ate an apple and a banana.
The boy ate a banana and an orange.
She peeled the orange.
He peeled the banana.
The apple was sweet.
The orange was sweet.
The banana was ripe.
The apple was ripe.
A red apple fell from the tree.
An orange fell from the tree.
The bird sat in the tree.
The bird sang in the tree.
The cat watched the bird.
The kitten watched the bird in the tree.
The dog watched the boy.
"""


def toy_corpus() -> list[str]:
    """The built-in toy corpus: 40 short English sentences, one per string.

    The first sentence is the one from the notes, "The dog fetched the ball.";
    the rest give the pets, people and fruit some shared and some distinct
    company so that a few epochs on a laptop already show structure.

    Returns
    -------
    list of str
        One sentence per item, untokenised.
    """
    return _TOY.splitlines()


def tokenize(text: str, *, lowercase: bool = True, pattern: str = WORD_PATTERN) -> list[str]:
    """Split one piece of text into word tokens.

    The default normalisation lowercases and keeps maximal runs of letters,
    dropping digits, punctuation and whitespace (``WORD_PATTERN``).

    Parameters
    ----------
    text : str
    lowercase : bool, default True
    pattern : str
        A regular expression; each match is one token.

    Returns
    -------
    list of str
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got text={text!r}")
    if lowercase:
        text = text.lower()
    return re.findall(pattern, text)


def read_sentences(
    source: str | Path | Iterable[str],
    *,
    lowercase: bool = True,
    pattern: str = WORD_PATTERN,
    max_sentence_length: int = 10_000,
) -> Iterator[list[str]]:
    """Stream tokenised sentences from a UTF-8 text file or an iterable of lines.

    Each non-empty line is one sentence; a line longer than
    ``max_sentence_length`` tokens (text8 is one 17M-token line) is cut into
    pieces of that length, as word2vec.c does with its 1000-word limit. The
    file is read line by line (and long lines in 1 MiB blocks), so a 100 MB
    corpus never sits in memory as Python strings all at once.

    Parameters
    ----------
    source : path or iterable of str
    lowercase, pattern
        As in :func:`tokenize`.
    max_sentence_length : int, default 10000

    Yields
    ------
    list of str
    """
    max_sentence_length = check_int("max_sentence_length", max_sentence_length, 1)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"source file not found: {str(path)!r}")
        lines = _read_text_blocks(path)
    else:
        lines = source
    for line in lines:
        tokens = tokenize(line, lowercase=lowercase, pattern=pattern)
        for i in range(0, len(tokens), max_sentence_length):
            yield tokens[i : i + max_sentence_length]


def _read_text_blocks(path: Path, block: int = 1 << 20) -> Iterator[str]:
    """Yield the lines of ``path``, splitting very long lines at whitespace."""
    try:
        with open(path, encoding="utf-8") as f:
            tail = ""
            while True:
                chunk = f.read(block)
                if not chunk:
                    break
                chunk = tail + chunk
                parts = chunk.split("\n")
                tail = parts.pop()
                for p in parts:
                    yield p + "\n"
                if len(tail) > block:
                    # No newline for a whole block: cut at the last space so no word is split.
                    cut = tail.rfind(" ")
                    if cut > 0:
                        yield tail[:cut] + "\n"
                        tail = tail[cut + 1 :]
            if tail:
                yield tail + "\n"
    except UnicodeDecodeError as err:
        raise ValueError(
            f"source file {str(path)!r} is not UTF-8 text (byte {err.start}): "
            "pass a text file, not a binary one"
        ) from None


class Vocab:
    """Tokens <-> ids, ordered by frequency.

    Id 0 is the most frequent token; ties are broken alphabetically so the
    same corpus always gives the same ids. Tokens seen fewer than
    ``min_count`` times are not in the vocabulary, and :meth:`encode` drops
    them (as word2vec.c does) rather than mapping them to an ``<unk>`` id:
    an unknown token would otherwise become the most frequent "word".

    Parameters
    ----------
    tokens : sequence of str
        The vocabulary, in id order.
    counts : sequence of int
        ``counts[i]`` is the corpus frequency of ``tokens[i]``.
    """

    def __init__(self, tokens, counts):
        tokens = [str(t) for t in tokens]
        counts = np.asarray(counts, dtype=np.int64)
        if len(tokens) != len(counts):
            raise ValueError(
                f"tokens and counts must have the same length, got {len(tokens)} and {len(counts)}"
            )
        if len(set(tokens)) != len(tokens):
            raise ValueError("tokens must be unique")
        if counts.size and counts.min() < 0:
            raise ValueError(f"counts must be >= 0, got min(counts)={counts.min()}")
        self.tokens = tokens
        self.counts = counts
        self.index = {t: i for i, t in enumerate(tokens)}

    @classmethod
    def from_sentences(cls, sentences: Iterable[Iterable[str]], min_count: int = 1) -> "Vocab":
        """Count tokens and keep those seen at least ``min_count`` times.

        Raises
        ------
        ValueError
            If the corpus is empty or no token survives ``min_count``.
        """
        min_count = check_int("min_count", min_count, 1)
        counter: Counter = Counter()
        for sentence in sentences:
            if isinstance(sentence, str):
                raise ValueError(
                    "sentences must be lists of tokens, got a str: tokenize each line first"
                )
            counter.update(sentence)
        if not counter:
            raise ValueError("sentences is empty: there are no tokens to build a vocabulary from")
        kept = [(t, n) for t, n in counter.items() if n >= min_count]
        if not kept:
            raise ValueError(
                f"no token survives min_count={min_count} (the most frequent token occurs "
                f"{max(counter.values())} times): lower min_count"
            )
        kept.sort(key=lambda tn: (-tn[1], tn[0]))
        return cls([t for t, _ in kept], [n for _, n in kept])

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token) -> bool:
        return token in self.index

    def __repr__(self) -> str:
        head = ", ".join(self.tokens[:5])
        return f"Vocab(V={len(self)}, tokens: {head}{', ...' if len(self) > 5 else ''})"

    def id(self, token: str) -> int:
        """The id of one token (``KeyError`` with a clear message if unknown)."""
        try:
            return self.index[token]
        except KeyError:
            raise KeyError(f"token {token!r} is not in the vocabulary (V={len(self)})") from None

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """Ids of the known tokens, in order; unknown tokens are dropped.

        Returns
        -------
        (n,) int64 ndarray
        """
        index = self.index
        return np.fromiter((index[t] for t in tokens if t in index), dtype=np.int64)

    def decode(self, ids) -> list[str]:
        """Tokens for a sequence of ids."""
        return [self.tokens[int(i)] for i in np.asarray(ids).ravel()]

    def encode_sentences(self, sentences: Iterable[Iterable[str]]) -> list[np.ndarray]:
        """Encode each sentence; sentences left empty are dropped."""
        out = [self.encode(s) for s in sentences]
        return [s for s in out if len(s)]
