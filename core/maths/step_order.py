"""Which steps of a run land on (or next to) the same spot of the top-down map.

A bouncing run (lr = 2/λmax) jumps between two points forever and an overshooting or diverging
one runs back and forth along one line, so on the map its updates draw over each other and the
order of the steps is lost. The map therefore writes step numbers beside the points; steps that
land closer together than a label's size share one label ("0, 2, 4"), placed at the first of them.
The same groups give the map's text alternative (``core.words.chart_text``), so the words and the
labels always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.maths.surface import PathInWindow, Window

# Two steps closer than this share of the window's width (in a and in b) share one label: about a
# label's height on a 390 px phone, where the map is some 300 px wide.
NEAR_SHARE = 0.05


@dataclass(frozen=True)
class StepGroup:
    """Steps of the run that the map labels together, at the (a, b) of the first of them."""

    steps: tuple[int, ...]
    a: float
    b: float

    def upto(self, step: int) -> StepGroup | None:
        """The same label while the map shows only steps 0 … ``step`` (None if none of its steps is shown yet)."""
        shown = tuple(s for s in self.steps if s <= step)
        return StepGroup(shown, self.a, self.b) if shown else None


def step_groups(path: PathInWindow, window: Window, near_share: float = NEAR_SHARE) -> list[StepGroup]:
    """Group the drawn steps by where they land, in the order the run first reaches each spot.

    Each step joins the first label whose point lies within ``near_share`` of the window's width
    (in a and in b); otherwise it starts a label of its own.
    """
    reach = near_share * max(window.a_max - window.a_min, window.b_max - window.b_min, 1e-300)
    anchors: list[tuple[float, float]] = []
    members: list[list[int]] = []
    for step, a, b in zip(path.steps.tolist(), path.a.tolist(), path.b.tolist(), strict=True):
        for index, (anchor_a, anchor_b) in enumerate(anchors):
            if abs(a - anchor_a) <= reach and abs(b - anchor_b) <= reach:
                members[index].append(int(step))
                break
        else:
            anchors.append((a, b))
            members.append([int(step)])
    return [StepGroup(tuple(steps), a, b) for (a, b), steps in zip(anchors, members, strict=True)]


def groups_upto(groups: list[StepGroup], step: int) -> list[StepGroup]:
    """The labels the map shows while it draws the path up to ``step``."""
    return [shown for group in groups if (shown := group.upto(step)) is not None]


def label_side(path: PathInWindow) -> tuple[float, float]:
    """A unit direction (a, b) to put the labels on: across the first update, on its upper side.

    Every update of one x moves along (x, 1), so labels on one side of that line never sit on it.
    """
    if len(path.a) < 2:
        return (-1.0 / np.sqrt(2.0), 1.0 / np.sqrt(2.0))
    da, db = float(path.a[1] - path.a[0]), float(path.b[1] - path.b[0])
    length = float(np.hypot(da, db))
    if length == 0.0 or not np.isfinite(length):
        return (-1.0 / np.sqrt(2.0), 1.0 / np.sqrt(2.0))
    na, nb = -db / length, da / length
    if nb < 0 or (nb == 0 and na > 0):
        na, nb = -na, -nb
    return (na, nb)
