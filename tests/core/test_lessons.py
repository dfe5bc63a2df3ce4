"""The built-in lessons (lessons/*.toml): every file loads strictly, and a broken one is skipped, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.links.lessons import (
    LESSONS_DIR,
    LessonError,
    load_lessons,
    parse_lesson,
    pinned_query,
    resolve_stop,
    stop_link,
)
from core.links.options import NOTE_MAX, PAGE_VIEWS, PAGES, LinkOptions
from core.links.options import from_query as options_from_query
from core.maths.experiment import Experiment
from core.maths.experiment import from_query as experiment_from_query

LESSON_FILES = sorted(LESSONS_DIR.glob("*.toml"))
GOOD_STOP = '[[stop]]\ntitle = "One"\npage = "step-table"\nnote = "Look."\n'
CURVE_STOP = GOOD_STOP.replace("step-table", "loss-curve")


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda path: path.name)
def test_every_lesson_file_loads_without_a_single_problem(path: Path) -> None:
    lesson = parse_lesson(path.stem, path.read_text(encoding="utf-8"))  # raises LessonError listing problems
    assert lesson.name == path.stem and lesson.title and lesson.stops
    for number, stop in enumerate(lesson.stops, start=1):
        assert stop.title and stop.page in PAGES
        assert stop.options.note and len(stop.options.note) <= NOTE_MAX, "every stop asks the class something"
        query = stop.query(lesson.name, number)
        assert query["lesson"] == lesson.name and query["stop"] == str(number)
        # the stop's link, read back, is exactly the stop
        experiment, notices = experiment_from_query(query)
        options, option_notices = options_from_query(query)
        assert notices == () and option_notices == ()
        assert experiment == stop.experiment
        assert options.note == stop.options.note and options.hide == stop.options.hide
        assert stop.options.view is None or stop.options.view in PAGE_VIEWS[stop.page]
        # A class in a lesson moves with the stops: the teacher's tools (a ~400-character share link,
        # the lesson builder) are not theirs (teacher playtest: both showed on every learning-rate stop).
        assert {"share", "builder"} <= stop.options.hide, (path.name, number)


def test_the_shipped_lessons() -> None:
    lessons, notices = load_lessons()
    assert notices == ()
    assert {"article", "learning-rate"} <= set(lessons)
    article = lessons["article"]
    assert article.title == "The article, step by step" and len(article.stops) == 6
    assert [stop.page for stop in article.stops] == ["step-table"] * 3 + ["loss-curve"] + ["loss-surface"] * 2
    assert article.stops[0].experiment == Experiment() and article.stops[0].options.step == 0
    assert article.stops[-1].experiment.points == ((1.0, 4.0), (2.0, 5.0))
    rates = lessons["learning-rate"]
    assert rates.title == "Choosing a learning rate"
    assert [stop.experiment.lr for stop in rates.stops] == [0.01, 0.25, 0.4, 0.5, 0.6, 0.25]
    assert all(stop.page == "loss-curve" and "lr" not in stop.options.hide for stop in rates.stops)
    assert rates.stops[-1].options.compare == ("lr=0.01", "lr=0.4", "lr=0.5", "lr=0.6")  # the lesson's other rates


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("title = ", "not valid TOML"),
        ('title = "No stops"\n', "at least one [[stop]]"),
        ('title = "T"\ncolour = "red"\n' + GOOD_STOP, "unknown key"),
        ('title = "T"\n' + GOOD_STOP + 'speed = 3\n', "stop 1: unknown key"),
        ('title = "T"\n[[stop]]\ntitle = "One"\npage = "nowhere"\n', "page must be one of"),
        ('title = "T"\n' + GOOD_STOP + "lr = -1\n", "stop 1: Learning rate"),
        ('title = "T"\n' + GOOD_STOP + 'data = "1:x"\n', "stop 1: Data"),
        ('title = "T"\n' + GOOD_STOP.replace("Look.", "y" * 300), "more than 280"),
        ('title = "T"\n' + GOOD_STOP + 'hide = ["a", "wheel"]\n', "wheel"),
        ('title = "T"\n' + GOOD_STOP + 'view = "map"\n', "not a tab of step-table"),
        ('title = "T"\n' + GOOD_STOP + "step = 9\n", "beyond the run's 5 steps"),
        ('title = "T"\n' + GOOD_STOP + 'predict = "yes"\n', "predict must be true or false"),
        ('title = "T"\n' + GOOD_STOP + "a = [1, 2]\n", "a must be a number"),
        ('title = "T"\n' + GOOD_STOP + "compare = [0.1]\n", "compare is for the loss-curve page"),
        ('title = "T"\n' + CURVE_STOP + 'compare = "0.1"\n', "compare must be a list"),
        ('title = "T"\n' + CURVE_STOP + 'compare = [0.1, "fast"]\n', "not a rate"),
        ('title = ""\n' + GOOD_STOP, "title must be non-empty"),
    ],
)
def test_a_malformed_lesson_names_its_problem(text: str, fragment: str) -> None:
    with pytest.raises(LessonError) as caught:
        parse_lesson("broken", text)
    assert any(fragment in problem for problem in caught.value.problems), caught.value.problems


def test_a_lesson_file_name_must_be_a_link_name() -> None:
    with pytest.raises(LessonError, match="file name"):
        parse_lesson("My Lesson", 'title = "T"\n' + GOOD_STOP)


def test_the_app_skips_a_broken_file_with_a_notice(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text('title = "Good"\n' + GOOD_STOP, encoding="utf-8")
    (tmp_path / "bad.toml").write_text('title = "Bad"\n[[stop]]\npage = 3\n', encoding="utf-8")
    (tmp_path / "binary.toml").write_bytes(b"\xff\xfe\x00")
    lessons, notices = load_lessons(tmp_path)
    assert list(lessons) == ["good"]
    assert [notice.param for notice in notices] == ["lesson", "lesson"]
    assert "bad.toml" in notices[0].message and "binary.toml" in notices[1].message


def test_a_missing_folder_is_no_lessons(tmp_path: Path) -> None:
    assert load_lessons(tmp_path / "absent") == ({}, ())


def test_resolving_a_link_to_a_stop() -> None:
    lessons, _ = load_lessons()
    assert resolve_stop(LinkOptions(), lessons) == (None, None, ())
    lesson, stop, notices = resolve_stop(LinkOptions(lesson="article", stop=2), lessons)
    assert lesson is lessons["article"] and stop == 2 and notices == ()
    lesson, stop, notices = resolve_stop(LinkOptions(lesson="article", stop=40), lessons)
    assert stop == 6 and [n.param for n in notices] == ["stop"] and "has 6 stops" in notices[0].message
    lesson, stop, notices = resolve_stop(LinkOptions(lesson="nope", stop=1), lessons)
    assert lesson is None and [n.param for n in notices] == ["lesson"] and "article" in notices[0].message


def test_a_links_own_values_win_over_the_stops() -> None:
    lessons, _ = load_lessons()
    rates = lessons["learning-rate"]
    params = stop_link(rates, 3, {"lr": ["0.45"], "stop": ["9"], "note": ["mine"]})
    assert params["lr"] == ["0.45"] and params["stop"] == ["3"] and params["note"] == ["mine"]
    assert params["view"] == ["error"] and params["lesson"] == ["learning-rate"]


def test_values_a_stop_sets_are_written_even_at_their_default() -> None:
    stop = load_lessons()[0]["learning-rate"].stops[2]  # lr 0.4, 10 steps
    assert pinned_query(stop, Experiment(lr=0.1, steps=10)) == {"lr": "0.1"}
    assert pinned_query(stop, Experiment(lr=0.4, steps=10)) == {}
    assert pinned_query(stop, Experiment()) == {"lr": "0.1", "steps": "5"}
