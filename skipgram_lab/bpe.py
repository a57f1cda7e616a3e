"""Byte-pair encoding (BPE) pieces for skip-gram, with the ``tokenizers`` library.

Chapter 11 ("BPE and skip-gram") trains skip-gram on BPE pieces instead of
words; chapter 2 ("From text to token ids") shows a word cut into pieces.

>>> from skipgram_lab import bpe
>>> from skipgram_lab.corpus import toy_corpus
>>> tokenizer = bpe.train(toy_corpus(), vocab_size=150)
>>> bpe.pieces(tokenizer, "dogs"), bpe.pieces(tokenizer, "barking")   # never seen whole
(['▁dog', 's'], ['▁bark', 'in', 'g'])
>>> sentences, vocab = bpe.encode(tokenizer, toy_corpus())
>>> bpe.decode(tokenizer, sentences[0])
'the dog fetched the ball'

``sentences`` and ``vocab`` go to the trainers unchanged
(``teaching.train_negative_sampling(sentences, vocab, ...)``), and
:func:`word_vectors` turns the trained piece vectors back into word vectors,
so the BPE model answers the same word-level questions as a word model.

Conventions
-----------
- **Words** are those of :func:`skipgram_lab.corpus.tokenize`: the normalizer
  applies NFKC, lowercases and writes ’ as ', the pre-tokenizer keeps the
  words of ``WORD_PATTERN`` (letters, marks and digits of any script, inner
  apostrophes) and drops punctuation, symbols and whitespace.
- **Word starts are marked**: every word gets a leading ``▁`` (U+2581, the
  mark SentencePiece uses), so the first piece of a word starts with ``▁`` and
  a piece without it continues a word. "walk" is ``▁walk`` and "walked"
  ``▁walk ed``: the stem piece of the inflected word is the token of the bare
  word. (The library's ``continuing_subword_prefix="##"`` and
  ``end_of_word_suffix`` options are not used: in tokenizers 0.23 they number
  the marked alphabet in hash-map order, so two trainings on the same text give
  different ids and even different merges, huggingface/tokenizers#1794.
  ``▁`` is an ordinary character, and training is deterministic.)
- **Ids** are the tokenizer's own: row ``i`` of E belongs to piece ``i``. The
  :class:`~skipgram_lab.corpus.Vocab` lists the pieces in that order (the
  alphabet, then one piece per merge in the order learned), *not* by
  frequency; its counts are how often each piece occurs in the encoded
  corpus (0 for a piece only used on the way to a longer merge).
- A character never seen in training has no piece: :func:`encode` drops it
  (as ``Vocab.encode`` drops unknown words), :func:`word_vectors` refuses it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

from ._io import temporary_beside
from ._validate import check_choice, check_ids, check_int
from .corpus import WORD_PATTERN, Vocab, tokenize

WORD_START = "\u2581"  # "▁"

#: Largest ``vocab_size`` :func:`train` accepts. The library reserves room for vocab_size pieces
#: before it reads a text (10**8 took 170 MB, 10**9 aborted the Python process from Rust);
#: real BPE vocabularies have 10**3 to 10**6 pieces.
MAX_VOCAB_SIZE = 10**7


def _new_tokenizer() -> Tokenizer:
    """An untrained BPE tokenizer with this module's normalizer, pre-tokenizer and decoder."""
    tokenizer = Tokenizer(models.BPE())
    # The normalisation of corpus.normalize: NFKC, lowercase, the typographic apostrophe as '.
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase(),
                                                 normalizers.Replace("\u2019", "'")])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(WORD_PATTERN), behavior="removed", invert=True),
        pre_tokenizers.Metaspace(replacement=WORD_START, prepend_scheme="always", split=True),
    ])
    tokenizer.decoder = decoders.Metaspace(replacement=WORD_START, prepend_scheme="always", split=True)
    return tokenizer


def _check_texts(texts):
    if isinstance(texts, str):
        raise ValueError(
            f"texts must be a list of texts, got the str texts={texts!r:.40}: wrap it in a list"
        )
    return texts


def _as_text(item) -> str:
    """A text, or a list of tokens joined by spaces."""
    if isinstance(item, str):
        return item
    if isinstance(item, (list, tuple)) and all(isinstance(t, str) for t in item):
        return " ".join(item)
    raise ValueError(f"texts must hold strings or lists of token strings, got {item!r:.60}")


def train(texts, *, vocab_size=2000, min_frequency=2) -> Tokenizer:
    """Learn BPE merges from ``texts`` until there are ``vocab_size`` pieces.

    Deterministic: the same texts give the same merges and ids in every run.

    Parameters
    ----------
    texts : iterable of str or of lists of str
        Lines of text, or tokenised sentences; read once (a generator is fine).
    vocab_size : int
        Pieces wanted, counting the alphabet (every character seen, and ``▁``).
    min_frequency : int, default 2
        A pair seen fewer times is never merged.

    Returns
    -------
    tokenizers.Tokenizer

    Raises
    ------
    ValueError
        If ``texts`` holds no word, or ``vocab_size`` is smaller than the alphabet.
    """
    vocab_size = check_int("vocab_size", vocab_size, 2)
    if vocab_size > MAX_VOCAB_SIZE:
        raise ValueError(f"vocab_size must be <= {MAX_VOCAB_SIZE:,} (the library reserves memory for "
                         f"every piece up front), got vocab_size={vocab_size:,}")
    min_frequency = check_int("min_frequency", min_frequency, 0)
    found = []

    def stream():
        for item in _check_texts(texts):
            text = _as_text(item)
            if not found and tokenize(text):
                found.append(True)
            yield text

    tokenizer = _new_tokenizer()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                  special_tokens=[], show_progress=False)
    tokenizer.train_from_iterator(stream(), trainer)
    if not found:
        raise ValueError("texts is empty: there is no word (see corpus.WORD_PATTERN) to learn pieces from")
    alphabet = tokenizer.get_vocab_size()
    if alphabet > vocab_size:  # the trainer keeps every character even past vocab_size
        raise ValueError(
            f"vocab_size must be >= {alphabet} for these texts (each of their characters and the "
            f"word-start mark {WORD_START} is a piece), got vocab_size={vocab_size}"
        )
    return tokenizer


def piece_tokens(tokenizer: Tokenizer) -> list[str]:
    """All pieces in id order: ``piece_tokens(tokenizer)[i]`` is the piece with id ``i``."""
    vocab = tokenizer.get_vocab()
    return sorted(vocab, key=vocab.__getitem__)


def encode(tokenizer: Tokenizer, texts):
    """Encode a corpus into piece ids, with the Vocab the trainers need.

    Parameters
    ----------
    tokenizer : tokenizers.Tokenizer
        From :func:`train` or :func:`load`.
    texts : iterable of str or of lists of str

    Returns
    -------
    sentences : list of (n_i,) int64 ndarrays
        One per text; texts with no known piece are dropped (as ``Vocab.encode_sentences`` does).
    vocab : Vocab
        Pieces in tokenizer id order; ``vocab.counts[i]`` = occurrences of piece ``i`` in ``sentences``.
    """
    batch = [_as_text(item) for item in _check_texts(texts)]
    sentences = [np.array(e.ids, dtype=np.int64) for e in tokenizer.encode_batch_fast(batch)]
    sentences = [s for s in sentences if len(s)]
    if not sentences:
        raise ValueError(f"texts is empty: {len(batch)} texts hold no piece of this tokenizer")
    V = tokenizer.get_vocab_size()
    counts = np.bincount(np.concatenate(sentences), minlength=V)
    return sentences, Vocab(piece_tokens(tokenizer), counts)


def decode(tokenizer: Tokenizer, ids) -> str:
    """Piece ids back to text: words separated by single spaces, lowercase."""
    ids = check_ids("ids", ids, tokenizer.get_vocab_size()).ravel()
    return tokenizer.decode(ids.tolist())


def pieces(tokenizer: Tokenizer, word: str) -> list[str]:
    """The pieces of one word, e.g. ``["▁walk", "ed"]`` (chapter 2).

    Raises
    ------
    ValueError
        If ``word`` is not exactly one word, or has a character the tokenizer never saw.
    """
    return _word_encoding(tokenizer, word).tokens


def _word_encoding(tokenizer: Tokenizer, word):
    words = tokenize(word) if isinstance(word, str) else None
    if words is None or len(words) != 1:
        raise ValueError(f"word must be one word (one run of letters), got word={word!r}")
    encoding = tokenizer.encode(word)
    spelled = "".join(encoding.tokens)
    if spelled != WORD_START + words[0]:
        missing = sorted(set(words[0]) - set(spelled))
        raise ValueError(
            f"word {word!r} has characters the tokenizer never saw in training: {missing}; "
            "train on texts that contain them"
        )
    return encoding


def word_vectors(embeddings, tokenizer: Tokenizer, words, which="E") -> np.ndarray:
    """Word vectors from a piece model: the mean of each word's piece vectors (chapter 11).

    A word never seen whole still gets a vector from its pieces ("barking" =
    mean of ``▁bark``, ``in``, ``g``), so a BPE model and a word model can be
    scored on the same word-level questions.

    Parameters
    ----------
    embeddings : Embeddings
        Trained on ids of ``tokenizer`` (one row per piece).
    tokenizer : tokenizers.Tokenizer
    words : sequence of str
    which : {"E", "O", "E+O"}

    Returns
    -------
    (len(words), d) float ndarray
        Row ``j`` is ``mean(M[pieces of words[j]])`` with ``M = embeddings.matrix(which)``.
    """
    check_choice("which", which, ("E", "O", "E+O"))
    M = embeddings.matrix(which)
    V = tokenizer.get_vocab_size()
    if M.shape[0] != V:
        raise ValueError(
            f"embeddings has {M.shape[0]} rows but the tokenizer has {V} pieces: "
            "pass the embeddings trained on this tokenizer's ids"
        )
    if isinstance(words, str):
        raise ValueError(
            f"words must be a list of words, got the str words={words!r}: wrap it in a list"
        )
    out = np.empty((len(words), M.shape[1]), dtype=M.dtype)
    for j, word in enumerate(words):
        out[j] = M[_word_encoding(tokenizer, word).ids].mean(axis=0)
    return out


def save(tokenizer: Tokenizer, path) -> Path:
    """Write the tokenizer as JSON (the library's format), atomically: no half file on failure."""
    path = Path(path)
    with temporary_beside(path) as tmp:
        tokenizer.save(str(tmp))
        os.replace(tmp, path)
    return path


def load(path) -> Tokenizer:
    """Read a tokenizer written by :func:`save`."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"tokenizer file not found: {str(path)!r}")
    try:
        return Tokenizer.from_file(str(path))
    except Exception as err:  # the library raises a bare Exception for a malformed file
        raise ValueError(f"{str(path)!r} is not a tokenizer file written by bpe.save ({err})") from None
