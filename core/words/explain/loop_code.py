"""Section 6 of the step table: the training loop as short, runnable Python with the run's numbers."""

from __future__ import annotations

from core.maths.training import HAND_DECIMALS, LOSS_LIMIT, PARAM_LIMIT, Trajectory
from core.words.notation import literal


def limit(value: float) -> str:
    """A divergence limit of :mod:`core.maths.training` as Python reads it: 1e12, not 1000000000000."""
    mantissa, exponent = f"{value:e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def training_loop_code(trajectory: Trajectory) -> str:
    """A short, runnable Python loop with this experiment's numbers that prints the table's rows.

    It follows :func:`core.maths.training.train` operation for operation, so its printed rows
    match the step table (tests execute it).
    """
    experiment = trajectory.experiment
    setup = [
        f"a, b = {literal(experiment.a0)}, {literal(experiment.b0)}  # the starting guess",
        f"lr = {literal(experiment.lr)}  # learning rate",
        f"steps = {experiment.steps}  # number of updates",
    ]
    guard = [
        f"    if abs(a) > {limit(PARAM_LIMIT)} or abs(b) > {limit(PARAM_LIMIT)} or loss > {limit(LOSS_LIMIT)}:"
        "  # the run has blown up: stop",
        "        print(\"diverged: stopping\")",
        "        break",
    ] if trajectory.diverged else []
    rounding = [
        f"    a, b = round(a, {HAND_DECIMALS}), round(b, {HAND_DECIMALS})  # hand calculation: round like on paper",
    ] if experiment.hand else []
    if experiment.single_point:
        (x, y), = experiment.points
        lines = [
            f"x, y = {literal(x)}, {literal(y)}  # the data point",
            *setup,
            "",
            'print("step, a, b, y_pred, error, grad_a, grad_b, loss")',
            "for step in range(steps + 1):",
            "    y_pred = a * x + b  # 1. predict",
            "    error = y_pred - y",
            "    loss = error * error  # 2. loss",
            *guard,
            "    grad_a = 2 * error * x  # 3. gradient (both from the same a, b)",
            "    grad_b = 2 * error",
            '    print(f"{step}, {a:.4f}, {b:.4f}, {y_pred:.4f}, {error:.4f}, {grad_a:.4f}, {grad_b:.4f}, {loss:.4f}")',
            "    a, b = a - lr * grad_a, b - lr * grad_b  # 4. update",
            *rounding,
        ]
    else:
        points = ", ".join(f"({literal(x)}, {literal(y)})" for x, y in experiment.points)
        lines = [
            f"data = [{points}]  # the (x, y) points",
            *setup,
            "n = len(data)",
            "",
            'print("step, a, b, grad_a, grad_b, loss")',
            "for step in range(steps + 1):",
            "    y_pred = [a * x + b for x, _ in data]  # 1. predict",
            "    errors = [p - y for p, (_, y) in zip(y_pred, data)]",
            "    loss = sum(e * e for e in errors) / n  # 2. loss (mean squared error)",
            *guard,
            "    grad_a = sum(2 * e * x for e, (x, _) in zip(errors, data)) / n  # 3. gradient",
            "    grad_b = sum(2 * e for e in errors) / n",
            '    print(f"{step}, {a:.4f}, {b:.4f}, {grad_a:.4f}, {grad_b:.4f}, {loss:.4f}")',
            "    a, b = a - lr * grad_a, b - lr * grad_b  # 4. update",
            *rounding,
        ]
    return "\n".join(lines) + "\n"
