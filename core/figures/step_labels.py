"""The top-down map's step labels: what each one says, and on which side of its point it sits.

Steps that land on one spot share a label (:mod:`core.maths.step_order`). One step reads as its
number ("3"); several read "steps 3, 4", "steps 5–30" or "steps 0, 2, …, 50", so a shared label is
never taken for a point (3, 4) like the legend's "start (3, 4)" above it.

A label sits across the path from its point, on the side :func:`core.maths.step_order.label_side`
picks, or on the other side where that one runs out of the window. It turns to the other side, too,
when that one covers less of the landing star, the equally good answers' circles and the labels
placed before it (the star counts most, then a label, then a circle); the labels nearest the star
are placed first. When both sides across the path cover something, the label may also sit along
the path (above, below or beside its point), where it costs the path's line it covers too: on a
phone, "steps 3, 4" covered the circle at (1, 3) that lesson stop 5 asks about, with "steps 5–30"
on its other side. Sizes are judged at a phone's width, where the map is smallest and a label
covers the most of it.
"""

from __future__ import annotations

import math

import numpy as np

from core.figures.surface_scene import SurfaceScene
from core.maths.step_order import StepGroup, groups_upto, label_side
from core.words.notation import step_list

# Step numbers on the map: dark text with a white halo, readable on every colour of the fill.
LABEL_FONT = dict(size=14, color="#111111", weight="bold",
                  shadow="0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 3px #fff, 0 0 4px #fff")
LABEL_GAP = "\u2002"  # an en space between a label and its point, on the point's side
# Where Plotly puts a point's text, by the direction (a, b) the label should sit in.
_SIDES = {
    (0, 1): "top center", (1, 1): "top right", (1, 0): "middle right", (1, -1): "bottom right",
    (0, -1): "bottom center", (-1, -1): "bottom left", (-1, 0): "middle left", (-1, 1): "top left",
}
# A label turns to the other side of the path when its own side has less than this share of the
# window left before the edge (a label is wider than it is tall), or less than the label's width.
EDGE_ROOM_A, EDGE_ROOM_B = 0.25, 0.1
# Sizes on a 390 px phone (px), where the map's plot area is 280 px wide: bold 14 px characters as
# plotly.js draws them (rounded up), the en space, the label's box above, below or beside its point
# (ascent and descent included), the markers' half-sizes with their outlines (landing star 18,
# answers 11), and the room a label keeps from them.
PHONE_MAP_PX = 280.0
_CHAR_PX = {" ": 3.6, ",": 3.6, "–": 7.0, "…": 14.0}
DIGIT_PX, LETTER_PX = 7.5, 6.2
GAP_PX = 7.0
_ROWS = {1: (-18.0, 1.0), -1: (-4.0, 15.0), 0: (-11.0, 8.0)}  # by the side's b: top, bottom, middle
STAR_PX, ANSWER_PX = 12.0, 8.5
CLEAR_PX = 2.0
# What covering costs, per px²: the landing star most, then another label, then an answer's circle.
# The path's line counts only for a label off the two sides across it (its point's own segments
# run between those sides), judged as small squares along every segment.
STAR_WEIGHT, LABEL_WEIGHT, ANSWER_WEIGHT, PATH_WEIGHT = 4.0, 2.0, 1.0, 1.0
PATH_HALF_PX, PATH_SAMPLE_PX = 2.0, 4.0

Box = tuple[float, float, float, float]  # left, right, top, bottom: px on a phone's map, y down


def step_label(steps: tuple[int, ...]) -> str:
    """A label's words: "3" for one step; "steps 3, 4", "steps 5–30", "steps 0, 2, …, 50" for several."""
    text = step_list(steps)
    return text if len(steps) == 1 else f"steps {text}"


def label_trace(scene: SurfaceScene, upto: int) -> dict:
    """The map's step labels up to step ``upto`` as one text trace: one label per spot."""
    shown = groups_upto(scene.groups, upto)
    texts = [step_label(g.steps) for g in shown]
    positions = label_positions(scene, shown, texts)
    return {
        "type": "scatter",
        "mode": "text",
        "x": np.asarray([g.a for g in shown], dtype=np.float32),
        "y": np.asarray([g.b for g in shown], dtype=np.float32),
        "text": [_padded(text, where) for text, where in zip(texts, positions, strict=True)],
        # One position for all when they agree (the usual case): 60 frames repeat it.
        "textposition": positions[0] if len(set(positions)) == 1 else positions,
    }


def label_positions(scene: SurfaceScene, groups: list[StepGroup], texts: list[str]) -> list[str]:
    """Plotly's textposition for each label: across the path, clear of the edge, the star and each other."""
    window = scene.window
    scale = PHONE_MAP_PX / _span(scene)

    def at(a: float, b: float) -> tuple[float, float]:
        return (a - window.a_min) * scale, (window.b_max - b) * scale

    markers = [(_square(at(*scene.landing), STAR_PX + CLEAR_PX), STAR_WEIGHT)]
    markers += [(_square(at(*answer), ANSWER_PX + CLEAR_PX), ANSWER_WEIGHT) for answer in scene.answers]
    na, nb = label_side(scene.path)
    preferred = (round(na), round(nb))
    landing_a, landing_b = scene.landing
    placed: list[Box] = []
    positions = [""] * len(groups)

    def cost(box: Box, path: np.ndarray | None = None) -> float:
        covered = sum(weight * _overlap(box, marker) for marker, weight in markers)
        covered += LABEL_WEIGHT * sum(_overlap(box, other) for other in placed)
        return covered + (PATH_WEIGHT * _covered(box, path) if path is not None else 0.0)

    # Nearest the star first: the labels that could cover it pick their side before the others.
    for index in sorted(range(len(groups)), key=lambda i: math.hypot(groups[i].a - landing_a, groups[i].b - landing_b)):
        group, text = groups[index], texts[index]
        point = at(group.a, group.b)
        first = _opposite(preferred) if _cramped(scene, group, text, preferred) else preferred
        sides = [first] if _cramped(scene, group, text, _opposite(first)) else [first, _opposite(first)]
        boxes = [_shifted(_box(text, side), point) for side in sides]
        costs = [cost(box) for box in boxes]
        if min(costs) > 0.0:  # both sides across the path cover something: try along it too
            path = _nearby(_path_squares(scene, scale), point)
            for side in _SIDES:
                if side not in sides and side != _opposite(preferred) and side != preferred \
                        and not _cramped(scene, group, text, side):
                    sides.append(side)
                    boxes.append(_shifted(_box(text, side), point))
                    costs.append(cost(boxes[-1], path))
        pick = costs.index(min(costs))  # the first side, unless another covers strictly less
        placed.append(boxes[pick])
        positions[index] = _SIDES.get(sides[pick], "top left")
    return positions


# The last path's squares: a map's frames place their labels on one scene, one frame after another.
_last_squares: tuple[object, np.ndarray] | None = None


def _path_squares(scene: SurfaceScene, scale: float) -> np.ndarray:
    """The path's line on a phone's map as small squares every few px along it: (n, 4) boxes, made once per path."""
    global _last_squares
    remembered = _last_squares
    if remembered is not None and remembered[0] is scene.path:
        return remembered[1]
    x = (np.asarray(scene.path.a, dtype=float) - scene.window.a_min) * scale
    y = (scene.window.b_max - np.asarray(scene.path.b, dtype=float)) * scale
    dx, dy = np.diff(x), np.diff(y)
    counts = np.maximum(1, np.ceil(np.hypot(dx, dy) / PATH_SAMPLE_PX)).astype(int)
    segment = np.repeat(np.arange(len(dx)), counts)
    share = (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + 0.5) / counts[segment]
    centres = np.column_stack((x[segment] + dx[segment] * share, y[segment] + dy[segment] * share))
    # A bouncing run draws one line hundreds of times over: each spot of it counts once.
    centres = np.unique(np.round(centres / PATH_HALF_PX), axis=0) * PATH_HALF_PX
    squares = np.column_stack((centres[:, 0] - PATH_HALF_PX, centres[:, 0] + PATH_HALF_PX,
                               centres[:, 1] - PATH_HALF_PX, centres[:, 1] + PATH_HALF_PX))
    _last_squares = (scene.path, squares)
    return squares


def _nearby(squares: np.ndarray, point: tuple[float, float], reach: float = 160.0) -> np.ndarray:
    """The squares a label beside ``point`` could touch (a label is at most ~150 px wide)."""
    x, y = point
    near = ((squares[:, 1] > x - reach) & (squares[:, 0] < x + reach)
            & (squares[:, 3] > y - reach) & (squares[:, 2] < y + reach))
    return squares[near]


def _covered(box: Box, squares: np.ndarray) -> float:
    """The area (px²) ``box`` shares with all of ``squares`` together (counted once per square)."""
    width = np.minimum(box[1], squares[:, 1]) - np.maximum(box[0], squares[:, 0])
    height = np.minimum(box[3], squares[:, 3]) - np.maximum(box[2], squares[:, 2])
    return float(np.sum(np.clip(width, 0.0, None) * np.clip(height, 0.0, None)))


def _opposite(side: tuple[int, int]) -> tuple[int, int]:
    return -side[0], -side[1]


def _span(scene: SurfaceScene) -> float:
    window = scene.window
    return max(window.a_max - window.a_min, window.b_max - window.b_min, 1e-300)


def _width_px(text: str) -> float:
    return sum(DIGIT_PX if c.isdigit() else _CHAR_PX.get(c, LETTER_PX) for c in text)


def _cramped(scene: SurfaceScene, group: StepGroup, text: str, side: tuple[int, int]) -> bool:
    """Whether a label on ``side`` of its point runs into the window's edge."""
    window, span = scene.window, _span(scene)
    room_a = max(EDGE_ROOM_A * span, (GAP_PX + _width_px(text)) * span / PHONE_MAP_PX)
    room_b = EDGE_ROOM_B * span
    na, nb = side
    return (
        (na < 0 and group.a - window.a_min < room_a)
        or (na > 0 and window.a_max - group.a < room_a)
        or (nb < 0 and group.b - window.b_min < room_b)
        or (nb > 0 and window.b_max - group.b < room_b)
    )


def _box(text: str, side: tuple[int, int]) -> Box:
    """The label's glyphs on ``side`` of its point, in px from the point (y down)."""
    width = _width_px(text)
    na, nb = side
    if na < 0:
        left, right = -GAP_PX - width, -GAP_PX
    elif na > 0:
        left, right = GAP_PX, GAP_PX + width
    else:
        left, right = -width / 2, width / 2
    top, bottom = _ROWS[nb]
    return left, right, top, bottom


def _shifted(box: Box, to: tuple[float, float]) -> Box:
    return box[0] + to[0], box[1] + to[0], box[2] + to[1], box[3] + to[1]


def _square(centre: tuple[float, float], half: float) -> Box:
    return centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half


def _overlap(one: Box, other: Box) -> float:
    """The area (px²) two boxes share."""
    width = min(one[1], other[1]) - max(one[0], other[0])
    height = min(one[3], other[3]) - max(one[2], other[2])
    return max(width, 0.0) * max(height, 0.0)


def _padded(text: str, position: str) -> str:
    """An en space between the label and its point, on the point's side."""
    before = LABEL_GAP if position.endswith("right") else ""
    after = LABEL_GAP if position.endswith("left") else ""
    return before + text + after
