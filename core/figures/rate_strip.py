"""The learning-rate scale as a small HTML/CSS fragment (shown with ``st.html``).

It replaces a Plotly figure: even updated in place, a Plotly chart costs the browser several
times more per rerun than this strip, a few ``<div>`` elements with inline positions
(``benchmarks/bench_rate_strip.py``, figures in PERFORMANCE.md).
It carries the same information: the three bands of rates (smooth, overshooting,
diverging) with widths proportional to their ranges, the two boundary rates (one step,
bouncing), axis ticks, and the student's rate as a marker above the strip.

Design rules:

- Pure Python, no Streamlit: the page decides how to show the string.
- Every position is an inline ``left:…%`` / ``width:…%`` with a finite number clamped to
  [0, 100], so no rate (however extreme) can produce ``nan``, ``inf`` or an element
  outside the strip.
- The CSS is scoped to ``gd-strip*`` classes. Neutral text and lines use ``currentColor``
  and translucent greys, so the same fragment reads on Streamlit's light and dark themes;
  band labels are black because the Okabe–Ito band colours are light enough for it.
- Labels are positioned as items stacked in one grid cell (``position: relative`` with a
  ``left`` offset) instead of ``position: absolute``: that way a label that has to wrap on
  a narrow phone makes its row taller instead of overlapping the next row.
- The whole fragment is one ``role="img"`` with a sentence as its ``aria-label``; every
  piece of text goes through :func:`html.escape`.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

from core.figures import palette
from core.figures.stylesheet import style_element
from core.maths.experiment import Experiment
from core.maths.theory import RateScale, Regime, rate_scale
from core.words import notation

STRIP_RANGE_FACTOR = 1.5  # the strip shows rates from 0 to 1.5 × the bounce rate
# The marker's label goes to the left of the marker past this fraction of the strip. The
# old figure flipped at 0.6; flipping at the middle leaves the label at least half the strip
# on a 390 px phone, so even a long rate such as "your rate 4.167e-05 →" stays inside.
LABEL_FLIP = 0.5
BAND_TEXT = "#000000"

# The style sheet lives beside this file (rate_strip.css); it travels with every fragment.
_CSS = style_element(Path(__file__).with_name("rate_strip.css"))


def _percent(fraction: float) -> str:
    """A fraction of the strip as a CSS percentage: finite and clamped to [0, 100], always."""
    value = 100.0 * fraction
    if not math.isfinite(value):
        value = 100.0 if value > 0 else 0.0
    return f"{min(max(value, 0.0), 100.0):.3f}%"


def _rest_percent(fraction: float) -> str:
    """The part of the strip right of ``fraction`` as a percentage (same clamping)."""
    return _percent(1.0 - min(max(fraction, 0.0), 1.0))


def _number(text: str) -> str:
    """Escaped text kept on one line: a label may wrap between words, never inside "1e-06"."""
    return f'<span class="gd-strip-num">{html.escape(text)}</span>'


def _label(scale: RateScale, lr: float, beyond: bool) -> str:
    """The sentence a screen reader reads instead of the picture."""
    one, edge = notation.rate(scale.one_step), notation.rate(scale.bounce)
    where = scale.regime(lr).value + (", beyond the right end of the scale" if beyond else "")
    return (
        f"Learning-rate scale: {Regime.SMOOTH.value} below {one}, {Regime.ONE_STEP.value} at {one}, "
        f"{Regime.OVERSHOOTING.value} up to {edge}, {Regime.BOUNCING.value} at {edge}, "
        f"{Regime.DIVERGING.value} above; your rate {notation.rate(lr)} is {where}."
    )


def rate_strip_html(experiment: Experiment) -> str:
    """The learning-rate scale for this data with the experiment's rate marked, as an HTML fragment.

    The strip runs from 0 to ``STRIP_RANGE_FACTOR`` × the bounce rate, so all three bands and
    both boundaries are always in view; a rate beyond the end is drawn at the right end with
    an arrow. The boundaries come from the Hessian's largest eigenvalue (``rate_scale``), so
    several data points need nothing special here.
    """
    scale = rate_scale(experiment)
    top = STRIP_RANGE_FACTOR * scale.bounce
    lr = experiment.lr
    beyond = lr > top
    colors = palette.REGIME
    esc = html.escape

    bands = (
        (Regime.SMOOTH, 0.0, scale.one_step),
        (Regime.OVERSHOOTING, scale.one_step, scale.bounce),
        (Regime.DIVERGING, scale.bounce, top),
    )
    band_html = []
    for kind, start, end in bands:
        span = f"{notation.rate(start)} to {notation.rate(end)}" + (" and beyond" if kind is Regime.DIVERGING else "")
        band_html.append(
            f'<div class="gd-strip-band" title="{esc(f"{kind.value}: learning rates from {span}")}" '
            f'style="left:{_percent(start / top)};width:{_percent((end - start) / top)};'
            f'background:{esc(colors[kind.value])}"><span style="color:{BAND_TEXT}">{esc(kind.value)}</span></div>'
        )

    boundaries = ((Regime.ONE_STEP, scale.one_step), (Regime.BOUNCING, scale.bounce))
    line_html = [
        f'<div class="gd-strip-line" title="{esc(f"{kind.value}: lr = {notation.rate(rate)}")}" '
        f'style="left:{_percent(rate / top)};background:{esc(colors[kind.value])}"></div>'
        for kind, rate in boundaries
    ]
    bound_html = [
        f'<div class="gd-strip-bound" style="left:{_percent(rate / top)}">'
        f"{esc(kind.value)} {_number(notation.rate(rate))}</div>"
        for kind, rate in boundaries
    ]
    tick_html = [
        f'<div class="gd-strip-tick" style="left:{_percent(rate / top)}">{esc(notation.rate(rate))}</div>'
        for rate in (0.0, scale.one_step, scale.bounce)
    ]

    fraction = min(lr, top) / top
    at = _percent(fraction)
    flip = fraction > LABEL_FLIP
    # Room on the label's side of the marker, so that even a label too long for it wraps
    # inside the strip instead of running off an edge.
    room = _percent(fraction) if flip else _rest_percent(fraction)
    you_text = f"your rate {_number(notation.rate(lr) + (' →' if beyond else ''))}"
    you_html = (
        f'<div class="gd-strip-row gd-strip-you">'
        f'<div class="gd-strip-tri" style="left:{at}"></div>'
        f'<div class="gd-strip-you-label{" gd-strip-flip" if flip else ""}" '
        f'style="left:{at};max-width:calc({room} - .65rem)">{you_text}</div></div>'
    )

    return (
        f'{_CSS}<div class="gd-strip" role="img" aria-label="{esc(_label(scale, lr, beyond))}">'
        f"{you_html}"
        f'<div class="gd-strip-plot"><div class="gd-strip-bar">{"".join(band_html)}</div>'
        f'{"".join(line_html)}<div class="gd-strip-you-line" style="left:{at}"></div></div>'
        f'<div class="gd-strip-row gd-strip-bounds">{"".join(bound_html)}</div>'
        f'<div class="gd-strip-row gd-strip-axis">{"".join(tick_html)}</div>'
        f'<div class="gd-strip-caption">learning rate</div></div>'
    )
