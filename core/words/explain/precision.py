"""Section 5 of the step table: why a hand calculation and full precision can differ."""

from __future__ import annotations

from core.maths.experiment import Experiment
from core.maths.training import HAND_DECIMALS, Trajectory
from core.words.notation import on_screen
from core.words.tables import Table, step_table


def _at_article_settings(trajectory: Trajectory) -> bool:
    """True when the run is the article's example, whatever its precision mode and length."""
    article = Experiment()
    experiment = trajectory.experiment
    return (experiment.points, experiment.a0, experiment.b0, experiment.lr) == (
        article.points, article.a0, article.b0, article.lr
    )


def _first_difference(mine: Table, theirs: Table) -> tuple[int, list[tuple[str, str, str]], bool] | None:
    """The first row where the two tables differ: its index, every (column, mine, theirs) that differs
    there, and whether later rows differ too."""
    for index, (row, other_row) in enumerate(zip(mine.rows, theirs.rows, strict=False)):
        cells = [
            (column.header, cell, other_cell)
            for column, cell, other_cell in zip(mine.columns, row, other_row, strict=True)
            if cell != other_cell
        ]
        if cells:
            later = any(r != o for r, o in zip(mine.rows[index + 1 :], theirs.rows[index + 1 :], strict=False))
            return index, cells, later
    return None


def _listed(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else items[0]


def _same_columns(table: Table, changed: list[tuple[str, str, str]]) -> str:
    """The columns of that row that read the same in both: "a, b and Loss read the same"."""
    names = {header for header, _, _ in changed}
    same = [column.header.replace("Loss", "loss") for column in table.columns[1:] if column.header not in names]
    if not same:
        return ""
    return f"; {_listed(same)} {'reads' if len(same) == 1 else 'read'} the same"


def precision_note(trajectory: Trajectory, other: Trajectory, switch_shown: bool = True) -> str:
    """Why hand mode and full precision can differ, naming every cell of the first row that differs.

    ``other`` is the same experiment in the other mode (the page gets it from the cache). Every
    column of the table is rounded to 4 decimals for display; the note lists exactly the columns
    whose 4 digits change, the ones that stay, and whether later rows drift too. ``switch_shown``:
    the sidebar has the "Hand calculation" switch (a lesson link can hide it); the note only asks
    a student to turn it on when they can.
    """
    hand = trajectory.experiment.hand
    mine, theirs = step_table(trajectory), step_table(other)
    first = _first_difference(mine, theirs)
    rounding = (
        f"Every column of the table shows {HAND_DECIMALS} decimals; the worked-out round below keeps more digits "
        f"where {HAND_DECIMALS} would not add up."
    )
    if first:
        row_index, changed, later = first
        cells = _listed([f"{name.replace('Loss', 'loss')} {on_screen(cell)} → {on_screen(other_cell)}"
                         for name, cell, other_cell in changed])
        where = (
            f"row {row_index}: {cells}{_same_columns(mine, changed)}"
            + ("; later rows drift further" if later else "")
        )
    if hand:
        lead = (
            f"Hand calculation: a and b are rounded to {HAND_DECIMALS} decimals after every update, as you would on "
            "paper, and the next round uses the rounded values. The small rounding errors carry from row to row."
        )
        if first:
            lead += (
                f" Compared with full precision (by hand → full precision) the first row that changes is {where}."
                + ("" if _at_article_settings(trajectory) else
                   " At the article's settings row 5 reads 4.2332 instead of 4.2333 for the same reason.")
            )
        else:
            lead += " For this run both give the same 4-decimal table."
        return f"{lead} {rounding}"
    turn_on = (
        "Turn on “Hand calculation” in the sidebar to round" if switch_shown
        else "“Hand calculation” (a switch this link leaves out of the sidebar) would round"
    )
    lead = (
        "Full precision: every number is carried with all its digits and only rounded for display. "
        f"{turn_on} a and b to 4 decimals after each update, as the article does on paper"
    )
    if first:
        return f"{lead}; the first row that changes (full precision → by hand) is {where}. {rounding}"
    return f"{lead} (at its settings that turns row 5's 4.2333 into 4.2332); here both give the same table. {rounding}"
