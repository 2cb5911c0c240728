"""The latency profile: loading ranges, seeded draws and each message's critical-path bound."""

from __future__ import annotations

import random

import pytest

from office_assistant_local.bench.latency import DESIGN_RANGES, Draws, LatencyPlan, LatencyProfile


def test_profile_from_dict_reads_ranges_and_seed_and_keeps_design_ranges_for_missing_steps() -> None:
    profile = LatencyProfile.from_dict({"seed": 3, "route_ms": [10, 20]})

    assert profile.seed == 3
    assert profile.ranges["route"] == (10.0, 20.0)
    assert profile.ranges["history"] == DESIGN_RANGES["history"]


def test_profile_from_dict_rejects_a_range_whose_low_end_is_above_its_high_end() -> None:
    with pytest.raises(ValueError, match="history_ms"):
        LatencyProfile.from_dict({"history_ms": [900, 100]})


def test_profile_draws_are_the_same_for_the_same_seed_and_keys() -> None:
    keys = [f"m{i}" for i in range(20)]

    first, second = LatencyProfile.design(seed=7).draws(keys), LatencyProfile.design(seed=7).draws(keys)

    assert first == second
    assert first != LatencyProfile.design(seed=8).draws(keys)


def test_profile_draws_fall_within_their_ranges() -> None:
    draws = LatencyProfile.design().draws([str(i) for i in range(200)]).values()

    for step, (low, high) in DESIGN_RANGES.items():
        assert all(low <= getattr(d, step) <= high for d in draws)


def test_zero_profile_draws_no_latency() -> None:
    (draws,) = LatencyProfile.zero().draws(["only"]).values()

    assert draws == Draws(0.0, 0.0, 0.0, 0.0)
    assert draws.bound_ms == 0.0


def test_bound_is_route_plus_the_slowest_branch_and_serial_is_the_sum() -> None:
    draws = Draws(route=150.0, history=600.0, relevance=700.0, auxiliary=300.0)

    assert draws.bound_ms == 850.0
    assert draws.serial_ms == 1750.0


def test_profile_round_trips_through_its_dict_form() -> None:
    profile = LatencyProfile.design(seed=11)

    assert LatencyProfile.from_dict(profile.to_dict()) == profile


def test_plan_finds_draws_by_chat_and_by_stripped_text() -> None:
    plan, draws = LatencyPlan(), Draws(1.0, 2.0, 3.0, 4.0)

    plan.add("telegram:1", " hello ", draws)

    assert plan.by_chat["telegram:1"] is draws
    assert plan.by_text["hello"] is draws


def test_legacy_serial_adds_the_second_history_query_and_the_second_relevance_search() -> None:
    draws = Draws(150.0, 600.0, 400.0, 300.0, legacy_second_history=700.0, legacy_second_relevance=500.0)

    assert draws.serial_ms == 1450.0
    assert draws.legacy_serial_ms == 2650.0


def test_legacy_draws_come_from_the_per_query_ranges_and_leave_our_draws_unchanged() -> None:
    keys = [str(i) for i in range(100)]
    profile = LatencyProfile.design(seed=5)
    draws = profile.draws(keys)

    rng_only_ours = random.Random(5)
    first = {step: rng_only_ours.uniform(*DESIGN_RANGES[step]) for step in DESIGN_RANGES}
    assert {step: getattr(draws["0"], step) for step in DESIGN_RANGES} == first
    low, high = DESIGN_RANGES["history"]
    assert all(low <= d.legacy_second_history <= high for d in draws.values())
    low, high = DESIGN_RANGES["relevance"]
    assert all(low <= d.legacy_second_relevance <= high for d in draws.values())
    assert len({d.legacy_second_history for d in draws.values()}) == len(keys)
