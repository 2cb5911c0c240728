"""Runs the benchmark's sections, writes bench/results.json and the pictures, and prints the table."""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from office_assistant.settings import ENV_VARS, Settings
from office_assistant_local.bench.latency import LatencyPlan, LatencyProfile
from office_assistant_local.bench.stats import percentile, ratio, ratio_to_bound, summary

if TYPE_CHECKING:
    from office_assistant_local.standins.weaviate import WeaviateLoopback

SECTIONS = ("workflow", "overhead", "imports", "store", "ack", "rss", "cold", "streaming")
TARGETS = {
    "preprocessing.ratio_parallel_to_legacy_serial": 0.40,
    "preprocessing.ratio_parallel_to_bound": 1.03,
    "overhead.p50_ms": 25.0,
    "cold_import_ms.history": 300.0,
    "cold_import_ms.relevance": 300.0,
    "cold_import_ms.auxiliary": 300.0,
    "cold_import_ms.respond": 300.0,
    "peak_rss_mb.history": 256.0,
    "peak_rss_mb.relevance": 256.0,
    "peak_rss_mb.auxiliary": 256.0,
    "cold.ratio_cold_to_warm_preprocessing": 2.0,
    "cold.history.init_ms": 700.0,
    "cold.relevance.init_ms": 700.0,
    "cold.auxiliary.init_ms": 700.0,
    "streaming.ratio_first_text_to_complete": 0.5,
    "streaming.complete_on_to_off": 1.10,
}
NOTES = [
    "preprocessing: workflow start (Route StateEntered) to Respond StateEntered, from the local engine's history;"
    " serial: the same handle() functions called one after another in one process, wall clock.",
    "legacy_serial: the legacy's real order (legacy-behaviour.md §2-§4) in one process: route; the user-history"
    " query; the assistant-history query; the user relevance search; the assistant relevance search; the mute read."
    " Our one history query and one relevance search are the first draws of the same per-query ranges; the"
    " legacy's second ones are drawn beside them. The corpus takes the default route (no Odoo map) with PII off,"
    " so the legacy's ERP and PII steps do not occur in either run. serial (our three branches in series) is kept"
    " as a second reference.",
    "latency is injected at the adapter boundary (local/latency.py): MessageStore.latest = history draw,"
    " MessageStore.similar = relevance draw, StateTable.is_muted = auxiliary draw (ERP not configured),"
    " the Route step's embed = route draw; a hashing embedder and a no-match classifier replace MiniLM there.",
    "bound: per message, route draw + max(history, relevance, auxiliary draws); ratio_parallel_to_bound is the"
    " median over messages of parallel/bound; ratio_parallel_to_serial is parallel p50 / serial p50.",
    "overhead: the workflow with a zero-latency profile and fast embedded adapters (SQLite store, in-process state"
    " table; no DynamoDB round trip); p50/p95 are"
    " the pre-processing window, execution_* the whole execution with a Respond that only records its input.",
    "cold_import_ms: median wall time of `python -c 'import <handler module>'` in a fresh interpreter, project"
    " root, OS cache warm; interpreter_ms is a bare `python -c pass` (not subtracted).",
    "first_model_build_ms: after that import, in a fresh interpreter, the time to build the payload models the"
    " handler module names: they are built on first use (defer_build), so the first invocation pays this on top"
    " of cold_import_ms.",
    "cold_import_traced_ms: cold_import_ms with tracing on, as in Lambda (LAMBDA_TASK_ROOT set): Powertools Tracer"
    " then imports the X-Ray SDK, whose recorder builds a botocore client at import; locally tracing is off.",
    "peak_rss_mb: peak RSS of a fresh interpreter that imports the handler and builds the adapters a deployed"
    " function gets through bootstrap (the Weaviate store against the loopback Weaviate, OpenAI embeddings and"
    " chat against the loopback OpenAI API, DynamoDB on moto, slack_sdk), after a cold and a warm invocation;"
    " read from /proc/self/status VmHWM (ru_maxrss would keep the forking parent's peak).",
    "cold: each function's lambda_handler in a fresh interpreter with the deployed environment (tracing on,"
    " AWS_LAMBDA_FUNCTION_NAME set, Weaviate / OpenAI-compatible / moto stand-ins on loopback); init_ms from process"
    " start to the end of the handler module's import (Lambda's init: imports, container, clients), first_invoke_ms"
    " the first lambda_handler call, warm_invoke_ms the second in the same process; medians over runs. The"
    " workflow section's latency, at each range's midpoint (draws_ms), is injected in the stand-ins. preprocessing_ms"
    " = route cold_total + the slowest branch's cold_total; warm_preprocessing_ms the same from warm_invoke_ms."
    " init_cpu_ms is the CPU time of the same init (wall time on a loaded machine includes waiting for a core;"
    " load_average says how loaded). SnapStart, emulated: after the warm call the probe runs the registered"
    " runtime hooks (before-snapshot, then after-restore: restore_hooks_ms) and invokes once more"
    " (after_restore_invoke_ms); snapstart_preprocessing_ms_without_restore adds those up like preprocessing_ms."
    " The snapshot restore itself (Lambda loading the memory snapshot) cannot be measured here.",
    "streaming: the demo conversation's answered turns (Slack turns as @-mentions, answered in a thread) through"
    " the real webhook handler, the local engine and Respond with SmolLM2 on llama.cpp's server, streaming on and"
    " off alternating turn by turn, llama.cpp's prompt cache evicted before each; first_text: webhook receipt"
    " to the first call that shows words at the Slack or"
    " Telegram stand-in (chat.startStream, sendMessageDraft; the post itself when off); complete: to the final"
    " formatted reply (chat.update after chat.stopStream, sendMessage). Wall clock, one machine.",
    "ack: the real webhook lambda_handler on signed Slack app_mention deliveries; dedupe on DynamoDB (moto"
    " server on loopback), StartExecution answered by a recorder; the first 5 requests are not counted.",
]


def _env_for(settings: Settings, data_dir: Path) -> dict[str, str]:
    """The environment a deployed function would get, pointing at the local stand-ins."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("OA_")}
    for field_name, variable in ENV_VARS.items():
        value = getattr(settings, field_name, None)
        if isinstance(value, str | Path) and str(value):
            env[variable] = str(value)
    env[ENV_VARS["data_dir"]] = str(data_dir)
    env.pop(ENV_VARS["sqlite_path"], None)
    return env | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(Path.cwd())}


def _deployed_adapters(weaviate: WeaviateLoopback) -> dict[str, str]:
    """The store and embeddings a deployed function uses (Weaviate, OpenAI), pointed at loopback stand-ins; the
    OpenAI base URL is the local chat server's, which also serves /v1/embeddings."""
    return {
        ENV_VARS["message_store"]: "weaviate",
        ENV_VARS["weaviate_url"]: weaviate.url,
        ENV_VARS["weaviate_grpc_url"]: f"http://127.0.0.1:{weaviate.grpc_port}",
        ENV_VARS["embeddings"]: "openai",
    }


def _value(results: dict[str, Any], dotted: str) -> Any:
    node: Any = results
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _preprocessing(env: Any, tmp: Path, profile: LatencyProfile, messages: int, out_dir: Path | None) -> dict[str, Any]:
    from office_assistant.workflow.payloads import WorkflowInput
    from office_assistant_local.bench.workflow import (
        RespondRecorder,
        bench_container,
        preprocessing_ms,
        run_serial,
        run_workflow,
        seed_corpus,
        workflow_handlers,
    )

    plan, legacy_plan = LatencyPlan(), LatencyPlan(legacy=True)
    container = bench_container(tmp / "workflow", env.settings.aws_endpoint_url, plan)
    # The same store and state table, with the legacy's two queries per collection pair injected.
    legacy_container = bench_container(tmp / "workflow", env.settings.aws_endpoint_url, legacy_plan)
    corpus = seed_corpus(container, profile, messages)
    for target in (plan, legacy_plan):
        target.by_chat.update(corpus.plan.by_chat)
        target.by_text.update(corpus.plan.by_text)
    recorder = RespondRecorder()
    handlers = workflow_handlers(container, recorder)
    warm = replace(corpus.messages[0], chat_id="0", message_id="warm", text="warm up")
    run_serial(container, warm)
    run_serial(legacy_container, warm)
    run_workflow(handlers, warm)
    rows: list[dict[str, Any]] = []
    results: list[tuple[Any, Any]] = []
    for message in corpus.messages:
        legacy_serial = run_serial(legacy_container, message)
        serial = run_serial(container, message)
        result = run_workflow(handlers, message)
        draws = corpus.draws[message.message_id]
        results.append((result, draws))
        rows.append(
            {
                "message_id": message.message_id,
                "draws_ms": {k: round(getattr(draws, k), 1) for k in ("route", "history", "relevance", "auxiliary")},
                "legacy_second_draws_ms": {
                    "history": round(draws.legacy_second_history, 1),
                    "relevance": round(draws.legacy_second_relevance, 1),
                },
                "bound_ms": round(draws.bound_ms, 1),
                "legacy_serial_ms": round(legacy_serial, 1),
                "serial_ms": round(serial, 1),
                "parallel_ms": round(preprocessing_ms(result), 1),
            }
        )
    legacy_ms: list[float] = [r["legacy_serial_ms"] for r in rows]
    serial_ms: list[float] = [r["serial_ms"] for r in rows]
    parallel_ms: list[float] = [r["parallel_ms"] for r in rows]
    bound_ms: list[float] = [r["bound_ms"] for r in rows]
    section: dict[str, Any] = {
        "messages": len(rows),
        "legacy_serial_p50_ms": round(percentile(legacy_ms, 50), 1),
        "legacy_serial_p95_ms": round(percentile(legacy_ms, 95), 1),
        "serial_p50_ms": round(percentile(serial_ms, 50), 1),
        "serial_p95_ms": round(percentile(serial_ms, 95), 1),
        "parallel_p50_ms": round(percentile(parallel_ms, 50), 1),
        "parallel_p95_ms": round(percentile(parallel_ms, 95), 1),
        "bound_p50_ms": round(percentile(bound_ms, 50), 1),
        "bound_p95_ms": round(percentile(bound_ms, 95), 1),
        "ratio_parallel_to_legacy_serial": ratio(percentile(parallel_ms, 50), percentile(legacy_ms, 50)),
        "ratio_parallel_to_serial": ratio(percentile(parallel_ms, 50), percentile(serial_ms, 50)),
        "ratio_parallel_to_bound": ratio_to_bound(parallel_ms, bound_ms),
        # the best any parallel schedule can do against the serial order with these draws (route stays serial)
        "ratio_bound_to_serial_draws": ratio(
            percentile(bound_ms, 50), percentile([sum(r["draws_ms"].values()) for r in rows], 50)
        ),
        "per_message": rows,
    }
    if out_dir is not None:
        from office_assistant_local.bench.plots import distribution, waterfall

        typical = sorted(range(len(rows)), key=lambda i: parallel_ms[i])[len(rows) // 2]
        waterfall(results[typical][0], results[typical][1], out_dir / "waterfall.png")
        distribution(legacy_ms, serial_ms, parallel_ms, bound_ms, out_dir / "latency-distribution.png")
        section["pictures"] = ["waterfall.png", "latency-distribution.png"]
    section["_respond_event"] = recorder.last_event
    section["_route_event"] = _route_event(container, corpus.messages[0])
    section["_route_input"] = WorkflowInput(message=corpus.messages[0]).model_dump(mode="json")
    return section


def _route_event(container: Any, message: Any) -> dict[str, Any]:
    from office_assistant.workflow.tasks import TASKS
    from office_assistant_local.bench.conversations import workflow_input
    from office_assistant_local.wiring import handler_module

    route = handler_module(next(task for task in TASKS if task.name == "route"))
    return route.handle(workflow_input(message), container.route)  # type: ignore[no-any-return]


def _per_function(
    sections: tuple[str, ...], env: Any, tmp: Path, profile: LatencyProfile, events: dict[str, Any], quick: bool
) -> dict[str, Any]:
    """The sections that run each function in fresh interpreters: peak RSS, and cold starts."""
    results: dict[str, Any] = {}
    if "rss" in sections:
        results["peak_rss_mb"] = _peak_rss(env, tmp, events)
    if "cold" in sections:
        _say("cold starts per function")
        results["cold"] = _cold(env, tmp, profile, events, runs=2 if quick else 3)
    return results


def _peak_rss(env: Any, tmp: Path, events: dict[str, Any]) -> dict[str, float]:
    from office_assistant_local.bench.processes import peak_rss
    from office_assistant_local.standins.weaviate import WeaviateLoopback

    _say("peak RSS per function")
    events_file = tmp / "events.json"
    events_file.write_text(json.dumps(events), encoding="utf-8")
    with WeaviateLoopback() as weaviate:
        deployed = _env_for(env.settings, tmp / "workflow") | _deployed_adapters(weaviate)
        return peak_rss(deployed, events_file)


def _cold(env: Any, tmp: Path, profile: LatencyProfile, events: dict[str, Any], runs: int) -> dict[str, Any]:
    from office_assistant_local.bench.cold import cold_starts, create_state_machine, midpoint_draws
    from office_assistant_local.platform_requests import SlackSender

    base_env = _env_for(env.settings, tmp / "workflow")
    base_env[ENV_VARS["state_machine_arn"]] = create_state_machine(env.settings.aws_endpoint_url)
    sender = SlackSender(env.settings.slack_signing_secret)
    mention = f"<@{env.settings.slack_bot_user_id}> hi"

    def for_run(run: int) -> dict[str, Any]:
        deliveries = [sender.message_event("C0COLD", "U0ANA", mention, mention=True)[0] for _ in range(3)]
        return events | {"webhook": deliveries}

    return cold_starts(base_env, for_run, midpoint_draws(profile), tmp, runs=runs)


def _overhead(env: Any, tmp: Path, messages: int) -> dict[str, Any]:
    from office_assistant_local.bench.workflow import (
        RespondRecorder,
        bench_container,
        execution_ms,
        preprocessing_ms,
        run_workflow,
        seed_corpus,
        workflow_handlers,
    )

    container = bench_container(tmp / "overhead", None, LatencyPlan())
    corpus = seed_corpus(container, LatencyProfile.zero(), messages + 3)
    handlers = workflow_handlers(container, RespondRecorder())
    window, whole = [], []
    for n, message in enumerate(corpus.messages):
        result = run_workflow(handlers, message)
        if n >= 3:  # warm-up
            window.append(preprocessing_ms(result))
            whole.append(execution_ms(result))
    return (
        {"executions": len(window)}
        | summary(window, 50, 95)
        | {f"execution_{k}": v for k, v in summary(whole, 50, 95).items()}
    )


def run_bench(
    out_dir: Path | None,
    *,
    profile: LatencyProfile,
    messages: int = 50,
    quick: bool = False,
    sections: tuple[str, ...] = SECTIONS,
) -> dict[str, Any]:
    """Run the chosen sections; with `out_dir`, write results.json and the pictures there."""
    from office_assistant_local.environment import local_environment

    results: dict[str, Any] = {
        "run": {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": quick,
            "sections": list(sections),
            "profile": profile.to_dict(),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        }
    }
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="oa-bench-") as tmp_name:
        tmp = Path(tmp_name)
        from office_assistant_local.bench.workflow import DefaultRouteClassifier, HashingEmbedder

        with local_environment(tmp / "env", embedder=HashingEmbedder(), classifier=DefaultRouteClassifier()) as env:
            events: dict[str, Any] = {}
            quiet = contextlib.redirect_stdout(io.StringIO())  # handlers print their EMF metrics on stdout
            if "workflow" in sections or "rss" in sections or "cold" in sections:
                _say("pre-processing: serial reference and workflow")
                with quiet:
                    section = _preprocessing(env, tmp, profile, messages, out_dir)
                route_event = section.pop("_route_event")
                events = {name: route_event for name in ("history", "relevance", "auxiliary")}
                events["respond"] = section.pop("_respond_event")
                events["route"] = section.pop("_route_input")
                if "workflow" in sections:
                    results["preprocessing"] = section
            if "overhead" in sections:
                _say("orchestration overhead (zero latency)")
                with contextlib.redirect_stdout(io.StringIO()):
                    results["overhead"] = _overhead(env, tmp, messages)
            if "imports" in sections:
                from office_assistant_local.bench.processes import cold_imports, cold_imports_traced, first_model_builds

                _say("cold imports")
                results["cold_import_ms"] = cold_imports(runs=5 if quick else 7)
                results["first_model_build_ms"] = first_model_builds(runs=5 if quick else 7)
                results["cold_import_traced_ms"] = cold_imports_traced(runs=3 if quick else 5)
            if "store" in sections:
                from office_assistant_local.bench.store import store_bench

                size, chats = (100_000, 500) if quick else (1_000_000, 5_000)
                _say(f"embedded store at {size:,} messages")
                results["store"] = store_bench(tmp / "store.sqlite3", size, chats)
            if "ack" in sections:
                from office_assistant_local.bench.ack import ack_bench

                _say("webhook ack")
                with contextlib.redirect_stdout(io.StringIO()):
                    results["ack"] = ack_bench(env.settings, 100 if quick else 300)
            results |= _per_function(sections, env, tmp, profile, events, quick)
            if "rss" in sections:
                from office_assistant_local.bench.processes import peak_rss
                from office_assistant_local.standins.weaviate import WeaviateLoopback

                _say("peak RSS per function")
                events_file = tmp / "events.json"
                events_file.write_text(json.dumps(events), encoding="utf-8")
                with WeaviateLoopback() as weaviate:
                    deployed = _env_for(env.settings, tmp / "workflow") | _deployed_adapters(weaviate)
                    results["peak_rss_mb"] = peak_rss(deployed, events_file)
        if "streaming" in sections:
            _say("streamed replies through the local model server")
            results["streaming"] = _streaming(tmp, 20, out_dir)
    return _finish(results, out_dir, sections)


def _streaming(tmp: Path, replies: int, out_dir: Path | None) -> dict[str, Any]:
    """The streaming section in its own local environment with the real local model (skipped without one)."""
    from office_assistant import bootstrap
    from office_assistant.domain.errors import ModelServerError
    from office_assistant_local.bench.streaming import streaming_bench
    from office_assistant_local.environment import local_environment

    try:
        with local_environment(tmp / "streaming", real_model=True) as env:
            bootstrap.configure(env.container)
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    return streaming_bench(env, replies, out_dir)
            finally:
                bootstrap.reset()
    except ModelServerError as error:
        return {"skipped": f"no local model server: {error}"}


def _finish(results: dict[str, Any], out_dir: Path | None, sections: tuple[str, ...]) -> dict[str, Any]:
    """Keep the sections not run from the previous file, judge the targets, write results.json."""
    if out_dir is not None and set(sections) != set(SECTIONS):
        _keep_previous(results, out_dir / "results.json")
    results["targets"] = {
        key: {"target": limit, "value": (value := _value(results, key)), "met": value is not None and value <= limit}
        for key, limit in TARGETS.items()
        if _value(results, key) is not None
    }
    results["notes"] = NOTES
    if out_dir is not None:
        (out_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def _keep_previous(results: dict[str, Any], path: Path) -> None:
    """A run of some sections keeps the other sections' numbers from the results file it rewrites, each with the
    time of the run that measured it (`run.kept_from_previous_run`)."""
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    previous_run = previous.get("run", {})
    earlier = previous_run.get("kept_from_previous_run", {})  # key -> when it was measured, from older runs
    kept = {}
    for key in previous:
        if key not in results and key not in {"run", "targets", "notes"}:
            results[key] = previous[key]
            kept[key] = earlier.get(key, previous_run.get("at"))
    if kept:
        results["run"]["kept_from_previous_run"] = kept


def _say(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


def table(results: dict[str, Any]) -> str:
    """The headline numbers, one per line, with the target where there is one."""
    rows: list[tuple[str, Any]] = []
    prefixes = ("preprocessing", "overhead", "cold_import_ms", "first_model_build_ms", "cold_import_traced_ms")
    for prefix in (*prefixes, "ack", "peak_rss_mb", "streaming"):
        for key, value in results.get(prefix, {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                rows.append((f"{prefix}.{key}", value))
    cold = results.get("cold", {})
    for function, figures in cold.items():
        if isinstance(figures, dict) and "init_ms" in figures:
            keys = ("init_ms", "init_cpu_ms", "first_invoke_ms", "restore_hooks_ms")
            rows.extend((f"cold.{function}.{key}", figures[key]) for key in keys)
    rows.extend(
        (f"cold.{key}", cold[key])
        for key in (
            "preprocessing_ms",
            "warm_preprocessing_ms",
            "ratio_cold_to_warm_preprocessing",
            "snapstart_preprocessing_ms_without_restore",
            "ratio_snapstart_without_restore_to_warm",
        )
        if key in cold
    )
    store = results.get("store")
    if store:
        rows.append(("store.messages", store["messages"]))
        rows.append(("store.insert_rows_per_s", store["insert_rows_per_s"]))
        for lookup in ("last_n", "top_k_in_chat"):
            for q in ("p50_ms", "p99_ms"):
                rows.append((f"store.{lookup}.{q}", store[lookup][q]))
    width = max(len(name) for name, _ in rows) if rows else 10
    lines = [f"{'metric':<{width}}  {'value':>10}  {'target':>8}  met"]
    for name, value in rows:
        target = results["targets"].get(name)
        mark = ("yes" if target["met"] else "NO") if target else ""
        limit = f"≤ {target['target']:g}" if target else ""
        lines.append(f"{name:<{width}}  {value:>10}  {limit:>8}  {mark}")
    return "\n".join(lines)
