"""Memory per function from measurement: the rehearsal's cold-start CPU time and peak RSS (sizing.py)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from assistant_infra.sizing import (
    COLD_BUDGET_S,
    FULL_VCPU_MB,
    MEASURED,
    Measured,
    memory_for,
)

from office_assistant.workflow.tasks import PROJECT_ROOT

if TYPE_CHECKING:
    from tests.infra.conftest import Synthesised

REHEARSAL_JSON = PROJECT_ROOT / "bench" / "rehearsal.json"


def test_the_measurements_in_the_code_are_the_rehearsals_in_bench_rehearsal_json() -> None:
    functions = json.loads(REHEARSAL_JSON.read_text(encoding="utf-8"))["functions"]

    assert set(functions) == set(MEASURED)
    for name, measured in MEASURED.items():
        recorded = functions[name]
        assert measured == Measured(recorded["init_cpu_ms"], recorded["first_invoke_cpu_ms"], recorded["rss_mb"])


def test_each_function_has_the_memory_its_measurement_gives(synthesised: Synthesised) -> None:
    for name, built in synthesised.stack.functions.items():
        properties = synthesised.resources[synthesised.logical_id(built.function)]["Properties"]

        if name == "email":  # not rehearsed: the queue consumer keeps the 512 MB floor of the branch functions
            assert properties["MemorySize"] == 512
        else:
            assert properties["MemorySize"] == memory_for(MEASURED[name], COLD_BUDGET_S[name]), name


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_at_that_memory_a_cold_start_fits_its_budget_and_twice_the_peak_rss_fits(name: str) -> None:
    measured = MEASURED[name]
    memory = memory_for(measured, COLD_BUDGET_S[name])

    cold_s = (measured.init_cpu_ms + measured.first_invoke_cpu_ms) / 1000 * FULL_VCPU_MB / memory

    assert cold_s <= COLD_BUDGET_S[name]
    assert memory >= 2 * measured.rss_mb
    assert memory % 128 == 0


def test_memory_is_the_smallest_step_that_meets_the_larger_need() -> None:
    cpu_bound = Measured(init_cpu_ms=400, first_invoke_cpu_ms=600, rss_mb=50)  # 1 CPU-second
    memory_bound = Measured(init_cpu_ms=10, first_invoke_cpu_ms=10, rss_mb=300)

    assert memory_for(cpu_bound, cold_budget_s=1.0) == 1792  # 1769 rounded up to 128s
    assert memory_for(cpu_bound, cold_budget_s=2.0) == 896  # 884.5 rounded up
    assert memory_for(memory_bound, cold_budget_s=1.0) == 640  # 2 x 300 rounded up
