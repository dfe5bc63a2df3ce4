"""The step table as text: one formatting rule, four outputs (HTML, CSV, Markdown, LaTeX).

Every output is built from the same formatted rows (:func:`step_table`), so a student who
downloads the CSV gets exactly the digits on screen. Numbers keep 4 decimals, as in the
article; beyond ``SCIENTIFIC_FROM`` they switch to scientific notation so a diverging run
stays readable instead of printing 20-digit strings. A trajectory never holds NaN or inf
(``core.maths.training`` stops first), and the formatter would still print a dash rather than
"nan" if one slipped through.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.figures import palette
from core.figures.stylesheet import style_element
from core.maths.training import Trajectory
from core.words.notation import cell, on_screen, plain


@dataclass(frozen=True)
class Column:
    """A table column: its key, the header text and the concept colour of its header (if any).

    ``pinned`` keeps a table's last column in sight on a narrow screen (``gd-pin`` in tables.css):
    the loss, which the article says to watch, stays beside the step while the columns between
    them scroll sideways. ``words`` marks a column of words rather than numbers (``gd-words``):
    read from the left, and wrapped onto more lines where a phone is too narrow for it.
    """

    key: str
    header: str
    latex: str
    colour: str | None = None
    pinned: bool = False
    words: bool = False


STEP = Column("step", "Step", "Step")
A = Column("a", "a", "$a$", palette.A)
B = Column("b", "b", "$b$", palette.B)
Y_PRED = Column("y_pred", "y_pred", r"$y_{\mathrm{pred}}$")
ERROR = Column("error", "error", "error", palette.ERROR)
GRAD_A = Column("grad_a", "grad ∂a", r"$\partial L/\partial a$", palette.A)
GRAD_B = Column("grad_b", "grad ∂b", r"$\partial L/\partial b$", palette.B)
LOSS = Column("loss", "Loss", "Loss", palette.LOSS, pinned=True)

ONE_POINT_COLUMNS: tuple[Column, ...] = (STEP, A, B, Y_PRED, ERROR, GRAD_A, GRAD_B, LOSS)
# With several points y_pred and error are one value per point: they go to the per-point table.
SEVERAL_POINTS_COLUMNS: tuple[Column, ...] = (STEP, A, B, GRAD_A, GRAD_B, LOSS)

POINT_COLUMNS: tuple[Column, ...] = (
    Column("point", "Point", "Point"),
    Column("x", "x", "$x$"),
    Column("y", "y", "$y$"),
    Y_PRED,
    ERROR,
    Column("error_sq", "error²", r"error$^2$", palette.LOSS),
    Column("grad_a_part", "2·error·x", r"$2\,e\,x$", palette.A),
    Column("grad_b_part", "2·error", r"$2\,e$", palette.B),
)


@dataclass(frozen=True)
class Table:
    """Formatted rows plus an optional closing note (why the run stopped early).

    ``caption`` says what the table holds, for screen readers (its HTML ``<caption>``).
    """

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None
    caption: str | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)


def step_table(trajectory: Trajectory) -> Table:
    """The rows of the step table, one per step, formatted once for every output."""
    single = trajectory.experiment.single_point
    columns = ONE_POINT_COLUMNS if single else SEVERAL_POINTS_COLUMNS
    rows: list[tuple[str, ...]] = []
    for step in range(trajectory.n_rows):
        values: dict[str, float] = {
            "a": trajectory.a[step],
            "b": trajectory.b[step],
            "grad_a": trajectory.gradient_a[step],
            "grad_b": trajectory.gradient_b[step],
            "loss": trajectory.loss[step],
        }
        if single:
            values["y_pred"] = trajectory.predictions[step, 0]
            values["error"] = trajectory.errors[step, 0]
        cells = [str(step)] + [cell(values[column.key]) for column in columns[1:]]
        rows.append(tuple(cells))
    note = trajectory.divergence.describe() if trajectory.divergence is not None else None
    return Table(columns, tuple(rows), note, _step_caption(trajectory, columns))


def _listed(columns: tuple[Column, ...]) -> str:
    """"a, b, grad ∂a and loss": the columns after the row header, as a sentence reads them."""
    names = [column.header if column.header != "Loss" else "loss" for column in columns[1:]]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def _step_caption(trajectory: Trajectory, columns: tuple[Column, ...]) -> str:
    experiment = trajectory.experiment
    return (
        f"The training run step by step, steps 0 to {trajectory.last_step} at learning rate {plain(experiment.lr)}: "
        f"{_listed(columns)} at each step, before that step's update."
    )


def point_table(trajectory: Trajectory, step: int) -> Table:
    """Each data point's share of one step: prediction, error and its terms of loss and gradients."""
    step = trajectory.clamp_step(step)
    experiment = trajectory.experiment
    predictions = trajectory.predictions[step]
    errors = trajectory.errors[step]
    xs = np.asarray(experiment.xs)
    rows = []
    for index, (x, y) in enumerate(experiment.points):
        e = float(errors[index])
        cells = (
            str(index + 1),
            cell(x),
            cell(y),
            cell(predictions[index]),
            cell(e),
            cell(e * e),
            cell(2.0 * e * float(xs[index])),
            cell(2.0 * e),
        )
        rows.append(cells)
    return Table(POINT_COLUMNS, tuple(rows), caption=f"Each data point at step {step}: {_listed(POINT_COLUMNS)}.")


# --- outputs ----------------------------------------------------------------------------


def _classes(column: Column, *, pinned: bool) -> str:
    """A cell's class attribute: ``gd-pin`` (kept in sight), ``gd-words`` (words, wrapped), or none."""
    names = [name for name, wanted in (("gd-pin", pinned), ("gd-words", column.words)) if wanted]
    return f' class="{" ".join(names)}"' if names else ""


def to_html(table: Table, highlight: int | None = None, caption: str | None = None) -> str:
    """A real ``<table>`` (screen readers, copy, print); every cell text goes through html.escape.

    ``highlight`` is a row index (the picked step). Styling classes (``gd-table``,
    ``gd-picked``, ``gd-note``) are defined in ``tables.css`` beside this module (see
    :func:`scroll_box`); header colours come from :mod:`core.figures.palette` as a coloured rule
    under the header text, which stays readable on light and dark themes.
    """
    caption = caption or table.caption
    parts = ['<table class="gd-table">']
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>")
    # Only the last column can be pinned (to the box's right edge; the row header is on its left).
    pins = [_classes(column, pinned=column.pinned and column is table.columns[-1]) for column in table.columns]
    for column, pin in zip(table.columns, pins, strict=True):
        style = f' style="border-bottom-color: {html.escape(column.colour)}"' if column.colour else ""
        parts.append(f'<th scope="col"{pin}{style}>{html.escape(column.header)}</th>')
    parts.append("</tr></thead><tbody>")
    for index, row in enumerate(table.rows):
        attributes = ' class="gd-picked" aria-current="true"' if index == highlight else ""
        head, *rest = row
        cells = "".join(
            f"<td{pin}>{html.escape(on_screen(cell))}</td>" for cell, pin in zip(rest, pins[1:], strict=False)
        )
        parts.append(f'<tr{attributes}><th scope="row"{pins[0]}>{html.escape(head)}</th>{cells}</tr>')
    parts.append("</tbody>")
    if table.note:
        parts.append(
            f'<tfoot><tr><td class="gd-note" colspan="{len(table.columns)}">'
            f"<div>{html.escape(table.note)}</div></td></tr></tfoot>"
        )
    parts.append("</table>")
    return "".join(parts)


# The tables' style sheet (tables.css, beside this module): the markup and its look in one place.
STYLE = style_element(Path(__file__).with_name("tables.css"), {"gd-loss": palette.LOSS})
TALL_TABLE_ROWS = 16  # longer tables scroll downwards too, under a sticky header


def scroll_box(table_html: str, *, label: str, rows: int) -> str:
    """``table_html`` in its own scrolling box, with the tables' style sheet: one ``st.html`` fragment.

    The box scrolls sideways on a phone (nothing is cut off) and, past ``TALL_TABLE_ROWS`` rows,
    downwards with a sticky header, so a 1000-step table does not push the rest of the page away.
    ``label`` names the region for screen readers; it is escaped.
    """
    tall = " gd-tall" if rows > TALL_TABLE_ROWS else ""
    region = f'<div class="gd-scroll{tall}" role="region" aria-label="{html.escape(label)}" tabindex="0">'
    return f"{STYLE}{region}{table_html}</div>"


def to_csv(table: Table) -> str:
    """Comma-separated values with the on-screen headers; the divergence note is left out (data only)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return buffer.getvalue()


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(table: Table) -> str:
    """A GitHub-style Markdown table, numbers right-aligned, the note as a line below it."""
    lines = [
        "| " + " | ".join(_markdown_cell(h) for h in table.headers) + " |",
        "|" + "|".join("---:" for _ in table.columns) + "|",
    ]
    lines += ["| " + " | ".join(_markdown_cell(cell) for cell in row) + " |" for row in table.rows]
    text = "\n".join(lines) + "\n"
    if table.note:
        text += f"\n{table.note}\n"
    return text


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # The page's own typography, which pdflatex's default encodings cannot set: in math mode instead.
    "−": r"$-$",
    "×": r"$\times$",
    "→": r"$\to$",
    "·": r"$\cdot$",
    "≈": r"$\approx$",
    "∂": r"$\partial$",
}
_SUPERSCRIPT_POWER = re.compile("([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_FROM_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def latex_escape(text: str) -> str:
    """Plain text made safe inside a LaTeX document, the page's −, ×, → and 10²⁴ set in math mode."""
    escaped = "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)
    return _SUPERSCRIPT_POWER.sub(lambda m: f"$^{{{m.group(1).translate(_FROM_SUPERSCRIPT)}}}$", escaped)


def to_latex(table: Table) -> str:
    """A ``tabular`` (plain LaTeX, no extra packages); numbers right-aligned, the note below it."""
    spec = "r" * len(table.columns)
    lines = [
        f"\\begin{{tabular}}{{{spec}}}",
        "\\hline",
        " & ".join(column.latex for column in table.columns) + r" \\",
        "\\hline",
    ]
    lines += [" & ".join(latex_escape(cell) for cell in row) + r" \\" for row in table.rows]
    lines += ["\\hline", "\\end{tabular}"]
    text = "\n".join(lines) + "\n"
    if table.note:
        text += f"\n\\par\\smallskip\\noindent {latex_escape(table.note)}\n"
    return text
