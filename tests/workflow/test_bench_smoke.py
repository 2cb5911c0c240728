"""The benchmark's workflow part end to end on 3 messages with zero latency: it runs and writes its keys."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from office_assistant_local.bench.latency import LatencyProfile
from office_assistant_local.bench.report import run_bench, table

if TYPE_CHECKING:
    from pathlib import Path


def test_bench_workflow_part_writes_results_and_pictures_with_a_zero_latency_profile(tmp_path: Path) -> None:
    results = run_bench(tmp_path, profile=LatencyProfile.zero(), messages=3, sections=("workflow", "overhead"))

    written = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert written["preprocessing"]["messages"] == 3
    for key in (
        "legacy_serial_p50_ms",
        "serial_p50_ms",
        "parallel_p50_ms",
        "ratio_parallel_to_legacy_serial",
        "ratio_parallel_to_serial",
        "ratio_parallel_to_bound",
    ):
        assert key in written["preprocessing"]
    assert {"p50_ms", "p95_ms", "execution_p50_ms"} <= written["overhead"].keys()
    assert [row["bound_ms"] for row in written["preprocessing"]["per_message"]] == [0.0, 0.0, 0.0]
    assert (tmp_path / "waterfall.png").stat().st_size > 0
    assert (tmp_path / "latency-distribution.png").stat().st_size > 0
    assert "preprocessing.parallel_p50_ms" in table(results)
