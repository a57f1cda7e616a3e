"""The planted-structure corpus: determinism, ground truth, signals, speed, and that groups cluster."""

import time
from collections import Counter

import numpy as np
import pytest

from skipgram_lab.corpus import Vocab, read_sentences
from skipgram_lab.pairs import cooccurrence_counts
from skipgram_lab.synthetic import (
    CATEGORY_WEIGHTS, FRAMES, filler_words, generate, generate_ids, plural, verb_forms, write_text,
)
from skipgram_lab.teaching import train_negative_sampling

NOUN_GROUPS = ("animals", "foods", "tools", "places", "colours", "family", "numbers",
               "countries", "capitals", "languages")


@pytest.fixture(scope="module")
def corpus():
    return generate(5000, rng=0, n_filler=200)


def neighbour_pairs(corpus, word):
    """Set of (left word, right word) around each occurrence of ``word`` ("" at a sentence edge)."""
    out = set()
    for s in corpus.sentences():
        padded = [""] + s + [""]
        out.update((padded[i - 1], padded[i + 1])
                   for i in range(1, len(padded) - 1) if padded[i] == word)
    return out


# ---- exact: determinism, spelling, bookkeeping ---------------------------------------------------
def test_same_seed_same_corpus_and_different_seed_differs():
    a, b, c = generate(400, rng=7), generate(400, rng=7), generate(400, rng=8)
    np.testing.assert_array_equal(a.ids, b.ids)
    np.testing.assert_array_equal(a.offsets, b.offsets)
    assert a.vocab.tokens == b.vocab.tokens and a.truth == b.truth
    assert a.sentences() != c.sentences()
    gen = np.random.default_rng(3)
    assert generate(50, rng=gen).sentences() != generate(50, rng=gen).sentences()  # the stream moves on


def test_spelling_rules_and_filler_words_are_fixed():
    assert [plural(w) for w in ("dog", "fox", "peach", "library", "brush")] == [
        "dogs", "foxes", "peaches", "libraries", "brushes"]
    assert verb_forms("bake") == ("bake", "bakes", "baked", "baking")
    assert verb_forms("reach") == ("reach", "reaches", "reached", "reaching")
    assert verb_forms("play") == ("play", "plays", "played", "playing")
    words = filler_words(3000, avoid=["ba"])
    assert words == filler_words(3000, avoid=["ba"]) and len(set(words)) == 3000
    assert "ba" not in words and all(w.isalpha() and w.islower() for w in words)


def test_vocab_is_the_one_from_sentences_and_ids_match(corpus):
    sentences = corpus.sentences()
    expected = Vocab.from_sentences(sentences)
    assert corpus.vocab.tokens == expected.tokens
    np.testing.assert_array_equal(corpus.vocab.counts, expected.counts)
    encoded = corpus.encoded()
    assert len(encoded) == len(corpus) == 5000 and sum(map(len, encoded)) == corpus.n_tokens
    for s, ids in zip(sentences[:50], encoded[:50]):
        np.testing.assert_array_equal(corpus.vocab.encode(s), ids)
    ids, offsets, vocab = generate_ids(300, rng=1)
    assert ids.dtype == np.int32 and offsets[-1] == len(ids)
    assert vocab.tokens == generate(300, rng=1).vocab.tokens


def test_write_text_round_trips_through_read_sentences(tmp_path, corpus):
    path = write_text(corpus, tmp_path / "planted.txt", chunk_sentences=777)
    assert list(read_sentences(path)) == corpus.sentences()
    assert [p.name for p in tmp_path.iterdir()] == ["planted.txt"]  # no temporary left behind


# ---- ground truth: every answer is in the corpus as documented -----------------------------------
def test_every_truth_word_occurs_with_its_recorded_count(corpus):
    truth = corpus.truth
    counts = dict(zip(corpus.vocab.tokens, corpus.vocab.counts.tolist()))
    assert set(truth.groups) == set(truth.frequencies)
    assert all(counts[w] == n > 0 for w, n in truth.frequencies.items())
    pair_lists = (truth.synonyms, truth.antonyms, *truth.relations.values())
    listed = [w for pairs in pair_lists for p in pairs for w in p]
    listed += [w for forms in truth.morphology.values() for w in forms] + truth.rare + truth.filler
    listed += truth.order.chain + truth.order.verbs
    listed += [w for p in truth.long_range.pairs for w in p]
    assert set(listed) <= set(counts)
    assert set(NOUN_GROUPS) <= set(truth.groups.values())
    assert len(truth.synonyms) == 8 and len(truth.antonyms) == 10 and len(truth.long_range.pairs) == 4


def test_analogies_are_all_ordered_pairs_of_each_relation(corpus):
    truth = corpus.truth
    assert ("paris", "france") in truth.relations["capital-common-countries"]
    assert ("king", "queen") in truth.relations["family"]
    assert ("walking", "walked") in truth.relations["gram7-past-tense"]
    for section, pairs in truth.relations.items():
        assert len(truth.analogies[section]) == len(pairs) * (len(pairs) - 1)
    text = truth.questions_words()
    assert text.startswith(": capital-common-countries\n")
    assert len(text.splitlines()) == len(truth.analogies) + sum(map(len, truth.analogies.values()))
    assert truth.morphology["walk"] == ("walk", "walks", "walked", "walking")
    assert truth.morphology["library"] == ("library", "libraries")


def test_synonyms_and_antonyms_fill_the_same_frames(corpus):
    for a, b in corpus.truth.synonyms + corpus.truth.antonyms:
        assert neighbour_pairs(corpus, a) == neighbour_pairs(corpus, b), (a, b)
    assert neighbour_pairs(corpus, "big") != neighbour_pairs(corpus, "hot")  # other dimension


def test_rare_words_occur_exactly_rare_count_times_in_their_group_frames():
    corpus = generate(20_000, rng=2, rare_count=4)
    truth = corpus.truth
    assert len(truth.rare) == 10
    assert all(truth.frequencies[w] == 4 for w in truth.rare)
    assert truth.groups["okapi"] == "animals" and truth.groups["mauve"] == "colours"
    median = np.median([truth.frequencies[w] for w in truth.words("animals") if w not in truth.rare])
    assert median > 10 * 4
    tiny = generate(30, rng=0).truth  # too few slots: fewer rare words, and truth lists only those
    assert all(0 < tiny.frequencies[w] <= 3 for w in tiny.rare)


def test_order_signal_is_invisible_to_windows_but_not_to_bigrams(corpus):
    chain, verbs = corpus.truth.order.chain, set(corpus.truth.order.verbs)
    rank = {w: r for r, w in enumerate(chain)}
    order_sentences = [s for s in corpus.sentences() if len(s) == 3 and s[1] in verbs]
    assert len(order_sentences) > 100 and len(chain) == 8
    assert all(rank[x] < rank[y] for x, _, y in order_sentences)  # stronger one first, always
    # A bigram model reads the chain off: the share of a word's order sentences where it is first.
    first = Counter(x for x, _, _ in order_sentences)
    seen = Counter(w for x, _, y in order_sentences for w in (x, y))
    agent_share = [first[w] / seen[w] for w in chain]
    assert agent_share[0] == 1.0 and agent_share[-1] == 0.0
    assert np.corrcoef(agent_share, np.arange(8))[0, 1] < -0.9
    # Windows cannot: reversing every order sentence ("foxes chase bears") changes no count.
    vocab, encoded = corpus.vocab, corpus.encoded()
    verb_ids = [vocab.id(v) for v in verbs]
    flipped = [s[::-1] if len(s) == 3 and s[1] in verb_ids else s for s in encoded]
    V = len(vocab)
    for window in (1, 2, 5, 8):
        np.testing.assert_array_equal(cooccurrence_counts(encoded, window, V),
                                      cooccurrence_counts(flipped, window, V))


def test_chain_animals_have_the_same_window_statistics():
    """Every chain animal meets the verbs and each other animal equally often (in expectation)."""
    corpus = generate(100_000, rng=4, n_filler=50)
    vocab, chain = corpus.vocab, corpus.truth.order.chain
    ids = [vocab.id(w) for w in chain]
    C = cooccurrence_counts(corpus.encoded(), 2, len(vocab)).astype(float)
    P = C[ids] / C[ids].sum(axis=1, keepdims=True)  # (8, V) context distribution of each
    P[:, ids] = np.sort(P[:, ids], axis=1)  # compare "meets some other chain animal", not which
    tv = 0.5 * np.abs(P[:, None, :] - P[None, :, :]).sum(-1)  # (8, 8) total variation
    cakes = C[vocab.id("cakes")] / C[vocab.id("cakes")].sum()
    tv_cakes = 0.5 * np.abs(P[0] - cakes).sum()
    print(f"\nmax TV between chain animals {tv.max():.3f}; bears vs cakes {tv_cakes:.3f}")
    assert tv.max() < 0.1 < 0.5 < tv_cakes  # 0.066 and 0.877 with this seed


def test_long_range_closer_is_fixed_by_the_opener_beyond_any_window(corpus):
    lr = corpus.truth.long_range
    closer_of = dict(lr.pairs)
    n = 0
    for s in corpus.sentences():
        if s[0] in closer_of:
            assert len(s) == lr.gap + 1 and s[lr.gap] == closer_of[s[0]]
            n += 1
    assert lr.gap == 12 and n > 50
    ids = [corpus.vocab.id(w) for p in lr.pairs for w in p]
    openers, closers = ids[0::2], ids[1::2]
    V = len(corpus.vocab)
    assert cooccurrence_counts(corpus.encoded(), 8, V)[np.ix_(openers, closers)].sum() == 0
    assert cooccurrence_counts(corpus.encoded(), lr.gap, V)[openers, closers].min() > 0


def test_filler_is_zipfian_and_reaches_production_vocabulary_size():
    start = time.perf_counter()
    corpus = generate(600_000, rng=0, n_filler=20_000)
    seconds = time.perf_counter() - start
    print(f"\ngenerate: {corpus.n_tokens:,} tokens in {seconds:.2f} s = "
          f"{corpus.n_tokens / seconds / 1e6:.1f}M tokens/s; V={len(corpus.vocab):,}")
    assert len(corpus.vocab) >= 10_000
    counts = corpus.vocab.counts[[corpus.vocab.id(w) for w in corpus.truth.filler[:1000]]]
    ranks = np.arange(1, len(counts) + 1)
    slope = np.polyfit(np.log(ranks[9:]), np.log(counts[9:]), 1)[0]  # log count vs log rank
    assert -1.15 < slope < -0.85  # zipf_exponent = 1


def test_bad_arguments_name_the_argument():
    for kwargs, match in [
        (dict(n_sentences=0), "n_sentences must be >= 1, got n_sentences=0"),
        (dict(n_filler=0), "n_filler must be >= 1"),
        (dict(n_filler=10**6), "n_filler must be <= 100000"),
        (dict(filler_fraction=1.5), "filler_fraction must be <= 1.0"),
        (dict(long_range_gap=1), "long_range_gap must be >= 2"), (dict(rng="x"), "rng must be"),
        (dict(rare_count=-1), "rare_count must be >= 0"), (dict(zipf_exponent=-1), "zipf_exponent"),
    ]:
        args = {"n_sentences": 10, **kwargs}
        with pytest.raises(ValueError, match=match):
            generate(args.pop("n_sentences"), **args)


def test_every_category_has_frames_and_a_weight():
    assert set(FRAMES) - {"filler"} | {"long_range"} == set(CATEGORY_WEIGHTS)


# ---- loose: skip-gram recovers the planted groups ------------------------------------------------
@pytest.mark.slow
def test_teaching_loop_recovers_the_groups():
    corpus = generate(2000, rng=0, n_filler=50, filler_fraction=0.1)
    result = train_negative_sampling(corpus.encoded(), corpus.vocab, dim=20, window=2, epochs=2,
                                     lr=0.1, rng=0)
    truth = corpus.truth
    words = [w for w in truth.words(*NOUN_GROUPS) if truth.frequencies[w] >= 5]
    labels = np.array([NOUN_GROUPS.index(truth.groups[w]) for w in words])
    U = result.E[[corpus.vocab.id(w) for w in words]]
    U = U / np.linalg.norm(U, axis=1, keepdims=True)
    S = U @ U.T
    np.fill_diagonal(S, -np.inf)
    k = 5
    neighbours = np.argsort(-S, axis=1, kind="stable")[:, :k]  # (n, k)
    purity = (labels[neighbours] == labels[:, None]).mean()
    sizes = np.bincount(labels)[labels]
    chance = np.mean((sizes - 1) / (len(words) - 1))
    print(f"\n{len(words)} words, {k}-NN group purity {purity:.3f} (chance {chance:.3f})")
    assert len(words) > 100 and chance < 0.15
    assert purity > 0.7  # measured 0.95 with this seed


# ---- frame overlap: the groups' frames shared ---------------------------------------------------
def test_frame_overlap_zero_is_the_default_corpus_bit_for_bit():
    a, b = generate(1500, rng=3), generate(1500, rng=3, frame_overlap=0.0)
    np.testing.assert_array_equal(a.ids, b.ids)
    assert a.vocab.tokens == b.vocab.tokens and a.truth == b.truth


def test_frame_overlap_puts_the_share_asked_of_nouns_into_other_groups_frames():
    from skipgram_lab.synthetic import NOUNS
    corpus = generate(20_000, rng=1, frame_overlap=0.4, rare_count=0)
    groups = corpus.truth.groups
    own = other = 0
    for s in corpus.sentences():
        if s[-1] in ("field", "barn", "tail"):  # the animals' frames: one noun slot each
            noun = s[2] if s[0] in ("yesterday", "a") else s[1]
            g = groups[noun]
            own, other = own + (g == "animals"), other + (g != "animals" and g in NOUNS)
    share = other / (own + other)
    assert own + other > 1000 and abs(share - 0.4) < 0.04
    again = generate(20_000, rng=1, frame_overlap=0.4, rare_count=0)
    np.testing.assert_array_equal(corpus.ids, again.ids)
    plain = generate(20_000, rng=1, rare_count=0).truth.groups
    assert groups == plain  # the truth is the same: a borrowed noun keeps its own group


@pytest.mark.parametrize("value, message", [(1.0, "frame_overlap must be < 1"),
                                            (-0.1, "frame_overlap must be >= 0")])
def test_frame_overlap_out_of_range_names_the_argument(value, message):
    with pytest.raises(ValueError, match=message):
        generate(10, rng=0, frame_overlap=value)
