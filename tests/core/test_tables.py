"""core.words.tables: the formatted step table and its HTML, CSV, Markdown and LaTeX outputs."""

from __future__ import annotations

import csv
import io
import re

import pytest
from article_table import ARTICLE_ROWS, HAND_ROW_5, HEADERS, read_html

from core.figures import palette
from core.maths.experiment import Experiment, from_query
from core.maths.training import train
from core.words import tables
from core.words.notation import on_screen


def run(**query: str):
    return train(from_query(query)[0])


# --- the rows -----------------------------------------------------------------------------


def test_article_rows_in_full_precision() -> None:
    table = tables.step_table(run())
    assert table.headers == HEADERS
    assert list(table.rows) == ARTICLE_ROWS
    assert table.note is None


def test_hand_mode_reproduces_the_article_to_the_digit() -> None:
    table = tables.step_table(run(mode="hand"))
    assert list(table.rows[:5]) == ARTICLE_ROWS[:5]
    assert table.rows[5] == HAND_ROW_5


def test_diverging_run_stops_readably_with_a_note() -> None:
    trajectory = run(lr="0.6", steps="200")
    table = tables.step_table(trajectory)
    assert trajectory.diverged
    assert len(table.rows) == trajectory.divergence.last_step + 1 < 201
    assert table.note == trajectory.divergence.describe()
    cells = [cell for row in table.rows for cell in row]
    assert not any("nan" in cell.lower() or "inf" in cell.lower() for cell in cells)
    assert all(len(cell) <= 12 for cell in cells)  # -999999.9999 or -2.6789e+11, never 20 digits
    assert table.rows[-1][-1].endswith("e+23")
    assert table.rows[1] == ("1", "-0.6000", "0.4000", "-0.2000", "-4.2000", "-8.4000", "-8.4000", "17.6400")


def test_several_points_keep_per_point_columns_out_of_the_main_table() -> None:
    trajectory = run(data="1:4,2:5,3:7")
    table = tables.step_table(trajectory)
    assert table.headers == ("Step", "a", "b", "grad ∂a", "grad ∂b", "Loss")
    # Start (3, 4): predictions 7, 10, 13 → errors 3, 5, 6 → loss (9 + 25 + 36) / 3.
    assert table.rows[0] == ("0", "3.0000", "4.0000", "20.6667", "9.3333", "23.3333")
    points = tables.point_table(trajectory, 0)
    assert points.headers == ("Point", "x", "y", "y_pred", "error", "error²", "2·error·x", "2·error")
    assert [row[3:] for row in points.rows] == [
        ("7.0000", "3.0000", "9.0000", "6.0000", "6.0000"),
        ("10.0000", "5.0000", "25.0000", "20.0000", "10.0000"),
        ("13.0000", "6.0000", "36.0000", "36.0000", "12.0000"),
    ]
    # A step beyond the table is clamped to the last row instead of failing.
    assert tables.point_table(trajectory, 99).rows == tables.point_table(trajectory, 5).rows


# --- outputs ------------------------------------------------------------------------------


def test_html_is_a_real_table_with_the_same_cells_and_the_picked_row() -> None:
    table = tables.step_table(run())
    reader = read_html(tables.to_html(table, highlight=2))
    assert tuple(reader.headers) == HEADERS
    assert [tuple(row) for row in reader.rows] == ARTICLE_ROWS
    assert reader.row_classes == ["", "", "gd-picked", "", "", ""]
    styles = dict(zip(reader.headers, reader.header_styles, strict=True))
    assert palette.A in styles["a"] and palette.B in styles["b"] and palette.LOSS in styles["Loss"]
    assert styles["Step"] == ""


def test_html_pins_the_loss_column_and_nothing_else() -> None:
    """The loss (the step table's last column) carries gd-pin on its header and every cell, so a phone
    keeps it in sight beside the step (tables.css); the per-point table pins nothing, and a pinned
    column that is not last is not pinned (only the box's right edge can hold it)."""
    for query, rows in (({}, 6), ({"data": "1:4,2:5"}, 6), ({"lr": "0.6", "steps": "200"}, None)):
        table = tables.step_table(run(**query))
        markup = tables.to_html(table, highlight=1)
        pinned = re.findall(r'<t[hd] (?:scope="col" )?class="gd-pin"[^>]*>([^<]*)<', markup)
        assert pinned == ["Loss", *(on_screen(row[-1]) for row in table.rows)]
        assert rows is None or len(pinned) == rows + 1
    points = tables.point_table(run(data="1:4,2:5"), 0)
    assert "gd-pin" not in tables.to_html(points)
    loss_first = tables.Table((tables.STEP, tables.LOSS, tables.A), (("0", "9.0000", "3.0000"),))
    assert "gd-pin" not in tables.to_html(loss_first)


def test_html_escapes_every_cell_and_shows_the_note() -> None:
    hostile = tables.Table(
        (tables.STEP, tables.A), (("<b>0</b>", "<script>alert(1)</script>"),), note="a & <i>b</i>"
    )
    markup = tables.to_html(hostile, caption="<x>")
    assert "<script>" not in markup and "<b>" not in markup and "<i>" not in markup and "<x>" not in markup
    assert "&lt;script&gt;" in markup
    reader = read_html(markup)
    assert reader.rows == [["<b>0</b>", "<script>alert(1)</script>"]]
    assert reader.note == "a & <i>b</i>"


def test_diverging_html_has_the_note_as_a_final_row() -> None:
    trajectory = run(lr="0.6", steps="200")
    reader = read_html(tables.to_html(tables.step_table(trajectory)))
    assert reader.note == trajectory.divergence.describe()
    assert "diverged" in reader.note


@pytest.mark.parametrize("query", [{}, {"mode": "hand"}, {"data": "1:4,2:5,3:7"}, {"lr": "0.6", "steps": "200"}])
def test_csv_matches_the_table(query: dict[str, str]) -> None:
    table = tables.step_table(run(**query))
    parsed = list(csv.reader(io.StringIO(tables.to_csv(table))))
    assert tuple(parsed[0]) == table.headers
    assert [tuple(row) for row in parsed[1:]] == list(table.rows)


@pytest.mark.parametrize("query", [{}, {"mode": "hand"}, {"data": "1:4,2:5,3:7"}, {"lr": "0.6", "steps": "200"}])
def test_markdown_matches_the_table(query: dict[str, str]) -> None:
    table = tables.step_table(run(**query))
    lines = tables.to_markdown(table).splitlines()
    cells = [tuple(cell.strip() for cell in line.strip("|").split("|")) for line in lines if line.startswith("|")]
    assert cells[0] == table.headers
    assert set(cells[1]) == {"---:"}
    assert cells[2:] == list(table.rows)
    if table.note:
        assert lines[-1] == table.note


@pytest.mark.parametrize("query", [{}, {"mode": "hand"}, {"data": "1:4,2:5,3:7"}, {"lr": "0.6", "steps": "200"}])
def test_latex_matches_the_table(query: dict[str, str]) -> None:
    table = tables.step_table(run(**query))
    text = tables.to_latex(table)
    assert text.startswith("\\begin{tabular}{" + "r" * len(table.columns) + "}")
    body = [line for line in text.splitlines() if line.endswith(r"\\")]
    assert len(body) == len(table.rows) + 1
    assert [tuple(line.removesuffix(r" \\").split(" & ")) for line in body[1:]] == list(table.rows)
    if table.note:
        assert tables.latex_escape(table.note) in text


def test_latex_escape() -> None:
    assert tables.latex_escape("50% & $x_1$ #{~}") == r"50\% \& \$x\_1\$ \#\{\textasciitilde{}\}"
    # pdflatex's default encodings set none of the page's typography: a diverged run's note said "10²⁴".
    assert tables.latex_escape("beyond 10²⁴, −0.6 × 10⁻⁵ → 0") == r"beyond 10$^{24}$, $-$0.6 $\times$ 10$^{-5}$ $\to$ 0"
    assert all(ord(ch) < 128 or ch == "—" for ch in tables.to_latex(tables.step_table(run(lr="0.6", steps="200"))))


def test_zero_steps_is_one_row() -> None:
    table = tables.step_table(train(Experiment(steps=0)))
    assert list(table.rows) == ARTICLE_ROWS[:1]


def test_the_page_reads_a_real_minus_and_powers_of_ten_while_exports_keep_plain_text() -> None:
    """The same rows feed the page and the files: the page writes −0.4 and 1.8 × 10¹⁸ as its sentences do,
    the CSV keeps -0.4 and 1.8e+18 for a spreadsheet or a program."""
    table = tables.step_table(run(lr="0.6", steps="200"))
    markup = tables.to_html(table)
    assert "-" not in "".join(re.findall(r"<td[^>]*>([^<]*)<", markup))
    assert "−" in markup and " × 10" in markup and "e+" not in markup
    exported = tables.to_csv(table)
    assert "−" not in exported and "e+" in exported and ",-" in exported
