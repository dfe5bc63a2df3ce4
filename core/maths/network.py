"""A small neural network trained by the very loop that trains y_pred = a·x + b.

The network: one input x, H hidden units, one output.

    z_j = w1_j·x + b1_j          (input layer: one weight and one bias per unit)
    h_j = tanh(z_j)              (each unit bends its line into an S)
    y_pred = Σ_j w2_j·h_j + b2   (output layer: a weighted sum plus a bias)

That is 3H + 1 parameters. With H = 0 there is no hidden layer and the model is the line
a·x + b itself (2 parameters), so the first page's run is this page's smallest case.

A round of training is the same four named steps as ``core.maths.training``:

1. ``predict``           — the forward pass, layer by layer
2. ``measure_loss``      — the mean of the squared errors
3. ``compute_gradients`` — backpropagation: the chain rule, from the loss back through each layer
4. ``update``            — every parameter moves against its own gradient, all at once

All parameters live in one vector θ, so step 4 is a single line, θ ← θ − lr·∇θ — the line
a, b ← a − lr·∂L/∂a, b − lr·∂L/∂b with a vector in place of the pair. The data and the
starting weights come from a seed, so a share link reproduces the run exactly. A run that
leaves the safe range stops and says where, as the two-parameter training does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.maths.network_settings import NetworkSettings, Target, parameter_count
from core.maths.training import LOSS_LIMIT, PARAM_LIMIT, Divergence

X_RANGE = (-1.0, 1.0)  # where the points are drawn; tanh units bend within a few units of 0


# --- the data ----------------------------------------------------------------------------------


def target_curve(target: Target, xs: np.ndarray) -> np.ndarray:
    """The noiseless curve the points come from (each fits in −1 … 1, like x)."""
    if target == "line":
        return 0.8 * xs - 0.2
    if target == "parabola":
        return 1.6 * xs**2 - 0.8
    if target == "sine":
        return np.sin(np.pi * xs)
    return np.where(xs < 0.0, -0.6, 0.6)  # step


@dataclass(frozen=True)
class Dataset:
    """The training points, sorted by x (read-only arrays)."""

    xs: np.ndarray
    ys: np.ndarray


def make_dataset(settings: NetworkSettings) -> Dataset:
    """N points at random x in −1 … 1, on the target curve plus Gaussian noise of the chosen size.

    Drawn from their own stream of the seed: changing the number of units never changes the data.
    """
    rng = np.random.default_rng([settings.seed, 0])
    xs = np.sort(rng.uniform(*X_RANGE, settings.points))
    ys = target_curve(settings.target, xs) + settings.noise * rng.standard_normal(settings.points)
    xs.flags.writeable = False
    ys.flags.writeable = False
    return Dataset(xs, ys)


# --- the parameters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Network:
    """The shape of the network: where each parameter sits in the vector θ and what it is called.

    θ = (w1_1 … w1_H, b1_1 … b1_H, w2_1 … w2_H, b2); with no hidden units θ = (a, b).
    """

    units: int

    @property
    def size(self) -> int:
        return parameter_count(self.units)

    def names(self) -> tuple[str, ...]:
        """Plain names, in θ's order: "w1[3]" is unit 3's input weight, "b2" the output bias."""
        if self.units == 0:
            return ("a", "b")
        units = range(1, self.units + 1)
        return (
            *(f"w1[{j}]" for j in units), *(f"b1[{j}]" for j in units), *(f"w2[{j}]" for j in units), "b2",
        )


def initial_parameters(network: Network, seed: int) -> np.ndarray:
    """Random starting weights, reproducible from the seed (its own stream, apart from the data).

    Input weights spread the units' bends across the data (sd 2), biases place them (sd 1),
    output weights start small (sd 1/√H) so the first guess is a gentle curve; b2 starts at 0.
    With no hidden units: a from the same spread as a weight, b = 0.
    """
    rng = np.random.default_rng([seed, 1])
    h = network.units
    if h == 0:
        return np.array([rng.standard_normal(), 0.0])
    return np.concatenate(
        [2.0 * rng.standard_normal(h), rng.standard_normal(h), rng.standard_normal(h) / np.sqrt(h), [0.0]]
    )


# --- the four steps of one round ------------------------------------------------------------


@dataclass(frozen=True)
class Forward:
    """What the forward pass computed, kept for the backward pass.

    ``inputs`` holds one row (x, 1) per point: the 1 carries each bias, so the input layer's
    weights and biases act as one 2×H matrix (θ's first 2H entries, rows w1 and b1).
    ``hidden`` is h, one row per point and one column per unit (None without hidden units).
    """

    inputs: np.ndarray
    hidden: np.ndarray | None
    y_pred: np.ndarray


def with_ones(xs: np.ndarray) -> np.ndarray:
    """The inputs as rows (x, 1): built once per run, the 1 is what each bias multiplies."""
    return np.column_stack([xs, np.ones_like(xs)])


def predict(network: Network, theta: np.ndarray, inputs: np.ndarray) -> Forward:
    """Step 1, the forward pass: (x, 1) → hidden layer → output, for every point at once."""
    if network.units == 0:
        return Forward(inputs, None, inputs @ theta)  # a·x + b·1
    h = network.units
    z = inputs @ theta[: 2 * h].reshape(2, h)  # input layer: z_ij = w1_j·x_i + b1_j·1
    hidden = np.tanh(z, out=z)  # hidden layer: h_ij = tanh(z_ij)
    return Forward(inputs, hidden, hidden @ theta[2 * h : 3 * h] + theta[3 * h])  # output: Σ_j w2_j·h_ij + b2


def measure_loss(errors: np.ndarray) -> float:
    """Step 2: mean squared error over the points."""
    return float(errors @ errors) / len(errors)


def compute_gradients(network: Network, theta: np.ndarray, forward: Forward, errors: np.ndarray) -> np.ndarray:
    """Step 3, backpropagation: ∂L/∂θ for every parameter, from the loss back through each layer.

    Each layer is the chain rule once more: how the loss changes with that layer's output, times
    how the output changes with what went in. With no hidden layer the first two lines already give
    the first page's ∂L/∂a = mean(2·error·x) and ∂L/∂b = mean(2·error).
    """
    d_y = errors * (2.0 / len(errors))  # ∂L/∂y_pred_i for each point (L is the mean of error²)
    if network.units == 0:
        return d_y @ forward.inputs  # y_pred = a·x + b·1: ∂L/∂a = Σ_i d_y_i·x_i, ∂L/∂b = Σ_i d_y_i·1
    hidden = forward.hidden
    assert hidden is not None
    h = network.units
    w2 = theta[2 * h : 3 * h]
    gradient = np.empty(network.size)
    # output layer, y_pred_i = Σ_j w2_j·h_ij + b2:  ∂y/∂w2_j = h_ij, ∂y/∂b2 = 1
    gradient[2 * h : 3 * h] = d_y @ hidden
    gradient[3 * h] = d_y.sum()
    # hidden layer, h = tanh(z): back through w2_j, then along the S-curve, ∂y/∂z_ij = w2_j·(1 − h_ij²)
    slope = 1.0 - hidden * hidden
    # input layer, z_ij = w1_j·x_i + b1_j·1:  ∂z/∂w1_j = x_i, ∂z/∂b1_j = 1, so summed over the points
    #   ∂L/∂w1_j = Σ_i d_y_i·x_i·(1 − h_ij²)·w2_j  and  ∂L/∂b1_j = Σ_i d_y_i·(1 − h_ij²)·w2_j
    # (w2_j is the same for every point, so it multiplies the sums)
    gradient[:h] = ((d_y * forward.inputs[:, 0]) @ slope) * w2
    gradient[h : 2 * h] = (d_y @ slope) * w2
    return gradient


def update(theta: np.ndarray, gradient: np.ndarray, lr: float) -> np.ndarray:
    """Step 4: every parameter against its own gradient, all from the same θ (simultaneous)."""
    return theta - lr * gradient


# --- the recorded run ------------------------------------------------------------------------


@dataclass(frozen=True)
class Loop:
    """Every row of a run: θ before each update, the gradient measured there, the loss (read-only).

    Row k is before update k + 1, as in the step table; the last row's gradient is shown but not applied.
    """

    parameters: np.ndarray  # (rows, size)
    gradients: np.ndarray  # (rows, size)
    loss: np.ndarray  # (rows,)
    divergence: Divergence | None


def _runaway(network: Network, theta: np.ndarray, loss: float) -> tuple[str, int] | None:
    """(what, sign) when θ or the loss left the safe range, else None."""
    if not np.abs(theta).max() <= PARAM_LIMIT:  # "not <=" also catches NaN
        largest = int(np.argmax(np.abs(theta)))
        return network.names()[largest], 1 if theta[largest] > 0 else -1
    if not loss <= LOSS_LIMIT:
        return "loss", 1
    return None


def run_loop(network: Network, xs: np.ndarray, ys: np.ndarray, theta0: np.ndarray, lr: float,
             steps: int) -> Loop:
    """Repeat the four steps ``steps`` times from θ0 and record every row (the loop of the page's code)."""
    rows = steps + 1
    parameters = np.empty((rows, network.size))
    gradients = np.empty((rows, network.size))
    losses = np.empty(rows)
    theta = np.array(theta0, dtype=float)
    inputs = with_ones(xs)
    divergence: Divergence | None = None
    kept = 0
    for step in range(rows):
        forward = predict(network, theta, inputs)  # 1. predict (forward pass)
        errors = forward.y_pred - ys
        loss = measure_loss(errors)  # 2. measure the loss
        runaway = _runaway(network, theta, loss)
        if runaway is not None:  # the update that led here is not kept
            divergence = Divergence(last_step=step - 1, quantity=runaway[0], value_sign=runaway[1])
            break
        gradient = compute_gradients(network, theta, forward, errors)  # 3. backpropagate
        parameters[step], gradients[step], losses[step] = theta, gradient, loss
        kept = step + 1
        theta = update(theta, gradient, lr)  # 4. update every parameter
    loop = Loop(parameters[:kept], gradients[:kept], losses[:kept], divergence)
    for array in (loop.parameters, loop.gradients, loop.loss):
        array.flags.writeable = False
    return loop


@dataclass(frozen=True)
class NetworkRun:
    """One training run of the page: its settings, data, network and every recorded row."""

    settings: NetworkSettings
    lr: float
    steps: int
    network: Network
    data: Dataset
    loop: Loop

    @property
    def last_step(self) -> int:
        return len(self.loop.loss) - 1

    @property
    def diverged(self) -> bool:
        return self.loop.divergence is not None

    def curve(self, step: int, xs: np.ndarray) -> np.ndarray:
        """The fitted curve at ``step``: the network's prediction at each of ``xs``."""
        return predict(self.network, self.loop.parameters[step], with_ones(xs)).y_pred


def train_network(settings: NetworkSettings, lr: float, steps: int) -> NetworkRun:
    """Draw the data, start from the seed's weights, and run gradient descent for ``steps`` updates."""
    network = Network(settings.units)
    data = make_dataset(settings)
    loop = run_loop(network, data.xs, data.ys, initial_parameters(network, settings.seed), lr, steps)
    return NetworkRun(settings, lr, steps, network, data, loop)


# --- facts about a run that the page states --------------------------------------------------


@dataclass(frozen=True)
class StepChanges:
    """One row of the step table widened to every parameter: θ, ∂L/∂θ and −lr·∂L/∂θ at ``step``.

    ``applied`` is False on the last row: its gradient is measured but the run ends before using it.
    """

    step: int
    values: np.ndarray
    gradients: np.ndarray
    updates: np.ndarray
    applied: bool


def step_changes(run: NetworkRun, step: int) -> StepChanges:
    """What update ``step`` + 1 does to each parameter (``step`` clamped to the run)."""
    step = min(max(int(step), 0), run.last_step)
    gradients = run.loop.gradients[step]
    return StepChanges(step, run.loop.parameters[step], gradients, -run.lr * gradients, step < run.last_step)


def largest_gradients(changes: StepChanges, count: int) -> np.ndarray:
    """Indices of the ``count`` parameters with the largest |gradient|, largest first (θ order on ties)."""
    order = np.argsort(-np.abs(changes.gradients), kind="stable")
    return order[:count]


def target_loss(run: NetworkRun) -> float:
    """The loss the noiseless target curve itself scores on these points (the noise's share)."""
    errors = target_curve(run.settings.target, run.data.xs) - run.data.ys
    return measure_loss(errors)


def output_rate_limit(run: NetworkRun, step: int = 0) -> float:
    """2 / (the output layer's steepest curvature) at ``step``: above this rate updates overshoot there.

    y_pred is linear in the output layer's weights and bias, so that block of the loss's
    Hessian is exactly 2·mean(φφᵀ) with φ = (h_1 … h_H, 1) — (x, 1) for the line. The whole
    Hessian curves at least as steeply (Cauchy interlacing), so a rate above this value is
    already above 2/λ_max, the bound the loss curve page shows for two parameters. With no
    hidden units it is exactly that bound.
    """
    theta = run.loop.parameters[min(max(step, 0), run.last_step)]
    forward = predict(run.network, theta, with_ones(run.data.xs))
    features = forward.inputs if forward.hidden is None else np.column_stack([forward.hidden, forward.inputs[:, 1]])
    curvature = 2.0 * features.T @ features / len(features)
    return 2.0 / float(np.linalg.eigvalsh(curvature)[-1])


NICE_RATES = (1.0, 0.5, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.005, 0.003, 0.002, 0.001)


def suggested_rate(run: NetworkRun) -> float:
    """A round learning rate at most half the output layer's limit at the start.

    Half, not just under it: the curvature grows as the network learns, and near the limit the
    loss jumps up now and then before settling (tried on every target with 1–64 units: at half
    the limit 1000 steps fall smoothly).
    """
    ceiling = 0.5 * output_rate_limit(run, 0)
    return next((rate for rate in NICE_RATES if rate <= ceiling), NICE_RATES[-1])


CLIMB_FACTOR = 4.0  # a loss that ends this many times above its start is blowing up


def climbing(run: NetworkRun) -> bool:
    """Whether the run is blowing up: stopped at the safe range, or its loss ended over
    ``CLIMB_FACTOR`` × where it started.

    The safe range (``core.maths.training``) stops a run only at 10²⁴, so a short run can climb all
    the way without reaching it: 8 units at lr 3 go 0.46, 46, 3410, … 4.5 × 10¹³ in 5 updates, and
    64 units on the step at lr 0.1 go 1.46, 5.7, 23, 89, 256, 179 — the last update fell, yet the run
    ends 120 times worse than it began. Both are diverging as plainly as a run the safe range
    stopped. A loss that jumps up and settles again (a rate near the limit) ends below its start.
    """
    loss = run.loop.loss
    if run.diverged:
        return True
    return bool(len(loss) >= 2 and loss[-1] > CLIMB_FACTOR * loss[0])


def first_jump(run: NetworkRun, factor: float = 2.0) -> int | None:
    """The first step whose loss is over ``factor`` × the lowest loss before it (a jump up), or None."""
    loss = run.loop.loss
    if len(loss) < 2:
        return None
    lowest = np.minimum.accumulate(loss)[:-1]
    jumps = np.flatnonzero(loss[1:] > factor * lowest)
    return int(jumps[0]) + 1 if jumps.size else None


def still_falling(run: NetworkRun, tail: float = 0.1, share: float = 1e-3) -> bool:
    """Whether the loss still fell by ``share`` of itself over the run's last ``tail`` of steps.

    A short run that has already settled (0 units on a parabola: the best line is found within
    50 updates) gains nothing from more of them, so nobody should be told to run longer.
    """
    loss = run.loop.loss
    back = max(1, int((len(loss) - 1) * tail))
    if len(loss) <= back:
        return False
    return bool(loss[-1] < loss[-1 - back] * (1 - share))
