"""Ready-made experiments, one click each, for a teacher walking a class through the regimes.

Each preset is a whole experiment (not a change to the current one), so "Overshooting"
always shows the same picture whatever the student typed before. The rates are those of
the article's point x = 1, where the one-step rate is 0.25 and the edge is 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.maths.experiment import Experiment


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    help: str
    experiment: Experiment


ARTICLE = Experiment()

PRESETS: tuple[Preset, ...] = (
    Preset("article", "Article's example", "x = 1, y = 4, start (3, 4), rate 0.1, 5 steps", ARTICLE),
    Preset("tiny", "Tiny rate 0.01", "Safe but slow: the error shrinks only ×0.96 per step",
           ARTICLE.with_(lr=0.01, steps=20)),
    Preset("one_step", "One-step rate 0.25", "Lands on the valley in a single update", ARTICLE.with_(lr=0.25)),
    Preset("overshoot", "Overshooting 0.4", "Jumps past the answer and back, yet converges",
           ARTICLE.with_(lr=0.4, steps=10)),
    Preset("bounce", "Bouncing 0.5", "Flips between two points forever", ARTICLE.with_(lr=0.5, steps=10)),
    Preset("diverge", "Diverging 0.6", "Every step overshoots further: the loss explodes",
           ARTICLE.with_(lr=0.6, steps=10)),
    Preset(
        "two_points",
        "Two points",
        "Add (2, 5): the valley closes into one best answer",
        ARTICLE.with_(points=((1.0, 4.0), (2.0, 5.0)), steps=50),
    ),
)

PRESETS_BY_KEY = {preset.key: preset for preset in PRESETS}
