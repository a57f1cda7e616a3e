"""Planted-structure corpora: English-looking sentences whose answers we know.

A small probabilistic grammar writes sentences such as "yesterday the dog
walked in the field" or "paris is the capital of france". Because we wrote the
grammar, we know exactly which structure a model *could* find, and chapter 7
("What the vectors encode") asks which of it skip-gram does find.

>>> from skipgram_lab.synthetic import generate
>>> corpus = generate(2000, rng=0)
>>> corpus.sentences()[0]                                    # doctest: +SKIP
['the', 'flag', 'is', 'green', 'and', 'white']
>>> corpus.truth.groups["dog"], corpus.truth.morphology["walk"]
('animals', ('walk', 'walks', 'walked', 'walking'))
>>> sentences = corpus.encoded()                             # for the trainers, with corpus.vocab

The planted signals (``corpus.truth``):

- **groups** -- animals, foods, tools, places, colours, family, numbers,
  countries, capitals, languages, the verbs of each group and the adjective
  dimensions. Each group has its own frames (verbs, prepositions, cue words),
  so words of a group share contexts and words of different groups rarely do.
- **synonyms and antonyms** -- the adjectives of one dimension (size:
  big/large/small/little, ...) fill the *same* slots with equal probability,
  so big/large (synonyms) and big/small (antonyms) have the same expected
  contexts: no co-occurrence model can tell them apart.
- **morphology** -- nouns have a plural (dog/dogs), verbs four forms
  (walk/walks/walked/walking), built by the regular spelling rules, each
  form used in its own frames ("yesterday ... walked", "is walking").
- **analogies** -- relations as (a, b) pairs and all questions ``a1 b1 a2 b2``
  (questions-words style): capital-country, country-language, male-female,
  singular-plural, present participle-past, base-third person.
- **rare words** -- two per noun group (okapi, kumquat, ...) placed in exactly
  ``rare_count`` noun slots of their group (fewer only if the corpus is too small).
- **order only** -- a food chain, strongest first: bear, dog, fox, cat, hawk,
  snake, rat, frog. The three-token sentence "X VERB Y" ("bears chase foxes")
  always has X above Y in the chain. Its rows are all 28 pairs of the chain,
  equally likely, so every animal is in 7 of them and meets each other animal
  exactly as often: any relabelling of the chain leaves every windowed
  co-occurrence count unchanged in expectation, and a bag-of-window model has
  nothing to recover the chain from. A bigram model reads it off: "bears" is
  always before the verb, "frogs" always after. (Elsewhere the chain animals
  are ordinary animals.)
- **long range** -- the sentence "OPENER f1 ... f(gap-1) CLOSER": an opener
  (whenever, although, because, unless) fixes the closer (always, anyway,
  therefore, otherwise) exactly ``long_range_gap`` (default 12) positions
  later; the words between are filler drawn independently of the opener. With
  a window < gap the two never share a window, so skip-gram cannot link them.
- **filler** -- ``n_filler`` pseudo-words ("bavo", "kelin") with Zipfian
  frequencies (rank r has probability proportional to ``1 / r**zipf_exponent``),
  in filler-only sentences and in the middle of the long-range sentences.

Generation is vectorised (frames and slot fillers are drawn as arrays and
written straight into one id array), so 10M-token corpora take seconds and
never hold one Python string per token.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ._io import atomic_write
from ._validate import check_float, check_int, check_rng
from .corpus import Vocab

# ---- word lists and templates: package data (skipgram_lab/data/grammar.json) ------------------
# Each value is the text the grammar parses: words separated by spaces, rows of a table separated by
# commas. In a frame template {table.column} is a slot, {table.column@2} a second, independent draw
# from the same table, {F} one filler word; slots of one draw share the row (capital + country).
_DATA = json.loads(resources.files("skipgram_lab").joinpath("data/grammar.json").read_text("utf-8"))
NOUNS = _DATA["nouns"]
FOOD_CHAIN, ORDER_VERBS = _DATA["food_chain"], _DATA["order_verbs"]  # strongest first
VERBS = _DATA["verbs"]  # group -> verbs used with that group's nouns
COLOURS, NUMBERS = _DATA["colours"], _DATA["numbers"]
FAMILY, COUNTRIES = _DATA["family"], _DATA["countries"]
DIMENSIONS = _DATA["dimensions"]
SYNONYMS, ANTONYMS = _DATA["synonyms"], _DATA["antonyms"]
RARE = _DATA["rare"]
LONG_RANGE = _DATA["long_range"]
#: Category -> its sentence templates, one per line.
FRAMES = {cat: tuple(lines) for cat, lines in _DATA["frames"].items()}
#: Relative weight of each category of frames ("filler" gets ``filler_fraction`` of sentences).
CATEGORY_WEIGHTS = _DATA["category_weights"]
#: Analogy sections (questions-words names) -> (table, column of a, column of b).
RELATIONS = {name: tuple(v) for name, v in _DATA["relations"].items()}
MAX_FILLER = 100_000
_SLOT = re.compile(r"\{(\w+?)(?:\.(\w+))?(?:@(\d+))?\}")


# ---- spelling rules ---------------------------------------------------------------------------
def plural(noun: str) -> str:
    """Regular English plural: fox -> foxes, library -> libraries, dog -> dogs."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def verb_forms(base: str) -> tuple[str, str, str, str]:
    """(base, third person, past, present participle): bake -> bakes, baked, baking."""
    s3 = plural(base)
    past = base + "d" if base.endswith("e") else base + "ed"
    ing = base[:-1] + "ing" if base.endswith("e") and not base.endswith("ee") else base + "ing"
    return base, s3, past, ing


def filler_words(n: int, avoid=()) -> list[str]:
    """``n`` pronounceable pseudo-words, the same for every call (no randomness).

    Word ``j`` of a tier is syllable number ``(j * 7919) mod size`` of that tier
    (7919 is prime, so the map is one-to-one); the first 100 words have one
    syllable, the rest two, so frequent filler words are short, as in English.
    """
    n = check_int("n", n, 0)
    codas = ("", "n", "r", "l", "s")
    syllables = [o + v + c for o in "bdfghklmnprstvwz" for v in "aeiou" for c in codas]
    S = len(syllables)  # 400
    out, seen = [], set(avoid)
    for j in range(100 + S * S):
        if len(out) == n:
            break
        if j < 100:
            word = syllables[(j * 7919) % S]
        else:
            k = ((j - 100) * 7919) % (S * S)
            word = syllables[k // S] + syllables[k % S]
        if word not in seen:
            seen.add(word)
            out.append(word)
    if len(out) < n:
        raise ValueError(f"n must be <= {len(out)} (all the pseudo-words there are), got n={n}")
    return out


def _pairs(text):
    """"a b, c d" -> [("a", "b"), ("c", "d")]."""
    return [tuple(p.split()) for p in text.split(",")]


def _column(text):
    """"a b c" -> [("a",), ("b",), ("c",)]: rows of a one-column table."""
    return [(w,) for w in text.split()]


# ---- the grammar, parsed once -----------------------------------------------------------------
def _tables() -> dict:
    """Table name -> (column names, rows, group of each column or None)."""
    t = {name: (("sg", "pl"), [(n, plural(n)) for n in s.split()], (name, name))
         for name, s in NOUNS.items()}
    chain = [plural(n) for n in FOOD_CHAIN.split()]
    t["chain"] = (("agent", "patient"), [(a, b) for i, a in enumerate(chain) for b in chain[i + 1:]],
                  ("animals",) * 2)
    for name, group in zip(("av", "fv", "tv", "pv"), VERBS):
        t[name] = (("base", "s3", "past", "ing"), [verb_forms(v) for v in VERBS[group].split()],
                   (f"{group[:-1]}_verbs",) * 4)
    t["colours"] = (("word",), _column(COLOURS), ("colours",))
    t["numbers"] = (("word",), _column(NUMBERS), ("numbers",))
    t["fam"] = (("male", "female", "key"), _pairs(FAMILY), ("family", "family", None))
    t["c"] = (("country", "capital", "lang"), _pairs(COUNTRIES), ("countries", "capitals", "languages"))
    for dim, s in DIMENSIONS.items():
        t[dim] = (("word",), _column(s), (dim,))
    t["order_verbs"] = (("word",), _column(ORDER_VERBS), ("order_verbs",))
    t["lr"] = (("open", "close"), _pairs(LONG_RANGE), ("openers", "closers"))
    return t


@dataclass
class _Frame:
    length: int
    literal_pos: np.ndarray  # (n_literals,) positions of fixed words
    literal_ids: np.ndarray  # (n_literals,) their lexicon ids
    draws: list  # [(table, n_rows, [(position, column name), ...]), ...] one per independent draw
    filler_pos: np.ndarray  # positions of {F} slots


@dataclass
class _Grammar:
    lexicon: list  # every word the grammar can write; lexicon id = index
    alpha_rank: np.ndarray  # (L,) rank of each word in alphabetical order (ties in Vocab)
    tables: dict  # name -> {column: (n_rows,) lexicon ids}
    frames: list  # [_Frame]
    frame_category: list  # category of each frame
    rare: list  # [(table, (n_rare,) lexicon ids)]
    filler_ids: np.ndarray  # (n_filler,) lexicon ids, in Zipf rank order


@lru_cache(maxsize=8)
def _grammar(n_filler: int, gap: int) -> _Grammar:
    """Number every word (tables, rare words, literals, filler) and parse every template."""
    specs = _tables()
    lexicon, index = [], {}

    def add(word):
        if word not in index:
            index[word] = len(lexicon)
            lexicon.append(word)
        return index[word]

    tables = {name: {col: np.array([add(row[i]) for row in rows], np.int32)
                     for i, col in enumerate(cols)} for name, (cols, rows, _) in specs.items()}
    rare = [(name, np.array([add(w) for w in s.split()], np.int32)) for name, s in RARE.items()]
    content = set(lexicon)
    templates = [(cat, line) for cat, lines in FRAMES.items() for line in lines]
    templates.append(("long_range", "{lr.open} " + "{F} " * (gap - 1) + "{lr.close}"))
    frames = [_parse(line, tables, add, content) for _, line in templates]
    filler_ids = np.array([add(w) for w in filler_words(n_filler, avoid=list(index))], np.int32)
    alpha_rank = np.empty(len(lexicon), np.int64)
    alpha_rank[np.argsort(np.array(lexicon))] = np.arange(len(lexicon))
    return _Grammar(lexicon, alpha_rank, tables, frames, [c for c, _ in templates], rare, filler_ids)


def _parse(template, tables, add, content) -> _Frame:
    """One template -> positions of its literal words, its slots grouped by draw, its {F} slots."""
    literal_pos, literal_ids, filler_pos, draws = [], [], [], {}
    for pos, token in enumerate(template.split()):
        m = _SLOT.fullmatch(token)
        if m is None:
            if token in content:
                raise RuntimeError(f"literal {token!r} in {template!r} is also a slot word")
            literal_pos.append(pos)
            literal_ids.append(add(token))
        elif m[1] == "F":
            filler_pos.append(pos)
        else:
            column = m[2] or next(iter(tables[m[1]]))
            draws.setdefault((m[1], m[3]), []).append((pos, column))
    draws = [(table, len(next(iter(tables[table].values()))), slots) for (table, _), slots in draws.items()]
    return _Frame(len(template.split()), np.array(literal_pos, np.int64),
                  np.array(literal_ids, np.int32), draws, np.array(filler_pos, np.int64))


# ---- the ground truth -------------------------------------------------------------------------
@dataclass
class OrderSignal:
    """Who chases whom, carried only by word order ("bears chase foxes").

    Every sentence of this frame is exactly ``X verb Y`` with ``verb`` from
    ``verbs`` and X before Y in ``chain`` (plural nouns, strongest first); each
    of the ``len(chain) * (len(chain) - 1) / 2`` pairs is equally likely.
    """

    chain: list
    verbs: list


@dataclass
class LongRangeSignal:
    """Opener at position 0 fixes the closer at position ``gap`` of the same sentence.

    ``pairs`` lists (opener, closer); the ``gap - 1`` words between are
    filler drawn independently of the opener.
    """

    pairs: list
    gap: int


@dataclass
class GroundTruth:
    """What the grammar planted; every word listed here occurs in the corpus.

    Attributes
    ----------
    groups : dict of str -> str
        Content word -> group ("animals", "capitals", "animal_verbs", "size", ...).
    synonyms, antonyms : list of (str, str)
        Pairs of adjectives that fill the same slots.
    morphology : dict of str -> tuple of str
        Stem -> its forms: ``"dog": ("dog", "dogs")``,
        ``"walk": ("walk", "walks", "walked", "walking")``.
    relations : dict of str -> list of (str, str)
        Analogy section -> its (a, b) pairs, e.g. ``"family": [("king", "queen"), ...]``.
    analogies : dict of str -> list of (str, str, str, str)
        Section -> every question ``a1 b1 a2 b2`` from two distinct pairs of the relation.
    rare : list of str
        The rare words (``frequencies`` gives their counts).
    frequencies : dict of str -> int
        Corpus count of every word in ``groups``.
    order : OrderSignal
    long_range : LongRangeSignal
    filler : list of str
        Filler words in Zipf rank order (most frequent first) that occur in the corpus.
    """

    groups: dict
    synonyms: list
    antonyms: list
    morphology: dict
    relations: dict
    analogies: dict
    rare: list
    frequencies: dict
    order: OrderSignal
    long_range: LongRangeSignal
    filler: list

    def words(self, *groups) -> list[str]:
        """The words of the given groups (all grouped words if none are given)."""
        return [w for w, g in self.groups.items() if not groups or g in groups]

    def questions_words(self) -> str:
        """The analogies as a questions-words file: ``": section"`` lines, then ``a b c d`` lines."""
        lines = []
        for section, questions in self.analogies.items():
            lines.append(f": {section}")
            lines.extend(" ".join(q) for q in questions)
        return "\n".join(lines) + "\n"


def _ground_truth(g: _Grammar, vocab: Vocab, gap: int) -> GroundTruth:
    """The planted answers, keeping only what occurs in the corpus."""
    seen = vocab.index.__contains__

    def keep(pairs):
        return [p for p in pairs if all(map(seen, p))]

    specs = _tables()
    groups = {}
    for cols, rows, col_groups in specs.values():
        for row in rows:
            groups.update({w: grp for w, grp in zip(row, col_groups) if grp and seen(w)})
    groups.update({w: t for t, s in RARE.items() for w in s.split() if seen(w)})
    nouns = [(n, plural(n)) for s in NOUNS.values() for n in s.split()]
    verbs = [verb_forms(v) for s in VERBS.values() for v in s.split()]
    tables = {name: (cols, rows) for name, (cols, rows, _) in specs.items()}
    tables.update(nouns=(("sg", "pl"), nouns), verbs=(("base", "s3", "past", "ing"), verbs))
    relations = {}
    for section, (table, a, b) in RELATIONS.items():
        cols, rows = tables[table]
        relations[section] = keep([(row[cols.index(a)], row[cols.index(b)]) for row in rows])
    analogies = {s: [p + q for p in pairs for q in pairs if p != q] for s, pairs in relations.items()}
    morphology = {forms[0]: forms for forms in nouns + verbs if all(map(seen, forms))}
    return GroundTruth(
        groups=groups, synonyms=keep(_pairs(SYNONYMS)), antonyms=keep(_pairs(ANTONYMS)),
        morphology=morphology, relations=relations, analogies=analogies,
        rare=[w for s in RARE.values() for w in s.split() if seen(w)],
        frequencies={w: int(vocab.counts[vocab.index[w]]) for w in groups},
        order=OrderSignal([w for w in map(plural, FOOD_CHAIN.split()) if seen(w)],
                          [w for w in ORDER_VERBS.split() if seen(w)]),
        long_range=LongRangeSignal(keep(_pairs(LONG_RANGE)), gap),
        filler=[w for w in (g.lexicon[i] for i in g.filler_ids) if seen(w)],
    )


# ---- generation -------------------------------------------------------------------------------
@dataclass
class PlantedCorpus:
    """A generated corpus: one flat id array, sentence boundaries, vocabulary, ground truth.

    Attributes
    ----------
    ids : (N,) int32 ndarray
        All tokens, sentence after sentence, as ids of ``vocab``.
    offsets : (n_sentences + 1,) int64 ndarray
        Sentence ``i`` is ``ids[offsets[i]:offsets[i + 1]]``.
    vocab : Vocab
        Frequency-ordered with alphabetical ties, exactly as
        ``Vocab.from_sentences(corpus.sentences())`` would build it.
    truth : GroundTruth
    """

    ids: np.ndarray
    offsets: np.ndarray
    vocab: Vocab
    truth: GroundTruth

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def n_tokens(self) -> int:
        return int(self.offsets[-1])

    def encoded(self) -> list[np.ndarray]:
        """The sentences as int64 id arrays, the input of the trainers (with ``self.vocab``)."""
        return np.split(self.ids.astype(np.int64), self.offsets[1:-1])

    def sentences(self) -> list[list[str]]:
        """The sentences as lists of token strings (small corpora: one string per token)."""
        tokens = self.vocab.tokens
        return [[tokens[i] for i in s] for s in np.split(self.ids, self.offsets[1:-1])]

    def __repr__(self) -> str:
        return f"PlantedCorpus({len(self)} sentences, {self.n_tokens} tokens, V={len(self.vocab)})"


def generate(n_sentences, *, rng=None, n_filler=500, filler_fraction=0.2, zipf_exponent=1.0,
             rare_count=3, long_range_gap=12, frame_overlap=0.0) -> PlantedCorpus:
    """Sample a planted-structure corpus (chapter 7, "What the vectors encode").

    Each sentence first draws its frame: a filler frame with probability
    ``filler_fraction``, otherwise a content frame with the weight of its
    category (``CATEGORY_WEIGHTS``, spread evenly over the category's frames).
    Then every slot draws a row of its table uniformly, and every ``{F}`` a
    filler word of Zipf rank r with probability proportional to ``r**-zipf_exponent``.

    Parameters
    ----------
    n_sentences : int
        A few hundred for a toy chapter; sentences average about 6 tokens, so
        1.7M sentences make about 10M tokens.
    rng : Generator, int or None
        Same seed, same corpus, bit for bit.
    n_filler : int, default 500
        Number of filler word types (10_000-50_000 for a realistic Zipf tail; at most 100_000).
    filler_fraction : float in [0, 1], default 0.2
        Share of sentences made of filler words.
    zipf_exponent : float >= 0, default 1.0
    rare_count : int >= 0, default 3
        Occurrences of each rare word.
    long_range_gap : int >= 2, default 12
        Distance from an opener to its closer.
    frame_overlap : float in [0, 1), default 0.0
        Probability that a noun slot (animals, foods, tools, places) takes a noun of one of the
        *other* three noun groups (same form, group uniform, then row uniform) instead of its
        own. The groups' frames then overlap: a noun's company is ``1 - frame_overlap`` its own
        group's frames and ``frame_overlap`` the others', so the groups are harder to tell apart
        while ``truth`` stays the same. With 0 no random number is drawn for it, and the corpus
        is the same, bit for bit, as without the argument.

    Returns
    -------
    PlantedCorpus
    """
    n_sentences = check_int("n_sentences", n_sentences, 1)
    n_filler = check_int("n_filler", n_filler, 1)
    if n_filler > MAX_FILLER:
        raise ValueError(f"n_filler must be <= {MAX_FILLER}, got n_filler={n_filler}")
    filler_fraction = check_float("filler_fraction", filler_fraction, minimum=0.0, maximum=1.0)
    zipf_exponent = check_float("zipf_exponent", zipf_exponent, minimum=0.0)
    rare_count = check_int("rare_count", rare_count, 0)
    long_range_gap = check_int("long_range_gap", long_range_gap, 2)
    frame_overlap = check_float("frame_overlap", frame_overlap, minimum=0.0)
    if frame_overlap >= 1.0:
        raise ValueError(f"frame_overlap must be < 1 (a group must keep some of its own frames), "
                         f"got frame_overlap={frame_overlap}")
    rng = check_rng(rng)
    g = _grammar(n_filler, long_range_gap)
    filler_cdf = np.cumsum(np.arange(1, n_filler + 1, dtype=np.float64) ** -zipf_exponent)
    filler_cdf /= filler_cdf[-1]

    frame_of = rng.choice(len(g.frames), size=n_sentences, p=_frame_probabilities(g, filler_fraction))
    offsets = np.zeros(n_sentences + 1, np.int64)
    offsets[1:] = np.cumsum(np.array([f.length for f in g.frames])[frame_of])
    ids = np.empty(offsets[-1], np.int32)
    by_frame = np.argsort(frame_of, kind="stable")  # sentences grouped by frame, in corpus order
    bounds = np.searchsorted(frame_of[by_frame], np.arange(len(g.frames) + 1))
    for f, frame in enumerate(g.frames):
        rows = by_frame[bounds[f]:bounds[f + 1]]
        if len(rows):
            where = offsets[rows][:, None] + np.arange(frame.length)  # (m, L) token positions
            ids[where] = _fill(frame, len(rows), g, filler_cdf, rng, frame_overlap)
    _plant_rare(g, ids, rare_count, rng)
    vocab, ids = _frequency_order(g, ids)
    return PlantedCorpus(ids, offsets, vocab, _ground_truth(g, vocab, long_range_gap))


def _frame_probabilities(g: _Grammar, filler_fraction: float) -> np.ndarray:
    """(n_frames,) probability of each frame."""
    cats = g.frame_category
    n_in = {c: cats.count(c) for c in cats}
    content = np.array([0.0 if c == "filler" else CATEGORY_WEIGHTS[c] / n_in[c] for c in cats])
    filler = np.array([1.0 / n_in["filler"] if c == "filler" else 0.0 for c in cats])
    return (1 - filler_fraction) * content / content.sum() + filler_fraction * filler


def _fill(frame: _Frame, m: int, g: _Grammar, filler_cdf, rng, overlap=0.0) -> np.ndarray:
    """(m, L) lexicon ids for ``m`` sentences of one frame."""
    block = np.empty((m, frame.length), np.int32)
    block[:, frame.literal_pos] = frame.literal_ids
    for table, n_rows, slots in frame.draws:
        rows = rng.integers(0, n_rows, size=m)  # one row per sentence, shared by linked slots
        for pos, column in slots:
            block[:, pos] = g.tables[table][column][rows]
        if overlap and table in NOUNS:
            _overlap_nouns(block, table, slots, g, rng, overlap)
    if len(frame.filler_pos):
        u = rng.random((m, len(frame.filler_pos)))
        block[:, frame.filler_pos] = g.filler_ids[np.searchsorted(filler_cdf, u, side="right")]
    return block


def _overlap_nouns(block, table, slots, g: _Grammar, rng, overlap):
    """Refill a share ``overlap`` of the rows' noun slots with nouns of another noun group."""
    moved = np.flatnonzero(rng.random(len(block)) < overlap)  # sentences that borrow a noun
    others = [t for t in NOUNS if t != table]
    borrow = rng.integers(0, len(others), size=len(moved))  # which other group
    for k, other in enumerate(others):
        these = moved[borrow == k]
        rows = rng.integers(0, len(g.tables[other]["sg"]), size=len(these))
        for pos, column in slots:
            block[these, pos] = g.tables[other][column][rows]


def _plant_rare(g: _Grammar, ids, rare_count, rng):
    """Overwrite ``rare_count`` random singular-noun slots of each group with each rare word."""
    for table, rare_ids in g.rare:
        is_slot = np.zeros(len(g.lexicon), bool)
        is_slot[next(iter(g.tables[table].values()))] = True
        candidates = np.flatnonzero(is_slot[ids])
        per_word = min(rare_count, len(candidates) // len(rare_ids))
        if per_word:
            chosen = rng.choice(len(candidates), size=per_word * len(rare_ids), replace=False)
            ids[candidates[chosen]] = np.repeat(rare_ids, per_word)


def _frequency_order(g: _Grammar, ids):
    """Vocab of the words that occur (by count, ties alphabetical) and ``ids`` in its numbering."""
    counts = np.bincount(ids, minlength=len(g.lexicon))
    present = np.flatnonzero(counts)
    order = present[np.lexsort((g.alpha_rank[present], -counts[present]))]
    new_id = np.full(len(g.lexicon), -1, np.int32)
    new_id[order] = np.arange(len(order), dtype=np.int32)
    vocab = Vocab([g.lexicon[i] for i in order], counts[order])
    return vocab, new_id[ids]


def generate_ids(n_sentences, **kwargs):
    """:func:`generate`, returning only ``(ids, offsets, vocab)`` for the production trainer."""
    corpus = generate(n_sentences, **kwargs)
    return corpus.ids, corpus.offsets, corpus.vocab


def write_text(corpus: PlantedCorpus, path, *, chunk_sentences=100_000) -> Path:
    """Write one sentence per line, tokens separated by spaces (chapter 2's input format).

    Written ``chunk_sentences`` at a time to a temporary file that is renamed
    onto ``path`` at the end, so a 10M-token corpus never becomes one string
    and an interrupted write leaves no half file.
    ``corpus.read_sentences(path)`` gives back ``corpus.sentences()``.
    """
    chunk_sentences = check_int("chunk_sentences", chunk_sentences, 1)
    path = Path(path)
    V = len(corpus.vocab)
    pieces = np.array([t + " " for t in corpus.vocab.tokens] + [t + "\n" for t in corpus.vocab.tokens],
                      dtype=object)  # id -> "token " ; id + V -> "token\n" (last of its sentence)
    with atomic_write(path, "w") as f:
        for a in range(0, len(corpus), chunk_sentences):
            b = min(a + chunk_sentences, len(corpus))
            start, ends = corpus.offsets[a], corpus.offsets[a + 1:b + 1]
            chunk = corpus.ids[start:ends[-1]].astype(np.int64)
            chunk[ends - 1 - start] += V
            f.write("".join(pieces[chunk].tolist()))
    return path
