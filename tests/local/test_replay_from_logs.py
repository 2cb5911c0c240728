"""`office-assistant replay --from-logs`: deployed executions' logs → listing, timeline, pictures, local rerun."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from office_assistant.workflow.definition import load_local
from tests.local.log_exports import filter_log_events, get_log_events, json_lines, starting_at, truncated

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.local.conftest import Deployed
    from tests.local.log_exports import Record

    ReplayCli = Callable[..., tuple[int, str, str]]

BRANCH_STATES = ["History", "HistoryDegraded", "Relevance", "Auxiliary"]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _timeline(replay_cli: ReplayCli, log: Path, execution: str, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / f"{log.stem}-{len(list(tmp_path.glob('*.timeline.json')))}.timeline.json"
    code, _, err = replay_cli("--from-logs", log, "--execution", execution, "--no-rerun", "--timeline-json", out)
    assert code == 0, err
    timeline: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return timeline


def _statuses(timeline: dict[str, Any]) -> dict[str, str]:
    return {state["name"]: state["status"] for state in timeline["states"]}


def test_the_listing_names_every_execution_of_an_interleaved_export(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    start = int(deployed.degraded[0]["event_timestamp"])
    log = _write(
        tmp_path,
        "exported.json",
        filter_log_events(deployed.degraded, starting_at(deployed.respond_failed, start + 1)),
    )

    code, out, _ = replay_cli("--from-logs", log)

    assert code == 0
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:3]}
    assert rows == {"degraded-history": "SUCCEEDED", "respond-failed": "FAILED"}
    assert "2 execution(s)" in out


def test_a_degraded_branch_is_caught_and_the_execution_succeeds(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    log = _write(tmp_path, "degraded.json", filter_log_events(deployed.degraded))

    timeline = _timeline(replay_cli, log, "degraded-history", tmp_path)

    assert (timeline["status"], timeline["error"], timeline["input_truncated"]) == ("SUCCEEDED", None, False)
    assert timeline["execution_arn"] == deployed.degraded[0]["execution_arn"]
    assert [s["name"] for s in timeline["states"]][:3] == ["HasMedia", "Route", "GatherContext"]
    assert sorted(s["name"] for s in timeline["states"][3:-1]) == sorted(BRANCH_STATES)
    assert timeline["states"][-1]["name"] == "Respond"
    assert _statuses(timeline) == {
        "HasMedia": "SUCCEEDED",
        "Route": "SUCCEEDED",
        "GatherContext": "SUCCEEDED",
        "History": "CAUGHT",
        "HistoryDegraded": "SUCCEEDED",
        "Relevance": "SUCCEEDED",
        "Auxiliary": "SUCCEEDED",
        "Respond": "SUCCEEDED",
    }
    types = {state["name"]: state["type"] for state in timeline["states"]}
    assert (types["GatherContext"], types["HistoryDegraded"], types["Respond"]) == ("Parallel", "Pass", "Task")
    gather = next(s for s in timeline["states"] if s["name"] == "GatherContext")
    for state in timeline["states"]:
        assert 0 <= state["start_ms"] <= state["end_ms"]
        if state["name"] in BRANCH_STATES:  # the branches run inside the Parallel state
            assert gather["start_ms"] <= state["start_ms"] <= state["end_ms"] <= gather["end_ms"]


def test_the_timeline_table_and_the_waterfall_picture_show_the_caught_failure(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    log = _write(tmp_path, "degraded.json", filter_log_events(deployed.degraded))

    code, out, _ = replay_cli("--from-logs", log, "--execution", "degraded-history", "--no-rerun")

    assert code == 0
    history_row = next(line for line in out.splitlines() if line.strip().startswith("History "))
    assert "CAUGHT" in history_row and "ConnectionError" in history_row
    assert "Lambda attempt 1: scheduled" in out and "failed" in out
    picture = tmp_path / "degraded.degraded-history.waterfall.html"
    assert f"waterfall: {picture}" in out
    page = picture.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<script" not in page
    for name in ["Route", "GatherContext", *BRANCH_STATES, "Respond"]:
        assert f">{name}</text>" in page


def test_a_respond_that_failed_after_its_retries_fails_the_execution(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    log = _write(tmp_path, "stream.json", get_log_events(deployed.respond_failed))

    code, out, _ = replay_cli("--from-logs", log, "--execution", "respond-failed", "--no-rerun")
    timeline = _timeline(replay_cli, log, "respond-failed", tmp_path)

    assert code == 0
    assert (timeline["status"], timeline["error"]) == ("FAILED", "RuntimeError")
    assert _statuses(timeline)["Respond"] == "FAILED"
    assert {name for name, status in _statuses(timeline).items() if status != "SUCCEEDED"} == {"Respond"}
    retries = _task_failed_retries("Respond")
    respond_row = next(line for line in out.splitlines() if line.startswith("Respond "))
    assert respond_row.split()[5:7] == ["FAILED", str(retries)]  # status, retries
    assert f"Lambda attempt {retries + 1} (retry)" in out and f"Lambda attempt {retries + 2}" not in out


def test_json_lines_and_the_cli_exports_give_the_same_timeline(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    lines = _write(tmp_path, "events.jsonl", json_lines(deployed.respond_failed))
    stream = _write(tmp_path, "stream.json", get_log_events(deployed.respond_failed))
    filtered = _write(tmp_path, "filtered.json", filter_log_events(deployed.respond_failed))
    half = len(deployed.respond_failed) // 2  # two pages of an export, appended to one file
    pages = get_log_events(deployed.respond_failed[:half]) + "\n" + get_log_events(deployed.respond_failed[half:])
    paged = _write(tmp_path, "pages.json", pages)

    timelines = [_timeline(replay_cli, log, "respond-failed", tmp_path) for log in (lines, stream, filtered, paged)]

    assert timelines[0] == timelines[1] == timelines[2] == timelines[3]
    names = [state["name"] for state in timelines[0]["states"]]
    assert (len(names), names[:2], names[-1]) == (7, ["HasMedia", "Route"], "Respond")  # Gather, 3 branches between


def test_interleaved_executions_are_told_apart_by_name_and_by_arn(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    start = int(deployed.degraded[0]["event_timestamp"])
    overlapping = starting_at(deployed.answered, start + 2)
    alone = [
        _timeline(replay_cli, _write(tmp_path, f"{n}.json", filter_log_events(r)), n, tmp_path)
        for n, r in (("degraded-history", deployed.degraded), ("answered", deployed.answered))
    ]
    mixed = _write(tmp_path, "mixed.json", filter_log_events(deployed.degraded, overlapping))
    arns = [json.loads(event["message"])["execution_arn"] for event in json.loads(mixed.read_text())["events"]]
    assert sum(one != other for one, other in zip(arns, arns[1:], strict=False)) > 2  # they really interleave

    by_name = _timeline(replay_cli, mixed, "degraded-history", tmp_path)
    by_arn = _timeline(replay_cli, mixed, overlapping[0]["execution_arn"], tmp_path)

    assert by_name == alone[0]
    assert by_arn["states"] == alone[1]["states"] and by_arn["status"] == "SUCCEEDED"


def test_a_catch_logged_without_a_state_exit_is_still_caught(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    """The next state entered straight from the failure (no TaskStateExited in between) reads as CAUGHT too."""
    records = list(deployed.degraded)
    exit_index = next(
        i for i, r in enumerate(records) if r["type"] == "TaskStateExited" and r["details"]["name"] == "History"
    )
    history_exit = records.pop(exit_index)
    relinked = [
        r | {"previous_event_id": history_exit["previous_event_id"]}
        if r["previous_event_id"] == history_exit["id"]
        else r
        for r in records
    ]
    log = _write(tmp_path, "no-exit.json", json_lines(relinked))

    timeline = _timeline(replay_cli, log, "degraded-history", tmp_path)

    assert _statuses(timeline)["History"] == "CAUGHT"
    assert _statuses(timeline)["HistoryDegraded"] == "SUCCEEDED"


def _entered(name: str) -> Callable[[Record], bool]:
    return lambda r: (
        r["type"] == "ExecutionStarted" or (r["type"].endswith("StateEntered") and r["details"]["name"] == name)
    )


def test_a_truncated_input_is_reported_and_not_replayed(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    """The execution input and Route's (the same payload) were cut; the log says so and replay refuses them."""
    log = _write(tmp_path, "cut.json", filter_log_events(truncated(deployed.degraded, _entered("Route"))))

    timeline = _timeline(replay_cli, log, "degraded-history", tmp_path)
    whole, _, whole_err = replay_cli("--from-logs", log, "--execution", "degraded-history")
    route, _, route_err = replay_cli("--from-logs", log, "--execution", "degraded-history", "--state", "Route")

    assert timeline["input_truncated"] is True
    assert whole == 2 and "truncated" in whole_err and "--state NAME" in whole_err and "Respond" in whole_err
    assert route == 2 and "input of state Route is truncated" in route_err


def test_one_state_with_a_complete_input_is_replayed_from_a_truncated_execution(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    log = _write(tmp_path, "cut.json", filter_log_events(truncated(deployed.degraded, _entered("Route"))))

    code, out, err = replay_cli("--from-logs", log, "--execution", "degraded-history", "--state", "Respond")

    assert code == 0, err
    assert "local rerun: SUCCEEDED" in out
    diff_rows = out.split("deployed vs local, state by state:")[1].splitlines()
    assert diff_rows[2].split()[:3] == ["Respond", "SUCCEEDED", "SUCCEEDED"]
    assert not any(row.startswith(("Route ", "History ")) for row in diff_rows)  # only the state that ran
    side_by_side = out.split("deployed vs local, state by state:")[1]
    assert any(line.startswith("deployed") and line.rstrip().endswith("local") for line in side_by_side.splitlines())
    page = (tmp_path / "cut.degraded-history.replay.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "<h2>deployed</h2>" in page and "<h2>local</h2>" in page


def test_the_whole_execution_is_replayed_and_compared_state_by_state(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    log = _write(tmp_path, "degraded.json", filter_log_events(deployed.degraded))

    code, out, err = replay_cli("--from-logs", log, "--execution", "degraded-history")

    assert code == 0, err
    report = out.split("deployed vs local, state by state:")[1].split("\n\n")[0]  # up to the waterfalls
    rows = {line.split()[0]: line for line in report.splitlines()[2:] if not line.startswith(" ")}
    # deployed, History's function was down; locally it answers, so its branch is not degraded any more
    assert rows["History"].split()[1:4] == ["CAUGHT", "(ConnectionError)", "SUCCEEDED"]
    assert rows["History"].split()[-1] == "different"
    assert "not run" in rows["HistoryDegraded"]
    assert rows["Route"].split()[1:3] == ["SUCCEEDED", "SUCCEEDED"]
    assert rows["(execution"].split()[-1] == "different"  # its degraded_branches are not the same
    assert '-      "degraded": true,' in report  # GatherContext's output diff shows the branch that changed
    assert '+      "degraded": false,' in report
    assert (tmp_path / "degraded.degraded-history.replay.html").exists()


def test_files_that_are_not_an_execution_log_get_a_clear_answer(replay_cli: ReplayCli, tmp_path: Path) -> None:
    broken = _write(tmp_path, "broken.json", '{"events": [\n{"message": "x"},\n')
    empty = _write(tmp_path, "other.json", json.dumps({"events": [{"timestamp": 1, "message": "START RequestId"}]}))

    broken_code, _, broken_err = replay_cli("--from-logs", broken)
    empty_code, empty_out, _ = replay_cli("--from-logs", empty)
    missing_code, _, missing_err = replay_cli("--from-logs", tmp_path / "nope.json")
    both_code, _, both_err = replay_cli("input.json", "--from-logs", empty)
    stray_code, _, stray_err = replay_cli("input.json", "--no-rerun")

    assert broken_code == 2 and "not JSON" in broken_err and "line 3" in broken_err
    assert empty_code == 2 and "1 record(s)" in empty_out and "no Step Functions execution events" in empty_out
    assert missing_code == 2 and "nope.json" in missing_err
    assert both_code == 2 and "not both" in both_err
    assert stray_code == 2 and "--no-rerun need --from-logs" in stray_err


def test_what_needs_an_execution_or_a_writable_path_is_refused(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    log = _write(tmp_path, "degraded.json", filter_log_events(deployed.degraded))

    code, out, err = replay_cli("--from-logs", log, "--timeline-json", tmp_path / "t.json", "--state", "Respond")

    assert code == 2 and "--timeline-json, --state need --execution" in err
    assert out == "" and not (tmp_path / "t.json").exists()

    nowhere = tmp_path / "missing" / "t.json"
    code, _, err = replay_cli("--from-logs", log, "--execution", "degraded-history", "--timeline-json", nowhere)
    assert code == 2 and "No such file or directory" in err and str(nowhere) in err


def test_an_unknown_execution_or_state_is_named_with_what_the_log_holds(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    log = _write(tmp_path, "degraded.json", filter_log_events(deployed.degraded))

    code, _, err = replay_cli("--from-logs", log, "--execution", "nope")
    state_code, _, state_err = replay_cli("--from-logs", log, "--execution", "degraded-history", "--state", "Nope")

    assert code == 2 and "no execution 'nope'" in err and "degraded-history" in err
    assert state_code == 2 and "no state 'Nope'" in state_err and "Respond" in state_err


def test_a_log_without_execution_data_shows_the_timeline_and_refuses_the_rerun(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    """IncludeExecutionData off: the events carry no input or output, so there is nothing to re-run."""
    data = {"input", "inputDetails", "output", "outputDetails"}
    bare = [r | {"details": {k: v for k, v in r["details"].items() if k not in data}} for r in deployed.degraded]
    log = _write(tmp_path, "bare.json", filter_log_events(bare))

    timeline = _timeline(replay_cli, log, "degraded-history", tmp_path)
    code, out, err = replay_cli("--from-logs", log, "--execution", "degraded-history", "--state", "Respond")

    assert _statuses(timeline)["History"] == "CAUGHT" and timeline["status"] == "SUCCEEDED"
    assert "not logged (execution data off)" in out
    assert code == 2 and "IncludeExecutionData off" in err


def test_a_timed_out_lambda_is_shown_as_such_and_caught(
    deployed: Deployed, replay_cli: ReplayCli, tmp_path: Path
) -> None:
    """History's function ran past the state's TimeoutSeconds: Step Functions logs LambdaFunctionTimedOut."""
    timed_out = [
        r | {"type": "LambdaFunctionTimedOut", "details": {"error": "States.Timeout"}}
        if r["type"] == "LambdaFunctionFailed"
        else r
        for r in deployed.degraded
    ]
    log = _write(tmp_path, "timeout.json", json_lines(timed_out))

    code, out, _ = replay_cli("--from-logs", log, "--execution", "degraded-history", "--no-rerun")

    assert code == 0
    history_row = next(line for line in out.splitlines() if line.strip().startswith("History "))
    assert "CAUGHT" in history_row and "States.Timeout" in history_row
    assert "timed out" in out and ", failed" not in out


def _task_failed_retries(state: str) -> int:
    """How often the ASL retries `state` after a failure of its own code (States.TaskFailed)."""
    retriers = load_local()["States"][state]["Retry"]
    return sum(r["MaxAttempts"] for r in retriers if "States.TaskFailed" in r["ErrorEquals"])
