"""Cold starts: each function in a fresh interpreter with the deployed environment, from process start to the end
of its first invocation, and the pre-processing a message pays when Route and the branches are all cold.

Every function runs as deployed: tracing on (``LAMBDA_TASK_ROOT`` and a trace header set, so Powertools' Tracer
loads the X-Ray SDK), ``AWS_LAMBDA_FUNCTION_NAME`` set (so the handler builds its service during init), the Weaviate
store against the Weaviate stand-in, OpenAI embeddings and chat against the OpenAI-compatible stand-in, DynamoDB on
moto's server. The same latency the workflow section injects at the adapter boundary is injected here at the wire,
in the stand-ins: the Route step's embedding call waits the route draw, the History query (sorted) the history draw,
the Relevance query (near-vector) the relevance draw and the Auxiliary step's DynamoDB reads the auxiliary draw. Each
function is probed on its own, as each Lambda sandbox has its own CPU; the second invocation in the same process is
the warm figure, measured against the same stand-ins and delays.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from office_assistant.settings import ENV_VARS, LAMBDA_PROCESS_ENV
from office_assistant.workflow.tasks import PROJECT_ROOT
from office_assistant_local.bench.stats import median, ratio
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback
from office_assistant_local.standins.weaviate import WeaviateLoopback

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from pathlib import Path

    from office_assistant_local.bench.latency import Draws, LatencyProfile
    from office_assistant_local.standins.recorder import RecordedRequest, Reply

FUNCTIONS = ("webhook", "route", "history", "relevance", "auxiliary", "respond")
BRANCHES = ("history", "relevance", "auxiliary")
TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
"""``_X_AMZN_TRACE_ID`` as Lambda sets it per invocation: X-Ray's Lambda context builds the facade segment from it."""


def _sleep_ms(ms: float) -> None:
    if ms > 0:
        time.sleep(ms / 1000)


class DelayedWeaviate(WeaviateLoopback):
    """The Weaviate stand-in, with History's sorted fetch and Relevance's near-vector search taking their draws."""

    def __init__(self, history_ms: float, relevance_ms: float) -> None:
        super().__init__()
        self.history_ms = history_ms
        self.relevance_ms = relevance_ms

    def search(self, request: Any) -> Any:
        if request.HasField("near_vector"):
            _sleep_ms(self.relevance_ms)
        elif len(request.sort_by):
            _sleep_ms(self.history_ms)
        return super().search(request)


class DelayedEmbeddings(ChatCompletionsLoopback):
    """The OpenAI-compatible stand-in, with a one-text embedding (the Route step's query) taking the route draw;
    the batch that embeds the route book's utterances is not a message's and is not delayed."""

    def __init__(self, route_ms: float) -> None:
        super().__init__()
        self.route_ms = route_ms

    def handle(self, request: RecordedRequest) -> Reply:
        body = request.body
        if request.path == "/v1/embeddings" and isinstance(body, dict):
            texts = body.get("input")
            if isinstance(texts, str) or (isinstance(texts, list) and len(texts) == 1):
                _sleep_ms(self.route_ms)
        return super().handle(request)


@contextmanager
def delayed_moto(read_ms: float) -> Iterator[str]:
    """moto's server on loopback whose DynamoDB GetItem answers take `read_ms`; yields its endpoint URL."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)

    def delayed(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("HTTP_X_AMZ_TARGET", "").endswith(".GetItem"):
            _sleep_ms(read_ms)
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, delayed, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(5)


def deployed_lambda_env(env: Mapping[str, str], function: str) -> dict[str, str]:
    """`env` as a deployed function sees it: tracing on, metrics on, this function's name, the process settings."""
    lambda_env = {
        key: value
        for key, value in env.items()
        if key not in {"POWERTOOLS_TRACE_DISABLED", "POWERTOOLS_METRICS_DISABLED"}
    }
    return (
        lambda_env
        | LAMBDA_PROCESS_ENV
        | {
            "LAMBDA_TASK_ROOT": str(PROJECT_ROOT),
            # this checkout's code, whichever checkout the virtualenv's editable install points at
            "PYTHONPATH": os.pathsep.join((str(PROJECT_ROOT / "src"), str(PROJECT_ROOT))),
            "AWS_LAMBDA_FUNCTION_NAME": function,
            "_X_AMZN_TRACE_ID": TRACE_HEADER,
        }
    )


def probe(function: str, env: Mapping[str, str], events_file: Path) -> dict[str, Any]:
    """One cold start of `function` in a fresh interpreter: init_ms from process start, then both invocations."""
    started = time.time()
    completed = subprocess.run(
        [sys.executable, "-m", "office_assistant_local.bench.cold_probe", function, str(events_file)],
        cwd=PROJECT_ROOT,
        env=deployed_lambda_env(env, function),
        check=False,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"cold probe of {function} failed:\n{completed.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    result["init_ms"] = round((result.pop("init_done_epoch") - started) * 1000, 1)
    return result


def _median_of(samples: list[dict[str, Any]], key: str) -> float:
    return round(median([float(sample[key]) for sample in samples]), 1)


def cold_starts(
    base_env: Mapping[str, str],
    events: Callable[[int], dict[str, Any]],
    draws: Draws,
    tmp: Path,
    runs: int = 3,
) -> dict[str, Any]:
    """The `cold` section: per function the medians over `runs` fresh interpreters (after one run that warms the OS
    file cache) of the init (wall and CPU), the first, warm and after-restore invocations and the after-restore
    hooks; then the cold, warm and SnapStart (restore excluded) pre-processing: route + the slowest branch.

    `events(run)` gives each function's event(s) for one run (the webhook needs fresh, signed deliveries).
    """
    load_before = round(os.getloadavg()[0], 2)
    with (
        DelayedWeaviate(draws.history, draws.relevance) as weaviate,
        DelayedEmbeddings(draws.route) as openai_api,
        delayed_moto(draws.auxiliary) as auxiliary_aws,
    ):
        env = dict(base_env) | {
            ENV_VARS["message_store"]: "weaviate",
            ENV_VARS["weaviate_url"]: weaviate.url,
            ENV_VARS["weaviate_grpc_url"]: f"http://127.0.0.1:{weaviate.grpc_port}",
            ENV_VARS["embeddings"]: "openai",
            ENV_VARS["openai_base_url"]: openai_api.base_url,
        }
        _prepare_aws(auxiliary_aws, env)
        by_function: dict[str, dict[str, Any]] = {}
        for function in FUNCTIONS:
            function_env = env | ({ENV_VARS["aws_endpoint_url"]: auxiliary_aws} if function == "auxiliary" else {})
            samples = []
            for run in range(runs + 1):
                events_file = tmp / f"cold-events-{function}-{run}.json"
                events_file.write_text(json.dumps(events(run)), encoding="utf-8")
                sample = probe(function, function_env, events_file)
                if run:  # the first run warms the OS file cache and __pycache__
                    samples.append(sample)
            by_function[function] = {
                "init_ms": _median_of(samples, "init_ms"),
                "init_cpu_ms": _median_of(samples, "init_cpu_ms"),
                "first_invoke_ms": _median_of(samples, "first_invoke_ms"),
                "first_invoke_cpu_ms": _median_of(samples, "first_invoke_cpu_ms"),
                "cold_total_ms": round(median([s["init_ms"] + s["first_invoke_ms"] for s in samples]), 1),
                "warm_invoke_ms": _median_of(samples, "warm_invoke_ms"),
                "restore_hooks_ms": _median_of(samples, "restore_hooks_ms"),
                "after_restore_invoke_ms": _median_of(samples, "after_restore_invoke_ms"),
                "snapstart_total_ms": round(
                    median([s["restore_hooks_ms"] + s["after_restore_invoke_ms"] for s in samples]), 1
                ),
                "unused_sdks_loaded": samples[-1]["unused_sdks_loaded"],
            }
    cold_pre = by_function["route"]["cold_total_ms"] + max(by_function[b]["cold_total_ms"] for b in BRANCHES)
    warm_pre = by_function["route"]["warm_invoke_ms"] + max(by_function[b]["warm_invoke_ms"] for b in BRANCHES)
    # SnapStart: the after-restore hooks and the first invocation after them; the memory restore is not in it
    snap_pre = by_function["route"]["snapstart_total_ms"] + max(by_function[b]["snapstart_total_ms"] for b in BRANCHES)
    return {
        "runs": runs,
        # 1-minute load average before and after: above the machine's core count, wall times include queueing
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
        "draws_ms": {step: round(getattr(draws, step), 1) for step in ("route", "history", "relevance", "auxiliary")},
        "bound_ms": round(draws.bound_ms, 1),
        **by_function,
        "preprocessing_ms": round(cold_pre, 1),
        "warm_preprocessing_ms": round(warm_pre, 1),
        "ratio_cold_to_warm_preprocessing": ratio(cold_pre, warm_pre),
        "snapstart_preprocessing_ms_without_restore": round(snap_pre, 1),
        "ratio_snapstart_without_restore_to_warm": ratio(snap_pre, warm_pre),
    }


def _prepare_aws(endpoint_url: str, env: Mapping[str, str]) -> None:
    """The state table and media bucket on the auxiliary step's own (delayed) moto server."""
    from office_assistant.settings import Settings
    from office_assistant_local.aws import prepare_local_resources

    oa_env = {key: value for key, value in env.items() if key.startswith("OA_")}
    settings = Settings.from_env(oa_env | {ENV_VARS["aws_endpoint_url"]: endpoint_url})
    prepare_local_resources(settings)


def midpoint_draws(profile: LatencyProfile) -> Draws:
    """One message's draws: the middle of each of the profile's ranges."""
    from office_assistant_local.bench.latency import Draws

    return Draws(**{step: (low + high) / 2 for step, (low, high) in profile.ranges.items()})


def create_state_machine(endpoint_url: str) -> str:
    """An Express state machine on moto's server for the webhook's StartExecution; returns its ARN."""
    from office_assistant.adapters.aws_clients import endpoint_client

    client = endpoint_client("stepfunctions", endpoint_url)
    definition = {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}
    created = client.create_state_machine(
        name="cold-start-bench",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/cold-start-bench",
        type="EXPRESS",
    )
    return str(created["stateMachineArn"])
