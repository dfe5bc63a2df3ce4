"""Screen readers, checked on the page's output: the step table's caption and header scopes, and
notices that are announced once (a live region the first time, a plain note on later reruns)."""

from __future__ import annotations

import re

from app_elements import shown_html
from streamlit.testing.v1 import AppTest

APP = "../../app.py"


def run_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def step_table_html(at: AppTest) -> str:
    tables = [e.value for e in shown_html(at) if "gd-table" in e.value and "<caption>" in e.value]
    assert tables, "no step table with a caption on the page"
    return tables[0]


def test_step_table_has_a_caption_and_scoped_headers():
    table = step_table_html(run_app(lr="0.2", steps="4"))
    caption = re.search(r"<caption>(.*?)</caption>", table).group(1)
    assert "steps 0 to 4 at learning rate 0.2" in caption
    assert "y_pred, error, grad ∂a, grad ∂b and loss" in caption
    heads = re.findall(r'<th scope="(col|row)"', table)
    assert heads.count("col") == 8 and heads.count("row") == 5  # 8 columns; rows 0..4


def notices(at: AppTest) -> list[str]:
    return [e.value for e in shown_html(at) if "gd-notice" in e.value]


def test_a_notice_is_announced_once_then_stays_as_a_plain_note():
    at = run_app(lr="banana")
    first = notices(at)
    assert len(first) == 1 and 'role="status"' in first[0] and "lr" in first[0]
    at.run()  # any rerun: a widget moved, the page redrawn
    again = notices(at)
    assert len(again) == 1 and 'role="status"' not in again[0] and 'role="note"' in again[0]
    assert re.sub(r'role="\w+"', "", again[0]) == re.sub(r'role="\w+"', "", first[0])  # same words on screen
