"""The benchmark's percentiles and ratios."""

from __future__ import annotations

import pytest

from office_assistant_local.bench.stats import median, percentile, ratio, ratio_to_bound, summary


def test_percentile_interpolates_between_closest_ranks_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0]

    assert percentile(values, 0) == 10.0
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile(values, 100) == 40.0


def test_percentile_ignores_input_order() -> None:
    assert percentile([3.0, 1.0, 2.0], 50) == median([1.0, 2.0, 3.0]) == 2.0


def test_percentile_refuses_no_values_and_out_of_range_q() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_names_each_percentile() -> None:
    assert summary([1.0, 2.0, 3.0], 50, 99) == {"p50_ms": 2.0, "p99_ms": 3.0}


def test_ratio_to_bound_is_the_median_of_per_message_ratios() -> None:
    measured, bounds = [110.0, 100.0, 300.0], [100.0, 100.0, 200.0]

    assert ratio_to_bound(measured, bounds) == 1.1


def test_ratio_to_bound_is_none_without_any_positive_bound() -> None:
    assert ratio_to_bound([5.0, 6.0], [0.0, 0.0]) is None


def test_ratio_to_bound_needs_one_bound_per_message() -> None:
    with pytest.raises(ValueError):
        ratio_to_bound([1.0], [1.0, 2.0])


def test_ratio_is_none_over_zero() -> None:
    assert ratio(1.0, 0.0) is None
    assert ratio(1.0, 4.0) == 0.25
