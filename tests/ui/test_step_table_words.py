"""The step table's words as a student reads them (issue #18, items 1, 2, 3 and 11), run by AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

PAGE = "../../views/step_table.py"
LOSS_CURVE = "../../views/loss_curve.py"


def open_page(path: str = PAGE, **query: str) -> AppTest:
    at = AppTest.from_file(path, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "latex", "caption", "info", "warning"):
        parts += [str(element.value) for element in at.get(kind)]
    return "\n".join(parts)


def test_step_5_adds_up_from_the_numbers_shown_next_to_it() -> None:
    """Item 1: 1.6166 + 2.6166 is 4.2332, so the round shows the digits that make the table's 4.2333."""
    at = open_page()
    at.slider[0].set_value(5).run()
    shown = text(at)
    assert r"1.61664 \cdot 1 + 2.61664 \approx 4.2333" in shown
    assert "rounded to 4, 1.6166·1 + 2.6166 = 4.2332, not 4.2333" in shown
    # The note under the table names every cell of row 5 that a hand calculation changes.
    (note,) = [c.value for c in at.caption if "Hand calculation" in c.value]
    assert "row 5: y_pred 4.2333 → 4.2332, error 0.2333 → 0.2332, grad ∂a 0.4666 → 0.4664 and grad ∂b" in note
    assert "a, b and loss read the same" in note


def test_one_x_with_a_floor_says_the_part_above_the_floor_shrinks() -> None:
    """Item 2: at data=1:4,1:6,1:8 the losses shrink ×~0.83; only the part above 2.6667 shrinks ×0.36."""
    shown = text(open_page(data="1:4,1:6,1:8"))
    assert "multiplies the mean error by r = 0.6 (mean error 1 → 0.6 → 0.36 → …)" in shown
    assert "The loss cannot go below its floor, 2.6667" in shown
    assert "only the part above the floor is multiplied by r² = 0.36 per step" in shown
    assert "the loss itself levels off towards the floor (loss 3.6667 → 3.0267 → 2.7963 → …)" in shown


def test_nothing_to_learn_says_why() -> None:
    """Item 3: x = 0 with b = y: the start already predicts the answer, and the page says so."""
    shown = text(open_page(data="0:4"))
    assert "Nothing to learn" in shown
    assert "The start already predicts the true answer: a·x + b = 3·0 + 4 = 4" in shown
    assert "At x = 0 the guess is just b, and b starts at 4." in shown


def test_where_r_comes_from_derives_it_and_glosses_the_words() -> None:
    """Item 11: r derived like the gradient, with this step's numbers, and the rate words in plain words."""
    at = open_page()
    assert any(e.label == "Where r comes from" for e in at.expander)
    assert "Words used about learning rates" not in text(at)  # closed: nothing built
    at.session_state["step_table.rate_derivation_open"] = True
    at.run()
    shown = text(at)
    assert r"&= e\,\bigl(1 - 2\,\text{lr}\,(x^2 + 1)\bigr) = r\,e" in shown
    assert r"e_{1} &= r\,e_{0} = 0.6 \cdot 3 = 1.8" in shown
    assert "one-step rate, lr = 0.25 here" in shown and "the bounce rate, lr = 0.5 here" in shown
    assert "**below 1 in size**: r between −1 and 1" in shown
    assert "**λmax, the steepest curvature**: how sharply the loss bends upwards" in shown
    assert "Precisely: the largest eigenvalue λmax of the loss's Hessian" in shown


def test_loss_curve_opening_glosses_below_1_in_size() -> None:
    shown = text(open_page(LOSS_CURVE))
    assert "When r is below 1 in size, that is between −1 and 1, each error is smaller than the one before" in shown
