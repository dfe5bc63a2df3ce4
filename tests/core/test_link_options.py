"""Page-level link options (core.links.options): every bad value replaced with a plain notice; round trips."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.links.options import (
    COMPARE_MAX,
    HIDEABLE,
    NOTE_MAX,
    PAGE_VIEWS,
    QUERY_KEYS,
    VIEWS,
    LinkOptions,
    clamp_step,
    from_query,
    hide_to_text,
    to_query,
    view_notice,
)
from core.maths.comparison import PRESET_TOKENS
from core.maths.experiment import STEPS_MAX, Notice

MARKUP = set("<>&`*_[]#|\\$~")


def params_of(notices: tuple[Notice, ...]) -> list[str]:
    return [notice.param for notice in notices]


def test_no_parameter_is_the_plain_app() -> None:
    assert from_query({}) == (LinkOptions(), ())
    assert to_query(LinkOptions()) == {}


def test_a_full_link_is_read_as_given() -> None:
    options, notices = from_query(
        {"hide": "a,lr", "note": "Why 0.6?", "step": "3", "view": "error", "lesson": "article", "stop": "2",
         "predict": "on"}
    )
    assert notices == ()
    assert options == LinkOptions(
        hide=frozenset({"a", "lr"}), note="Why 0.6?", step=3, view="error", lesson="article", stop=2, predict=True
    )
    assert to_query(options) == {
        "hide": "a,lr", "note": "Why 0.6?", "step": "3", "view": "error", "lesson": "article", "stop": "2",
        "predict": "on",
    }


# --- compare -------------------------------------------------------------------------------


def test_compare_names_presets_and_rates_of_ones_own_and_writes_them_back_alike() -> None:
    options, notices = from_query({"compare": " small , 0.3,DIVERGE,0.30"})
    assert notices == ()
    assert options.compare == ("small", "lr=0.3", "diverge")  # each once, in the link's order
    assert to_query(options) == {"compare": "small,0.3,diverge"}


def test_an_empty_compare_is_no_rates_at_all_not_the_presets() -> None:
    options, _ = from_query({"compare": ""})
    assert options.compare == ()
    assert to_query(options) == {"compare": ""}
    assert from_query({})[0].compare is None  # no key: the page's presets


@pytest.mark.parametrize("bad", ["fast", "-0.1", "0", "1e400", "nan", "0.1.2"])
def test_what_is_not_a_rate_is_named_and_the_rest_still_apply(bad: str) -> None:
    options, notices = from_query({"compare": f"0.2,{bad},one_step"})
    assert options.compare == ("lr=0.2", "one_step")
    assert params_of(notices) == ["compare"]
    assert "is not a rate" in notices[0].message and "small, one_step, overshoot, diverge" in notices[0].message


def test_more_rates_than_a_legend_can_tell_apart_are_cut_with_a_notice() -> None:
    rates = ",".join(f"0.0{k}" for k in range(1, 10)) + ",0.1,0.2,0.3,0.4,0.5"
    options, notices = from_query({"compare": rates})
    assert options.compare is not None and len(options.compare) == COMPARE_MAX
    assert f"the first {COMPARE_MAX} are compared" in notices[0].message


# --- hide ------------------------------------------------------------------------------------


def test_hide_all_is_every_control_and_writes_back_as_all() -> None:
    options, notices = from_query({"hide": "ALL"})
    assert notices == () and options.hide == frozenset(HIDEABLE) and options.hides_all
    assert to_query(options) == {"hide": "all"}
    # naming each control is the same as "all"
    assert to_query(from_query({"hide": ",".join(reversed(HIDEABLE))})[0]) == {"hide": "all"}


def test_hide_is_written_in_sidebar_order_without_blanks_or_repeats() -> None:
    options, notices = from_query({"hide": " share, ,A,a,presets "})
    assert notices == ()
    assert to_query(options) == {"hide": "a,presets,share"}


def test_unknown_controls_are_named_and_the_others_still_apply() -> None:
    options, notices = from_query({"hide": "lr,slider,<b>x</b>"})
    assert options.hide == frozenset({"lr"})
    assert params_of(notices) == ["hide"]
    message = notices[0].message
    assert "slider" in message and "are not controls" in message and not MARKUP & set(message)


def test_hide_to_text_of_nothing_is_empty() -> None:
    assert hide_to_text(()) == ""


# --- note ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "note",
    ["<script>alert(1)</script>", "**bold** _it_ [a](http://x.org) :smile: $x^2$", "# Heading\n- item", "&amp; <b>"],
)
def test_a_note_is_kept_as_the_very_text_given(note: str) -> None:
    options, notices = from_query({"note": note})
    assert notices == () and options.note == note.strip()


def test_a_long_note_is_cut_to_280_with_a_notice() -> None:
    options, notices = from_query({"note": "x" * 1000})
    assert options.note == "x" * NOTE_MAX
    assert params_of(notices) == ["note"] and "1000 characters" in notices[0].message


def test_control_characters_in_a_note_become_spaces_and_breaks_stay() -> None:
    options, _ = from_query({"note": "  one\x00two\r\nthree\n\n\n\nfour\x1b  "})
    assert options.note == "one two\nthree\n\nfour"


def test_an_empty_note_is_no_note() -> None:
    assert from_query({"note": "   "}) == (LinkOptions(), ())


# --- step ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "step", "fragment"),
    [
        ("4", 4, None),
        ("-3", 0, "below 0"),
        ("2.6", 3, "not a whole number"),
        ("1e400", None, "not a whole number"),
        ("nan", None, "not a whole number"),
        ("ten", None, "not a whole number"),
        ("99999999", STEPS_MAX, "above the maximum"),
    ],
)
def test_step_values(raw: str, step: int | None, fragment: str | None) -> None:
    options, notices = from_query({"step": raw})
    assert options.step == step
    if fragment is None:
        assert notices == ()
    else:
        assert params_of(notices) == ["step"] and fragment in notices[0].message


def test_clamp_step_to_the_run() -> None:
    assert clamp_step(3, 5) == (3, None)
    step, notice = clamp_step(40, 5)
    assert step == 5 and notice is not None and notice.param == "step"
    assert "ends at step 5" in notice.message and "step 40" in notice.message


# --- view ------------------------------------------------------------------------------------


def test_views_belong_to_their_pages() -> None:
    assert PAGE_VIEWS == {"loss-curve": ("loss", "error", "rates"), "loss-surface": ("3d", "map")}
    options = from_query({"view": "Map"})[0]
    assert options.view == "map"
    assert options.view_for("loss-surface") == "map"
    assert options.view_for("loss-curve") == "loss"  # not one of its tabs: the first one
    assert options.view_for("step-table") == ""


def test_a_view_of_another_page_is_named_on_this_one() -> None:
    assert view_notice(None, "step-table") is None
    assert view_notice("map", "loss-surface") is None
    assert view_notice("rates", "loss-curve") is None
    notice = view_notice("map", "loss-curve")
    assert notice is not None and notice.param == "view"
    assert "/loss-surface" in notice.message and "map" in notice.message
    notice = view_notice("error", "step-table")
    assert notice is not None and "/loss-curve" in notice.message


def test_an_unknown_view_is_named_and_dropped() -> None:
    options, notices = from_query({"view": "<img src=x onerror=alert(1)>"})
    assert options.view is None and params_of(notices) == ["view"]
    assert not MARKUP & set(notices[0].message)
    assert all(view in notices[0].message for view in VIEWS)
    # Each page's tabs with their page: a flat list read as if this page had all five (playtest).
    assert "/loss-curve has loss, error, rates; /loss-surface has 3d, map" in notices[0].message


# --- lesson, stop, predict --------------------------------------------------------------------


def test_a_lesson_without_a_stop_opens_its_first_stop() -> None:
    options, notices = from_query({"lesson": "Article"})
    assert (options.lesson, options.stop, notices) == ("article", 1, ())
    assert to_query(options) == {"lesson": "article", "stop": "1"}


def test_a_stop_without_a_lesson_is_ignored_with_a_notice() -> None:
    options, notices = from_query({"stop": "3"})
    assert options.stop is None and params_of(notices) == ["stop"]


@pytest.mark.parametrize(("raw", "fragment"), [("0", "below 1"), ("-2", "below 1"), ("two", "not a whole"),
                                                 ("1.5", "not a whole")])
def test_bad_stops_open_stop_one(raw: str, fragment: str) -> None:
    options, notices = from_query({"lesson": "article", "stop": raw})
    assert options.stop == 1 and params_of(notices) == ["stop"] and fragment in notices[0].message


@pytest.mark.parametrize("raw", ["../etc/passwd", "a b", "<script>", "-lead", "x" * 41, ""])
def test_lesson_names_are_plain_slugs(raw: str) -> None:
    options, notices = from_query({"lesson": raw, "stop": "2"})
    assert options.lesson is None and options.stop is None
    assert params_of(notices) == ["lesson"]


@pytest.mark.parametrize(("raw", "value", "noticed"), [("on", True, False), ("OFF", False, False),
                                                       ("yes", False, True), ("<b>", False, True)])
def test_predict_is_on_or_off(raw: str, value: bool, noticed: bool) -> None:
    options, notices = from_query({"predict": raw})
    assert options.predict is value
    assert params_of(notices) == (["predict"] if noticed else [])
    assert to_query(options) == ({"predict": "on"} if value else {})


# --- repeated keys, unknown keys, anything at all -----------------------------------------------


def test_a_repeated_key_keeps_its_last_value_with_a_notice() -> None:
    options, notices = from_query({"view": ["loss", "map"], "hide": ["a", "b"], "note": []})
    assert options.view == "map" and options.hide == frozenset({"b"}) and options.note == ""
    assert sorted(params_of(notices)) == ["hide", "view"]
    assert "appears 2 times" in notices[0].message


def test_keys_that_are_not_ours_are_left_alone() -> None:
    assert from_query({"lr": "0.3", "embed": "true", "hidden": "a"}) == (LinkOptions(), ())


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
any_value = st.one_of(st.text(max_size=400), st.lists(st.text(max_size=40), max_size=3))


@FAST
@given(st.dictionaries(st.sampled_from(QUERY_KEYS), any_value))
def test_any_link_gives_valid_options_that_round_trip(params: dict[str, object]) -> None:
    options, notices = from_query(params)
    assert options.hide <= frozenset(HIDEABLE)
    assert len(options.note) <= NOTE_MAX
    assert options.step is None or 0 <= options.step <= STEPS_MAX
    assert options.view is None or options.view in VIEWS
    assert options.compare is None or (
        len(options.compare) <= COMPARE_MAX and len(set(options.compare)) == len(options.compare)
        and all(token in PRESET_TOKENS or float(token.removeprefix("lr=")) > 0 for token in options.compare)
    )
    assert (options.lesson is None) == (options.stop is None)
    for notice in notices:
        assert notice.param in QUERY_KEYS
    again, again_notices = from_query(to_query(options))
    assert again == options and again_notices == ()
