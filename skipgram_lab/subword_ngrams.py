"""A word as the mean of its character n-grams: skip-gram with subword information (fastText).

Bojanowski et al. (2017) give each word w a set G_w: the word itself plus the
character n-grams of ``"<" + w + ">"`` (n from 3 to 6; ``<`` and ``>`` mark
the word's start and end, so the ``ing>`` of *walking* differs from the
``ing`` inside *kingdom*). The input vector of w is built from the rows Z_g of
its n-grams (chapter 17, eq. ``sub-input``)::

    h_w = (1 / |G_w|) sum_{g in G_w} Z_g

The paper writes the sum; fastText and gensim use the mean, as here (the mean
keeps h at the scale of one row whatever the word's length). Everything else is
skip-gram with negative sampling with h_w in place of E[w], so the gradient of a
pair's loss with respect to each of the word's rows is the gradient with respect
to h shared out equally (eq. ``sub-grad``)::

    dL/dZ_g = (1 / |G_w|) dL/dh_w        for every g in G_w

gensim's FastText adds the whole of dL/dh to every row instead (its input
rows learn ``|G_w|`` times faster than the gradient says; eq. ``sub-gensim``)::

    Z_g <- Z_g - lr dL/dh_w            for every g in G_w

``input_update="gensim"`` trains with that rule, ``"gradient"`` (the default)
with eq. ``sub-grad``. (In training, gensim's forward pass also divides the sum
of the word's row and its n-gram rows by the number of n-grams, not by
``|G_w|``, and counts a repeated n-gram each time; the vectors it returns after
training are the plain mean. See ``fasttext_fast_sentence_sg_neg`` in gensim
4.4's ``fasttext_inner.pyx``.) gensim's rule is eq. ``sub-grad`` with an input
learning rate ``|G_w|`` times larger for each word, so comparing the two rules
at one lr compares step sizes.

A word never seen in training still has n-grams: its vector is the mean of the
rows of those n-grams that training saw. fastText hashes n-grams into 2M
buckets to bound memory; here every n-gram of the training vocabulary has its
own row (a small corpus has few), and an unseen n-gram is skipped.

>>> from skipgram_lab.subword_ngrams import char_ngrams
>>> char_ngrams("walked", 3, 4)
['<wa', 'wal', 'alk', 'lke', 'ked', 'ed>', '<wal', 'walk', 'alke', 'lked', 'ked>']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import check_choice, check_int, check_matrix, check_rng, check_sentences, check_vector
from .embeddings import Embeddings
from .negative_sampling import TrainingDiverged
from .negative_sampling import loss_and_grad as ns_loss_and_grad
from .noise import NoiseSampler
from .pairs import keep_probability, skipgram_pairs, subsample as subsample_sentences
from .scatter import ns_batch_loss_and_grad, scatter_add
from .training import check_hyperparameters, init_vectors, linear_lr


def char_ngrams(word, n_min=3, n_max=6):
    """The character n-grams of ``"<" + word + ">"``, shortest first, in reading order (eq. ``sub-ngrams``).

    The whole bracketed word is left out (the word has its own row).

    Parameters
    ----------
    word : str
    n_min, n_max : int, 1 <= n_min <= n_max

    Returns
    -------
    list of str
    """
    if not isinstance(word, str) or not word:
        raise ValueError(f"word must be a non-empty string, got word={word!r}")
    n_min = check_int("n_min", n_min, 1)
    n_max = check_int("n_max", n_max, n_min)
    marked = f"<{word}>"
    return [marked[i:i + n] for n in range(n_min, n_max + 1)
            for i in range(len(marked) - n + 1) if n < len(marked)]


@dataclass
class NgramTable:
    """Which rows of Z make each word: the word's own row, then its n-grams' rows.

    Attributes
    ----------
    vocab : Vocab
        The words; word i has row i of Z.
    ngrams : list of str
        n-gram j has row ``V + j`` of Z.
    rows : (V, G) int64 ndarray
        Row ids of each word's pieces, padded with 0.
    weight : (V, G) float64 ndarray
        ``1 / |G_w|`` for a real piece, 0 for padding.
    n_min, n_max : int
        The n-gram lengths; ``n_max = 0`` means words only (the plain word model).
    """

    vocab: object
    ngrams: list
    rows: np.ndarray
    weight: np.ndarray
    n_min: int
    n_max: int

    @property
    def n_rows(self):
        """The number of rows of Z (V words plus the n-grams)."""
        return len(self.vocab) + len(self.ngrams)

    def pieces(self, word):
        """Row ids for any word: its own row if known, then the known rows of its distinct n-grams.

        An n-gram that occurs twice in the word (``ana`` in *banana*) counts once,
        as in the table the trainer uses.
        """
        own = [self.vocab.index[word]] if word in self.vocab.index else []
        if not self.n_max:
            return own
        index = self._ngram_index()
        return own + [len(self.vocab) + index[g]
                      for g in dict.fromkeys(char_ngrams(word, self.n_min, self.n_max)) if g in index]

    def _ngram_index(self):
        if not hasattr(self, "_index"):
            self._index = {g: j for j, g in enumerate(self.ngrams)}
        return self._index


def ngram_table(vocab, n_min=3, n_max=6):
    """The n-grams of every vocabulary word and the padded row table (eq. ``sub-input``).

    Parameters
    ----------
    vocab : Vocab
    n_min, n_max : int
        n-gram lengths; ``n_max=0`` gives each word its own row only (the word model).

    Returns
    -------
    NgramTable
    """
    n_max = check_int("n_max", n_max, 0)
    n_min = check_int("n_min", n_min, 1)
    if n_max and n_max < n_min:
        raise ValueError(f"n_max must be 0 (words only) or >= n_min={n_min}, got n_max={n_max}")
    index, per_word = {}, []
    for word in vocab.tokens:
        grams = char_ngrams(word, n_min, n_max) if n_max else []
        per_word.append([index.setdefault(g, len(index)) for g in dict.fromkeys(grams)])
    V = len(vocab)
    G = 1 + max(map(len, per_word))
    rows = np.zeros((V, G), np.int64)
    weight = np.zeros((V, G))
    for w, grams in enumerate(per_word):
        rows[w, :1 + len(grams)] = [w] + [V + j for j in grams]
        weight[w, :1 + len(grams)] = 1.0 / (1 + len(grams))
    return NgramTable(vocab, list(index), rows, weight, n_min, n_max)


def loss_and_grad(Z_w, o_c, O_neg):
    """SGNS loss of one pair whose input is the mean of the rows ``Z_w``, and its gradients.

    Implements eqs. ``sub-input`` and ``sub-grad`` of chapter 17 (with
    eq. ``ns-loss`` of chapter 4 for the loss of ``h = Z_w.mean(0)``).

    Parameters
    ----------
    Z_w : (G, d) float ndarray
        The rows of the word's pieces (its own row and its n-grams).
    o_c : (d,) float ndarray
    O_neg : (K, d) float ndarray

    Returns
    -------
    loss : float
    grad_Z_w : (G, d) ndarray
        Every row gets ``dL/dh / G``.
    grad_o_c : (d,) ndarray
    grad_O_neg : (K, d) ndarray
    """
    Z_w = check_matrix("Z_w", Z_w)
    if len(Z_w) == 0:
        raise ValueError("Z_w must hold at least one row (a word with no known piece has no vector)")
    o_c = check_vector("o_c", o_c, Z_w.shape[1])
    O_neg = check_matrix("O_neg", np.reshape(O_neg, (-1, Z_w.shape[1])), Z_w.shape[1])
    h = Z_w.mean(axis=0)  # (d,)
    loss, grad_h, grad_o_c, grad_O_neg = ns_loss_and_grad(h, o_c, O_neg)
    grad_Z_w = np.broadcast_to(grad_h / len(Z_w), Z_w.shape).copy()  # (G, d)
    return loss, grad_Z_w, grad_o_c, grad_O_neg


#: The two rules for moving the rows of the center's pieces. ``"gradient"`` gives each row
#: ``dL/dh / |G_w|`` (eq. ``sub-grad``), ``"gensim"`` gives each the whole ``dL/dh``
#: (eq. ``sub-gensim``, what gensim's FastText adds).
INPUT_UPDATES = ("gradient", "gensim")


def subword_pairs_step(Z, O, table, w, c, negatives, lr, input_update="gradient"):
    """One SGD step on B pairs: inputs built from n-gram rows, K noise ids per pair.

    The gradients of the summed loss at the old values (eq. ``sub-grad``), added
    with :func:`~skipgram_lab.scatter.scatter_add`. The batch's pairs are first
    summed per distinct center, so each center's pieces are gathered and
    scattered once, however many pairs it has in the batch.

    Parameters
    ----------
    Z : (V + n_ngrams, d) ndarray, updated in place
    O : (V, d) ndarray, updated in place
    table : NgramTable
    w, c : (B,) int ndarrays
        Center (input) and context word ids.
    negatives : (B, K) int ndarray
    lr : float
    input_update : {"gradient", "gensim"}
        ``"gensim"`` adds ``-lr dL/dh`` to every piece row instead of its share
        ``-lr dL/dh / |G_w|`` (eq. ``sub-gensim``).

    Returns
    -------
    float
        The summed loss of the batch.
    """
    check_choice("input_update", input_update, INPUT_UPDATES)
    centers, inverse = np.unique(w, return_inverse=True)  # (U,), (B,)
    rows, weight = table.rows[centers], table.weight[centers].astype(Z.dtype)  # (U, G) each
    h = np.einsum("ug,ugd->ud", weight, Z[rows])[inverse]  # (B, d) eq. sub-input
    T = np.concatenate([c[:, None], negatives], axis=1)  # (B, 1+K)
    on = (T != c[:, None]).astype(Z.dtype)
    on[:, 0] = 1.0
    loss, grad_h, grad_O_T = ns_batch_loss_and_grad(h, O[T], on)
    if not np.isfinite(loss):
        raise TrainingDiverged(f"non-finite loss with lr={lr}")  # + the hint
    grad_h_u = np.zeros((len(centers), Z.shape[1]), Z.dtype)  # (U, d) summed per center
    scatter_add(grad_h_u, inverse, grad_h)
    real = weight > 0  # padding is left out
    share = weight[real] if input_update == "gradient" else np.ones(real.sum(), Z.dtype)
    grad_rows = share[:, None] * grad_h_u[np.nonzero(real)[0]]  # (pieces, d) eq. sub-grad
    scatter_add(Z, rows[real], -lr * grad_rows)
    scatter_add(O, T.ravel(), -lr * grad_O_T.reshape(-1, Z.shape[1]))
    return loss


@dataclass
class SubwordModel:
    """A trained subword model: the rows of Z (words and n-grams), O, the table, the losses.

    Attributes
    ----------
    Z : (V + n_ngrams, d) ndarray
    O : (V, d) ndarray
    table : NgramTable
    history : dict
        ``loss`` (mean per pair) and ``pairs`` for each epoch.
    """

    Z: np.ndarray
    O: np.ndarray
    table: NgramTable
    history: dict

    def vectors(self, words):
        """(n, d) h_w of any words, seen or not (:func:`word_vectors`)."""
        return word_vectors(self.Z, self.table, words)

    @property
    def embeddings(self):
        """The vocabulary's h_w (as E) and O, as an :class:`~skipgram_lab.embeddings.Embeddings`."""
        E = self.vectors(self.table.vocab.tokens).astype(self.O.dtype)
        return Embeddings(E, self.O, self.table.vocab)


def train_subword(sentences, table, *, dim=100, window=5, negatives=5, lr=0.025, min_lr=0.0001,
                  epochs=5, noise_power=0.75, subsample=None, dynamic_window=True, batch_size=256,
                  input_update="gradient", rng=None, dtype=np.float32):
    """Skip-gram with character n-grams (fastText's model, the book's roles), minibatch SGD.

    The center's input is built from its n-gram rows of Z, the context has its
    own row of O. With ``ngram_table(vocab, n_max=0)`` every word is one row and
    this is plain skip-gram with negative sampling (noise per pair).

    Parameters
    ----------
    sentences : list of (n_i,) int ndarrays
        Encoded with ``table.vocab``.
    table : NgramTable
    dim, window, negatives, lr, min_lr, epochs, noise_power, subsample, dynamic_window
        As in :func:`skipgram_lab.vectorized.train_vectorized`; lr falls
        linearly with the share of pairs done (``min_lr=None``: constant).
    batch_size : int
    input_update : {"gradient", "gensim"}
        Each piece row gets its share of ``dL/dh`` (the gradient, default) or
        the whole of it (gensim's FastText); see :func:`subword_pairs_step`.
    rng : Generator, int or None
    dtype : float32 (default) or float64

    Returns
    -------
    SubwordModel
    """
    if not isinstance(table, NgramTable):
        raise ValueError(f"table must be an NgramTable (from ngram_table), got {type(table).__name__}")
    check_hyperparameters(dim=dim, window=window, lr=lr, epochs=epochs, min_lr=min_lr,
                          negatives=negatives, noise_power=noise_power, subsample=subsample)
    batch_size = check_int("batch_size", batch_size, 1)
    check_choice("input_update", input_update, INPUT_UPDATES)
    vocab = table.vocab
    sentences = check_sentences("sentences", sentences, len(vocab))
    rng = check_rng(rng)
    dtype = np.dtype(dtype)
    Z, _ = init_vectors(table.n_rows, dim, rng, dtype)
    O = np.zeros((len(vocab), dim), dtype)
    sampler = NoiseSampler.from_counts(vocab.counts, noise_power)
    keep = keep_probability(vocab.counts, subsample) if subsample else None
    history = {"loss": [], "pairs": []}
    for epoch in range(epochs):
        part = subsample_sentences(sentences, keep, rng) if keep is not None else sentences
        pairs = skipgram_pairs(part, window, dynamic=dynamic_window, rng=rng)  # (P, 2)
        pairs = pairs[rng.permutation(len(pairs))]
        noise = sampler.draw(rng, (len(pairs), negatives))  # (P, K)
        total = 0.0
        for i in range(0, len(pairs), batch_size):
            lr_t = linear_lr(lr, min_lr, (epoch + i / max(len(pairs), 1)) / epochs)
            total += subword_pairs_step(Z, O, table, pairs[i:i + batch_size, 0],
                                        pairs[i:i + batch_size, 1], noise[i:i + batch_size], lr_t,
                                        input_update)
        history["loss"].append(total / max(len(pairs), 1))
        history["pairs"].append(len(pairs))
    return SubwordModel(Z, O, table, history)


def word_vectors(Z, table, words):
    """h_w for any words (eq. ``sub-input``): seen words use their own row and n-grams,
    unseen ones their known n-grams; a word with none gets a zero row.

    Parameters
    ----------
    Z : (V + n_ngrams, d) ndarray
    table : NgramTable
    words : sequence of str

    Returns
    -------
    (len(words), d) float64 ndarray
    """
    Z = check_matrix("Z", Z)
    if len(Z) != table.n_rows:
        raise ValueError(f"Z must have table.n_rows={table.n_rows} rows, got Z.shape={Z.shape}")
    out = np.zeros((len(words), Z.shape[1]))
    for i, word in enumerate(words):
        rows = table.pieces(word)
        if rows:
            out[i] = Z[rows].mean(axis=0)
    return out

