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

import codecs
import functools
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from ._validate import check_ids, check_int

#: The default word policy, "words". Each line is NFKC-normalised (so the ligature "ﬁ" is "fi"
#: and a decomposed "naïve" is the composed one), lowercased, and the typographic apostrophe
#: ’ becomes '. A word is then a maximal run of letters, combining marks and digits of any
#: script, with the zero-width (non-)joiners that Persian and Indic scripts write inside words;
#: a word starts with a letter or a digit (a stray mark, such as an emoji's variation
#: selector, is no word); an apostrophe between two such runs stays inside the word. So
#: "word2vec", "covid19", "can't", "हिन्दी" and "naïve" are one token each; punctuation,
#: symbols and emoji are dropped.
#: Scripts written without spaces (Chinese, Japanese, Thai) give one token per run: cut them
#: into pieces with BPE (chapter 11). Written in the regular-expression syntax of the
#: ``tokenizers`` library (Oniguruma), which :mod:`skipgram_lab.bpe` uses as is.
WORD_PATTERN = r"[\p{L}\p{N}][\p{L}\p{M}\p{N}\u200c\u200d]*(?:'[\p{L}\p{N}][\p{L}\p{M}\p{N}\u200c\u200d]*)*"

#: The "text8" policy. After the same normalisation, runs of the letters a-z only (text8's
#: alphabet: digits, apostrophes and other letters split words). For benchmarks against text8.
TEXT8_PATTERN = r"[a-z]+"

#: Policy name -> pattern, for the command line's ``--tokenizer``.
TOKENIZERS = {"words": WORD_PATTERN, "text8": TEXT8_PATTERN}

#: Longer tokens are cut to their first MAX_TOKEN_LENGTH characters (word2vec.c cuts at 100
#: bytes): a 50 MB run of one letter costs one 100-character token, not a 50 MB string.
MAX_TOKEN_LENGTH = 100


def describe_tokenizer(pattern=WORD_PATTERN) -> str:
    """One line saying which tokenization ``pattern`` is (printed by the command line)."""
    names = {WORD_PATTERN: "words (NFKC, lowercase; letters, marks and digits of any script, "
                           "inner apostrophes kept)",
             TEXT8_PATTERN: "text8 (NFKC, lowercase; runs of a-z only)"}
    return names.get(pattern, f"custom pattern {pattern!r} (NFKC, lowercase)")


@functools.cache
def _word_regex():
    """WORD_PATTERN for Python's ``re`` (which has no ``\\p{...}`` classes)."""
    marks, start = [], None  # combining marks live in planes 0, 1 and 14 only
    for cp in [*range(0x20000), *range(0xE0000, 0xE1000)]:
        is_mark = unicodedata.category(chr(cp))[0] == "M"
        if is_mark and start is None:
            start = cp
        elif not is_mark and start is not None:
            marks.append(f"{_escape(start)}-{_escape(cp - 1)}")
            start = None
    # [^\W_] is a letter or a digit (str.isalnum); marks and the two joiners are added.
    char = "(?:[^\\W_]|[" + "".join(marks) + "\\u200c\\u200d])"
    return re.compile(f"[^\\W_]{char}*(?:'[^\\W_]{char}*)*")


def _escape(cp):
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def _regex(pattern):
    if pattern == WORD_PATTERN:
        return _word_regex()
    return re.compile(pattern)


def normalize(text: str, *, lowercase: bool = True) -> str:
    """NFKC, then lowercase, then ’ -> ': the text the word pattern is matched against."""
    text = unicodedata.normalize("NFKC", text)
    if lowercase:
        text = text.lower()
    return text.replace("\u2019", "'")


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

    :func:`normalize` (NFKC, lowercase, one apostrophe), then every match of
    ``pattern`` is a token, cut to ``MAX_TOKEN_LENGTH`` characters. The
    default ``WORD_PATTERN`` is the "words" policy (see its comment);
    ``TEXT8_PATTERN`` keeps runs of a-z only.

    >>> tokenize("Word2vec can't; हिन्दी naïve!")
    ['word2vec', "can't", 'हिन्दी', 'naïve']

    Parameters
    ----------
    text : str
    lowercase : bool, default True
    pattern : str
        ``WORD_PATTERN``, ``TEXT8_PATTERN`` or a Python regular expression;
        each match is one token.

    Returns
    -------
    list of str
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got text={text!r}")
    tokens = _regex(pattern).findall(normalize(text, lowercase=lowercase))
    if tokens and max(map(len, tokens)) > MAX_TOKEN_LENGTH:
        tokens = [t[:MAX_TOKEN_LENGTH] for t in tokens]
    return tokens


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
    file is read in 1 MiB blocks (a line longer than a block is cut at a space),
    so neither a 100 MB corpus nor a 100 MB line sits in memory at once.

    Parameters
    ----------
    source : path or iterable of str
    lowercase, pattern
        As in :func:`tokenize`.
    max_sentence_length : int, default 10000

    Yields
    ------
    list of str

    Raises
    ------
    ValueError
        If the file is not UTF-8 text (a NUL byte anywhere, UTF-16, an invalid
        byte), naming the byte offset.
    """
    max_sentence_length = check_int("max_sentence_length", max_sentence_length, 1)
    if isinstance(source, (str, Path)):
        lines = read_text_lines(source)
    else:
        lines = source
    for line in lines:
        tokens = tokenize(line, lowercase=lowercase, pattern=pattern)
        for i in range(0, len(tokens), max_sentence_length):
            yield tokens[i : i + max_sentence_length]


def check_text_file(path) -> Path:
    """``path`` must be an existing regular file (not a folder, a FIFO or a device)."""
    import stat

    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise FileNotFoundError(f"source file not found: {str(path)!r}") from None
    if stat.S_ISDIR(mode):
        raise ValueError(f"{str(path)!r} is a directory, not a text file")
    if not stat.S_ISREG(mode):
        raise ValueError(f"{str(path)!r} is not a regular file (a FIFO, socket or device): "
                         "pass a text file")
    return path


def _utf16_hint(head: bytes) -> str | None:
    """The encoding if ``head`` looks like UTF-16 (a byte-order mark, or every other byte NUL)."""
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "UTF-16"
    if len(head) >= 8 and head[1::2].count(0) > 0.9 * len(head[1::2]):
        return "UTF-16-LE"
    if len(head) >= 8 and head[0::2].count(0) > 0.9 * len(head[0::2]):
        return "UTF-16-BE"
    return None


def read_text_lines(path, block: int = 1 << 20) -> Iterator[str]:
    """Yield the lines of a UTF-8 file, read in blocks of ``block`` bytes.

    A line with no newline for a whole block is cut at its last whitespace;
    a run with no whitespace at all for a whole block is one giant "word":
    its first ``MAX_TOKEN_LENGTH`` characters are kept and the rest skipped, so
    time and memory stay linear in the file size.

    Raises
    ------
    ValueError
        At the first NUL byte (a binary file), for UTF-16 text, or at the first
        byte that is not UTF-8, naming its offset in the file.
    """
    path = check_text_file(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0  # bytes of the file read before the current block
    tail, skipping = "", False
    with open(path, "rb") as f:
        while True:
            raw = f.read(block)
            if offset == 0:
                raw = raw.removeprefix(codecs.BOM_UTF8)
                encoding = _utf16_hint(raw[:4096])
                if encoding:
                    raise ValueError(
                        f"{str(path)!r} is {encoding} text, not UTF-8: convert it first, e.g. "
                        f"iconv -f {encoding} -t UTF-8 {str(path)!r} > corpus-utf8.txt")
            nul = raw.find(b"\x00")
            if nul >= 0:
                raise ValueError(f"{str(path)!r} holds a NUL byte at byte {offset + nul}: "
                                 "it is a binary file; pass a UTF-8 text file")
            pending = len(decoder.getstate()[0])  # bytes of a character cut by the last block
            try:
                text = decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as err:
                raise ValueError(f"{str(path)!r} is not UTF-8 text: byte {offset - pending + err.start} "
                                 f"is 0x{err.object[err.start]:02x}; convert the file to UTF-8") from None
            offset += len(raw)
            if not raw:
                break
            if skipping:  # inside a giant run: drop it up to the next whitespace
                rest = re.sub(r"^\S+", "", text, count=1)
                if not rest:
                    continue
                text, skipping = rest, False
            text = tail + text
            lines = text.split("\n")
            tail = lines.pop()
            for line in lines:
                yield line + "\n"
            if len(tail) > block:  # no newline for a whole block
                cut = max(tail.rfind(" "), tail.rfind("\t"))
                if cut > 0:
                    yield tail[:cut] + "\n"
                    tail = tail[cut + 1 :]
                else:  # no whitespace either: keep one token's worth, skip the rest of the run
                    yield tail[:MAX_TOKEN_LENGTH] + "\n"
                    tail, skipping = "", True
    if tail:
        yield tail + "\n"


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
            seen = set()
            twice = next(t for t in tokens if t in seen or seen.add(t))
            raise ValueError(f"tokens must be unique, got {twice!r} at ids {[i for i, t in enumerate(tokens) if t == twice][:5]}")
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
        """Tokens for a sequence of ids (each in ``[0, V)``)."""
        return [self.tokens[i] for i in check_ids("ids", np.asarray(ids).ravel(), len(self)).tolist()]

    def encode_sentences(self, sentences: Iterable[Iterable[str]]) -> list[np.ndarray]:
        """Encode each sentence; sentences left empty are dropped."""
        out = [self.encode(s) for s in sentences]
        return [s for s in out if len(s)]
