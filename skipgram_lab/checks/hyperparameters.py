"""Exercise checks for chapter 16 (hyperparameters that matter): how far a window reaches.

Same contract as :mod:`skipgram_lab.checks`: print a line starting with
"Correct" and return True, or raise :class:`~skipgram_lab.checks.ExerciseCheckFailed`
saying what is wrong and how to fix it.

>>> import numpy as np
>>> from skipgram_lab.book.hyperparameters import pair_distances
>>> from skipgram_lab.checks import check_mean_pair_distance
>>> check_mean_pair_distance(lambda positions, window: pair_distances(positions, window).mean())
Correct: the mean distance matches the reference on 6 sentences, windows 1-3.
True
"""

from __future__ import annotations

import numpy as np

from ..book.hyperparameters import pair_distances
from ._core import _call, _compare

#: Kept positions of one sentence each: gaps where subsampling removed tokens, and one with none.
_SENTENCES = [np.array(p) for p in ([0, 1, 4, 5, 9], [2, 3, 4, 5, 6, 7], [0, 5, 6, 12, 13, 14, 20],
                                    [1, 8], [0, 2, 3, 7, 11, 12, 13, 18, 19], [3, 4, 10, 11, 12])]


def check_mean_pair_distance(mean_distance, tol=1e-12):
    """Check ``mean_distance(positions, window) -> float`` (chapter 16).

    ``positions`` are the original positions of the tokens of one sentence that
    subsampling kept; the window of radius ``window`` counts kept tokens; the
    answer is the mean original distance of the pairs it forms.
    """
    for positions in _SENTENCES:
        for window in (1, 2, 3):
            expected = pair_distances(positions, window).mean()
            got = _call(mean_distance, positions.copy(), window)
            n = len(positions)
            offsets = np.concatenate([np.full(n - o, o) for o in range(1, min(window, n - 1) + 1)])
            hint = ("Hint: pair every kept token with the next `window` kept tokens and average "
                    "positions[j] - positions[i] over those pairs.")
            d = np.subtract.outer(positions, positions)[np.triu_indices(n, 1)]  # every pair, j > i
            in_text = d[d <= window].mean() if np.any(d <= window) else np.nan
            if np.isclose(got, offsets.mean()) and not np.isclose(expected, offsets.mean()):
                hint = ("that is the distance counted in kept tokens (j - i), or a window laid over "
                        "the original text: the window counts kept tokens, and the distance is "
                        "measured in the text, positions[j] - positions[i].")
            elif np.isclose(got, in_text) and not np.isclose(expected, in_text):
                hint = ("that pairs tokens at most `window` apart in the original text: the window "
                        "counts kept tokens (the next `window` of them), however far apart they are.")
            elif window > 1 and np.isclose(got, pair_distances(positions, 1).mean()):
                hint = "that is the mean over neighbours only: the window has radius `window`, not 1."
            _compare(f"mean_distance({positions.tolist()}, window={window})", got, expected, tol, hint)
    print("Correct: the mean distance matches the reference on 6 sentences, windows 1-3.")
    return True
