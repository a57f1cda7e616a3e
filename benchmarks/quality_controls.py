"""Where does the quality gap to gensim come from? Switch gensim's defaults off one at a time.

    python benchmarks/quality_controls.py                 # seeds 0 and 1, about 6 minutes on 2 cores
    python benchmarks/quality_controls.py --seeds 0 1 2
    python benchmarks/quality_controls.py --gensim-like     # both defaults on, two gensim habits copied

On the speed ladder's default corpus (gensim's shortened Wikipedia + Lee, ~470k tokens), trains
gensim's Word2Vec (sg=1, workers=1) and ``train_vectorized(negatives_per="pair", batch_size=256)``
with the same hyperparameters, for each combination of subsampling (1e-3 or off) and dynamic
window (on or off), and prints WordSim-353 Spearman rho for both. Needs gensim. Prints, asserts
nothing.

``--gensim-like`` trains ours, with both defaults on, with ``input_role="context"`` (the
context's row of E is the input and the center's row of O the output, as word2vec.c and gensim
loop; the pairs are the same multiset, and with the dynamic window the radius is then drawn for
the output's position) and ``init_scale=1`` (E starts uniform in +-1/d as in gensim, not +-0.5/d
as in word2vec.c).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from speed_ladder import RESULTS, gensim_data, wiki_text  # noqa: E402

from skipgram_lab import evaluate  # noqa: E402
from skipgram_lab.corpus import Vocab, read_sentences  # noqa: E402
from skipgram_lab.embeddings import Embeddings  # noqa: E402
from skipgram_lab.vectorized import train_vectorized  # noqa: E402

SETTINGS = [("fixed window, no subsampling", None, False), ("subsampling 1e-3", 1e-3, False),
            ("dynamic window", None, True), ("both (gensim's defaults)", 1e-3, True)]


def rho(emb, pairs):
    return evaluate.word_similarity(emb, pairs, n_boot=10, rng=0).rho


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--gensim-like", action="store_true",
                        help="both defaults on; ours with gensim's input role and initial range")
    args = parser.parse_args()
    settings, extra = SETTINGS, {}
    if args.gensim_like:
        settings = [("both, gensim's role and init", 1e-3, True)]
        extra = dict(input_role="context", init_scale=1.0)
    from gensim.models import Word2Vec

    sentences = list(read_sentences(wiki_text(RESULTS / "cache" / "gensim-wiki-lee.txt")))
    vocab = Vocab.from_sentences(sentences, min_count=5)
    ids = vocab.encode_sentences(sentences)
    pairs = evaluate.read_word_pairs(gensim_data("wordsim353.tsv"))
    print(f"{'setting':<30} {'seed':>4} {'gensim':>7} {'ours':>7} {'gap':>7}")
    for name, sample, dynamic in settings:
        for seed in args.seeds:
            model = Word2Vec(sentences, sg=1, hs=0, vector_size=100, window=5, negative=5,
                             sample=sample or 0, alpha=0.025, min_alpha=0.0001, min_count=5,
                             workers=1, epochs=5, seed=seed, shrink_windows=dynamic)
            words = model.wv.index_to_key
            E = np.array([model.wv[w] for w in words])
            ref = rho(Embeddings(E, np.zeros_like(E), Vocab(words, np.ones(len(words), int))), pairs)
            ours = rho(train_vectorized(ids, vocab, dim=100, subsample=sample, dynamic_window=dynamic,
                                        negatives_per="pair", batch_size=256, rng=seed,
                                        progress=False, **extra).embeddings, pairs)
            print(f"{name:<30} {seed:>4} {ref:>7.3f} {ours:>7.3f} {ours - ref:>+7.3f}", flush=True)


if __name__ == "__main__":
    main()
