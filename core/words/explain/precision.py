"""Section 5 of the step table: why a hand calculation and full precision can differ."""

from __future__ import annotations

from core.maths.experiment import Experiment
from core.maths.training import HAND_DECIMALS, Trajectory
from core.words.tables import step_table


def _at_article_settings(trajectory: Trajectory) -> bool:
    """True when the run is the article's example, whatever its precision mode and length."""
    article = Experiment()
    experiment = trajectory.experiment
    return (experiment.points, experiment.a0, experiment.b0, experiment.lr) == (
        article.points, article.a0, article.b0, article.lr
    )


def precision_note(trajectory: Trajectory, other: Trajectory) -> str:
    """Why hand mode and full precision can differ, with the first differing cell of this run.

    ``other`` is the same experiment in the other mode (the page gets it from the cache).
    """
    hand = trajectory.experiment.hand
    mine, theirs = step_table(trajectory), step_table(other)
    first = None
    for row_index, (row, other_row) in enumerate(zip(mine.rows, theirs.rows, strict=False)):
        for column, cell, other_cell in zip(mine.columns, row, other_row, strict=True):
            if cell != other_cell:
                first = (row_index, column.header, cell, other_cell)
                break
        if first:
            break
    if hand:
        lead = (
            f"Hand calculation: a and b are rounded to {HAND_DECIMALS} decimals after every update, as you would on "
            "paper, and the next round uses the rounded values. The small rounding errors carry from row to row."
        )
        if first:
            row_index, header, cell, other_cell = first
            lead += (
                f" Here the first visible difference is row {row_index}, {header}: {cell} by hand, {other_cell} in "
                "full precision"
                + ("." if _at_article_settings(trajectory) else
                   " (at the article's settings row 5 reads 4.2332 instead of 4.2333 for the same reason).")
            )
        else:
            lead += " For this run both give the same 4-decimal table."
        return lead
    lead = (
        "Full precision: every number is carried with all its digits and only rounded for display. "
        "Turn on “Hand calculation” in the sidebar to round a and b to 4 decimals after each update, as the "
        "article does on paper"
    )
    if first:
        row_index, header, cell, other_cell = first
        return lead + f"; here that changes row {row_index}, {header}, from {cell} to {other_cell}."
    return lead + " (at its settings that turns row 5's 4.2333 into 4.2332); here both give the same table."
