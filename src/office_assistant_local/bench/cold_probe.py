"""Child-process probe of one function's cold start, as Lambda runs it: import the handler module, invoke it twice.

`python -m office_assistant_local.bench.cold_probe <function> <events.json>` from the project root, with the
deployed environment in the environment (the parent, `bench.cold`, builds it: tracing on, AWS_LAMBDA_FUNCTION_NAME
set, the deployed adapters pointed at loopback stand-ins). Importing the handler module is Lambda's init phase:
with AWS_LAMBDA_FUNCTION_NAME set, the module builds its service then (`office_assistant.snapstart.prepare`).
Prints one JSON line: the wall-clock epoch at the end of init and the CPU time it took, the first and a warm
invocation's duration (and the first's CPU time), and which provider SDKs the init left imported. On a shared
machine wall time includes waiting for a core; CPU time is the function's own work.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any

# Heavy SDKs that no message-path function calls: semantic-router would import them all on its own.
UNUSED_PROVIDER_SDKS = ("mistralai", "voyageai", "cohere", "google.genai", "aiohttp", "PIL", "langchain_core", "torch")


def _two_events(function: str, given: dict[str, Any] | list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The cold and the warm invocation's events: two given (webhook deliveries, each signed and deduplicated), or
    one used twice; Respond is idempotent per message, so its warm invocation answers a message of its own."""
    if isinstance(given, list):
        return given[0], given[1]
    if function != "respond":
        return given, given
    message = {**given["message"], "message_id": f"{given['message']['message_id']}-warm"}
    message["event_id"] = f"{message.get('event_id', '')}-warm"
    return given, {**given, "message": message}


def main(argv: list[str]) -> int:
    function, events_file = argv[0], Path(argv[1])
    from office_assistant.workflow.tasks import TASKS, WEBHOOK

    task = next(task for task in (*TASKS, WEBHOOK) if task.name == function)
    module = importlib.import_module(task.import_path)  # Lambda's init: imports, container, clients
    init_done = time.time()
    init_cpu_s = time.process_time()  # this process's CPU since exec: the init's own work, whatever else runs

    from office_assistant_local.engine.lambda_context import LocalLambdaContext

    cold_event, warm_event = _two_events(function, json.loads(events_file.read_text(encoding="utf-8"))[function])
    started, started_cpu = time.perf_counter(), time.process_time()
    first = module.lambda_handler(cold_event, LocalLambdaContext(function))
    first_ms = (time.perf_counter() - started) * 1000
    first_cpu_ms = (time.process_time() - started_cpu) * 1000
    started = time.perf_counter()
    module.lambda_handler(warm_event, LocalLambdaContext(function))
    warm_ms = (time.perf_counter() - started) * 1000
    loaded = sorted(name for name in UNUSED_PROVIDER_SDKS if name in sys.modules)
    result = {
        "function": function,
        "init_done_epoch": init_done,
        "init_cpu_ms": round(init_cpu_s * 1000, 1),
        "first_invoke_ms": round(first_ms, 1),
        "first_invoke_cpu_ms": round(first_cpu_ms, 1),
        "warm_invoke_ms": round(warm_ms, 1),
        "unused_sdks_loaded": loaded,
        "first_output_keys": sorted(first) if isinstance(first, dict) else [],
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
