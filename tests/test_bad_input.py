"""Every mistake a learner makes gets a ValueError that names the argument and the value."""

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab import softmax
from skipgram_lab.corpus import Vocab
from skipgram_lab.noise import noise_distribution
from skipgram_lab.teaching import train_full_softmax, train_negative_sampling

VOCAB = Vocab(["a", "b", "c"], [3, 2, 1])
IDS = [np.array([0, 1, 2, 0, 1])]

TRAINER_CASES = [
    (dict(sentences=[]), "sentences is empty"),
    (dict(sentences=[np.array([], dtype=int)]), "sentences is empty"),
    (dict(window=0), "window must be >= 1, got window=0"),
    (dict(dim=0), "dim must be >= 1, got dim=0"),
    (dict(negatives=-1), "negatives must be >= 0, got negatives=-1"),
    (dict(lr=0.0), "lr must be > 0, got lr=0.0"),
    (dict(lr=-0.1), "lr must be > 0, got lr=-0.1"),
    (dict(lr=float("nan")), "lr must be finite, got lr=nan"),
    (dict(lr=float("inf")), "lr must be finite, got lr=inf"),
    (dict(epochs=0), "epochs must be >= 1, got epochs=0"),
    (dict(epochs=1.5), "epochs must be an integer, got epochs=1.5"),
    (dict(sentences=[np.array([0, 3])]), r"sentences must be ids in \[0, 3\), got sentences containing \[3\]"),
    (dict(sentences=[np.array([0, -1])]), r"containing \[-1\]"),
    (dict(sentences=[np.array([0.0, 1.0])]), "sentences must hold integer ids"),
    (dict(noise_power=float("nan")), "noise_power must be finite, got noise_power=nan"),
    (dict(subsample=0.0), "subsample must be > 0, got subsample=0.0"),
    (dict(subsample=-1e-3), "subsample must be > 0"),
    (dict(subsample_formula="gensim"), "subsample_formula must be one of"),
    (dict(rng="seed"), "rng must be None, an int seed or a numpy.random.Generator"),
    (dict(min_lr=1.0), "min_lr must be <= 0.05"),
    (dict(init=(np.zeros((3, 2)), np.zeros((3, 2)))), r"init must be two \(3, 10\) arrays"),
    (dict(snapshot_every=0), "snapshot_every must be >= 1"),
]


@pytest.mark.parametrize("kwargs,message", TRAINER_CASES, ids=[m[:30] for _, m in TRAINER_CASES])
def test_negative_sampling_trainer_rejects(kwargs, message):
    args = dict(sentences=IDS, vocab=VOCAB, dim=10, lr=0.05)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        train_negative_sampling(args.pop("sentences"), args.pop("vocab"), **args)


@pytest.mark.parametrize("kwargs,message", [c for c in TRAINER_CASES if "negatives" not in c[1]
                                            and "noise_power" not in c[1]])
def test_full_softmax_trainer_rejects(kwargs, message):
    args = dict(sentences=IDS, vocab=VOCAB, dim=10, lr=0.05)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        train_full_softmax(args.pop("sentences"), args.pop("vocab"), **args)


def test_step_functions_reject_bad_ids_and_shapes():
    E, O = np.zeros((3, 2)), np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"w must be an id in \[0, 3\), got w=3"):
        ns.sgd_step(E, O, 3, 0, [1], 0.1)
    with pytest.raises(ValueError, match="c must be an integer, got c=1.5"):
        ns.sgd_step(E, O, 0, 1.5, [1], 0.1)
    with pytest.raises(ValueError, match=r"negatives must be ids in \[0, 3\)"):
        ns.sgd_step(E, O, 0, 1, [7], 0.1)
    with pytest.raises(ValueError, match="E and O must have the same shape"):
        ns.sgd_step(E, np.zeros((4, 2)), 0, 1, [1], 0.1)
    with pytest.raises(ValueError, match="E and O must have the same dtype"):
        softmax.sgd_step(E, O.astype(np.float32), 0, 1, 0.1)
    with pytest.raises(ValueError, match="lr must be > 0"):
        softmax.sgd_step(E, O, 0, 1, 0)
    with pytest.raises(ValueError, match="o_c must have length d=2"):
        ns.loss_and_grad(np.zeros(2), np.zeros(3), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="O must have d=2 columns"):
        softmax.loss_and_grad(np.zeros(2), np.zeros((3, 3)), 0)
    with pytest.raises(ValueError, match="E must be a 2-D float array"):
        ns.sgd_step(np.zeros((3, 2), dtype=int), O, 0, 1, [1], 0.1)
    with pytest.raises(ValueError, match="power must be finite"):
        noise_distribution([1, 2], float("inf"))
