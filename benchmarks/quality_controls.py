"""Is the vectorized trainer as good as gensim? Same corpus, same hyperparameters, several seeds.

    python benchmarks/quality_controls.py                    # both at their defaults, seeds 0-2
    python benchmarks/quality_controls.py --seeds 0 1 2 3 4
    python benchmarks/quality_controls.py --controls         # switch gensim's defaults off one at a time
    python benchmarks/quality_controls.py --roles            # roles and start switched separately

On the speed ladder's default corpus (gensim's shortened Wikipedia + Lee, ~470k tokens), trains
gensim's Word2Vec (sg=1, workers=1) and ``train_vectorized`` with the same hyperparameters
(gensim's defaults: d=100, window 5 dynamic, K=5, sample 1e-3, lr 0.025 -> 0.0001, min_count 5,
5 epochs) and prints, per seed, WordSim-353 and SimLex-999 Spearman rho and analogy accuracy
(questions-words, 3CosAdd) for both, then the mean gap and gensim's own seed-to-seed spread.

The default mode runs ``train_vectorized`` at its defaults (the fast path, gensim's roles and
start) and, as a second row, with the book's roles and word2vec.c's start
(``input_role="center", init_scale=0.5``). ``--roles`` adds the two mixed rows (the book's roles
with gensim's start, gensim's roles with word2vec.c's start), so that the roles and the start are
measured separately.

``--controls`` trains the per-pair path (``negatives_per="pair"``, batch 256) with the book's
roles for each combination of subsampling (1e-3 or off) and dynamic window (on or off): it shows
which of gensim's defaults opens the gap that the roles and start close. WordSim-353 only.

Needs gensim. Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from speed_ladder import BOOK, RESULTS, gensim_data, wiki_text  # noqa: E402

from skipgram_lab import evaluate  # noqa: E402
from skipgram_lab.corpus import Vocab, read_sentences  # noqa: E402
from skipgram_lab.embeddings import Embeddings  # noqa: E402
from skipgram_lab.vectorized import train_vectorized  # noqa: E402

CONTROLS = [("fixed window, no subsampling", None, False), ("subsampling 1e-3", 1e-3, False),
            ("dynamic window", None, True), ("both (gensim's defaults)", 1e-3, True)]


def scores(emb, tests, ws353_only=False):
    out = {"ws353": evaluate.word_similarity(emb, tests["ws353"], n_boot=10, rng=0).rho}
    if not ws353_only:
        out["simlex"] = evaluate.word_similarity(emb, tests["simlex"], n_boot=10, rng=0).rho
        out["analogy"] = evaluate.analogy_accuracy(emb, tests["analogy"]).accuracy
    return out


def gensim_vectors(sentences, seed, sample=1e-3, dynamic=True):
    from gensim.models import Word2Vec
    model = Word2Vec(sentences, sg=1, hs=0, vector_size=100, window=5, negative=5, sample=sample or 0,
                     alpha=0.025, min_alpha=0.0001, min_count=5, workers=1, epochs=5, seed=seed,
                     shrink_windows=dynamic)
    words = model.wv.index_to_key
    E = np.array([model.wv[w] for w in words])
    return Embeddings(E, np.zeros_like(E), Vocab(words, np.ones(len(words), int)))


MIXED = {"ours (book's roles, start 1)": dict(input_role="center", init_scale=1.0),
         "ours (start 0.5 only)": dict(input_role="context", init_scale=0.5)}


def defaults(sentences, ids, vocab, tests, seeds, roles=False):
    names = ("ws353", "simlex", "analogy")
    runs = {"gensim": [], "ours (defaults)": [], "ours (book's roles)": []}
    if roles:
        runs.update({name: [] for name in MIXED})
    print(f"{'trainer':<30}{'seed':>5}" + "".join(f"{n:>9}" for n in names))
    for seed in seeds:
        rows = {"gensim": scores(gensim_vectors(sentences, seed), tests),
                "ours (defaults)": scores(train_vectorized(ids, vocab, rng=seed, progress=False).embeddings, tests),
                "ours (book's roles)": scores(train_vectorized(ids, vocab, rng=seed, progress=False,
                                                               **BOOK).embeddings, tests)}
        if roles:
            rows.update({name: scores(train_vectorized(ids, vocab, rng=seed, progress=False,
                                                       **kw).embeddings, tests)
                         for name, kw in MIXED.items()})
        for name, row in rows.items():
            runs[name].append(row)
            print(f"{name:<30}{seed:>5}" + "".join(f"{row[n]:>9.3f}" for n in names), flush=True)
    ref = {n: np.array([r[n] for r in runs["gensim"]]) for n in names}
    print(f"\nmean over seeds {seeds}; gap = ours - gensim; gensim's spread = its seed-to-seed std")
    print(f"{'':<35}" + "".join(f"{n:>9}" for n in names))
    print(f"{'gensim mean':<35}" + "".join(f"{ref[n].mean():>9.3f}" for n in names))
    print(f"{'gensim spread':<35}" + "".join(f"{ref[n].std(ddof=1) if len(seeds) > 1 else 0:>9.3f}"
                                             for n in names))
    for name in list(runs)[1:]:
        ours = {n: np.array([r[n] for r in runs[name]]) for n in names}
        print(f"{name + ' mean':<35}" + "".join(f"{ours[n].mean():>9.3f}" for n in names))
        print(f"{name + ' min':<35}" + "".join(f"{ours[n].min():>9.3f}" for n in names))
        print(f"{name + ' max':<35}" + "".join(f"{ours[n].max():>9.3f}" for n in names))
        print(f"{name + ' gap':<35}" + "".join(f"{ours[n].mean() - ref[n].mean():>+9.3f}" for n in names))


def controls(sentences, ids, vocab, tests, seeds):
    print(f"{'setting':<30} {'seed':>4} {'gensim':>7} {'ours':>7} {'gap':>7}")
    for name, sample, dynamic in CONTROLS:
        for seed in seeds:
            ref = scores(gensim_vectors(sentences, seed, sample, dynamic), tests, True)["ws353"]
            emb = train_vectorized(ids, vocab, dim=100, subsample=sample, dynamic_window=dynamic,
                                   negatives_per="pair", batch_size=256, rng=seed, progress=False,
                                   **BOOK).embeddings
            ours = scores(emb, tests, True)["ws353"]
            print(f"{name:<30} {seed:>4} {ref:>7.3f} {ours:>7.3f} {ours - ref:>+7.3f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=None, help="default: 0 1 2 (controls: 0 1)")
    parser.add_argument("--roles", action="store_true",
                        help="also the book's roles with gensim's start, and gensim's roles with word2vec.c's")
    parser.add_argument("--controls", action="store_true",
                        help="per-pair path, book's roles; subsampling and dynamic window on and off")
    args = parser.parse_args()
    seeds = args.seeds or ([0, 1] if args.controls else [0, 1, 2])
    sentences = list(read_sentences(wiki_text(RESULTS / "cache" / "gensim-wiki-lee.txt")))
    vocab = Vocab.from_sentences(sentences, min_count=5)
    ids = vocab.encode_sentences(sentences)
    tests = {"ws353": evaluate.read_word_pairs(gensim_data("wordsim353.tsv")),
             "simlex": evaluate.read_word_pairs(gensim_data("simlex999.txt")),
             "analogy": evaluate.read_analogies(gensim_data("questions-words.txt"), lowercase=True)}
    if args.controls:
        controls(sentences, ids, vocab, tests, seeds)
    else:
        defaults(sentences, ids, vocab, tests, seeds, roles=args.roles)


if __name__ == "__main__":
    main()
