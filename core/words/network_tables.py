"""Tables of the many-parameters page: every parameter at one step, and the sizes of real networks.

Split from :mod:`core.words.network` (the page's sentences and code) by kind. Each table is a
:class:`core.words.tables.Table` for ``to_html``; it is read on screen only (never exported), so
its numbers are :func:`~core.words.notation.read_cell`'s: 4 decimals with a real minus sign, as the
sentences around it write them, and powers of ten as × 10ᵏ. On a phone the columns of words come
first and wrap (``words`` columns, ``gd-words`` in tables.css), so what a row is about is read
before any swipe.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.figures import palette
from core.maths.network import NetworkRun, StepChanges, largest_gradients, step_changes
from core.maths.network_settings import parameter_count
from core.words.network import divergence_sentence, role
from core.words.notation import plain, read_cell
from core.words.tables import Column, Table

PARAMETERS_SHOWN = 12  # more parameters than this: the table shows those with the largest gradients


# --- the parameters at one step ---------------------------------------------------------------


NBSP = "\u00a0"  # a space a line never breaks at


def _unbroken(text: str) -> str:
    """"unit 28: output weight" wrapped at the colon only: "unit 28:" over "output weight", never 3 lines."""
    return ": ".join(part.replace(" ", NBSP) for part in text.split(": "))


PARAMETER_COLUMNS: tuple[Column, ...] = (  # what each one is first: a phone shows it before any swipe
    Column("name", "Parameter", "Parameter"),
    Column("role", "What it is", "What it is", words=True),
    Column("value", "Value", "Value", palette.A),
    Column("gradient", "Gradient ∂L/∂θ", r"$\partial L/\partial\theta$", palette.LOSS),
    Column("update", "Update −lr·∂L/∂θ", r"$-\mathrm{lr}\,\partial L/\partial\theta$", palette.PATH),
    Column("next", "Next value", "Next value", palette.A),
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
            _unbroken(role(names[index])),
            read_cell(value),
            read_cell(float(changes.gradients[index])),
            read_cell(update),
            read_cell(value + update) if changes.applied else "—",
        ))
    return Table(PARAMETER_COLUMNS, tuple(rows), parameter_table_note(run, changes))


def parameter_table_note(run: NetworkRun, changes: StepChanges) -> str | None:
    """Why the last row has no next value: the run ends there, or it diverged and stopped."""
    if changes.applied:
        return None
    if run.loop.divergence is not None:
        return divergence_sentence(run)
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

# Model and count first (the section's point); the words wrap, so at 390 px the whole table fits.
SIZE_COLUMNS: tuple[Column, ...] = (
    Column("model", "Model", "Model", words=True),
    Column("parameters", "Parameters", "Parameters"),
    Column("what", "What it does", "What it does", words=True),
    Column("year", "Year", "Year"),
)


def sizes_table(units: int) -> Table:
    """This app's two models and a few published ones, smallest first (sources: :func:`size_sources`)."""
    rows = [
        (f"The line a·x{NBSP}+{NBSP}b", "2", "the first three pages", "—"),
        ("This page's network", f"{parameter_count(units):,}", f"{units} hidden unit{'' if units == 1 else 's'}", "—"),
    ]
    rows += [(f"{m.name} [{n}]", m.parameters, m.what, str(m.year)) for n, m in enumerate(KNOWN_MODELS, start=1)]
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
