"""ui.perf: the collector settings a class's server runs with (issue #12)."""

from __future__ import annotations

import gc

import pytest

from ui import perf


@pytest.fixture
def collector():
    """The process's collector as it was: thresholds, frozen objects and the module count restored."""
    thresholds, modules = gc.get_threshold(), perf._modules_at_last_freeze
    yield
    gc.set_threshold(*thresholds)
    perf._modules_at_last_freeze = modules


def test_the_first_run_freezes_the_imports_and_raises_the_young_threshold(collector):
    perf._modules_at_last_freeze = 0
    gc.set_threshold(700, 10, 10)
    perf.freeze_long_lived_objects()
    assert gc.get_threshold() == perf.COLLECTOR_THRESHOLDS
    assert gc.get_freeze_count() > 0
    # A first view leaves ~850 new container objects behind: one young pass per ~20 arrivals, not per arrival.
    assert perf.COLLECTOR_THRESHOLDS[0] >= 20 * 850
    # The older generations keep Python's ratios: cyclic garbage still reaches a full pass.
    assert perf.COLLECTOR_THRESHOLDS[1:] == (10, 10)


def test_later_runs_change_nothing_unless_a_module_was_imported(collector):
    perf.freeze_long_lived_objects()
    gc.set_threshold(700, 10, 10)  # as if someone else had set it: a rerun without new imports leaves it
    perf.freeze_long_lived_objects()
    assert gc.get_threshold() == (700, 10, 10)


def test_a_benchmark_may_set_the_thresholds_and_a_bad_value_falls_back() -> None:
    assert perf._thresholds("700,10,10") == (700, 10, 10)
    for raw in (None, "", "abc", "1,2", "0,10,10", "-5,1,1", "1,2,3,4"):
        assert perf._thresholds(raw) == perf.DEFAULT_THRESHOLDS, raw
