"""core.words.explain: the words, formulas and code of the step table page, with the run's numbers."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from core.maths.experiment import from_query
from core.maths.training import LOSS_LIMIT, PARAM_LIMIT, train
from core.words import explain, tables
from core.words.explain import latex as tex
from core.words.explain.loop_code import limit

NAN_OR_INF = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)


def run(**query: str):
    return train(from_query(query)[0])


def latex_of(round_: explain.Round) -> list[str]:
    return [formula for part in round_.parts for formula in part.formulas]


def joined(round_: explain.Round) -> str:
    return "\n".join(latex_of(round_))


# --- formulas -------------------------------------------------------------------------------


def test_relation_is_honest_about_rounding() -> None:
    assert tex.relation(2.4000000000000004, 1.0, 5.8) == "="
    assert tex.relation(0.419904) == r"\approx"


# --- the start ------------------------------------------------------------------------------


def test_introduction_at_the_defaults() -> None:
    intro = explain.introduction(run())
    assert intro.model == r"y_{\text{pred}} = a \cdot x + b"
    assert intro.first_prediction.endswith(r"= 3 \cdot 1 + 4 = 7")
    assert "x = 1" in intro.setup and "y = 4" in intro.setup and "0.1" in intro.setup and "5 updates" in intro.setup
    assert "off by 3 (too high)" in intro.first_miss


def test_introduction_with_several_points_lists_the_predictions() -> None:
    intro = explain.introduction(run(data="1:4,2:5,3:7"))
    assert r"\left(7,\ 10,\ 13\right)" in intro.first_prediction
    assert "(1, 4), (2, 5), (3, 7)" in intro.setup
    assert "23.3333" in intro.first_miss


@pytest.mark.parametrize(
    ("query", "promise"),
    [
        ({}, "one more round of closing that gap."),
        ({"lr": "0.45"}, "one more round of closing that gap."),  # overshooting still closes it
        ({"lr": "0.5"}, "they never shrink the gap: each update throws the guess to the other side of the answer, "
                        "just as far off."),
        ({"lr": "1.2"}, "they make the gap grow"),
        ({"data": "1:2,3:4,5:6"}, "they make it grow: each update throws the line to the other side of the best fit"),
        ({"data": "1:2,3:4,5:6", "lr": "0.01"}, "one more round of bringing it down."),
    ],
)
def test_the_introduction_never_promises_a_closing_gap_the_rate_will_not_give(query, promise) -> None:
    """A student read "each row closes the gap" above a table whose loss grew row after row."""
    assert promise in explain.introduction(run(**query)).first_miss


# --- one round ------------------------------------------------------------------------------


def test_round_zero_at_the_defaults_has_the_articles_numbers() -> None:
    worked = explain.one_round(run(), 0)
    assert [part.title for part in worked.parts] == ["Predict", "Loss", "Gradient", "Update"]
    text = joined(worked)
    assert r"3 \cdot 1 + 4 = 7" in text
    assert r"e = y_{\text{pred}} - y = 7 - 4 = 3" in text
    assert r"(7 - 4)^2 = 3^2 = 9" in text
    assert r"2\,e\,x = 2 \cdot 3 \cdot 1 = 6" in text
    assert r"2\,e = 2 \cdot 3 = 6" in text
    assert r"&= 3 - 0.1 \cdot 6 = 2.4" in text
    assert r"&= 4 - 0.1 \cdot 6 = 3.4" in text
    assert not worked.is_last


def test_round_one_uses_row_one() -> None:
    text = joined(explain.one_round(run(), 1))
    assert r"2.4 \cdot 1 + 3.4 = 5.8" in text
    assert r"(5.8 - 4)^2 = 1.8^2 = 3.24" in text
    assert r"2.4 - 0.1 \cdot 3.6 = 2.04" in text


def test_rounded_numbers_are_marked_approximate() -> None:
    text = joined(explain.one_round(run(), 3))
    assert r"0.648^2 \approx 0.4199" in text


def test_last_row_applies_no_update() -> None:
    worked = explain.one_round(run(), 5)
    assert worked.is_last
    update = worked.parts[3]
    assert update.formulas == ()
    assert "last row" in update.text and "no update" in update.text


def test_step_is_clamped() -> None:
    trajectory = run()
    assert explain.one_round(trajectory, 99).step == 5
    assert explain.one_round(trajectory, -4).step == 0
    assert trajectory.clamp_step("garbage") == 0


def test_negative_numbers_are_parenthesised() -> None:
    text = joined(explain.one_round(run(data="-2:4"), 0))
    assert r"3 \cdot (-2) + 4 = -2" in text
    assert r"-2 - 4 = -6" in text
    assert r"2 \cdot (-6) \cdot (-2) = 24" in text
    assert r"(-6)^2 = 36" in text


def test_hand_mode_shows_the_rounding_in_the_update() -> None:
    worked = explain.one_round(run(mode="hand"), 4)
    text = joined(worked)
    # a = 1.6944 - 0.1 * 0.7776 = 1.61664, kept as 1.6166
    assert r"1.6944 - 0.1 \cdot 0.7776 = 1.61664 \;\to\; 1.6166" in text
    assert "rounded to 4 decimals" in worked.parts[3].text


def test_several_points_show_the_mean_squared_error_forms() -> None:
    text = joined(explain.one_round(run(data="1:4,2:5,3:7"), 0))
    assert r"\frac{1}{3}\left(3^2 + 5^2 + 6^2\right) \approx 23.3333" in text
    assert r"\frac{2}{3}\left(3 \cdot 1 + 5 \cdot 2 + 6 \cdot 3\right) \approx 20.6667" in text
    assert r"\frac{2}{3}\left(3 + 5 + 6\right) \approx 9.3333" in text
    assert r"\left(7 - 4,\ 10 - 5,\ 13 - 7\right)" in text


def test_many_points_are_listed_compactly() -> None:
    data = ",".join(f"{x}:{x}" for x in range(1, 11))
    text = joined(explain.one_round(run(data=data), 0))
    assert r"\ldots" in text
    assert text.count(r"\cdot") < 20


def test_divergence_is_explained_in_the_last_round() -> None:
    trajectory = run(lr="0.6", steps="200")
    worked = explain.one_round(trajectory, trajectory.last_step)
    assert trajectory.divergence.describe() in worked.parts[3].text
    assert r"\times 10^{" in joined(worked)


# --- derivation -----------------------------------------------------------------------------


def test_derivation_expands_and_plugs_in_the_picked_step() -> None:
    lines = explain.derivation(run(), 1)
    latex = "\n".join(line.latex for line in lines)
    assert "L = a^2x^2 + 2abx - 2axy + b^2 - 2by + y^2" in latex
    assert r"2x\,(ax + b - y) = 2\,e\,x" in latex
    assert r"2\,(2.4 \cdot 1 + 3.4 - 4) \cdot 1" in latex
    assert r"2 \cdot 1.8 \cdot 1 = 3.6" in latex
    assert "step 1" in lines[-2].text


def test_derivation_with_several_points() -> None:
    latex = "\n".join(line.latex for line in explain.derivation(run(data="1:4,2:5,3:7"), 0))
    assert r"\sum_{i=1}^{n} (a x_i + b - y_i)\,x_i" in latex
    assert r"3 \cdot 1 + 5 \cdot 2 + 6 \cdot 3" in latex


# --- what to notice -------------------------------------------------------------------------


def facts_text(trajectory, step: int = 0) -> str:
    return "\n".join(f"{f.title}|{f.text}|{f.latex or ''}" for f in explain.what_to_notice(trajectory, step))


def test_facts_at_the_defaults() -> None:
    text = facts_text(run())
    assert "by r = 0.6 (error 3 → 1.8 → 1.08 → …)" in text
    assert "The loss is multiplied by r² = 0.36 per step (loss 9 → 3.24 → 1.1664 → …)." in text
    assert "3 → 1.8 → 1.08" in text and "9 → 3.24 → 1.1664" in text
    assert "With x = 1 the two gradients are equal" in text
    assert "(1.5, 2.5)" in text and "(1, 3)" in text and "(0, 4)" in text
    assert "a + b = 4" in text
    assert r"= 1 - 2 \cdot 0.1 \cdot (1^2 + 1) = 0.6" in text


def test_facts_with_another_x() -> None:
    text = facts_text(run(data="-2:4", lr="0.05"), 0)
    assert "x times" in text
    # ∂a = x·∂b with the step's numbers: error -6 → ∂b = -12, ∂a = 24.
    assert r"24 = (-2) \cdot (-12)" in text
    assert r"-2\,a + b = 4" in text


def test_facts_for_the_regimes() -> None:
    assert "Overshooting" in facts_text(run(lr="0.4"))
    assert "−0.6" in facts_text(run(lr="0.4"))
    assert "Bouncing forever" in facts_text(run(lr="0.5"))
    assert "One update lands exactly" in facts_text(run(lr="0.25"))
    diverging = facts_text(run(lr="0.6", steps="200"))
    assert "overshoots further" in diverging and "×1.4" in diverging and "never gets there" in diverging


def test_facts_with_several_x_close_the_valley() -> None:
    text = facts_text(run(data="1:4,2:5,3:7"))
    assert "single best point" in text and "a = 1.5, b = 2.3333" in text
    assert "own direction" in text


def test_nothing_to_learn_when_the_start_is_perfect() -> None:
    text = facts_text(run(data="0:4"))
    assert "Nothing to learn" in text


# --- hand calculation note ------------------------------------------------------------------


def test_precision_notes_name_the_first_difference() -> None:
    exact, hand = run(), run(mode="hand")
    exact_note = explain.precision_note(exact, hand)
    hand_note = explain.precision_note(hand, exact)
    # Every cell of row 5 that changes is named, and the ones that do not (issue #18: not only y_pred).
    row_5 = ("row 5: y_pred 4.2333 → 4.2332, error 0.2333 → 0.2332, grad ∂a 0.4666 → 0.4664 and grad ∂b "
             "0.4666 → 0.4664; a, b and loss read the same")
    assert "Hand calculation" in exact_note and row_5 in exact_note
    assert "Every column of the table shows 4 decimals" in exact_note
    assert "rounded to 4 decimals" in hand_note
    assert ("row 5: y_pred 4.2332 → 4.2333, error 0.2332 → 0.2333, grad ∂a 0.4664 → 0.4666 and grad ∂b 0.4664 → "
            "0.4666; a, b and loss read the same") in hand_note
    longer = explain.precision_note(run(steps="8"), run(steps="8", mode="hand"))
    assert "; later rows drift further" in longer
    diverging = explain.precision_note(run(lr="0.6", steps="200"), run(lr="0.6", steps="200", mode="hand"))
    assert "y_pred −12.1347 → −12.1348" in diverging and " -1" not in diverging  # a real minus, as the table's


# --- the loop as code -----------------------------------------------------------------------


def printed_rows(trajectory) -> list[str]:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(explain.training_loop_code(trajectory), {})  # the code the page shows
    return output.getvalue().splitlines()


@pytest.mark.parametrize(
    "query",
    [{}, {"mode": "hand"}, {"data": "-2:4"}, {"lr": "0.4", "steps": "12"}, {"data": "1:4,2:5,3:7"},
     {"data": "1:4,2:5,3:7", "mode": "hand"}, {"a": "-3.7", "b": "0.123", "lr": "0.037", "steps": "40"}],
)
def test_shown_code_prints_the_tables_rows(query: dict[str, str]) -> None:
    trajectory = run(**query)
    table = tables.step_table(trajectory)
    lines = printed_rows(trajectory)
    assert lines[0].split(", ") == [h.replace("grad ∂", "grad_").lower() for h in table.headers]
    # Python's f"{-0.0:.4f}" is "-0.0000"; the table prints a plain zero.
    printed = [tuple(cell.replace("-0.0000", "0.0000") for cell in line.split(", ")) for line in lines[1:]]
    assert printed == list(table.rows)


def test_shown_code_stops_where_the_table_stops() -> None:
    trajectory = run(lr="0.6", steps="200")
    lines = printed_rows(trajectory)
    assert lines[-1] == "diverged: stopping"
    rows = [line.split(", ") for line in lines[1:-1]]
    assert len(rows) == trajectory.n_rows
    assert [float(row[1]) for row in rows] == pytest.approx(list(trajectory.a), rel=1e-12, abs=1e-4)


def test_shown_codes_limits_are_trainings_own() -> None:
    """The loop shown stops where train() stops because it is written from training's constants."""
    code = explain.training_loop_code(run(lr="0.6", steps="200"))
    (guard,) = [line for line in code.splitlines() if line.strip().startswith("if abs(a) >")]
    numbers = [float(token.rstrip(":")) for token in guard.split() if token[0].isdigit()]
    assert numbers == [PARAM_LIMIT, PARAM_LIMIT, LOSS_LIMIT]
    assert "abs(a) > 1e12 or abs(b) > 1e12 or loss > 1e24:" in guard
    assert limit(2.5e12) == "2.5e12" and float(limit(7e-3)) == 7e-3


def test_code_has_the_experiments_numbers() -> None:
    code = explain.training_loop_code(run(a="2.5", lr="0.05", steps="7", data="3:-1"))
    assert "x, y = 3, -1" in code and "a, b = 2.5, 4" in code and "lr = 0.05" in code and "steps = 7" in code


# --- never nan / inf ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [{"lr": "0.6", "steps": "200"}, {"lr": "10", "a": "1000", "data": "1000:-1000", "steps": "1000"},
     {"data": "1:4,2:5,3:7,4:1,5:2,6:3", "steps": "1000"}, {"lr": "0.5", "steps": "1000"}],
)
def test_no_nan_or_inf_in_any_text(query: dict[str, str]) -> None:
    trajectory = run(**query)
    other = train(trajectory.experiment.with_(mode="hand"))
    texts = [explain.introduction(trajectory).first_prediction, explain.introduction(trajectory).first_miss,
             explain.precision_note(trajectory, other), explain.training_loop_code(trajectory)]
    for step in (0, trajectory.last_step // 2, trajectory.last_step):
        texts += latex_of(explain.one_round(trajectory, step))
        texts += [part.text for part in explain.one_round(trajectory, step).parts]
        texts += [line.latex for line in explain.derivation(trajectory, step)]
        texts += [f"{f.text} {f.latex}" for f in explain.what_to_notice(trajectory, step)]
    for text in texts:
        assert not NAN_OR_INF.search(text), text


def test_negative_x_says_a_moves_the_other_way() -> None:
    facts = {fact.title: fact.text for fact in explain.what_to_notice(run(data="-2:4"), 0)}
    assert "2 times as far as b at every step, in the opposite direction" in facts["Two gradients from one error"]


def test_no_sentence_copies_the_article() -> None:
    """The app speaks in its own words: the article's sentences about the model must not reappear."""
    texts = [fact.text for fact in explain.what_to_notice(run(), 0)]
    joined = " ".join(texts).lower()
    assert "approaches it incrementally" not in joined and "never \u201ccalculates\u201d" not in joined
    assert "never computes the answer" not in joined


def test_hand_note_does_not_repeat_the_article_aside_at_the_article_settings() -> None:
    hand = run(mode="hand")
    note = explain.precision_note(hand, train(hand.experiment.with_(mode="exact")))
    assert "the first row that changes is row 5: y_pred 4.2332 → 4.2333" in note
    assert "At the article's settings" not in note


def test_a_hand_calculation_frozen_by_rounding_says_so() -> None:
    """lr 0.0001 near the valley: every update is under 0.00005, so 4-decimal rounding undoes it."""
    frozen = run(a="1.6", b="2.6", lr="0.0001", mode="hand")
    assert frozen.a[1] == frozen.a[0] and frozen.gradient_a[0] != 0
    facts = explain.what_to_notice(frozen, 0)
    assert facts[0].title == "Rounding froze this hand calculation"
    assert "From step 1 on" in facts[0].text
    exact = run(a="1.6", b="2.6", lr="0.0001")
    assert all(fact.title != "Rounding froze this hand calculation" for fact in explain.what_to_notice(exact, 0))


# --- where r comes from ---------------------------------------------------------------------


def test_rate_derivation_plugs_in_the_picked_step() -> None:
    lines = explain.rate_derivation(run(lr="0.4"), 2)
    latex = "\n".join(line.latex for line in lines)
    assert r"= e\,\bigl(1 - 2\,\text{lr}\,(x^2 + 1)\bigr) = r\,e" in latex
    assert r"r &= 1 - 2 \cdot 0.4 \cdot (1^2 + 1) = -0.6" in latex
    assert r"e_{3} &= r\,e_{2} = (-0.6) \cdot 1.08 = -0.648" in latex
    assert "one-step rate, lr = 0.25 here" in lines[-1].text


def test_rate_derivation_with_one_x_and_a_floor_uses_the_mean_error() -> None:
    lines = explain.rate_derivation(run(data="1:4,1:6,1:8"), 0)
    assert "Take the mean error before an update, ē = a·x + b − ȳ" in lines[0].text
    assert r"L' - L_{\min} = r^2\,(L - L_{\min})" in [line.latex for line in lines]


def test_rate_derivation_with_points_at_different_x_explains_the_two_directions() -> None:
    lines = explain.rate_derivation(run(data="1:4,2:5,3:7"), 0)
    text = " ".join(line.text for line in lines)
    assert "no single r describes an update" in text and "For the university student" in text
    latex = "\n".join(line.latex for line in lines)
    assert r"\lambda_{\max} \approx 11.09, \quad \lambda_{\min} \approx 0.2404" in latex
    assert r"1 - \text{lr}\,\lambda_{\max} &\approx -0.1093" in latex
