"""The other learning rate that draws the very same loss curve.

With every x equal (one point included) the loss above its lowest value is multiplied by r² per
update, r = 1 − lr·λmax, while the error is multiplied by r itself. The rates lr and
2/λmax − lr give r and −r: the same r², so the same loss at every step, but one keeps the error's
sign and the other flips it at every update (at the article's data: 0.1 and 0.4, r = ±0.6). On the
loss chart alone the two runs cannot be told apart, so the page names the twin and shows the
signed error with the loss.
"""

from __future__ import annotations

import math

from core.maths.experiment import Experiment
from core.maths.theory import all_x_equal, eigenvalues, error_ratio, statistics


def start_error(experiment: Experiment) -> float:
    """The start's mean error, a0·x + b0 − mean y, when all x are equal (its sign: too high or too low)."""
    return experiment.a0 * experiment.xs[0] + experiment.b0 - statistics(experiment).mean_y


def twin_rate(experiment: Experiment) -> float | None:
    """The other positive rate with this loss curve, or None when there is none.

    None for the one-step rate (r = 0: its own twin), for bouncing and diverging rates (the twin
    would be 0 or negative), for a start that already predicts the valley (every rate's loss is
    flat) and for distinct x, where the two directions of the bowl shrink at different rates.
    """
    if not all_x_equal(experiment):
        return None
    if start_error(experiment) == 0.0 or error_ratio(experiment) == 0.0:
        return None
    twin = 2.0 / eigenvalues(experiment)[1] - experiment.lr
    if not math.isfinite(twin) or twin <= 0.0 or math.isclose(twin, experiment.lr, rel_tol=1e-9):
        return None
    return twin
