"""The share link: query → widgets → the same experiment, and every bad value handled.

Links handed to students must keep working, so these run through the real app
(AppTest), not only through core's parser.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlencode

import pytest
from app_elements import shown_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core.maths.experiment import (
    LR_MAX,
    LR_MIN,
    POINTS_MAX,
    QUERY_KEYS,
    STEPS_MAX,
    VALUE_LIMIT,
    Experiment,
    from_query,
    to_query,
)
from core.maths.rate_bounds import rate_bounds
from ui.state import EXPERIMENT_KEY

APP = "../../app.py"


def open_link(query: dict[str, str | list[str]], page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def experiment_of(at: AppTest) -> Experiment:
    experiment = at.session_state[EXPERIMENT_KEY]
    assert isinstance(experiment, Experiment)
    return experiment


def widget_values(at: AppTest) -> dict[str, object]:
    return {element.key: element.value for element in [*at.number_input, *at.toggle] if element.key}


def notice_html(at: AppTest) -> list[str]:
    return [element.value for element in shown_html(at) if "gd-notice" in element.value]


def notice_text(at: AppTest) -> str:
    """The notice box's text as a reader sees it (tags dropped, entities decoded)."""
    return "\n".join(html.unescape(re.sub(r"<[^>]*>", "\n", body)) for body in notice_html(at))


def url_of(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key][-1] if isinstance(at.query_params[key], list) else at.query_params[key]
            for key in at.query_params}


GOOD_LINK = {"data": "2:5", "a": "-1.5", "b": "0.25", "lr": "0.05", "steps": "12", "mode": "hand"}


def test_each_parameter_reaches_its_widget_and_the_experiment() -> None:
    at = open_link(GOOD_LINK)
    assert experiment_of(at) == Experiment(
        points=((2.0, 5.0),), a0=-1.5, b0=0.25, lr=0.05, steps=12, mode="hand"
    )
    values = widget_values(at)
    assert values["ctl_x_0"] == 2.0 and values["ctl_y_0"] == 5.0
    assert values["ctl_a0"] == -1.5 and values["ctl_b0"] == 0.25
    assert values["ctl_lr"] == 0.05 and values["ctl_steps"] == 12 and values["ctl_hand"] is True
    assert notice_text(at) == ""
    # The URL keeps exactly what was given (already canonical).
    assert url_of(at) == GOOD_LINK


@pytest.mark.parametrize("page", ["views/loss_curve.py", "views/loss_surface.py", "views/step_table.py"])
def test_link_survives_page_switches(page: str) -> None:
    at = open_link(GOOD_LINK, page=page)
    assert experiment_of(at).lr == 0.05
    assert url_of(at) == GOOD_LINK


def test_several_points_round_trip() -> None:
    at = open_link({"data": "1:4,2:5,-3:0.5"})
    assert experiment_of(at).points == ((1.0, 4.0), (2.0, 5.0), (-3.0, 0.5))
    assert [at.number_input(key=f"ctl_x_{i}").value for i in range(3)] == [1.0, 2.0, -3.0]
    assert url_of(at) == {"data": "1:4,2:5,-3:0.5"}


def test_defaults_leave_the_url_empty() -> None:
    at = open_link({})
    assert experiment_of(at) == Experiment()
    assert url_of(at) == {}


BAD_VALUES = [
    ("lr", "abc", "lr", 0.1),
    ("lr", "nan", "lr", 0.1),
    ("lr", "inf", "lr", 0.1),
    ("lr", "1e400", "lr", 0.1),
    ("lr", "0", "lr", LR_MIN),
    ("lr", "-0.3", "lr", LR_MIN),
    ("lr", "55", "lr", LR_MAX),
    ("lr", "0.000001", "lr", LR_MIN),
    ("steps", "-4", "steps", 0),
    ("steps", "2.5", "steps", 3),
    ("steps", "99999999", "steps", STEPS_MAX),
    ("steps", "ten", "steps", 5),
    ("a", "1e400", "a", 3.0),
    ("a", "-5000", "a", -VALUE_LIMIT),
    ("b", "NaN", "b", 4.0),
    ("mode", "sloppy", "mode", "exact"),
]


@pytest.mark.parametrize(("key", "raw", "param", "used"), BAD_VALUES)
def test_bad_value_gives_notice_valid_experiment_and_rewritten_url(
    key: str, raw: str, param: str, used: object
) -> None:
    at = open_link({key: raw})
    experiment = experiment_of(at)
    field = {"lr": "lr", "steps": "steps", "a": "a0", "b": "b0", "mode": "mode"}[key]
    assert getattr(experiment, field) == used
    assert f"“{param}” in the link" in notice_text(at)
    assert url_of(at) == to_query(experiment)
    assert url_of(at).get(key) != raw


@pytest.mark.parametrize(
    ("raw", "points"),
    [
        ("", ((1.0, 4.0),)),
        ("1", ((1.0, 4.0),)),
        ("1:", ((1.0, 4.0),)),
        (":4", ((1.0, 4.0),)),
        ("1:4,,2:5", ((1.0, 4.0), (2.0, 5.0))),
        ("a:b,2:3", ((2.0, 3.0),)),
        ("1:2:3", ((1.0, 4.0),)),
        ("5000:1", ((VALUE_LIMIT, 1.0),)),
        (",".join(f"{i}:{i}" for i in range(60)), tuple((float(i), float(i)) for i in range(POINTS_MAX))),
    ],
)
def test_malformed_data_gives_notice_and_usable_points(raw: str, points: tuple[tuple[float, float], ...]) -> None:
    at = open_link({"data": raw})
    assert experiment_of(at).points == points
    assert "“data” in the link" in notice_text(at)
    assert url_of(at) == to_query(experiment_of(at))


def test_repeated_keys_use_the_last_value_with_a_notice() -> None:
    at = open_link({"lr": ["0.2", "0.3"]})
    assert experiment_of(at).lr == 0.3
    assert "appears 2 times" in notice_text(at)
    assert url_of(at) == {"lr": "0.3"}


def test_html_in_a_value_is_never_markup() -> None:
    at = open_link({"lr": "<script>alert(1)</script>", "data": "<img src=x onerror=alert(1)>:4"})
    text = notice_text(at)
    assert "<" not in text and ">" not in text
    assert experiment_of(at).lr == 0.1
    # Nothing on the page carries the raw markup either, escaped or not.
    for element in [*at.markdown, *at.caption, *at.warning, *shown_html(at)]:
        assert "<script" not in str(element.value) and "onerror" not in str(element.value)


@pytest.mark.parametrize("raw", ["https://evil.example/x", "www.evil.example", ":smile:", "[x](http://e.x)"])
def test_link_text_in_a_value_never_becomes_a_link_or_emoji(raw: str) -> None:
    """Notices echo link values; Markdown would turn URLs into links and :codes: into emoji."""
    at = open_link({"mode": raw})
    bodies = notice_html(at)
    assert len(bodies) == 1
    assert "<a " not in bodies[0] and "href" not in bodies[0]
    assert not at.warning  # the notice is HTML-escaped text, never a Markdown warning


def test_notice_disappears_once_the_student_changes_the_experiment() -> None:
    at = open_link({"lr": "abc"})
    assert "“lr” in the link" in notice_text(at)
    at.number_input(key="ctl_lr").set_value(0.2).run()
    assert notice_text(at) == ""
    assert url_of(at) == {"lr": "0.2"}


def test_unknown_keys_are_dropped_from_the_url() -> None:
    at = open_link({"lr": "0.2", "utm_source": "mail"})
    assert url_of(at) == {"lr": "0.2"}
    assert notice_text(at) == ""  # someone else's key: not the teacher's business


def test_a_key_spelled_like_the_sidebar_is_named_with_the_right_spelling() -> None:
    """Student playtest: ?x=2 opened x = 1 without a word (the link spells it data=x:y_true)."""
    at = open_link({"x": "2", "y_true": "5", "rate": "0.3"})
    text = notice_text(at)
    assert text.count("data=x:y_true") == 1 and "(“x” in the link)" in text
    assert "given as lr=" in text and "(“rate” in the link)" in text
    assert experiment_of(at) == Experiment() and url_of(at) == {}


# --- parsing and validation, fed hundreds of generated query strings ----------------

query_values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "-1e400", "0", "-0", "1e-9", "10.0001", "3", "2.5", "hand"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
)
data_values = st.lists(
    st.tuples(query_values, query_values).map(lambda pair: f"{pair[0]}:{pair[1]}"), max_size=60
).map(",".join)
query_keys = st.sampled_from([*QUERY_KEYS, "embed", "other"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(query_keys, st.one_of(query_values, data_values)), max_size=10),
)
def test_generated_query_strings_always_give_a_valid_experiment(pairs: list[tuple[str, str]]) -> None:
    query_string = urlencode(pairs)
    experiment, notices = from_query(parse_qs(query_string, keep_blank_values=True))
    assert 1 <= experiment.n_points <= POINTS_MAX
    assert all(abs(x) <= VALUE_LIMIT and abs(y) <= VALUE_LIMIT for x, y in experiment.points)
    assert abs(experiment.a0) <= VALUE_LIMIT and abs(experiment.b0) <= VALUE_LIMIT
    assert rate_bounds(experiment.points).contains(experiment.lr) and experiment.lr <= LR_MAX
    assert 0 <= experiment.steps <= STEPS_MAX and isinstance(experiment.steps, int)
    assert experiment.mode in ("exact", "hand")
    for notice in notices:
        assert notice.param in QUERY_KEYS
        assert "<" not in notice.message and ">" not in notice.message
    # The rewritten link is canonical: reading it back gives the same experiment, silently.
    again, again_notices = from_query(parse_qs(urlencode(to_query(experiment))))
    assert again == experiment and again_notices == ()
