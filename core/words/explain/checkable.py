"""Formulas a student can check: enough digits that every sum, product and update adds up on screen.

The table rounds to 4 decimals. Rounded numbers do not always add up: at the article's step 5,
a = 1.61664 and b = 2.61664 show as 1.6166 and 2.6166, whose sum 4.2332 is not the table's
y_pred 4.2333. So each formula block (a worked-out round, a derivation, a fact) lists the
arithmetic it shows as :class:`Link` s — result = compute(operands) — and :func:`digits_for`
picks the fewest decimals, at least the table's 4, at which every link re-computed from the
numbers *as shown* gives the result *as shown*. The block then writes every computed number
with those decimals (trailing zeros dropped, so 2.4 stays 2.4).

Numbers a student typed (x, y, the learning rate) are written out in full, as typed, never
rounded: 0.0000179533213645 rather than 0.00001795.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from core.words.notation import DECIMALS, SCIENTIFIC_FROM, latex, latex_operand, plain, short, written_out

MAX_DECIMALS = 15  # about all the digits a float of the size of these numbers holds


@dataclass(frozen=True)
class Number:
    """A number in a formula: computed by the run (shown with the block's decimals) or given by the student."""

    value: float
    given: bool = False


def given(value: float) -> Number:
    return Number(float(value), True)


def computed(value: float) -> Number:
    return Number(float(value))


@dataclass(frozen=True)
class Link:
    """One step of arithmetic a formula shows: ``result`` is ``compute(*operands)``.

    ``compute`` does the same floating-point operations as :mod:`core.maths.training`, so
    with all digits shown it reproduces the result exactly. ``reads`` says it in words with the
    numbers plugged in, for the note that explains extra digits: ``"{0}·{1} + {2}"``.
    """

    compute: Callable[..., float]
    operands: tuple[Number, ...]
    result: Number
    reads: str


class Digits:
    """How a formula block writes its numbers: each with its own decimals, at least the table's 4.

    A number keeps one display throughout the block (a = 1.61664 in the prediction and in the
    update alike); given numbers are always written out in full (``notation.written_out``).
    """

    def __init__(self, places: dict[Number, int] | None = None) -> None:
        self._places = dict(places or {})

    def places(self, number: Number) -> int:
        return self._places.get(number, DECIMALS)

    @property
    def decimals(self) -> int:
        """The most decimals any computed number of the block carries."""
        return max([DECIMALS, *(d for n, d in self._places.items() if not n.given)])

    def widened(self, numbers: Iterable[Number]) -> Digits:
        """The same, with one more decimal for each of ``numbers`` (up to ``MAX_DECIMALS``)."""
        places = dict(self._places)
        for number in numbers:
            places[number] = min(self.places(number) + 1, max(MAX_DECIMALS, self.places(number)))
        return Digits(places)

    def same_as(self, other: Digits) -> bool:
        return self._places == other._places

    def shown(self, number: Number) -> float:
        """The value a student reads off the screen."""
        return float(self.text(number))

    def text(self, number: Number) -> str:
        if number.given and abs(number.value) < SCIENTIFIC_FROM:
            return written_out(number.value)
        return short(number.value, self.places(number))

    def tex(self, number: Number) -> str:
        if number.given and abs(number.value) < SCIENTIFIC_FROM:
            return written_out(number.value)
        return latex(number.value, self.places(number))

    def operand(self, number: Number) -> str:
        if number.given and abs(number.value) < SCIENTIFIC_FROM:
            text = written_out(number.value)
            return f"({text})" if text.startswith("-") else text
        return latex_operand(number.value, self.places(number))

    def exact(self, number: Number) -> bool:
        """True when the shown digits are the value (up to float noise such as 2.4000000000000004)."""
        value = number.value
        return abs(value - self.shown(number)) <= 1e-9 * max(1.0, abs(value))

    def relation(self, *numbers: Number) -> str:
        """"=" when every number of a formula is shown exactly, "≈" when one was rounded for display."""
        return "=" if all(self.exact(n) for n in numbers) else r"\approx"

    def sign(self, *links: Link) -> str:
        """"=" when the shown operands give exactly the shown result, "≈" when it was rounded to get there."""
        for link in links:
            try:
                again = link.compute(*(self.shown(n) for n in link.operands))
            except (OverflowError, ZeroDivisionError):
                return r"\approx"
            result = self.shown(link.result)
            if not abs(again - result) <= 1e-9 * max(1.0, abs(result)):
                return r"\approx"
        return "="

    def holds(self, link: Link) -> bool:
        """True when the link, re-computed from the shown operands, gives the shown result."""
        try:
            again = link.compute(*(self.shown(n) for n in link.operands))
        except (OverflowError, ZeroDivisionError):
            return False
        return short(again, self.places(link.result)) == self.text(link.result)

    def reading(self, link: Link) -> str:
        """The link in words with its shown numbers and what they give: "1.6166·1 + 2.6166 = 4.2332"."""
        shown = [plain(self.shown(n), self.places(n)) for n in link.operands]
        shown = [f"({text})" if text.startswith("−") else text for text in shown]
        again = link.compute(*(self.shown(n) for n in link.operands))
        return f"{link.reads.format(*shown)} = {plain(again, self.places(link.result))}"


def digits_for(links: Iterable[Link], start: dict[Number, int] | None = None) -> Digits:
    """The displays at which every link adds up from the numbers on screen.

    Every number starts at 4 decimals (or as ``start`` says); while a link does not add up, its
    operands get one more decimal (they then reproduce the result ever more closely). Results that
    feed no other link keep the table's 4 decimals, unless the true value sits right on a rounding
    boundary that no operand digits can settle.
    """
    links = list(links)
    digits = Digits(start)
    for _ in range(4 * MAX_DECIMALS):
        broken = [link for link in links if not digits.holds(link)]
        if not broken:
            break
        wider = digits.widened(
            {n for link in broken for n in link.operands if not n.given and digits.places(n) < MAX_DECIMALS}
        )
        if wider.same_as(digits):
            # Right at a rounding boundary (the true 1.7187499999 shows as 1.7187, yet 2·0.3125·2.75 is
            # 1.71875): the operands cannot show more, so the result shows more digits instead.
            wider = digits.widened({link.result for link in broken if digits.places(link.result) < MAX_DECIMALS})
        if wider.same_as(digits):
            break  # nothing can show more: the formula keeps its honest "≈"
        digits = wider
    return digits


def extra_digits_note(links: Sequence[Link], digits: Digits) -> str | None:
    """Why a block shows more decimals than the table, with the first sum that 4 would break."""
    if digits.decimals == DECIMALS:
        return None
    table = Digits()
    broken = next((link for link in links if not table.holds(link)), None)
    if broken is None:
        return None
    return (
        f"Some numbers here keep more than the table's {DECIMALS} decimals, so that every line adds up: rounded "
        f"to {DECIMALS}, {table.reading(broken)}, not {plain(table.shown(broken.result), DECIMALS)}."
    )


# --- the links of one round ---------------------------------------------------------------------


def _sum_of_products(*values: float) -> float:
    """2/n · Σ e_i x_i, as the formula writes it: values are e_1 … e_n, x_1 … x_n."""
    half = len(values) // 2
    return sum(2 * e * x for e, x in zip(values[:half], values[half:], strict=True)) / half


def _mean_of_doubles(*values: float) -> float:
    return sum(2 * e for e in values) / len(values)


def _mean_of_squares(*values: float) -> float:
    return sum(e * e for e in values) / len(values)


def prediction(a: Number, x: Number, b: Number, p: Number) -> Link:
    return Link(lambda a_, x_, b_: a_ * x_ + b_, (a, x, b), p, "{0}·{1} + {2}")


def residual(a: Number, x: Number, b: Number, y: Number, e: Number) -> Link:
    return Link(lambda a_, x_, b_, y_: a_ * x_ + b_ - y_, (a, x, b, y), e, "{0}·{1} + {2} − {3}")


def difference(p: Number, y: Number, e: Number) -> Link:
    return Link(lambda p_, y_: p_ - y_, (p, y), e, "{0} − {1}")


def square(e: Number, loss: Number) -> Link:
    return Link(lambda e_: e_ * e_, (e,), loss, "{0}²")


def double_product(e: Number, x: Number, grad: Number) -> Link:
    return Link(lambda e_, x_: 2 * e_ * x_, (e, x), grad, "2·{0}·{1}")


def double(e: Number, grad: Number) -> Link:
    return Link(lambda e_: 2 * e_, (e,), grad, "2·{0}")


def step(value: Number, lr: Number, grad: Number, result: Number) -> Link:
    return Link(lambda v_, lr_, g_: v_ - lr_ * g_, (value, lr, grad), result, "{0} − {1}·{2}")


def times(x: Number, value: Number, result: Number) -> Link:
    return Link(lambda x_, v_: x_ * v_, (x, value), result, "{0}·{1}")


def mean_of_squares(errors: Sequence[Number], loss: Number) -> Link:
    reads = "(" + " + ".join(f"{{{i}}}²" for i in range(len(errors))) + f") / {len(errors)}"
    return Link(_mean_of_squares, tuple(errors), loss, reads)


def mean_gradient_a(errors: Sequence[Number], xs: Sequence[Number], grad: Number) -> Link:
    n = len(errors)
    reads = f"2/{n}·(" + " + ".join(f"{{{i}}}·{{{i + n}}}" for i in range(n)) + ")"
    return Link(_sum_of_products, (*errors, *xs), grad, reads)


def mean_gradient_b(errors: Sequence[Number], grad: Number) -> Link:
    n = len(errors)
    reads = f"2/{n}·(" + " + ".join(f"{{{i}}}" for i in range(n)) + ")"
    return Link(_mean_of_doubles, tuple(errors), grad, reads)
