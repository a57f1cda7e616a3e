"""The chapter 16 check passes the reference answer and explains typical wrong ones."""

import numpy as np
import pytest

from skipgram_lab.checks import ExerciseCheckFailed, check_mean_pair_distance


def mean_distance(positions, window):
    gaps = [positions[o:] - positions[:-o] for o in range(1, window + 1) if o < len(positions)]
    return np.concatenate(gaps).mean()


def test_reference_passes(capsys):
    assert check_mean_pair_distance(mean_distance)
    assert capsys.readouterr().out.startswith("Correct")


def in_kept_tokens(positions, window):  # distance counted in kept tokens, not in the text
    return mean_distance(np.arange(len(positions)), window)


def neighbours_only(positions, window):
    return mean_distance(positions, 1)


def both_orders_unweighted(positions, window):  # all pairs of the sentence, whatever the window
    p = np.asarray(positions)
    return np.abs(p[:, None] - p[None, :])[np.triu_indices(len(p), 1)].mean()


def radius_one_short(positions, window):  # offsets 1 .. window - 1
    return mean_distance(positions, max(window - 1, 1))


def window_in_the_text(positions, window):  # pairs at most `window` apart in the original text
    d = np.abs(np.subtract.outer(positions, positions))[np.triu_indices(len(positions), 1)]
    return d[d <= window].mean() if np.any(d <= window) else 0.0


@pytest.mark.parametrize("wrong,message", [
    (in_kept_tokens, "counted in kept tokens"),
    (neighbours_only, "radius `window`, not 1"),
    (both_orders_unweighted, "next `window` kept tokens"),
    (radius_one_short, "radius `window`, not 1|next `window` kept tokens"),
    (window_in_the_text, "window laid over the original text"),
])
def test_explains_mistakes(wrong, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        check_mean_pair_distance(wrong)


def test_stub_says_not_implemented():
    def stub(positions, window):
        raise NotImplementedError
    with pytest.raises(ExerciseCheckFailed, match="not implemented"):
        check_mean_pair_distance(stub)
