"""The sidebar's sentence about the learning rate: what it does to this data, with its numbers.

The regimes and factors come from :mod:`core.maths.theory`; this module only says them.
"""

from __future__ import annotations

from core.maths.experiment import Experiment
from core.maths.theory import Regime, all_x_equal, error_ratio, rate_scale, slow_ratio, start_error
from core.words import notation


def regime_sentence(experiment: Experiment) -> str:
    """One line for the sidebar: what this learning rate does, with its numbers."""
    if not all_x_equal(experiment):
        return _several_x_sentence(experiment)
    scale = rate_scale(experiment)
    r = error_ratio(experiment)
    kind = scale.regime(experiment.lr)
    one, bounce = notation.rate(scale.one_step), notation.rate(scale.bounce)
    error = "error" if experiment.single_point else "mean error"  # points at one x move by their mean
    if kind is Regime.SMOOTH:
        return f"Smooth: the {error} shrinks ×{notation.rate(r)} per step ({one} would land in one step)."
    if kind is Regime.ONE_STEP:
        return "One step: this rate lands on the best answer in a single update."
    if kind is Regime.OVERSHOOTING:
        return (f"Overshooting: the {error} flips sign, ×{notation.rate(r)} per step, and still shrinks "
                f"(every rate below {bounce} settles).")
    if kind is Regime.BOUNCING:
        size = notation.plain(abs(start_error(experiment)))
        if size == "0":  # nothing to flip: the start is already on the valley
            return (f"Bouncing: the edge, {bounce}, where the {error} would flip sign forever (×−1); "
                    "here it is 0 already.")
        return f"Bouncing: the {error} flips between +{size} and −{size} forever (×−1); this is the edge, {bounce}."
    return f"Diverging: above {bounce} the {error} grows ×{notation.rate(abs(r))} per step."


def _several_x_sentence(experiment: Experiment) -> str:
    """Points at different x: two directions, two factors; the slower one sets the pace."""
    scale = rate_scale(experiment)
    steep, flat = error_ratio(experiment), slow_ratio(experiment)
    kind = scale.regime(experiment.lr)
    bounce = notation.rate(scale.bounce)
    if kind.converges:
        pace = max(abs(steep), abs(flat)) ** 2
        name = {Regime.SMOOTH: "Smooth", Regime.ONE_STEP: "One step across the steep direction",
                Regime.OVERSHOOTING: "Overshooting"}[kind]
        return (
            f"{name}: ×{notation.rate(steep)} per step in the steep direction, ×{notation.rate(flat)} in the flat one; "
            f"the loss above its lowest value settles ×{notation.rate(pace)} per step (stable below {bounce})."
        )
    if kind is Regime.BOUNCING:
        return f"Bouncing: the steep direction flips forever (×{notation.rate(steep)}); this is the edge, {bounce}."
    return f"Diverging: above {bounce} the steep direction grows ×{notation.rate(abs(steep))} per step."
