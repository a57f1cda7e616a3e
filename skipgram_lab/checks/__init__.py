"""Exercise checks: precise about what is wrong, clear when it is right.

Each ``check_*`` takes the learner's function, runs it on a few fixed inputs,
compares with the package's reference and either prints a line that starts
with "Correct" (and returns True) or raises :class:`ExerciseCheckFailed`
saying which output, which coordinate, expected vs got, and a hint.

The checks live in one module per topic; every name is importable from here:

- :mod:`~skipgram_lab.checks.gradients`: the gradients and one step (chapters 3, 4, appendix)
- :mod:`~skipgram_lab.checks.basics`: pairs, vocabulary, log-sum-exp, first-order change (chapters 1-4)
- :mod:`~skipgram_lab.checks.update`: how one update moves a noise score (chapter 4)
- :mod:`~skipgram_lab.checks.training`: the training loop (chapter 5)
- :mod:`~skipgram_lab.checks.geometry`: geometry, encoding, two matrices (chapters 6-8)
- :mod:`~skipgram_lab.checks.factorise`: PMI, factorisation, BPE windows, bigrams (chapters 9, 11, 12)
- :mod:`~skipgram_lab.checks.production`: the production trainer (chapter 10)
- :mod:`~skipgram_lab.checks.cbow`: CBOW's gradient, rare words' neighbours (chapter 13)
- :mod:`~skipgram_lab.checks.evaluation`: honest evaluation (chapter 15)
- :mod:`~skipgram_lab.checks.hyperparameters`: how far a window reaches after subsampling (chapter 16)
- :mod:`~skipgram_lab.checks.subword`: character n-grams, an unseen word's vector (chapter 17)

>>> from skipgram_lab import negative_sampling as ns
>>> from skipgram_lab.checks import check_ns_gradient
>>> check_ns_gradient(ns.loss_and_grad)
Correct: all four outputs match the reference at 5 random points (max error 0.0e+00).
True
"""

from ._core import ExerciseCheckFailed
from .gradients import (  # noqa: F401
    check_ns_gradient,
    check_softmax_gradient,
    check_sigmoid,
    check_pairs,
    check_sgd_step,
    check_hs_gradient,
    check_two_token_node,
)
from .basics import (  # noqa: F401
    check_pair_count,
    check_vocab,
    check_logsumexp,
    check_first_order_change,
)
from .update import (  # noqa: F401
    check_negative_score_change,
)
from .training import (  # noqa: F401
    check_expected_pairs,
    check_epoch_loop,
    check_first_step,
)
from .geometry import (  # noqa: F401
    check_row_gradient,
    check_chance_purity,
    check_shuffle,
    check_window_invariance,
    check_tied_step,
)
from .factorise import (  # noqa: F401
    check_cell_optimum,
    check_pmi,
    check_clipped_share,
    check_bigram_probs,
    check_same_pairs,
    check_words_per_window,
)
from .production import (  # noqa: F401
    check_scatter,
    check_keep_probability,
    check_kept_by_naive,
    check_expected_distinct,
    check_expected_counts,
)
from .cbow import (  # noqa: F401
    check_cbow_gradient,
    check_rare_purity,
)
from .evaluation import (  # noqa: F401
    check_3cosmul,
    check_neighbour_overlap,
)
from .hyperparameters import (  # noqa: F401
    check_mean_pair_distance,
)
from .subword import (  # noqa: F401
    check_char_ngrams,
    check_unseen_vector,
)
