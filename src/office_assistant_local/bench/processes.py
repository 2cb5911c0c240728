"""Measurements in fresh interpreters: cold import of each handler module, and each handler's peak RSS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

from office_assistant.settings import LAMBDA_PROCESS_ENV
from office_assistant.workflow.tasks import PROJECT_ROOT
from office_assistant_local.bench.stats import median

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

# function -> the module its Lambda imports first
HANDLER_MODULES = {
    "ingest": "functions.ingest.webhook",
    "route": "functions.ingest.route",
    "history": "functions.history.handler",
    "relevance": "functions.relevance.handler",
    "auxiliary": "functions.auxiliary.handler",
    "respond": "functions.respond.handler",
}


def _lambda_like(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """`env` (default: this process's) with the process settings every deployed function has."""
    return {**(os.environ if env is None else env), **LAMBDA_PROCESS_ENV}


def _wall_ms(code: str, env: Mapping[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True, env=_lambda_like(env))
    return (time.perf_counter() - started) * 1000


def cold_imports(runs: int = 7) -> dict[str, Any]:
    """Median wall time of `python -c "import <handler module>"` in a fresh interpreter, and of a bare start."""
    bare = median([_wall_ms("pass") for _ in range(runs)])
    result: dict[str, Any] = {"interpreter_ms": round(bare, 1), "runs": runs}
    for function, module in HANDLER_MODULES.items():
        _wall_ms(f"import {module}")  # warm the OS file cache and __pycache__ once
        result[function] = round(median([_wall_ms(f"import {module}") for _ in range(runs)]), 1)
    return result


def cold_imports_traced(runs: int = 5) -> dict[str, Any]:
    """As `cold_imports`, but with tracing on as in Lambda (``LAMBDA_TASK_ROOT`` set): the Tracer imports the X-Ray
    SDK, which builds a botocore client at import. Locally, and in `cold_imports`, tracing is off."""
    env = {key: value for key, value in os.environ.items() if key != "POWERTOOLS_TRACE_DISABLED"}
    env["LAMBDA_TASK_ROOT"] = str(PROJECT_ROOT)
    result: dict[str, Any] = {"runs": runs}
    for function, module in HANDLER_MODULES.items():
        _wall_ms(f"import {module}", env)
        result[function] = round(median([_wall_ms(f"import {module}", env) for _ in range(runs)]), 1)
    return result


_FIRST_BUILD = """
import sys, time
from pydantic import BaseModel
module = __import__(sys.argv[1], fromlist=["_"])
models = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, BaseModel)]
started = time.perf_counter()
for model in models:
    model.model_rebuild()
print((time.perf_counter() - started) * 1000)
"""


def first_model_builds(runs: int = 7) -> dict[str, Any]:
    """Median time a fresh handler module takes to build the payload models it names, after its import.

    The payload models are built on first use (`defer_build`), so this is what the first invocation pays on top
    of `cold_imports`: the part of the old import time that moved rather than vanished.
    """
    result: dict[str, Any] = {"runs": runs}
    for function, module in HANDLER_MODULES.items():
        samples = []
        for _ in range(runs):
            completed = subprocess.run(
                [sys.executable, "-c", _FIRST_BUILD, module],
                cwd=PROJECT_ROOT,
                env=_lambda_like(),
                check=True,
                capture_output=True,
                text=True,
            )
            samples.append(float(completed.stdout.strip().splitlines()[-1]))
        result[function] = round(median(samples), 1)
    return result


def peak_rss(env: Mapping[str, str], events_file: Path) -> dict[str, float]:
    """Each function's peak RSS (MB) after a cold and a warm invocation, each in its own fresh interpreter."""
    result: dict[str, float] = {}
    for function in ("ingest", "history", "relevance", "auxiliary", "respond"):
        completed = subprocess.run(
            [sys.executable, "-m", "office_assistant_local.bench.probe", function, str(events_file)],
            cwd=PROJECT_ROOT,
            env=dict(env),
            check=True,
            capture_output=True,
            text=True,
        )
        result[function] = json.loads(completed.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    return result
