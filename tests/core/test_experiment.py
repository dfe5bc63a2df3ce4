"""The share-link contract: every bad value is replaced, named in a plain-text notice, and round trips."""

from __future__ import annotations

import pytest

from core.maths.experiment import (
    DEFAULT_LR,
    LR_MAX,
    LR_MIN,
    POINTS_MAX,
    STEPS_MAX,
    VALUE_LIMIT,
    Experiment,
    Notice,
    from_query,
    quote_raw,
    to_query,
    validate,
)
from core.words.notation import exact, literal

ARTICLE = Experiment()
MARKUP = set("<>&`*_[]#|\\$~")
FIELD_OF = {"data": "points", "a": "a0", "b": "b0", "lr": "lr", "steps": "steps", "mode": "mode"}


def only_notice(notices: tuple[Notice, ...], param: str) -> Notice:
    assert [n.param for n in notices] == [param], notices
    return notices[0]


def assert_plain_text(message: str) -> None:
    found = MARKUP & set(message)
    assert not found, f"markup characters {found} in {message!r}"


def test_defaults_are_the_article() -> None:
    assert ARTICLE.points == ((1.0, 4.0),)
    assert (ARTICLE.a0, ARTICLE.b0, ARTICLE.lr, ARTICLE.steps, ARTICLE.mode) == (3.0, 4.0, 0.1, 5, "exact")
    assert ARTICLE.xs == (1.0,) and ARTICLE.ys == (4.0,)
    assert ARTICLE.single_point and ARTICLE.n_points == 1 and not ARTICLE.hand
    assert from_query({}) == (ARTICLE, ())
    assert to_query(ARTICLE) == {}


def test_a_full_link_is_read() -> None:
    query = {"data": "1:2,2:3.5,-1:0", "a": "-2", "b": "0.5", "lr": "0.05", "steps": "40", "mode": "hand"}
    experiment, notices = from_query(query)
    assert notices == ()
    assert experiment == Experiment(
        points=((1.0, 2.0), (2.0, 3.5), (-1.0, 0.0)), a0=-2.0, b0=0.5, lr=0.05, steps=40, mode="hand"
    )
    assert to_query(experiment) == query


@pytest.mark.parametrize("key", ["a", "b", "lr", "steps"])
@pytest.mark.parametrize("raw", ["abc", "nan", "NaN", "inf", "-inf", "1e400", "-1e400", "", "  ", "1,5,0", "1.0,5",
                                 "0x10"])
def test_non_numbers_fall_back_to_the_default(key: str, raw: str) -> None:
    experiment, notices = from_query({key: raw})
    assert experiment == ARTICLE
    notice = only_notice(notices, key)
    default = getattr(ARTICLE, FIELD_OF[key])
    assert f"using {exact(default)}." in notice.message
    assert_plain_text(notice.message)


@pytest.mark.parametrize(("key", "raw", "used"), [("lr", "0,3", 0.3), ("a", "-1,5", -1.5), ("b", " 2,25 ", 2.25)])
def test_a_decimal_comma_is_read_as_a_point_and_said(key: str, raw: str, used: float) -> None:
    """A phone playtest: lr=0,3 fell back to 0.1 with "not a finite number"; a student meant 0.3."""
    experiment, notices = from_query({key: raw})
    assert getattr(experiment, FIELD_OF[key]) == used
    notice = only_notice(notices, key)
    assert notice.message.endswith(f"read as {exact(used)} (links write decimals with a point).")
    assert_plain_text(notice.message)
    assert from_query({"steps": "1,5"})[0].steps == ARTICLE.steps  # steps are whole: 1,5 is not read as 1.5


@pytest.mark.parametrize(("raw", "used"), [("2000", 1000.0), ("-1000.5", -1000.0), ("1e308", 1000.0)])
@pytest.mark.parametrize("key", ["a", "b"])
def test_start_values_are_clamped(key: str, raw: str, used: float) -> None:
    experiment, notices = from_query({key: raw})
    assert getattr(experiment, FIELD_OF[key]) == used
    assert f"using {exact(used)}." in only_notice(notices, key).message


@pytest.mark.parametrize(
    ("raw", "used"),
    [("0", LR_MIN), ("-0.1", LR_MIN), ("-5", LR_MIN), ("10.5", LR_MAX), ("1e9", LR_MAX), ("1e-9", LR_MIN)],
)
def test_bad_learning_rates(raw: str, used: float) -> None:
    experiment, notices = from_query({"lr": raw})
    assert experiment.lr == used
    assert LR_MIN <= used <= LR_MAX
    notice = only_notice(notices, "lr")
    assert notice.message.startswith("Learning rate:")
    assert f"using {literal(used)}." in notice.message


@pytest.mark.parametrize("raw", ["10", "0.0001", "0.5", "0.25"])
def test_rates_inside_the_bounds_are_kept(raw: str) -> None:
    experiment, notices = from_query({"lr": raw})
    assert notices == ()
    assert experiment.lr == float(raw)


@pytest.mark.parametrize(
    ("raw", "used"),
    [
        ("-1", 0),
        ("-1000", 0),
        ("2.5", 3),
        ("7.7", 8),
        ("1001", STEPS_MAX),
        ("1e9", STEPS_MAX),
        ("99999999999999999999", STEPS_MAX),
    ],
)
def test_bad_step_counts(raw: str, used: int) -> None:
    experiment, notices = from_query({"steps": raw})
    assert experiment.steps == used
    assert isinstance(experiment.steps, int)
    notice = only_notice(notices, "steps")
    assert notice.message.startswith("Steps:")
    assert f"using {used}." in notice.message


@pytest.mark.parametrize("raw", ["0", "1000", "3.0", "1e2"])
def test_whole_step_counts_are_kept(raw: str) -> None:
    experiment, notices = from_query({"steps": raw})
    assert notices == ()
    assert experiment.steps == int(float(raw))


@pytest.mark.parametrize(
    ("raw", "points"),
    [
        ("", ((1.0, 4.0),)),
        ("1", ((1.0, 4.0),)),
        ("1:", ((1.0, 4.0),)),
        (":4", ((1.0, 4.0),)),
        ("1:4,,2:5", ((1.0, 4.0), (2.0, 5.0))),
        ("a:b", ((1.0, 4.0),)),
        ("a:b,2:3", ((2.0, 3.0),)),
        ("1:2:3", ((1.0, 4.0),)),
        ("nan:1,2:inf,3:1e400,5:6", ((5.0, 6.0),)),
        ("1:2000", ((1.0, VALUE_LIMIT),)),
        ("-5000:-1e6", ((-VALUE_LIMIT, -VALUE_LIMIT),)),
        (",".join(f"{i}:1" for i in range(51)), tuple((float(i), 1.0) for i in range(POINTS_MAX))),
        (",".join(f"{i}:1" for i in range(500)), tuple((float(i), 1.0) for i in range(POINTS_MAX))),
    ],
)
def test_malformed_data(raw: str, points: tuple[tuple[float, float], ...]) -> None:
    experiment, notices = from_query({"data": raw})
    assert experiment.points == points
    # Data with large x also get a notice about the rate: 0.1 is beyond what they allow (see rate_bounds).
    assert {n.param for n in notices} <= {"data", "lr"}
    notice = only_notice(tuple(n for n in notices if n.param == "data"), "data")
    assert notice.message.startswith("Data:")
    assert_plain_text(notice.message)
    # The notice says which points are used, in share-link form.
    if points == ((1.0, 4.0),):
        assert "x = 1, y = 4" in notice.message
    else:
        assert f"using {','.join(f'{literal(x)}:{literal(y)}' for x, y in points[:3])}" in notice.message


def test_fifty_points_are_fine() -> None:
    raw = ",".join(f"{i}:{i % 7}" for i in range(POINTS_MAX))
    experiment, notices = from_query({"data": raw, "lr": "0.0001"})  # x up to 49: 0.1 would be above its bounds
    assert notices == ()
    assert experiment.n_points == POINTS_MAX


def test_each_data_problem_is_reported_in_order() -> None:
    experiment, notices = from_query({"data": "1:2, ,3,4:5"})
    assert experiment.points == ((1.0, 2.0), (4.0, 5.0))
    assert only_notice(notices, "data").message == "Data: entry 2 is empty; entry 3 “3” is not x:y; using 1:2,4:5."


@pytest.mark.parametrize("raw", ["fast", "EXACTLY", "", "hand calculation", "<b>hand</b>"])
def test_unknown_mode(raw: str) -> None:
    experiment, notices = from_query({"mode": raw})
    assert experiment.mode == "exact"
    notice = only_notice(notices, "mode")
    assert "using exact" in notice.message
    assert_plain_text(notice.message)


@pytest.mark.parametrize("raw", ["hand", "HAND", " Hand "])
def test_known_modes_ignore_case_and_spaces(raw: str) -> None:
    experiment, notices = from_query({"mode": raw})
    assert notices == ()
    assert experiment.mode == "hand"


def test_repeated_keys_use_the_last_value() -> None:
    experiment, notices = from_query({"lr": ["0.2", "0.3"], "steps": ["1", "2", "3"]})
    assert experiment.lr == 0.3
    assert experiment.steps == 3
    assert [n.param for n in notices] == ["lr", "steps"]
    assert "appears 2 times" in notices[0].message and "“0.3”" in notices[0].message
    assert "appears 3 times" in notices[1].message and "“3”" in notices[1].message


def test_repeated_key_whose_last_value_is_bad_gets_both_notices() -> None:
    experiment, notices = from_query({"lr": ["0.3", "nan"]})
    assert experiment.lr == DEFAULT_LR
    assert [n.param for n in notices] == ["lr", "lr"]
    assert "using 0.1." in notices[1].message


def test_empty_list_and_unknown_keys_are_ignored() -> None:
    assert from_query({"lr": [], "embed": "true", "utm_source": "mail"}) == (ARTICLE, ())


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "**bold** _it_ `code` [link](http://x)",
        "&lt;b&gt;",
        "$x$ | # ~ \\",
        "line\nbreak\u202e\x00",
    ],
)
@pytest.mark.parametrize("key", ["data", "a", "b", "lr", "steps", "mode"])
def test_markup_in_a_value_never_reaches_a_notice(key: str, raw: str) -> None:
    experiment, notices = from_query({key: raw})
    assert experiment == ARTICLE
    notice = only_notice(notices, key)
    assert_plain_text(notice.message)
    assert "\n" not in notice.message and "\x00" not in notice.message
    assert len(notice.message) < 200


def test_markup_in_data_points_and_repeated_keys() -> None:
    _, notices = from_query({"data": "1:4,<script>:2,3:<b>", "mode": ["<i>", "<script>x</script>"]})
    assert notices
    for notice in notices:
        assert_plain_text(notice.message)


def test_quote_raw_is_short_and_plain() -> None:
    assert quote_raw("abc") == "“abc”"
    assert quote_raw("<b>") == "“·b·”"
    long = quote_raw("x" * 100)
    assert len(long) == 26 and long.endswith("…”")
    assert quote_raw("a\tb") == "“a?b”"


@pytest.mark.parametrize(
    "experiment",
    [
        ARTICLE,
        Experiment(mode="hand"),
        Experiment(points=((1.0, 2.0), (-3.5, 0.25)), a0=-1000.0, b0=1000.0, lr=5.0, steps=1000),  # its top rate
        Experiment(points=((0.1, 0.2),), a0=0.3, b0=-0.7, lr=0.0001, steps=0),
        Experiment(points=tuple((float(i), float(-i)) for i in range(POINTS_MAX)), lr=0.000123456789, steps=17),
        Experiment(points=((1e-7, 123.456789),), a0=1e-5, b0=-999.999),
    ],
)
def test_round_trip(experiment: Experiment) -> None:
    query = to_query(experiment)
    assert all(isinstance(value, str) for value in query.values())
    assert from_query(query) == (experiment, ())


def test_to_query_leaves_defaults_out() -> None:
    assert to_query(ARTICLE.with_(lr=0.25)) == {"lr": "0.25"}
    assert to_query(ARTICLE.with_(steps=12, mode="hand")) == {"steps": "12", "mode": "hand"}
    assert to_query(ARTICLE.with_(points="2:1")) == {"data": "2:1"}


def test_with_changes_fields_and_validates() -> None:
    changed = ARTICLE.with_(lr=0.4, steps=10)
    assert changed == Experiment(lr=0.4, steps=10)
    assert Experiment() == ARTICLE  # the original is untouched (frozen)
    assert ARTICLE.with_(points=[(2, 1), (3, 5)]).points == ((2.0, 1.0), (3.0, 5.0))
    assert ARTICLE.with_(points="0:1,2:3").points == ((0.0, 1.0), (2.0, 3.0))
    # Bad values are replaced, as from a link.
    assert ARTICLE.with_(lr=float("nan")).lr == DEFAULT_LR
    assert ARTICLE.with_(lr=-1).lr == LR_MIN  # the nearest allowed rate
    assert ARTICLE.with_(steps=5000).steps == STEPS_MAX
    assert ARTICLE.with_(steps=2.5).steps == 3  # halves round up, not to even
    assert ARTICLE.with_(steps=3.5).steps == 4
    assert ARTICLE.with_(a0=float("inf")).a0 == 3.0
    assert ARTICLE.with_(mode="turbo").mode == "exact"
    assert ARTICLE.with_(points=[(1, 2, 3)]).points == ((1.0, 4.0),)


def test_validate_reports_field_notices_by_share_link_name() -> None:
    experiment, notices = validate({"points": "x", "a0": "y", "b0": None, "lr": True, "steps": [], "mode": 3})
    assert experiment == ARTICLE
    assert [n.param for n in notices] == ["data", "a", "b", "lr", "steps", "mode"]


@pytest.mark.parametrize(
    "value",
    [10**400, -(10**400), 10**5000, float("nan"), float("inf"), True, None, object()],
    ids=["1e400", "-1e400", "1e5000", "nan", "inf", "True", "None", "object"],
)
def test_validate_never_raises_on_odd_python_values(value: object) -> None:
    """Regression: an int beyond the float range used to raise OverflowError (and >4300 digits, ValueError)."""
    experiment, notices = validate({"points": [(value, 1)], "a0": value, "b0": value, "lr": value, "steps": value})
    assert experiment == ARTICLE
    assert {n.param for n in notices} == {"data", "a", "b", "lr", "steps"}
    for notice in notices:
        assert_plain_text(notice.message)
        assert len(notice.message) < 200


def test_values_keep_twelve_significant_digits() -> None:
    """A widget's 0.1 + 0.2 is the 0.3 the student sees, and the link says 0.3."""
    experiment = ARTICLE.with_(lr=0.1 + 0.2, a0=1 / 3)
    assert experiment.lr == 0.3
    assert to_query(experiment) == {"lr": "0.3", "a": "0.333333333333"}


def test_next_point_has_a_new_x_even_at_the_edge() -> None:
    from core.maths.experiment import next_point

    assert next_point([(1.0, 4.0)]) == (2.0, 4.0)
    assert next_point([(1.0, 4.0), (3.0, 7.0)]) == (4.0, 7.0)
    assert next_point([(1000.0, 2.0)]) == (999.0, 2.0)


def test_data_problems_are_numbered_by_entry_in_link_order() -> None:
    _, notices = validate({"points": "1:4,,2:x,3:5:6"})
    (notice,) = notices
    assert notice.message.startswith("Data: entry 2 is empty; entry 3 has a value that is not a finite number; entry 4")
