"""Command line: `office-assistant demo` (scripted local conversation), `replay` (an input or a log), `bench`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from office_assistant.settings import LAMBDA_PROCESS_ENV


def _local_run() -> None:
    """Local runs never reach a model hub (the models ship inside installed packages) and print only our output.

    moto's interpreter logs every caught task failure at ERROR with the whole state dump; the engine already
    reports failures in its result, so that log is silenced here.
    """
    for name, value in LAMBDA_PROCESS_ENV.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")  # EMF documents are for CloudWatch, not the terminal
    logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)


def _demo(args: argparse.Namespace) -> int:
    from office_assistant_local.commands.demo import run_demo

    return run_demo(args.data_dir, real_model=not args.echo_model, real_services=os.environ)


_FROM_LOGS_ONLY = ("execution", "timeline_json", "no_rerun", "state")


def _replay(args: argparse.Namespace) -> int:
    from office_assistant_local.commands.replay import USAGE_ERROR, replay, replay_from_logs

    if args.from_logs is not None:
        if args.input is not None:
            print("replay: give either an input file or --from-logs FILE, not both", file=sys.stderr)
            return USAGE_ERROR
        return replay_from_logs(
            args.from_logs,
            execution=args.execution,
            timeline_json=args.timeline_json,
            no_rerun=args.no_rerun,
            state=args.state,
            data_dir=args.data_dir,
            real_model=not args.echo_model,
            real_services=os.environ,
            err=lambda line: print(line, file=sys.stderr),
        )
    misplaced = [f"--{name.replace('_', '-')}" for name in _FROM_LOGS_ONLY if getattr(args, name)]
    if args.input is None or misplaced:
        problem = f"{', '.join(misplaced)} need --from-logs" if misplaced else "give an input file or --from-logs FILE"
        print(f"replay: {problem}", file=sys.stderr)
        return USAGE_ERROR
    return replay(
        json.loads(Path(args.input).read_text(encoding="utf-8")),
        args.data_dir,
        real_model=not args.echo_model,
        real_services=os.environ,
    )


def _check_webhook(args: argparse.Namespace) -> int:
    from office_assistant_local.commands.check_webhook import check_webhook

    return check_webhook()


def _faults(args: argparse.Namespace) -> int:
    from office_assistant_local.commands.faults import run_faults

    return run_faults()


def _bench(args: argparse.Namespace) -> int:
    from office_assistant_local.bench.latency import LatencyProfile
    from office_assistant_local.bench.report import SECTIONS, run_bench, table

    profile = LatencyProfile.load(args.profile) if args.profile.exists() else LatencyProfile.design()
    sections = tuple(args.only.split(",")) if args.only else SECTIONS
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown sections {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    messages = args.messages or (20 if args.quick else 50)
    results = run_bench(args.out, profile=profile, messages=messages, quick=args.quick, sections=sections)
    print(table(results))
    print(f"\nwritten: {args.out / 'results.json'}")
    return 0


def _bench_pii(args: argparse.Namespace) -> int:
    from office_assistant_local.bench.pii import run_pii_benchmark

    run_pii_benchmark(args.out)
    return 0


def _rehearse(args: argparse.Namespace) -> int:
    from office_assistant_local.commands.rehearse import rehearse

    return rehearse(args.json, args.timeout_scale)


def _serve(args: argparse.Namespace) -> int:
    from office_assistant_local.commands.serve import serve

    return serve(args.port, args.data_dir)


def _load(args: argparse.Namespace) -> int:
    from office_assistant_local.commands.load import load

    return load(args.url, args.senders, args.seconds, args.duplicates, args.output, args.max_per_sender)


def _tools(args: argparse.Namespace) -> int:
    from office_assistant_local.commands.tools import print_tools

    return print_tools(args.json, args.routes_file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="office-assistant", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run a scripted Slack + Telegram conversation locally, offline")
    replay = commands.add_parser(
        "replay", help="run the workflow locally on an execution input, or replay a deployed execution from its log"
    )
    replay.add_argument("input", nargs="?", help="execution input, e.g. copied from the Step Functions console")
    replay.add_argument(
        "--from-logs", type=Path, metavar="FILE", help="the execution log, as `aws logs filter-log-events` prints it"
    )
    replay.add_argument("--execution", metavar="NAME|ARN", help="the execution to show and replay (default: list)")
    replay.add_argument("--timeline-json", type=Path, metavar="PATH", help="write the execution's timeline here")
    replay.add_argument("--no-rerun", action="store_true", help="stop after the timeline")
    replay.add_argument("--state", metavar="NAME", help="re-run only this state, with its recorded input")
    for command in (demo, replay):
        command.add_argument("--data-dir", type=Path, default=None, help="keep the message store here")
        command.add_argument("--echo-model", action="store_true", help="use the echo loopback instead of SmolLM2")
    commands.add_parser("check-webhook", help="send the bad-input corpus to the webhook and print the result table")
    commands.add_parser("faults", help="inject each fault into local runs and print scenario → outcome")
    bench = commands.add_parser("bench", help="measure the workflow against the serial order and the limit")
    bench.add_argument("--out", type=Path, default=Path("bench"), help="where results.json and the pictures go")
    bench.add_argument("--profile", type=Path, default=Path("bench/latency-profile.json"), help="latency profile")
    bench.add_argument("--messages", type=int, default=None, help="messages per run (default 50, --quick 20)")
    bench.add_argument("--quick", action="store_true", help="a smaller run: 20 messages, store at 100k")
    bench.add_argument("--only", default="", help="comma-separated sections: workflow,overhead,imports,...")
    bench_pii = commands.add_parser("bench-pii", help="PII detection quality and latency on the labelled set")
    bench_pii.add_argument("--out", type=Path, default=Path("bench/pii.json"))
    rehearse = commands.add_parser("rehearse", help="run the synthesized functions as Lambda would (x86_64, 3.13)")
    rehearse.add_argument("--json", type=Path, default=None, help="write the measurements here")
    rehearse.add_argument(
        "--timeout-scale", type=float, default=1.0, help="multiply every timeout (a machine busier than Lambda)"
    )
    serve = commands.add_parser("serve", help="the webhook on a loopback HTTP server, local stack behind it")
    serve.add_argument("--port", type=int, default=8787)
    serve.add_argument("--data-dir", type=Path, default=None, help="keep the message store here")
    load = commands.add_parser("load", help="bounded concurrent Slack deliveries against `serve` (loopback only)")
    load.add_argument("--url", default="http://127.0.0.1:8787")
    load.add_argument("--senders", type=int, default=20)
    load.add_argument("--seconds", type=float, default=60.0)
    load.add_argument("--duplicates", type=float, default=0.1, help="share of deliveries sent twice")
    load.add_argument("--max-per-sender", type=int, default=25, help="messages per sender, spread over the run")
    load.add_argument("--output", type=Path, default=Path("bench/load.json"))
    tools = commands.add_parser("tools", help="the model's tool catalogue: where each tool is offered, what it needs")
    tools.add_argument("--json", action="store_true", help="a JSON list of name, description, platforms, routes, ...")
    tools.add_argument("--routes-file", type=Path, default=None, help="the routes file (default: the shipped one)")
    command_handlers = {
        "tools": _tools,
        "serve": _serve,
        "load": _load,
        "demo": _demo,
        "replay": _replay,
        "check-webhook": _check_webhook,
        "faults": _faults,
        "bench": _bench,
        "bench-pii": _bench_pii,
        "rehearse": _rehearse,
    }
    args = parser.parse_args(argv)
    _local_run()
    return command_handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
