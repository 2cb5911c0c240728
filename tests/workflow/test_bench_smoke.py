"""The benchmark's parts end to end on a few messages: the workflow part with zero latency, the streaming part
with the echo model; they run and write their keys."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from office_assistant_local.bench.latency import LatencyProfile
from office_assistant_local.bench.report import run_bench, table
from office_assistant_local.bench.streaming import STREAM_PNG, streaming_bench
from office_assistant_local.commands.demo import TELEGRAM_CHAT

if TYPE_CHECKING:
    from pathlib import Path

    from office_assistant_local.environment import LocalEnvironment


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


def test_bench_streaming_part_times_streamed_and_posted_replies_of_the_demo_turns(
    env: LocalEnvironment, tmp_path: Path
) -> None:
    section = streaming_bench(env, replies=3, out_dir=tmp_path)  # two Slack turns, then a Telegram one

    assert section["replies_per_mode"] == 3 and section["failed"] == 0
    rows = section["per_reply"]
    assert [row["streaming"] for row in rows] == [True, False, False, True, True, False]
    assert [row["platform"] for row in rows] == ["slack"] * 4 + ["telegram"] * 2
    assert all(0 < row["first_text_ms"] <= row["complete_ms"] for row in rows)
    assert all(row["first_text_ms"] == row["complete_ms"] for row in rows if not row["streaming"])
    assert {"first_text_p50_ms", "complete_p50_ms", "ratio_first_text_to_complete", "complete_on_to_off"} <= set(
        section
    )
    streamed = [row for row in rows if row["streaming"]]
    assert all(row["pieces"] > 0 and not row["cut_by_length"] for row in streamed)
    parts = ("before_model_ms", "model_first_words_ms", "first_words_to_visible_ms")
    assert all(abs(sum(row[part] for part in parts) - row["first_text_ms"]) < 0.5 for row in streamed)
    assert not any(part in row for row in rows if not row["streaming"] for part in parts)
    assert {"model_first_words_p50_ms", "model_share_of_first_text_p50", "answer_pieces_p50"} <= set(section)
    assert env.slack.stream_calls(), "the Slack turns were streamed in their threads"
    assert env.telegram.stream_calls(TELEGRAM_CHAT["id"]), "the Telegram turns were drafted"
    assert (tmp_path / STREAM_PNG).stat().st_size > 0
