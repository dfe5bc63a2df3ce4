"""Words of the many-parameters page: the loop side by side, the chain rule per layer, the run in sentences.

Every number is formatted here from a :class:`~core.maths.network.NetworkRun`, so the page only
lays things out. Sentences are plain text with formatted numbers (safe for Markdown: no user text);
formulas are LaTeX for ``st.latex``. The page's tables (every parameter at one step, the sizes of
real networks) are in :mod:`core.words.network_tables`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.maths.network import (
    NetworkRun,
    climbing,
    first_jump,
    output_rate_limit,
    still_falling,
    suggested_rate,
    target_loss,
)
from core.maths.network_settings import UNITS_MAX, NetworkSettings, parameter_count
from core.maths.training import LOSS_LIMIT, PARAM_LIMIT
from core.words.notation import plain

# --- the fit chart ---------------------------------------------------------------------------


def fit_caption(run: NetworkRun) -> str:
    """The line under the fit chart: how to step through the run, or that there is nothing to step through."""
    if run.last_step == 0:
        return "The chart shows step 0 only: this run has no update to play or step through."
    return (
        "▶ Play or drag the step slider under the chart: the curve moves through the run in your browser. "
        "Long runs show more of the early steps, where the network changes most."
    )


# --- the number of parameters ---------------------------------------------------------------


def parameter_count_formula(units: int) -> str:
    """"3·8 + 1 = 25" — or the line's "a and b: 2" without hidden units."""
    if units == 0:
        return "a and b: 2"
    return f"3·{units} + 1 = {parameter_count(units)}"


def model_sentence(units: int) -> str:
    """What the network is, in one sentence."""
    if units == 0:
        return (
            "With 0 hidden units there is no hidden layer: the model is the line a·x + b of the other "
            "pages, with its 2 parameters."
        )
    unit_word = "unit" if units == 1 else "units"
    return (
        f"One input x, {units} hidden {unit_word} that each bend a line into an S (tanh), and one output "
        f"that adds them up: {parameter_count_formula(units)} parameters, all learned by the same loop."
    )


# --- the parameters by name -------------------------------------------------------------------


def role(name: str) -> str:
    """What a parameter does, from its name in θ ("w1[3]" → "unit 3: input weight")."""
    if name == "a":
        return "slope"
    if name == "b":
        return "intercept"
    if name == "b2":
        return "output bias"
    kind, unit = name[:2], name[3:-1]
    what = {"w1": "input weight", "b1": "bias", "w2": "output weight"}[kind]
    return f"unit {unit}: {what}"


def role_phrase(name: str) -> str:
    """A parameter named in a sentence: "the bias of hidden unit 41 (b1[41])", "the intercept b"."""
    if name in ("a", "b"):
        return f"the {role(name)} {name}"
    if name == "b2":
        return "the output bias (b2)"
    unit, what = role(name).removeprefix("unit ").split(": ")
    return f"the {what} of hidden unit {unit} ({name})"


# --- the bridge: the loop as code ---------------------------------------------------------------

# No line is longer than LOOP_WIDTH characters: a 390 px phone shows 36 of them in a code box, so
# no line wraps there; on a narrower screen a wrapped line hangs under its own start (accessibility.css).
LOOP_WIDTH = 36

TWO_PARAMETER_LOOP = """\
# 2 parameters: a and b
for step in range(steps):
    # 1. predict
    y_pred = predict(a, b, x)
    # 2. measure the loss
    error = y_pred - y
    loss = measure_loss(error)
    # 3. compute the gradients
    grad_a, grad_b = (
        compute_gradients(error, x))
    # 4. update both at once
    a, b = update(
        a, b, grad_a, grad_b, lr)
"""


def network_loop(units: int) -> str:
    """The network's loop: the same four steps line for line, θ (every parameter in one vector) for a and b."""
    count = parameter_count(units)
    return f"""\
# theta: all {count} parameters
for step in range(steps):
    # 1. predict: the forward pass
    fwd = predict(
        network, theta, inputs)
    # 2. measure the loss
    error = fwd.y_pred - y
    loss = measure_loss(error)
    # 3. compute the gradients
    grad = compute_gradients(
        network, theta, fwd, error)
    # 4. update all {count} at once
    theta = update(theta, grad, lr)
"""


LOOP_CAPTIONS = (
    "The line of the first three pages: the app trains it with exactly these four functions.",
    "This page's network, with the app's own functions too. Only step 3 has more to do: the error is "
    "passed back through each layer (backpropagation, below).",
)


@dataclass(frozen=True)
class ChainRuleLine:
    """One layer of backpropagation: what it says in words and as a formula."""

    words: str
    latex: str


def chain_rule(units: int) -> tuple[ChainRuleLine, ...]:
    """Backpropagation written out layer by layer, from the loss back to the input weights.

    A layer's formulas are stacked (``gathered``), not set side by side: side by side they ran
    wider than a phone, and a display that scrolls sideways has no keyboard stop (WCAG, axe).
    """
    start = ChainRuleLine(
        "The loss: how it changes with each prediction (the same first link as on the step table).",
        r"\frac{\partial L}{\partial \hat y_i} = \frac{2}{N}\,(\hat y_i - y_i) = \frac{2}{N}\,e_i",
    )
    if units == 0:
        return (
            start,
            ChainRuleLine(
                "The line ŷ = a·x + b: a multiplies x, b is added, so the chain ends here.",
                r"\begin{gathered}\frac{\partial L}{\partial a} = \sum_i \frac{2}{N} e_i\,x_i \\ "
                r"\frac{\partial L}{\partial b} = \sum_i \frac{2}{N} e_i\end{gathered}",
            ),
        )
    return (
        start,
        ChainRuleLine(
            "Output layer, ŷ = Σⱼ w2ⱼ·hⱼ + b2: each output weight sees its unit's h, the bias sees 1, "
            "and each unit's h reaches the loss through its weight w2ⱼ.",
            r"\begin{gathered}"
            r"\frac{\partial L}{\partial w_{2j}} = \sum_i \frac{\partial L}{\partial \hat y_i} h_{ij} \\ "
            r"\frac{\partial L}{\partial b_2} = \sum_i \frac{\partial L}{\partial \hat y_i} \\ "
            r"\frac{\partial L}{\partial h_{ij}} = \frac{\partial L}{\partial \hat y_i}\, w_{2j}\end{gathered}",
        ),
        ChainRuleLine(
            "Hidden layer, h = tanh(z): the S-curve's slope is 1 − h², so a unit that is saturated (h near ±1) "
            "passes almost nothing back.",
            r"\frac{\partial L}{\partial z_{ij}} = \frac{\partial L}{\partial h_{ij}}\,(1 - h_{ij}^2)",
        ),
        ChainRuleLine(
            "Input layer, zⱼ = w1ⱼ·x + b1ⱼ: the same pattern as a and b on the first page.",
            r"\begin{gathered}\frac{\partial L}{\partial w_{1j}} = \sum_i \frac{\partial L}{\partial z_{ij}}\,x_i \\ "
            r"\frac{\partial L}{\partial b_{1j}} = \sum_i \frac{\partial L}{\partial z_{ij}}\end{gathered}",
        ),
    )


# --- the run in words -------------------------------------------------------------------------


def fit_sentence(run: NetworkRun) -> str:
    """Where the loss went, compared with what the noiseless target scores on the same points."""
    loss = run.loop.loss
    start, end = float(loss[0]), float(loss[-1])
    reference = target_loss(run)
    text = f"The loss went from {plain(start)} at the start to {plain(end)} after {run.last_step} updates."
    if reference > 0.0:
        text += (
            f" For scale: the noiseless {run.settings.target} the points came from scores {plain(reference)} "
            "on them, because of the noise."
        )
        if end < reference:
            text += " The network is now below that: it has started to follow the noise itself."
    if climbing(run) and not run.diverged:
        text += (
            " It is climbing: this rate is too large for this network, and more updates would only take the "
            "loss further up, until the run stops at the safe range."
        )
    jump = first_jump(run)
    if jump is not None and not climbing(run):
        text += (
            f" At step {jump} the loss jumped up before falling again: this rate is close to the most this "
            "network can take there. A smaller rate falls smoothly."
        )
    return text


def rate_sentence(run: NetworkRun) -> str:
    """The learning rate against the output layer's limit at the start (see ``output_rate_limit``).

    The limit is 2 ÷ the loss's steepest curvature along the output weights: said in words, by what
    happens above it, and tied to the bouncing rate the loss curve page shows for a and b.
    """
    limit = plain(output_rate_limit(run, 0), 3)
    overshoot = (f"with any rate above about {limit} each update jumps past the lowest point further than the last "
                 "one did, so the loss grows instead of falling.")
    if run.network.units == 0:
        text = (f"The learning rate has a limit: {overshoot} It is the bouncing rate of the loss curve page, where "
                "the error swings back and forth forever.")
    else:
        text = (f"Even the output weights alone (w2 and b2, which add the hidden units up) limit the learning rate: "
                f"at the start, {overshoot} It is the same kind of limit as the bouncing rate on the loss curve page, "
                "where the error swings back and forth forever. More hidden units lower it, so bigger networks "
                "need smaller rates.")
    if run.lr > output_rate_limit(run, 0):
        text += f" This run's rate, {plain(run.lr)}, is above it."
    return text


def _power_of_ten(limit: float) -> tuple[str, int]:
    """"10¹²" and 12: a safe-range limit as a student reads it, and its count of zeros."""
    return plain(limit).removeprefix("1 × "), round(math.log10(limit))


def divergence_sentence(run: NetworkRun) -> str | None:
    """Why the run stopped early, in words: which number ran away, how far, and which way (None if it did not).

    The same facts as ``Divergence.describe`` (``core.maths.training``), with the parameter named by
    what it does: "the bias of hidden unit 41 (b1[41])", not "b1[41]" alone.
    """
    divergence = run.loop.divergence
    if divergence is None:
        return None
    if divergence.quantity == "loss":
        power, zeros = _power_of_ten(LOSS_LIMIT)
        where = f"the loss above {power}, a 1 followed by {zeros} zeros"
    else:
        power, zeros = _power_of_ten(PARAM_LIMIT)
        up = divergence.value_sign > 0
        where = (f"{role_phrase(divergence.quantity)} {'above' if up else 'below −'}{' ' if up else ''}{power}, "
                 f"{'' if up else 'minus '}a 1 followed by {zeros} zeros")
    return (f"After step {divergence.last_step} the next update would push {where}: "
            "the run diverged, so it stops here.")


@dataclass(frozen=True)
class Suggestion:
    """A rate and length that suit this network, offered when the run shows too little or diverged."""

    text: str
    button: str
    rate: float
    steps: int


def suggestion(run: NetworkRun, few_steps: int = 100) -> Suggestion | None:
    """What to try when the run is too short to see much, or diverged; None when it looks fine.

    A short run whose loss has stopped falling is fine: more updates would not change it.
    """
    rate = suggested_rate(run)
    if climbing(run):
        steps = max(run.steps, 1000)
        text = f"This run {'diverged' if run.diverged else 'is diverging'}. A rate of {plain(rate)} suits this network."
    elif run.steps < few_steps and still_falling(run):
        steps = 1000
        text = (
            f"{run.steps} updates barely move {run.network.size} parameters. "
            f"Try 1000 updates at a rate of {plain(rate)}."
        )
    else:
        return None
    return Suggestion(text, f"Use rate {plain(rate)}, {steps} steps", rate, steps)


def link_network_sentence(settings: NetworkSettings) -> str:
    """What a lesson link to the network page carries besides the sidebar's experiment."""
    units = "no hidden units (the line)" if settings.units == 0 else (
        f"{settings.units} hidden unit{'s' if settings.units != 1 else ''}")
    return (f"The link also holds the network as set on Many parameters: {units}, the {settings.target} curve, "
            f"{settings.points} points, noise {plain(settings.noise)}, seed {settings.seed}.")


def shared_settings_sentence(lr: float, steps: int, hidden: frozenset[str] = frozenset()) -> str:
    """Where this page's rate and steps come from; a link that hides them from the sidebar says so."""
    where = [name for name, key in (("learning rate", "lr"), ("steps", "steps")) if key not in hidden]
    settings = f"Learning rate {plain(lr)} and {steps} steps"
    if len(where) == 2:
        return f"{settings} come from the sidebar, shared with the other pages."
    if not where:
        return f"{settings} are set by the link you opened, shared with the other pages."
    return f"{settings} are shared with the other pages; the {where[0]} can be changed in the sidebar."


INTRODUCTION = (
    "The line a·x + b learns with two parameters. A neural network learns with more — here up to "
    f"{parameter_count(UNITS_MAX)}, in real models billions — and every one of them is trained by the same "
    "round: predict, measure the loss, compute the gradients, update."
)
