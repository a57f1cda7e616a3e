"""Part I exercise checks: the reference passes, typical wrong answers fail with a useful hint."""

from collections import Counter

import numpy as np
import pytest

from skipgram_lab.checks import basics as cb
from skipgram_lab import softmax
from skipgram_lab.checks import ExerciseCheckFailed
from skipgram_lab.corpus import Vocab


def n_pairs(n, k):
    m = min(k, n - 1)
    return m * (2 * n - m - 1)


def test_reference_answers_pass(capsys):
    assert cb.check_pair_count(n_pairs)
    assert cb.check_vocab(lambda s, m: Vocab.from_sentences(s, m).tokens)
    assert cb.check_logsumexp(lambda s: float(np.logaddexp.reduce(s)))

    def predict(e_w, O, c, lr):
        _, g_e, g_O = softmax.loss_and_grad(e_w, O, c)
        return -lr * (g_e @ g_e + np.sum(g_O**2))

    assert cb.check_first_order_change(predict)
    assert capsys.readouterr().out.count("Correct") == 4


@pytest.mark.parametrize("fn,message", [
    (lambda n, k: 2 * n * k, "past both ends"),
    (lambda n, k: k * (2 * n - k - 1), "min\\(k, n - 1\\)"),
    (lambda n, k: n * k, "n - o pairs"),
])
def test_pair_count_hints(fn, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        cb.check_pair_count(fn)


def stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("check", [cb.check_pair_count, cb.check_vocab, cb.check_logsumexp,
                                   cb.check_first_order_change])
def test_stubs_are_reported_as_not_implemented(check):
    with pytest.raises(ExerciseCheckFailed, match="not implemented yet"):
        check(stub)


def test_vocab_hints():
    def no_min_count(sentences, min_count):
        return Vocab.from_sentences(sentences, 1).tokens

    def no_tie_break(sentences, min_count):
        counts = Counter(t for s in sentences for t in s)
        kept = [t for t, n in counts.items() if n >= min_count]  # first-seen order among ties
        return sorted(kept, key=lambda t: -counts[t])

    def alphabetical(sentences, min_count):
        return sorted(Vocab.from_sentences(sentences, min_count).tokens)

    with pytest.raises(ExerciseCheckFailed, match="min_count=2.*fewer than min_count"):
        cb.check_vocab(no_min_count)
    with pytest.raises(ExerciseCheckFailed, match="ties alphabetically"):
        cb.check_vocab(no_tie_break)
    with pytest.raises(ExerciseCheckFailed, match="most frequent first"):
        cb.check_vocab(alphabetical)


def test_logsumexp_catches_overflow():
    def naive(s):
        return float(np.log(np.sum(np.exp(s))))

    with pytest.raises(ExerciseCheckFailed, match="NaN or inf.*subtract m = max"):
        cb.check_logsumexp(naive)


def test_first_order_change_hints():
    def only_e(e_w, O, c, lr):
        _, g_e, _ = softmax.loss_and_grad(e_w, O, c)
        return -lr * (g_e @ g_e)

    def wrong_sign(e_w, O, c, lr):
        _, g_e, g_O = softmax.loss_and_grad(e_w, O, c)
        return lr * (g_e @ g_e + np.sum(g_O**2))

    with pytest.raises(ExerciseCheckFailed, match="O moves too"):
        cb.check_first_order_change(only_e)
    with pytest.raises(ExerciseCheckFailed, match="change is negative"):
        cb.check_first_order_change(wrong_sign)


def test_first_order_prediction_is_close_to_a_real_step():
    rng = np.random.default_rng(0)
    E, O = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    lr = 1e-3
    _, g_e, g_O = softmax.loss_and_grad(E[1], O, 2)
    predicted = -lr * (g_e @ g_e + np.sum(g_O**2))
    before = softmax.sgd_step(E, O, 1, 2, lr).loss
    after = softmax.loss_and_grad(E[1], O, 2)[0]
    assert after - before == pytest.approx(predicted, rel=1e-2)
