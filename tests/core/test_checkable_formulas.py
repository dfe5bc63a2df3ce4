"""Every formula on the step table adds up from the numbers it shows (issue #18, item 1).

The test reads the LaTeX a student sees — not the numbers the code meant — re-computes each sum,
product and update from the operands *as displayed* in exact decimal arithmetic, and checks that
the result *as displayed* is that value rounded to its own digits; and that "=" is only written
where it is exact. It covers every step of the worked-out round, the derivation, the first guess
and the facts' formulas, over random experiments (one point and several; every regime; by hand).
"""

from __future__ import annotations

import re
from decimal import Decimal, getcontext

import pytest
from experiment_strategies import experiments
from hypothesis import HealthCheck, given, settings

from core.maths.experiment import Experiment, from_query
from core.maths.training import train
from core.words import explain

getcontext().prec = 60
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

N = r"\(?-?\d+(?:\.\d+)?(?: \\times 10\^\{-?\d+\})?\)?"  # a number as the formulas write it
REL = r"(=|\\approx)"
BASE = r"(?:\(-?[\d.]+(?: \\times 10\^\{-?\d+\})?\)|[\d.]+)"  # a squared number: 0.2333, (-1.8), (1.2 \times 10^{7})
SEP = r",\ "  # between the entries of a vector: ",\ "
FLOAT_NOISE = Decimal("1e-15")


def value(text: str) -> tuple[Decimal, int]:
    """A displayed number and how many decimals it shows (negative for 10^k scales)."""
    text = text.strip("()")
    mantissa, _, power = text.partition(r" \times 10^")
    exponent = int(power.strip("{}")) if power else 0
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return Decimal(mantissa).scaleb(exponent), decimals - exponent


def check(calculated: Decimal, relation: str, shown: str, what: str, *operands: Decimal) -> None:
    result, decimals = value(shown)
    half_unit = Decimal(5).scaleb(-decimals - 1)
    # A number shown with 15 decimals is the float itself, whose last digit can differ from exact
    # decimal arithmetic (−2.0219·3.75 + 7.7108 is 0.12867499999999943 in floats): FLOAT_NOISE, relative
    # to the operands' size, since the error of a·x + b is relative to a·x, not to the small sum.
    size = sum((abs(v) for v in operands), Decimal(0))
    noise = FLOAT_NOISE * max(Decimal(1), abs(result), size * size)
    assert abs(calculated - result) <= half_unit * Decimal("1.000000001") + noise, (what, calculated, shown)
    if relation == "=":
        assert abs(calculated - result) <= Decimal("1e-9") * max(Decimal(1), abs(result)), (what, calculated, shown)


def numbers(text: str) -> list[Decimal]:
    return [value(t)[0] for t in re.findall(N, text)]


def items(block: str) -> list[str]:
    return block.split(SEP)


def check_single(formula: str) -> int:
    """The one-point shapes; returns how many links it checked."""
    count = 0
    for m in re.finditer(rf"= ({N}) \\cdot ({N}) \+ ({N}) {REL} ({N})", formula):
        a, x, b = (value(m[i])[0] for i in (1, 2, 3))
        check(a * x + b, m[4], m[5], "a·x + b", a, x, b)
        count += 1
    for m in re.finditer(rf"= ({N}) - ({N}) {REL} ({N})(?:$| )", formula):
        p, y = value(m[1])[0], value(m[2])[0]
        check(p - y, m[3], m[4], "y_pred − y", p, y)
        count += 1
    for m in re.finditer(rf"\(({N}) - ({N})\)\^2 {REL} ({N})\^2", formula):
        check(value(m[1])[0] - value(m[2])[0], m[3], m[4], "(y_pred − y)", value(m[1])[0], value(m[2])[0])
        count += 1
    for m in re.finditer(rf"(?:^|\s)({BASE})\^2 {REL} ({N})", formula):
        e = value(m[1])[0]
        check(e * e, m[2], m[3], "e²", e)
        count += 1
    for m in re.finditer(rf"(?<!\\cdot )(?<![\d.])2 \\cdot ({N}) \\cdot ({N}) {REL} ({N})", formula):
        check(2 * value(m[1])[0] * value(m[2])[0], m[3], m[4], "2·e·x", 2 * value(m[1])[0] * value(m[2])[0])
        count += 1
    for m in re.finditer(rf"(?<!\\cdot )(?<![\d.])2 \\cdot ({N}) {REL} ({N})", formula):
        check(2 * value(m[1])[0], m[2], m[3], "2·e", 2 * value(m[1])[0])
        count += 1
    for m in re.finditer(rf"&= ({N}) - ({N}) \\cdot ({N}) {REL} ({N})(?: \\;\\to\\; ({N}))?", formula):
        v, lr, g = (value(m[i])[0] for i in (1, 2, 3))
        check(v - lr * g, m[4], m[5], "a − lr·∂L/∂a", v, lr * g)
        if m[6]:
            check(value(m[5])[0], r"\approx", m[6], "rounded by hand")
        count += 1
    for m in re.finditer(rf"2\\,\(({N}) \\cdot ({N}) \+ ({N}) - ({N})\)(?: \\cdot {N})? \\\\ &{REL} 2 \\cdot ({N})",
                         formula):
        a, x, b, y = (value(m[i])[0] for i in (1, 2, 3, 4))
        check(a * x + b - y, m[5], m[6], "a·x + b − y", a, x, b, y)
        count += 1
    for m in re.finditer(rf"\\quad ({N}) {REL} ({N}) \\cdot ({N})", formula):
        check(value(m[3])[0] * value(m[4])[0], m[2], m[1], "x·∂L/∂b", value(m[3])[0] * value(m[4])[0])
        count += 1
    for m in re.finditer(rf"_\{{\d+\}} = ({N}) \\cdot ({N}) = ({N})", formula):  # e_1 = r e_0 = 0.6 · 3 = 1.8
        check(value(m[1])[0] * value(m[2])[0], "=", m[3], "r·e", value(m[1])[0] * value(m[2])[0])
        count += 1
    for m in re.finditer(rf"= 1 - 2 \\cdot ({N}) \\cdot \(({N})\^2 \+ 1\) {REL} ({N})", formula):
        lr, x = value(m[1])[0], value(m[2])[0]
        check(1 - 2 * lr * (x * x + 1), m[3], m[4], "r", 2 * lr * (x * x + 1))
        count += 1
    return count


def pick(values: list, shown: int) -> list:
    """The entries a shortened list shows: all, or the first three and the last."""
    return values if shown == len(values) else [*values[:3], values[-1]]


def check_several(formula: str, experiment: Experiment) -> int:
    count = 0
    xs = [Decimal(repr(x)) for x in experiment.xs]
    short = r"\ldots" in formula
    m = re.search(rf"= ({N})\\,x_i \+ ({N}) \\\\ y_{{\\text{{pred}}}} &{REL} \\left\((.*?)\\right\)", formula)
    if m:
        a, b = value(m[1])[0], value(m[2])[0]
        shown = [t for t in items(m[4]) if t != r"\ldots"]
        for x, text in zip(pick(xs, len(shown)), shown, strict=True):
            check(a * x + b, m[3], text, "a·x_i + b", a, x, b)
            count += 1
    m = re.search(rf"e &= \\left\((.*?)\\right\) \\\\ &{REL} \\left\((.*?)\\right\)", formula)
    if m:
        pairs = [t for t in items(m[1]) if t != r"\ldots"]
        results = [t for t in items(m[3]) if t != r"\ldots"]
        for pair, text in zip(pairs, results, strict=True):
            p, y = re.fullmatch(rf"({N}) - ({N})", pair).groups()
            check(value(p)[0] - value(y)[0], m[2], text, "y_pred,i − y_i", value(p)[0], value(y)[0])
            count += 1
    if short:
        return count  # a sum with "…" cannot be added up from the screen, and the page does not ask to
    m = re.search(rf"\\frac{{1}}{{(\d+)}}\\left\((.*?)\\right\) {REL} ({N})", formula)
    if m:
        squares = [value(t.removesuffix("^2"))[0] for t in m[2].split(" + ")]
        check(sum(e * e for e in squares) / int(m[1]), m[3], m[4], "mean of e_i²", *squares)
        count += 1
    m = re.search(rf"\\frac{{2}}{{(\d+)}}\\left\((.*?)\\right\) (?:\\\\ &)?{REL} ({N})", formula)
    if m:
        terms = m[2].split(" + ")
        if r"\cdot" in m[2]:
            total = sum(value(e)[0] * value(x)[0] for e, x in (t.split(r" \cdot ") for t in terms))
        else:
            total = sum(value(t)[0] for t in terms)
        check(2 * total / int(m[1]), m[3], m[4], "2/n·Σ")
        count += 1
    return count


def formulas_of(experiment: Experiment) -> list[str]:
    trajectory = train(experiment)
    texts = [explain.introduction(trajectory).first_prediction]
    for step in range(trajectory.n_rows):
        texts += [f for part in explain.one_round(trajectory, step).parts for f in part.formulas]
    middle = trajectory.last_step // 2
    texts += [line.latex for line in explain.derivation(trajectory, middle)]
    texts += [line.latex for line in explain.rate_derivation(trajectory, middle)]
    texts += [fact.latex for fact in explain.what_to_notice(trajectory, middle) if fact.latex]
    return texts


def check_all(experiment: Experiment) -> int:
    count = 0
    for formula in formulas_of(experiment):
        count += check_single(formula) if experiment.single_point else check_several(formula, experiment)
    return count


@SLOW
@given(experiments(several=False))
def test_one_point_formulas_add_up(experiment: Experiment) -> None:
    assert check_all(experiment) > 0


@SLOW
@given(experiments(several=True))
def test_several_point_formulas_add_up(experiment: Experiment) -> None:
    check_all(experiment)


def test_the_articles_step_5_adds_up_on_screen() -> None:
    """1.6166 + 2.6166 is 4.2332: the round shows the digits that make the table's 4.2333."""
    trajectory = train(Experiment())
    worked = explain.one_round(trajectory, 5)
    predict = worked.parts[0]
    assert r"&= 1.61664 \cdot 1 + 2.61664 \approx 4.2333" in predict.formulas[0]
    assert "rounded to 4, 1.6166·1 + 2.6166 = 4.2332, not 4.2333" in predict.text
    assert check_single(predict.formulas[0]) == 1
    derivation = "\n".join(line.latex for line in explain.derivation(trajectory, 5))
    assert r"2\,(1.61664 \cdot 1 + 2.61664 - 4) \cdot 1" in derivation


@pytest.mark.parametrize(
    "query",
    [{}, {"mode": "hand"}, {"lr": "0.037", "a": "-3.7", "b": "0.123", "steps": "12"}, {"data": "-2:4", "steps": "9"},
     {"data": "1:4,2:5,3:7"}, {"data": "1:4,1:6,1:8"}, {"lr": "0.6", "steps": "60"},
     {"data": "3:1", "a": "0.123456789", "lr": "0.01", "steps": "12"}],
)
def test_named_links_add_up(query: dict[str, str]) -> None:
    experiment = from_query(query)[0]
    assert check_all(experiment) > 0
