"""Command line: `office-assistant demo` (scripted local conversation) and `replay` (one execution input)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path


def _local_run() -> None:
    """Local runs never reach a model hub (the models ship inside installed packages) and print only our output.

    moto's interpreter logs every caught task failure at ERROR with the whole state dump; the engine already
    reports failures in its result, so that log is silenced here.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)


def _demo(args: argparse.Namespace) -> int:
    from office_assistant.local.demo import run_demo

    return run_demo(args.data_dir, real_model=not args.echo_model)


def _replay(args: argparse.Namespace) -> int:
    from office_assistant.local.replay import replay

    return replay(
        json.loads(Path(args.input).read_text(encoding="utf-8")), args.data_dir, real_model=not args.echo_model
    )


def _check_webhook(args: argparse.Namespace) -> int:
    from office_assistant.local.check_webhook import check_webhook

    return check_webhook()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="office-assistant", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run a scripted Slack + Telegram conversation locally, offline")
    replay = commands.add_parser("replay", help="run the workflow locally on an execution input (JSON file)")
    replay.add_argument("input", help="execution input, e.g. copied from the Step Functions console")
    for command in (demo, replay):
        command.add_argument("--data-dir", type=Path, default=None, help="keep the message store here")
        command.add_argument("--echo-model", action="store_true", help="use the echo loopback instead of SmolLM2")
    commands.add_parser("check-webhook", help="send the bad-input corpus to the webhook and print the result table")
    command_handlers = {"demo": _demo, "replay": _replay, "check-webhook": _check_webhook}
    args = parser.parse_args(argv)
    _local_run()
    return command_handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
