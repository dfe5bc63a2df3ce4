"""Words of the many-parameters page: the loop side by side, the chain rule per layer, the tables, the notes.

Every number is formatted here from a :class:`~core.maths.network.NetworkRun`, so the page only
lays things out. Sentences are plain text with formatted numbers (safe for Markdown: no user text);
formulas are LaTeX for ``st.latex``; tables are :class:`core.words.tables.Table` for ``to_html``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.figures import palette
from core.maths.network import (
    NetworkRun,
    StepChanges,
    first_jump,
    largest_gradients,
    output_rate_limit,
    step_changes,
    still_falling,
    suggested_rate,
    target_loss,
)
from core.maths.network_settings import UNITS_MAX, NetworkSettings, parameter_count
from core.words.notation import cell, plain
from core.words.tables import Column, Table

PARAMETERS_SHOWN = 12  # more parameters than this: the table shows those with the largest gradients


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


# --- the parameters at one step ---------------------------------------------------------------


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


PARAMETER_COLUMNS: tuple[Column, ...] = (  # the numbers first: a phone shows them before scrolling
    Column("name", "Parameter", "Parameter"),
    Column("value", "Value", "Value", palette.A),
    Column("gradient", "Gradient ∂L/∂θ", r"$\partial L/\partial\theta$", palette.LOSS),
    Column("update", "Update −lr·∂L/∂θ", r"$-\mathrm{lr}\,\partial L/\partial\theta$", palette.PATH),
    Column("next", "Next value", "Next value", palette.A),
    Column("role", "What it is", "What it is"),
)


def parameter_table(run: NetworkRun, step: int) -> Table:
    """Each parameter at ``step`` — or the 12 with the largest |gradient| — with value, gradient and update."""
    changes = step_changes(run, step)
    names = run.network.names()
    many = len(names) > PARAMETERS_SHOWN
    indices = largest_gradients(changes, PARAMETERS_SHOWN) if many else np.arange(len(names))
    rows = []
    for index in indices:
        value, update = float(changes.values[index]), float(changes.updates[index])
        rows.append((
            names[index],
            cell(value),
            cell(float(changes.gradients[index])),
            cell(update),
            cell(value + update) if changes.applied else "—",
            role(names[index]),
        ))
    return Table(PARAMETER_COLUMNS, tuple(rows), parameter_table_note(run, changes))


def parameter_table_note(run: NetworkRun, changes: StepChanges) -> str | None:
    """Why the last row has no next value, or why the run stopped."""
    if changes.applied:
        return None
    if run.loop.divergence is not None:
        return run.loop.divergence.describe()
    return f"Step {changes.step} is the last: its gradients are measured, but the run ends before using them."


def parameter_table_lead(run: NetworkRun, step: int) -> str:
    total = run.network.size
    if total <= PARAMETERS_SHOWN:
        return (
            f"All {total} parameters at step {step}: each moves by −lr × its own gradient "
            f"(lr = {plain(run.lr)}), all from the same θ — the step table's row, widened."
        )
    return (
        f"The {PARAMETERS_SHOWN} of {total} parameters with the largest gradients at step {step}, largest first. "
        f"Each moves by −lr × its own gradient (lr = {plain(run.lr)}); the other {total - PARAMETERS_SHOWN} "
        "move the same way, by less."
    )


def output_bias_check(run: NetworkRun, step: int) -> str:
    """The output bias's gradient is mean(2·error), exactly as ∂L/∂b on the first page: say it with numbers."""
    changes = step_changes(run, step)
    name = "b" if run.network.units == 0 else "b2"
    index = run.network.names().index(name)
    return (
        f"Check one by hand: the output's bias {name} is added to every prediction, so its gradient is the "
        f"mean of 2·error, as ∂L/∂b is on the step table — here {plain(float(changes.gradients[index]))}."
    )


# --- the bridge: the loop as code ---------------------------------------------------------------

TWO_PARAMETER_LOOP = """\
# 2 parameters: a and b
for step in range(steps):
    # 1. predict
    y_pred = predict(a, b, x)
    # 2. measure the loss
    error = y_pred - y
    loss = measure_loss(error)
    # 3. compute the gradients
    grad_a, grad_b = compute_gradients(
        error, x)
    # 4. update both at once
    a, b = update(a, b, grad_a, grad_b, lr)
"""


def network_loop(units: int) -> str:
    """The network's loop: the same four steps line for line, θ (every parameter in one vector) for a and b."""
    count = parameter_count(units)
    return f"""\
# {count} parameters in one vector: theta
for step in range(steps):
    # 1. predict: the forward pass
    fwd = predict(network, theta, inputs)
    # 2. measure the loss
    error = fwd.y_pred - y
    loss = measure_loss(error)
    # 3. compute the gradients: backprop
    grad = compute_gradients(
        network, theta, fwd, error)
    # 4. update all {count} at once
    theta = update(theta, grad, lr)
"""


LOOP_CAPTIONS = (
    "The first three pages: `core/maths/training.py`.",
    "This page: `core/maths/network.py`. Only step 3 has more to do — the chain rule through each layer.",
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
    jump = first_jump(run)
    if jump is not None and not run.diverged:
        text += (
            f" At step {jump} the loss jumped up before falling again: this rate is close to the most this "
            "network can take there. A smaller rate falls smoothly."
        )
    return text


def rate_sentence(run: NetworkRun) -> str:
    """The learning rate against the output layer's limit at the start (see ``output_rate_limit``)."""
    limit = output_rate_limit(run, 0)
    text = (
        f"At the start the output layer alone makes the loss curve so steeply that any rate above about "
        f"{plain(limit, 3)} diverges there (2 ÷ its steepest curvature, the bound the loss curve page shows "
        "for two parameters)."
    )
    if run.network.units > 0:
        text += " More hidden units curve it more, so bigger networks need smaller rates."
    if run.lr > limit:
        text += f" This run's rate, {plain(run.lr)}, is above it."
    return text


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
    if run.diverged:
        steps = max(run.steps, 1000)
        text = f"This run diverged. A rate of {plain(rate)} suits this network."
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


def shared_settings_sentence(lr: float, steps: int) -> str:
    return f"Learning rate {plain(lr)} and {steps} steps come from the sidebar, shared with the other pages."


INTRODUCTION = (
    "The line a·x + b learns with two parameters. A neural network learns with more — here up to "
    f"{parameter_count(UNITS_MAX)}, in real models billions — and every one of them is trained by the same "
    "round: predict, measure the loss, compute the gradients, update."
)


# --- the sizes of real networks --------------------------------------------------------------


@dataclass(frozen=True)
class KnownModel:
    name: str
    what: str
    year: int
    parameters: str
    source: str


# Counts as the papers state them.
KNOWN_MODELS: tuple[KnownModel, ...] = (
    KnownModel("LeNet-5", "reads handwritten digits", 1998, "about 60,000",
               "LeCun, Bottou, Bengio & Haffner, “Gradient-based learning applied to document recognition”, "
               "Proceedings of the IEEE, 1998."),
    KnownModel("AlexNet", "sorts photos into 1,000 kinds", 2012, "60 million",
               "Krizhevsky, Sutskever & Hinton, “ImageNet classification with deep convolutional neural "
               "networks”, NIPS 2012."),
    KnownModel("BERT-Large", "reads text", 2018, "340 million",
               "Devlin, Chang, Lee & Toutanova, “BERT: Pre-training of deep bidirectional transformers for "
               "language understanding”, arXiv 2018 (NAACL 2019)."),
    KnownModel("GPT-2", "writes text", 2019, "1.5 billion",
               "Radford, Wu, Child, Luan, Amodei & Sutskever, “Language models are unsupervised multitask "
               "learners”, OpenAI report, 2019."),
    KnownModel("GPT-3", "writes text", 2020, "175 billion",
               "Brown et al., “Language models are few-shot learners”, NeurIPS 2020."),
)

SIZE_COLUMNS: tuple[Column, ...] = (  # the count first: a phone shows it before scrolling
    Column("model", "Model", "Model"),
    Column("parameters", "Parameters", "Parameters"),
    Column("year", "Year", "Year"),
    Column("what", "What it does", "What it does"),
)


def sizes_table(units: int) -> Table:
    """This app's two models and a few published ones, smallest first (sources: :func:`size_sources`)."""
    rows = [
        ("The line a·x + b", "2", "—", "the first three pages"),
        ("This page's network", f"{parameter_count(units):,}", "—", f"{units} hidden units"),
    ]
    rows += [(f"{m.name} [{n}]", m.parameters, str(m.year), m.what) for n, m in enumerate(KNOWN_MODELS, start=1)]
    return Table(SIZE_COLUMNS, tuple(rows))


def size_sources() -> tuple[str, ...]:
    """The papers behind the table's counts, numbered as in the table."""
    return tuple(f"[{n}] {m.source}" for n, m in enumerate(KNOWN_MODELS, start=1))


LARGE_MODELS_LINE = (
    "Every one of them is trained by this loop — predict, measure the loss, backpropagate, update. "
    "The large ones add refinements on top: each gradient is measured on a small random batch of examples "
    "(a minibatch) rather than on all of them, and an optimiser such as momentum or Adam turns the recent "
    "gradients into each parameter's step instead of taking −lr × gradient as it is."
)
