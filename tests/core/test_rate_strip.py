"""The learning-rate scale as HTML: same facts as the old figure, finite positions, escaped text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.figures import palette
from core.figures.rate_strip import STRIP_RANGE_FACTOR, rate_strip_html
from core.maths.experiment import LR_MAX, LR_MIN, Experiment
from core.maths.presets import PRESETS_BY_KEY
from core.maths.theory import Regime, rate_scale

ARTICLE = PRESETS_BY_KEY["article"].experiment  # x = 1: one step at 0.25, bouncing at 0.5, strip to 0.75
SEVERAL = Experiment(points=((1.0, 2.0), (2.0, 5.0), (3.0, 4.0)), lr=0.05)
PERCENT = re.compile(r"([-+0-9.eEnaif]+)%")  # any number-like token before a %, nan/inf included


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def style(self) -> dict[str, str]:
        pairs = (item.split(":", 1) for item in self.attrs.get("style", "").split(";") if ":" in item)
        return {key.strip(): value.strip() for key, value in pairs}

    def percent(self, name: str) -> float:
        value = self.style[name]
        assert value.endswith("%"), value
        return float(value[:-1])


class _Collector(HTMLParser):
    """Every element of the fragment, with the text inside it (descendants' text included)."""

    VOID = frozenset({"br", "img", "hr", "meta", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style":
            self.in_style = True
            return
        element = Element(tag, {key: value or "" for key, value in attrs})
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False
            return
        assert self.open and self.open[-1].tag == tag, f"unbalanced </{tag}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            for element in self.open:
                element.text += data


def parse(fragment: str) -> list[Element]:
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    assert collector.open == [], "unclosed elements"
    return collector.elements


def by_class(elements: list[Element], name: str) -> list[Element]:
    return [element for element in elements if name in element.classes]


def inline_percentages(fragment: str) -> list[str]:
    return [number for style in re.findall(r'style="([^"]*)"', fragment) for number in PERCENT.findall(style)]


def assert_positions_sane(fragment: str) -> None:
    numbers = inline_percentages(fragment)
    assert numbers, "no inline positions found"
    for number in numbers:
        value = float(number)
        assert math.isfinite(value) and 0.0 <= value <= 100.0, number
    lowered = fragment.lower()
    assert "nan" not in lowered and "inf" not in lowered


# --- the article's defaults ----------------------------------------------------------------------


def test_bands_are_proportional_to_their_rate_ranges() -> None:
    elements = parse(rate_strip_html(ARTICLE))
    bands = {band.text: band for band in by_class(elements, "gd-strip-band")}
    assert list(bands) == [Regime.SMOOTH.value, Regime.OVERSHOOTING.value, Regime.DIVERGING.value]
    # strip 0 … 0.75: smooth 0 → 0.25, overshooting 0.25 → 0.5, diverging 0.5 → 0.75
    expected = {"smooth": (0.0, 100 / 3), "overshooting": (100 / 3, 100 / 3), "diverging": (200 / 3, 100 / 3)}
    for name, (left, width) in expected.items():
        assert bands[name].percent("left") == pytest.approx(left, abs=1e-3)
        assert bands[name].percent("width") == pytest.approx(width, abs=1e-3)
        assert bands[name].style["background"] == palette.REGIME[name]
    assert sum(band.percent("width") for band in bands.values()) == pytest.approx(100.0, abs=1e-2)


def test_band_labels_are_black() -> None:
    fragment = rate_strip_html(ARTICLE)
    assert ".gd-strip-band span{color:#000" in fragment
    labels = [e for e in parse(fragment) if e.tag == "span" and e.text in {kind.value for kind in Regime}]
    assert [label.text for label in labels] == ["smooth", "overshooting", "diverging"]
    assert all(label.style["color"] == "#000000" for label in labels)


def test_boundaries_ticks_and_caption() -> None:
    elements = parse(rate_strip_html(ARTICLE))
    lines = by_class(elements, "gd-strip-line")
    assert [line.percent("left") for line in lines] == pytest.approx([100 / 3, 200 / 3], abs=1e-3)
    assert [line.style["background"] for line in lines] == [palette.REGIME["one step"], palette.REGIME["bouncing"]]
    bounds = by_class(elements, "gd-strip-bound")
    assert [bound.text for bound in bounds] == ["one step 0.25", "bouncing 0.5"]
    assert [bound.percent("left") for bound in bounds] == pytest.approx([100 / 3, 200 / 3], abs=1e-3)
    ticks = by_class(elements, "gd-strip-tick")
    assert [tick.text for tick in ticks] == ["0", "0.25", "0.5"]
    assert [tick.percent("left") for tick in ticks] == pytest.approx([0.0, 100 / 3, 200 / 3], abs=1e-3)
    assert [caption.text for caption in by_class(elements, "gd-strip-caption")] == ["learning rate"]


def test_marker_sits_at_the_rate_with_its_label() -> None:
    elements = parse(rate_strip_html(ARTICLE))
    top = STRIP_RANGE_FACTOR * rate_scale(ARTICLE).bounce
    assert top == pytest.approx(0.75)
    (marker,) = by_class(elements, "gd-strip-tri")
    assert marker.percent("left") == pytest.approx(ARTICLE.lr / top * 100, abs=1e-3)
    (label,) = by_class(elements, "gd-strip-you-label")
    assert label.text == "your rate 0.1"
    assert label.percent("left") == marker.percent("left")
    assert "gd-strip-flip" not in label.classes  # left part of the strip: the label runs to the right


def test_aria_label_names_the_regime() -> None:
    (root,) = by_class(parse(rate_strip_html(ARTICLE)), "gd-strip")
    assert root.attrs["role"] == "img"
    assert root.attrs["aria-label"] == (
        "Learning-rate scale: smooth below 0.25, one step at 0.25, overshooting up to 0.5, "
        "bouncing at 0.5, diverging above; your rate 0.1 is smooth."
    )


@pytest.mark.parametrize(
    ("lr", "regime"),
    [(0.01, "smooth"), (0.25, "one step"), (0.4, "overshooting"), (0.5, "bouncing"), (0.6, "diverging")],
)
def test_aria_label_follows_the_rate(lr: float, regime: str) -> None:
    (root,) = by_class(parse(rate_strip_html(ARTICLE.with_(lr=lr))), "gd-strip")
    assert root.attrs["aria-label"].endswith(f"your rate {lr:g} is {regime}.")
    assert rate_scale(ARTICLE).regime(lr).value == regime


def test_label_moves_left_of_the_marker_on_the_right() -> None:
    for lr, flipped in ((0.1, False), (0.3, False), (0.6, True), (0.7, True)):
        (label,) = by_class(parse(rate_strip_html(ARTICLE.with_(lr=lr))), "gd-strip-you-label")
        assert ("gd-strip-flip" in label.classes) is flipped, lr


# --- beyond the end, several points ------------------------------------------------------------------


def test_a_rate_beyond_the_end_is_clamped_with_an_arrow() -> None:
    elements = parse(rate_strip_html(ARTICLE.with_(lr=10.0)))
    (marker,) = by_class(elements, "gd-strip-tri")
    assert marker.percent("left") == 100.0
    (label,) = by_class(elements, "gd-strip-you-label")
    assert label.text == "your rate 10 →" and "gd-strip-flip" in label.classes
    (root,) = by_class(elements, "gd-strip")
    assert "your rate 10 is diverging" in root.attrs["aria-label"]


def test_the_end_of_the_strip_itself_has_no_arrow() -> None:
    elements = parse(rate_strip_html(ARTICLE.with_(lr=0.75)))
    (label,) = by_class(elements, "gd-strip-you-label")
    assert label.text == "your rate 0.75"
    assert by_class(elements, "gd-strip-tri")[0].percent("left") == 100.0


def test_several_points_use_the_hessian_bound() -> None:
    scale = rate_scale(SEVERAL)
    # H = 2·[[mean x², mean x], [mean x, 1]] with mean x² = 14/3, mean x = 2: λmax by the 2×2 formula
    mxx, mx = 14 / 3, 2.0
    lam_max = (mxx + 1) + math.sqrt((mxx - 1) ** 2 + 4 * mx**2)
    assert scale.one_step == pytest.approx(1 / lam_max) and scale.bounce == pytest.approx(2 / lam_max)
    elements = parse(rate_strip_html(SEVERAL))
    ticks = by_class(elements, "gd-strip-tick")
    assert [tick.text for tick in ticks] == ["0", f"{scale.one_step:.4g}", f"{scale.bounce:.4g}"]
    assert [bound.text for bound in by_class(elements, "gd-strip-bound")] == [
        f"one step {scale.one_step:.4g}",
        f"bouncing {scale.bounce:.4g}",
    ]
    top = STRIP_RANGE_FACTOR * scale.bounce
    (marker,) = by_class(elements, "gd-strip-tri")
    assert marker.percent("left") == pytest.approx(SEVERAL.lr / top * 100, abs=1e-3)
    (root,) = by_class(elements, "gd-strip")
    assert root.attrs["aria-label"].endswith(f"your rate 0.05 is {scale.regime(0.05).value}.")


# --- robustness ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [LR_MIN, 0.01, 0.25, 0.5, 0.75, 1.0, LR_MAX])
@pytest.mark.parametrize("points", [((1.0, 4.0),), ((1000.0, 1.0),), ((0.0, 0.0),), ((1.0, 2.0), (2.0, 5.0))])
def test_every_inline_percentage_is_finite_and_in_range(lr: float, points: tuple[tuple[float, float], ...]) -> None:
    assert_positions_sane(rate_strip_html(Experiment(points=points, lr=lr)))


def test_only_scoped_classes() -> None:
    fragment = rate_strip_html(ARTICLE)
    classes = {name for value in re.findall(r'class="([^"]*)"', fragment) for name in value.split()}
    assert classes and all(name.startswith("gd-strip") for name in classes)
    style = fragment[fragment.index("<style>") : fragment.index("</style>")]
    selectors = re.findall(r"\.([\w-]+)", re.sub(r"\{[^}]*\}", "{}", style))
    assert selectors and all(name.startswith("gd-strip") for name in selectors)


def test_text_is_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every piece of text goes through html.escape: a hostile rate text cannot add markup."""
    monkeypatch.setattr("core.words.notation.rate", lambda rate: '<b x="1">&')
    fragment = rate_strip_html(ARTICLE)
    assert "<b" not in fragment
    assert fragment.count("&lt;b x=&quot;1&quot;&gt;&amp;") >= 9  # ticks, boundaries, marker, titles, aria-label
    parse(fragment)  # still well-formed


@settings(max_examples=200, deadline=None)
@given(lr=st.floats(min_value=LR_MIN, max_value=LR_MAX, allow_nan=False, allow_infinity=False))
def test_any_rate_gives_finite_positions(lr: float) -> None:
    assert_positions_sane(rate_strip_html(ARTICLE.with_(lr=lr)))


@settings(max_examples=100, deadline=None)
@given(
    x=st.floats(min_value=-1000, max_value=1000, allow_nan=False),
    lr=st.floats(min_value=LR_MIN, max_value=LR_MAX, allow_nan=False, allow_infinity=False),
)
def test_any_point_and_rate_give_finite_positions(x: float, lr: float) -> None:
    experiment = Experiment(points=((x, 1.0),), lr=lr)
    fragment = rate_strip_html(experiment)
    assert_positions_sane(fragment)
    (root,) = by_class(parse(fragment), "gd-strip")
    assert root.attrs["aria-label"].endswith(f" is {rate_scale(experiment).regime(experiment.lr).value}.") or (
        "beyond the right end" in root.attrs["aria-label"]
    )
