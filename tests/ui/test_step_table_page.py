"""The step table page, run by Streamlit's AppTest: what a student reads at given share links."""

from __future__ import annotations

import contextlib
import csv
import io
import re

import pytest
from app_elements import headings, shown_html
from article_table import ARTICLE_ROWS, HAND_ROW_5, HEADERS, read_html
from streamlit.testing.v1 import AppTest

from core.words.notation import on_screen

PAGE = "../../views/step_table.py"
APP = "../../app.py"
NAN_OR_INF = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)


def open_page(**query: str) -> AppTest:
    """The page alone, as a share link opens it (ui.state falls back to the query params)."""
    at = AppTest.from_file(PAGE, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def rerun_with(at: AppTest, **query: str) -> AppTest:
    """The same session opening another share link (one AppTest is much cheaper than many)."""
    at.query_params.clear()
    at.query_params.update(query)
    at.run()
    assert not at.exception, (query, [e.message for e in at.exception])
    return at


def html_bodies(at: AppTest) -> list[str]:
    """The page's HTML blocks, without the share-link notice box that app.py may put first."""
    return [element.value for element in shown_html(at) if "gd-notice" not in element.value]


def step_table(at: AppTest):
    """The first HTML table on the page: the step table."""
    return read_html(html_bodies(at)[0])


def picked_row(at: AppTest) -> int:
    classes = step_table(at).row_classes
    assert classes.count("gd-picked") == 1
    return classes.index("gd-picked")


def all_text(at: AppTest) -> str:
    parts = html_bodies(at)
    for kind in ("markdown", "latex", "caption", "warning", "info", "code", "subheader", "title"):
        parts += [str(element.value) for element in at.get(kind)]
    return "\n".join(parts)


DISPLAY_MATH = re.compile(r"\$\$\n(.*?)\n\$\$", re.DOTALL)


def formulas(at: AppTest) -> list[str]:
    """Every display formula on the page: each ``$$…$$`` block of its Markdown and any ``st.latex``.

    The page writes a formula inside its paragraph's Markdown element (one element, not one per
    formula: see ``ui.components.prose``); the browser renders both the same way.
    """
    return [formula for element in (*at.markdown, *at.latex) for formula in DISPLAY_MATH.findall(element.value)]


def latex(at: AppTest) -> str:
    return "\n".join(formulas(at))


def shown_code(at: AppTest, language: str) -> str:
    (code,) = [element.value for element in at.code if element.language == language]
    return code


# --- the table -------------------------------------------------------------------------------


def test_defaults_show_the_articles_table_in_full_precision() -> None:
    at = open_page()
    table = step_table(at)
    assert tuple(table.headers) == HEADERS
    assert [tuple(row) for row in table.rows] == ARTICLE_ROWS
    assert picked_row(at) == 0
    assert "tabular-nums" in html_bodies(at)[0] and "overflow-x:auto" in html_bodies(at)[0]
    # The start above the table: the first guess and how far off it is.
    assert r"3 \cdot 1 + 4 = 7" in latex(at)
    assert any("off by 3" in element.value for element in at.markdown)
    # Exact mode points at hand mode and the 4th-decimal difference.
    assert any("Hand calculation" in c.value and "y_pred 4.2333 → 4.2332, error 0.2333 → 0.2332" in c.value
               for c in at.caption)


def test_hand_mode_reads_the_articles_row_five() -> None:
    at = open_page(mode="hand")
    rows = [tuple(row) for row in step_table(at).rows]
    assert rows[5] == HAND_ROW_5
    assert rows[5][3:] == ("4.2332", "0.2332", "0.4664", "0.4664", "0.0544")
    (note,) = [element.value for element in at.info]
    assert "rounded to 4 decimals" in note and "4.2332" in note and "4.2333" in note


def test_diverging_run_is_readable_and_says_so() -> None:
    at = open_page(lr="0.6", steps="200")
    assert not NAN_OR_INF.search(all_text(at))
    table = step_table(at)
    assert 50 < len(table.rows) < 201
    assert "diverged" in table.note
    assert any("diverged" in element.value for element in at.warning)
    assert " × 10" in table.rows[-1][-1]  # scientific notation, not a 20-digit number


def test_several_points_show_per_point_details_for_the_picked_step() -> None:
    at = open_page(data="1:4,2:5,3:7")
    table = step_table(at)
    assert tuple(table.headers) == ("Step", "a", "b", "grad ∂a", "grad ∂b", "Loss")
    assert table.rows[0] == ["0", "3.0000", "4.0000", "20.6667", "9.3333", "23.3333"]
    assert any(element.label == "Each point at step 0" for element in at.expander)
    points = read_html(html_bodies(at)[1])
    assert [row[3] for row in points.rows] == ["7.0000", "10.0000", "13.0000"]
    assert r"\frac{1}{3}\left(3^2 + 5^2 + 6^2\right)" in latex(at)


# --- the step picker -------------------------------------------------------------------------


def test_picking_a_step_highlights_it_and_plugs_in_its_numbers() -> None:
    at = open_page()
    at.slider[0].set_value(1).run()
    assert picked_row(at) == 1
    assert r"2.4 \cdot 1 + 3.4 = 5.8" in latex(at)
    assert r"2.4 - 0.1 \cdot 3.6 = 2.04" in latex(at)
    assert "Step 1, worked out" in headings(at)


def buttons(at: AppTest) -> tuple:
    by_label = {element.label: element for element in at.button}
    return by_label["Previous"], by_label["Next"]


def test_previous_and_next_move_the_step_and_stop_at_the_ends() -> None:
    at = open_page()
    previous, following = buttons(at)
    assert previous.disabled and not following.disabled
    for expected in (1, 2, 3, 4, 5):
        buttons(at)[1].click().run()
        assert picked_row(at) == expected
        assert at.slider[0].value == expected
    previous, following = buttons(at)
    assert following.disabled and not previous.disabled
    at.run()  # a rerun keeps the last row
    assert picked_row(at) == 5
    assert "no update follows" in "\n".join(element.value for element in at.markdown)
    buttons(at)[0].click().run()
    assert picked_row(at) == 4
    assert at.slider[0].value == 4


def test_picked_step_is_clamped_when_the_run_gets_shorter() -> None:
    at = open_page(steps="8")
    at.slider[0].set_value(8).run()
    assert picked_row(at) == 8
    at.query_params["steps"] = "3"
    at.run()
    assert not at.exception
    assert picked_row(at) == 3
    assert at.slider[0].value == 3 and at.slider[0].max == 3


# --- code and exports ------------------------------------------------------------------------


CODE_AND_EXPORT_CASES = [{}, {"mode": "hand"}, {"data": "1:4,2:5,3:7"}, {"lr": "0.6", "steps": "200"}]


def test_shown_code_produces_the_tables_rows() -> None:
    at = open_page()
    for query in CODE_AND_EXPORT_CASES[:3]:
        rerun_with(at, **query)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(shown_code(at, "python"), {})
        printed = [line.split(", ") for line in output.getvalue().splitlines()[1:]]
        assert screen(printed) == step_table(at).rows, query


def test_exported_text_and_derivation_are_made_only_while_open() -> None:
    at = open_page()
    assert [element.language for element in at.code] == ["python"]  # the loop, not the three exports
    assert "Put the model into the loss:" not in all_text(at)
    at.session_state["step_table.derivation_open"] = True
    at.session_state["step_table.exports_open"] = True
    at.run()
    assert sorted(element.language for element in at.code) == ["latex", "markdown", "python", "text"]
    assert "Put the model into the loss:" in all_text(at)
    assert r"3 \cdot 1 + 4 - 4" in latex(at)  # the derivation ends with step 0's own numbers


def screen(rows: list[list[str]]) -> list[list[str]]:
    """Exported or printed rows as the page writes them: the same digits, with −0.8 and 1.8 × 10¹⁸."""
    return [[on_screen(text) for text in row] for row in rows]


def test_exports_match_the_table_on_screen() -> None:
    at = open_page()
    at.session_state["step_table.exports_open"] = True
    for query in CODE_AND_EXPORT_CASES:
        rerun_with(at, **query)
        table = step_table(at)
        assert len(at.get("download_button")) == 3
        parsed = list(csv.reader(io.StringIO(shown_code(at, "text"))))
        assert parsed[0] == table.headers and screen(parsed[1:]) == table.rows, query
        markdown_rows = [
            [cell.strip() for cell in line.strip("|").split("|")]
            for line in shown_code(at, "markdown").splitlines() if line.startswith("|")
        ]
        assert markdown_rows[0] == table.headers and screen(markdown_rows[2:]) == table.rows, query
        latex_rows = [line.removesuffix(r" \\").split(" & ") for line in shown_code(at, "latex").splitlines()
                      if line.endswith(r"\\")]
        assert screen(latex_rows[1:]) == table.rows, query


# --- odd input -------------------------------------------------------------------------------


ODD_QUERIES = [
    {"lr": "abc"},
    {"steps": "-3"},
    {"steps": "0"},
    {"data": "garbage"},
    {"data": "1:4,2:5,3:7"},
    {"data": "0:4"},
    {"data": "-2:4"},
    {"data": "1:4,1:6"},
    {"lr": "10", "a": "1000", "data": "1000:-1000"},
    {"mode": "<b>x</b>", "a": "nan", "b": "1e400"},
    {"steps": "1000", "lr": "0.01"},
]


def test_odd_inputs_render_without_exception() -> None:
    at = open_page()
    for query in ODD_QUERIES:
        rerun_with(at, **query)
        assert step_table(at).rows, query
        assert not NAN_OR_INF.search(all_text(at)), query
        assert len(formulas(at)) >= 4, query
        assert "<b>" not in all_text(at)


def test_x_minus_two_parenthesises_negative_numbers() -> None:
    at = open_page(data="-2:4")
    assert r"3 \cdot (-2) + 4 = -2" in latex(at)
    assert any("x times" in element.value for element in at.markdown)


def test_each_formula_is_written_inside_its_sections_markdown() -> None:
    """One element per section, not one per formula: each element is a message of its own (issue #12)."""
    at = open_page()
    assert not at.latex
    sections = {element.value.split("\n", 1)[0]: DISPLAY_MATH.findall(element.value) for element in at.markdown}
    worked = next(found for first, found in sections.items() if first.startswith("### Step 0, worked out"))
    assert r"3 \cdot 1 + 4 = 7" in worked[0] and r"(7 - 4)^2 = 3^2 = 9" in "".join(worked)
    assert r"= 3 - 0.1 \cdot 6 = 2.4" in worked[-2] and r"= 4 - 0.1 \cdot 6 = 3.4" in worked[-1]
    assert any("a + b = 4" in found for found in sections.values())  # "What to notice": the valley


# --- through the app -------------------------------------------------------------------------


def test_default_page_of_the_app_is_the_step_table() -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["mode"] = "hand"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [tuple(row) for row in step_table(at).rows][5] == HAND_ROW_5
    buttons(at)[1].click().run()
    assert picked_row(at) == 1


# --- in a real browser at phone width --------------------------------------------------------


@pytest.mark.browser
def test_phone_width_table_scrolls_inside_its_own_box(app_server, browser) -> None:
    from browser_support import PHONE, block_external_requests, wait_for_app

    context = browser.new_context(viewport=PHONE)
    block_external_requests(context)
    page = context.new_page()
    try:
        page.goto(app_server + "/step-table?mode=hand")
        wait_for_app(page)
        page.wait_for_selector("[data-testid=stMain] table.gd-table")
        layout = page.evaluate(
            """() => { const box = document.querySelector('.gd-scroll');
                const main = document.querySelector('[data-testid=stMain]');
                const cell = document.querySelector('.gd-table td');
                return {box: [box.scrollWidth, box.clientWidth], main: [main.scrollWidth, main.clientWidth],
                        overflow: getComputedStyle(box).overflowX, numeric: getComputedStyle(cell).fontVariantNumeric,
                        align: getComputedStyle(cell).textAlign,
                        row5: [...document.querySelectorAll('.gd-table tbody tr')][5].innerText.split(/\\s+/)}; }"""
        )
        assert layout["box"][0] > layout["box"][1], "the table should be wider than a phone and scroll"
        assert layout["main"][0] <= layout["main"][1], "the page itself must not scroll sideways"
        assert layout["overflow"] == "auto"
        assert layout["numeric"] == "tabular-nums" and layout["align"] == "right"
        assert tuple(layout["row5"]) == HAND_ROW_5
    finally:
        context.close()


@pytest.mark.parametrize("hide", ["mode", "all"])
def test_the_precision_note_does_not_send_a_student_to_a_switch_the_link_hid(hide: str) -> None:
    """A lesson stop with hide=all told students to turn on "Hand calculation" in the sidebar."""
    shown = all_text(open_page())
    assert "Turn on “Hand calculation” in the sidebar" in shown
    hidden = all_text(open_page(hide=hide))
    assert "Turn on “Hand calculation”" not in hidden
    assert "“Hand calculation” (a switch this link leaves out of the sidebar) would round a and b" in hidden
