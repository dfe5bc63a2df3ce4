"""ui.cached: results are shared and read-only, and an idle server lets them go."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.maths.comparison import compared_runs
from core.maths.experiment import Experiment
from ui import cached


def test_a_trajectory_is_shared_and_read_only() -> None:
    run = cached.trajectory(Experiment(lr=0.123))
    assert cached.trajectory(Experiment(lr=0.123)) is run  # one object for every session
    with pytest.raises(ValueError):
        run.loss[0] = 0.0
    assert np.isfinite(run.loss).all()


def test_the_compared_runs_are_one_list_for_the_page_and_its_chart() -> None:
    experiment = Experiment(lr=0.15)
    pairs = cached.compared(experiment, (0.6, 0.01, 0.6))
    assert cached.compared(experiment, (0.6, 0.01, 0.6)) is pairs
    assert [run.lr for run, _ in pairs] == [0.15, 0.01, 0.6]
    assert [run for run, _ in pairs] == compared_runs(experiment, [0.6, 0.01, 0.6])
    for run, trajectory in pairs:
        assert trajectory is cached.trajectory(run.experiment)
    assert cached.compared in cached.CACHES


def test_release_empties_every_cache() -> None:
    cached.trajectory(Experiment(lr=0.2))
    cached.loss_chart(Experiment(lr=0.2), False)
    cached.surface_chart(Experiment(lr=0.2))
    assert all(cache.cache_info().currsize for cache in (cached.trajectory, cached.loss_chart,
                                                         cached.surface_scene_of, cached.surface_chart))
    cached.release()
    assert not any(cache.cache_info().currsize for cache in cached.CACHES)
    assert cached.trajectory(Experiment(lr=0.2)).loss[0] == pytest.approx(9.0)  # and they fill again


def test_every_cache_is_released() -> None:
    public = {name: value for name, value in vars(cached).items() if not name.startswith("_")}
    caches = {name for name, value in public.items() if hasattr(value, "cache_clear")}
    assert caches == {cache.__wrapped__.__name__ for cache in cached.CACHES}


def test_the_janitor_releases_only_after_the_idle_time(monkeypatch: pytest.MonkeyPatch) -> None:
    assert math.isinf(cached.IDLE_RELEASE_S)  # tests/conftest.py: never during the other tests
    monkeypatch.setattr(cached, "IDLE_RELEASE_S", 5.0)
    cached.note_use()
    cached.trajectory(Experiment(lr=0.3))
    assert not cached.sweep()  # just used: kept
    monkeypatch.setattr(cached, "_last_use", cached._last_use - cached.IDLE_RELEASE_S - 1)
    assert cached.sweep()
    assert not cached.trajectory.cache_info().currsize
    assert not cached.sweep()  # nothing left to release (the heap is still trimmed)


@pytest.mark.parametrize(
    ("raw", "seconds"), [(None, 600.0), ("30", 30.0), ("inf", math.inf), ("abc", 600.0), ("-5", 600.0), ("nan", 600.0)]
)
def test_a_bad_idle_setting_never_breaks_the_app(raw: str | None, seconds: float) -> None:
    assert cached._idle_seconds(raw) == seconds
