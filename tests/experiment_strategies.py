"""Random experiments a share link allows, for property tests of the words: one point or several
(at one x, with a loss floor, or at different x), any start, and a rate in each regime — smooth,
one step, overshooting, bouncing (the exact boundary rate) and diverging — exact or by hand."""

from __future__ import annotations

from hypothesis import assume
from hypothesis import strategies as st

from core.maths import theory
from core.maths.experiment import MODES, Experiment, validate

small = st.integers(min_value=-40, max_value=40).map(lambda v: v / 4)
wide = st.floats(min_value=-1000, max_value=1000, allow_nan=False).map(lambda v: float(f"{v:.6g}"))
coordinate = st.one_of(small, small, wide)
RATE_KINDS = ("smooth", "one step", "overshooting", "bouncing", "diverging")


@st.composite
def experiments(draw: st.DrawFn, several: bool) -> Experiment:
    count = draw(st.integers(min_value=2, max_value=5)) if several else 1
    if several and draw(st.booleans()):
        x = draw(coordinate)  # several points at one x: a valley with a floor
        points = [(x, draw(coordinate)) for _ in range(count)]
    else:
        points = [(draw(coordinate), draw(coordinate)) for _ in range(count)]
    raw = {"points": points, "a0": draw(coordinate), "b0": draw(coordinate), "lr": 0.1,
           "steps": draw(st.integers(min_value=0, max_value=12)), "mode": draw(st.sampled_from(MODES))}
    base, _ = validate(raw)
    scale = theory.rate_scale(base)
    kind = draw(st.sampled_from(RATE_KINDS))
    share = draw(st.floats(min_value=0.05, max_value=0.95))
    lr = {
        "smooth": share * scale.one_step,
        "one step": scale.one_step,
        "overshooting": scale.one_step + share * (scale.bounce - scale.one_step),
        "bouncing": scale.bounce,
        "diverging": scale.bounce * (1.0 + share),
    }[kind]
    experiment, notices = validate({**raw, "lr": lr})
    assume(notices == ())
    return experiment


