"""Part II exercise checks: the reference answers pass, typical wrong answers fail with a useful hint."""

from collections import Counter

import numpy as np
import pytest

from skipgram_lab.checks import geometry as cg
from skipgram_lab.book import claims
from skipgram_lab import negative_sampling as ns
from skipgram_lab.checks import ExerciseCheckFailed
from skipgram_lab.pairs import skipgram_pairs


def chance_purity(groups):
    sizes = Counter(groups.values())
    n = len(groups)
    return float(np.mean([(sizes[g] - 1) / (n - 1) for g in groups.values()]))


def test_reference_answers_pass(capsys):
    assert cg.check_row_gradient(claims.row_loss_and_grad)
    assert cg.check_chance_purity(chance_purity)
    assert cg.check_shuffle(claims.shuffle_within_sentences)
    assert cg.check_window_invariance(lambda s, k: Counter(map(tuple, skipgram_pairs([s], k).tolist())))
    assert cg.check_tied_step(claims.tied_sgd_step)
    assert capsys.readouterr().out.count("Correct") == 5


def test_stub_says_not_implemented():
    def stub(*args):
        raise NotImplementedError
    for check in (cg.check_row_gradient, cg.check_chance_purity, cg.check_shuffle,
                  cg.check_window_invariance, cg.check_tied_step):
        with pytest.raises(ExerciseCheckFailed, match="not implemented yet"):
            check(stub)


def test_row_gradient_hints():
    def flipped(x, O, pi, q, K):
        loss, grad = claims.row_loss_and_grad(x, O, pi, q, K)
        return loss, -grad

    def no_K(x, O, pi, q, K):
        s = O @ x
        return float(-pi @ ns.log_sigmoid(s) - q @ ns.log_sigmoid(-s)), np.zeros(O.shape[1])

    def per_token(x, O, pi, q, K):
        s = O @ x
        return claims.row_loss_and_grad(x, O, pi, q, K)[0], pi * (ns.sigmoid(s) - 1) + K * q * ns.sigmoid(s)

    with pytest.raises(ExerciseCheckFailed, match="sign is flipped"):
        cg.check_row_gradient(flipped)
    with pytest.raises(ExerciseCheckFailed, match="multiplied by K"):
        cg.check_row_gradient(no_K)
    with pytest.raises(ExerciseCheckFailed, match="shape"):
        cg.check_row_gradient(per_token)


def test_chance_purity_hint_for_counting_the_word_itself():
    def with_self(groups):
        sizes = Counter(groups.values())
        return float(np.mean([sizes[g] / len(groups) for g in groups.values()]))

    with pytest.raises(ExerciseCheckFailed, match="never its own neighbour"):
        cg.check_chance_purity(with_self)
    with pytest.raises(ExerciseCheckFailed, match="over the words"):
        cg.check_chance_purity(lambda g: 0.25)


def test_shuffle_mistakes():
    with pytest.raises(ExerciseCheckFailed, match="nothing was shuffled"):
        cg.check_shuffle(lambda sents, rng: sents)
    with pytest.raises(ExerciseCheckFailed, match="other tokens"):
        cg.check_shuffle(lambda sents, rng: [rng.choice(s, size=len(s)) for s in sents])
    with pytest.raises(ExerciseCheckFailed, match="sentences back"):
        cg.check_shuffle(lambda sents, rng: [rng.permutation(np.concatenate(sents))])
    with pytest.raises(ExerciseCheckFailed, match="same rng seed"):
        cg.check_shuffle(lambda sents, rng: [np.random.default_rng().permutation(s) for s in sents])


def test_window_invariance_mistake():
    def no_edges(s, k):  # forgets that windows stop at the sentence ends... by wrapping around
        n = len(s)
        return Counter((int(s[i]), int(s[(i + o) % n])) for i in range(n) for o in range(-k, k + 1) if o)

    with pytest.raises(ExerciseCheckFailed, match="pair_multiset"):
        cg.check_window_invariance(no_edges)


def test_tied_step_hints():
    def one_update_when_w_equals_c(W, w, c, negatives, lr):
        negatives = negatives[negatives != c]
        e, o, On = W[w].copy(), W[c].copy(), W[negatives]
        _, g_e, g_c, g_n = ns.loss_and_grad(e, o, On)
        W[w] = e - lr * g_e
        if c != w:
            W[c] = o - lr * g_c
        np.add.at(W, negatives, -lr * g_n)

    def keeps_the_context_as_negative(W, w, c, negatives, lr):
        e, o, On = W[w].copy(), W[c].copy(), W[negatives]
        _, g_e, g_c, g_n = ns.loss_and_grad(e, o, On)
        W[w] -= lr * g_e
        W[c] -= lr * g_c
        np.add.at(W, negatives, -lr * g_n)

    with pytest.raises(ExerciseCheckFailed, match="BOTH updates"):
        cg.check_tied_step(one_update_when_w_equals_c)
    with pytest.raises(ExerciseCheckFailed, match="drop a noise id"):
        cg.check_tied_step(keeps_the_context_as_negative)
