"""Measurements in fresh interpreters: cold import of each handler module, and each handler's peak RSS."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

from office_assistant.benchmark.stats import median
from office_assistant.workflow.tasks import PROJECT_ROOT

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


def _wall_ms(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)
    return (time.perf_counter() - started) * 1000


def cold_imports(runs: int = 7) -> dict[str, Any]:
    """Median wall time of `python -c "import <handler module>"` in a fresh interpreter, and of a bare start."""
    bare = median([_wall_ms("pass") for _ in range(runs)])
    result: dict[str, Any] = {"interpreter_ms": round(bare, 1), "runs": runs}
    for function, module in HANDLER_MODULES.items():
        _wall_ms(f"import {module}")  # warm the OS file cache and __pycache__ once
        result[function] = round(median([_wall_ms(f"import {module}") for _ in range(runs)]), 1)
    return result


def peak_rss(env: Mapping[str, str], events_file: Path) -> dict[str, float]:
    """Each function's peak RSS (MB) after a cold and a warm invocation, each in its own fresh interpreter."""
    result: dict[str, float] = {}
    for function in ("ingest", "history", "relevance", "auxiliary", "respond"):
        completed = subprocess.run(
            [sys.executable, "-m", "office_assistant.benchmark.probe", function, str(events_file)],
            cwd=PROJECT_ROOT,
            env=dict(env),
            check=True,
            capture_output=True,
            text=True,
        )
        result[function] = json.loads(completed.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    return result
