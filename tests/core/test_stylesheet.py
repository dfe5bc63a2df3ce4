"""Style sheets live in .css files beside the markup they style, and reach the page whole."""

from __future__ import annotations

import re
from pathlib import Path

from core.figures import palette
from core.figures.rate_strip import rate_strip_html
from core.figures.stylesheet import style_element
from core.maths.experiment import Experiment
from core.maths.training import train
from core.words import tables

ROOT = Path(__file__).resolve().parents[2]


def test_comments_are_dropped_and_variables_become_root_properties(tmp_path: Path) -> None:
    sheet = tmp_path / "x.css"
    sheet.write_text("/* why, with a.dot */\n.gd-x{color:var(--gd-loss)}\n/* two\nlines */ .gd-y{top:0}\n")
    assert style_element(sheet) == "<style>.gd-x{color:var(--gd-loss)}\n.gd-y{top:0}</style>"
    assert style_element(sheet, {"gd-loss": "#D55E00"}) == (
        "<style>:root{--gd-loss:#D55E00}\n.gd-x{color:var(--gd-loss)}\n.gd-y{top:0}</style>"
    )


def test_every_sheet_is_a_real_file_and_no_python_holds_one() -> None:
    sheets = {path.relative_to(ROOT).as_posix() for path in ROOT.glob("[cu][oi]*/**/*.css")}
    assert sheets >= {"core/figures/rate_strip.css", "core/words/tables.css", "ui/components.css"}
    python = [*ROOT.glob("core/**/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("views/*.py"), ROOT / "app.py"]
    inline = re.compile(r"<style>\s*[.#:\w]")  # a sheet written out in Python, not "<style>{css}"
    assert [str(path) for path in python if inline.search(path.read_text(encoding="utf-8"))] == []


def test_the_table_box_carries_its_sheet_and_the_loss_colour() -> None:
    table = tables.step_table(train(Experiment()))
    fragment = tables.scroll_box(tables.to_html(table), label='Step <table> "5"', rows=len(table.rows))
    assert fragment.startswith(f"<style>:root{{--gd-loss:{palette.LOSS}}}\n.gd-scroll{{")
    assert "border-top:3px solid var(--gd-loss)" in fragment
    label = 'aria-label="Step &lt;table&gt; &quot;5&quot;"'
    assert f'<div class="gd-scroll" role="region" {label} tabindex="0">' in fragment
    assert fragment.endswith("</table></div>")
    tall = tables.scroll_box("<table></table>", label="t", rows=tables.TALL_TABLE_ROWS + 1)
    assert '<div class="gd-scroll gd-tall"' in tall


def test_the_rate_strip_carries_its_sheet_without_comments() -> None:
    fragment = rate_strip_html(Experiment())
    style = fragment[: fragment.index("</style>")]
    assert style.startswith("<style>.gd-strip{") and "/*" not in style
    assert len(re.findall(r"\.gd-strip[\w-]*", style)) >= 20
