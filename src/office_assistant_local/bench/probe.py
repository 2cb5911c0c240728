"""Child-process probes: run one handler warm with its production adapters and print its peak RSS (MB).

`python -m office_assistant_local.bench.probe <function> <events.json>` from the project root, with the local
stand-ins' settings in the environment (OA_*). Each probe builds the function's services through `bootstrap`,
exactly as Lambda would, invokes `handle` twice (cold, then warm) and prints `{"function": ..., "peak_rss_mb": ...}`.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path
from typing import Any

BRANCHES = ("history", "relevance", "auxiliary", "respond")


class RecordingStarter:
    """Stands in for Step Functions' StartExecution in the ingest probe: the webhook's work ends at the call."""

    def __init__(self) -> None:
        self.started: list[str] = []

    def start(self, name: str, payload: dict[str, Any]) -> str:
        self.started.append(name)
        return f"arn:aws:states:us-east-1:123456789012:execution:assistant:{name}"


def _probe_ingest() -> None:
    from office_assistant import bootstrap
    from office_assistant.bootstrap import Container
    from office_assistant.settings import Settings
    from office_assistant.workflow.tasks import WEBHOOK
    from office_assistant_local.engine.lambda_context import LocalLambdaContext
    from office_assistant_local.platform_requests import SlackSender
    from office_assistant_local.wiring import handler_module

    webhook = handler_module(WEBHOOK)
    settings = Settings.from_env(os.environ)
    starter = RecordingStarter()
    bootstrap.configure(Container(settings, starter=starter))
    sender = SlackSender(settings.slack_signing_secret)
    for _ in range(2):
        event, _ts = sender.message_event("C0BENCH", "U0ANA", f"<@{settings.slack_bot_user_id}> hi", mention=True)
        response = webhook.lambda_handler(event, LocalLambdaContext("ingest"))
        if response["statusCode"] != 200:
            raise RuntimeError(f"webhook answered {response}")


def _probe_branch(function: str, events: dict[str, Any]) -> None:
    import importlib

    from office_assistant import bootstrap

    module = importlib.import_module(f"functions.{function}.handler")
    service = getattr(bootstrap.services(), function)
    for _ in range(2):
        module.handle(events[function], service)


def main(argv: list[str]) -> int:
    function, events_file = argv[0], Path(argv[1])
    if function == "ingest":
        _probe_ingest()
    elif function in BRANCHES:
        _probe_branch(function, json.loads(events_file.read_text(encoding="utf-8")))
    else:
        raise SystemExit(f"unknown function {function!r}")
    print(json.dumps({"function": function, "peak_rss_mb": round(_peak_rss_kib() / 1024, 1)}))
    return 0


def _peak_rss_kib() -> int:
    """This process's peak RSS: VmHWM, which starts afresh at exec.

    `ru_maxrss` is not used on Linux: a child forked from the (large) benchmark process keeps the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux; bytes on macOS


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
