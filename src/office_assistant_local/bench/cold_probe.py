"""Child-process probe of one function's cold start, as Lambda runs it: import the handler module, invoke it twice.

`python -m office_assistant_local.bench.cold_probe <function> <events.json>` from the project root, with the
deployed environment in the environment (the parent, `bench.cold`, builds it: tracing on, AWS_LAMBDA_FUNCTION_NAME
set, the deployed adapters pointed at loopback stand-ins). Importing the handler module is Lambda's init phase:
with AWS_LAMBDA_FUNCTION_NAME set, the module builds its service then (`office_assistant.snapstart.prepare`).
After a warm invocation it emulates a SnapStart restore: it runs the registered hooks (`_emulated_restore`) and
invokes once more. Prints one JSON line: the wall-clock epoch at the end of init and the CPU time it took, the
three invocations' durations (and the first's CPU time), the after-restore hooks' duration, and which provider
SDKs the init left imported. On a shared machine wall time includes waiting for a core; CPU time is the
function's own work.
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


def _events(function: str, given: dict[str, Any] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The three invocations' events (cold, warm, after the emulated restore): as given when a list (webhook
    deliveries, each signed and deduplicated), else one event three times; Respond is idempotent per message, so
    each of its invocations answers a message of its own."""
    if isinstance(given, list):
        return given
    if function != "respond":
        return [given, given, given]
    events = [given]
    for suffix in ("warm", "restored"):
        message = {**given["message"], "message_id": f"{given['message']['message_id']}-{suffix}"}
        message["event_id"] = f"{message.get('event_id', '')}-{suffix}"
        events.append({**given, "message": message})
    return events


def _emulated_restore() -> float:
    """Run the registered SnapStart hooks as the runtime does (before-snapshot in reverse order of registration,
    after-restore in order); the ms the after-restore hooks took. The memory restore itself is not emulated."""
    from snapshot_restore_py import get_after_restore, get_before_snapshot

    for hook, args, kwargs in reversed(get_before_snapshot()):
        hook(*args, **kwargs)
    started = time.perf_counter()
    for hook, args, kwargs in get_after_restore():
        hook(*args, **kwargs)
    return (time.perf_counter() - started) * 1000


def main(argv: list[str]) -> int:
    function, events_file = argv[0], Path(argv[1])
    from office_assistant.workflow.tasks import TASKS, WEBHOOK

    task = next(task for task in (*TASKS, WEBHOOK) if task.name == function)
    module = importlib.import_module(task.import_path)  # Lambda's init: imports, container, clients
    init_done = time.time()
    init_cpu_s = time.process_time()  # this process's CPU since exec: the init's own work, whatever else runs

    from office_assistant_local.engine.lambda_context import LocalLambdaContext

    cold_event, warm_event, restored_event = _events(
        function, json.loads(events_file.read_text(encoding="utf-8"))[function]
    )
    started, started_cpu = time.perf_counter(), time.process_time()
    first = module.lambda_handler(cold_event, LocalLambdaContext(function))
    first_ms = (time.perf_counter() - started) * 1000
    first_cpu_ms = (time.process_time() - started_cpu) * 1000
    started = time.perf_counter()
    module.lambda_handler(warm_event, LocalLambdaContext(function))
    warm_ms = (time.perf_counter() - started) * 1000
    restore_hooks_ms = _emulated_restore()
    started = time.perf_counter()
    module.lambda_handler(restored_event, LocalLambdaContext(function))
    restored_ms = (time.perf_counter() - started) * 1000
    loaded = sorted(name for name in UNUSED_PROVIDER_SDKS if name in sys.modules)
    result = {
        "function": function,
        "init_done_epoch": init_done,
        "init_cpu_ms": round(init_cpu_s * 1000, 1),
        "first_invoke_ms": round(first_ms, 1),
        "first_invoke_cpu_ms": round(first_cpu_ms, 1),
        "warm_invoke_ms": round(warm_ms, 1),
        "restore_hooks_ms": round(restore_hooks_ms, 1),
        "after_restore_invoke_ms": round(restored_ms, 1),
        "unused_sdks_loaded": loaded,
        "first_output_keys": sorted(first) if isinstance(first, dict) else [],
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
