"""`office-assistant check-webhook`: the bad-input corpus through the real webhook handler, as a result table.

tests/functions/test_webhook_corpus.py runs the same corpus and asserts the same outcome.

Dedupe claims go to DynamoDB on moto (the real adapter); the workflow starter only records, so no execution
runs: the table counts what *would* have started.
"""

from __future__ import annotations

import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from office_assistant import bootstrap
from office_assistant.bootstrap import Container
from office_assistant.settings import Settings
from office_assistant_local.drills.webhook_corpus import BOT_USER_ID, BOT_USERNAME, Case, hand_written_cases
from office_assistant_local.drills.webhook_fuzz import add_generated_cases

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SLACK_SECRET = "corpus-slack-signing-secret"
TELEGRAM_SECRET = "corpus-telegram-secret-token"


def build_corpus(slack_secret: str, telegram_secret: str, seed: int = 20240611) -> list[Case]:
    """Hand-written plus generated cases (over 200 in all)."""
    corpus = hand_written_cases(slack_secret, telegram_secret, seed)
    add_generated_cases(corpus)
    return corpus.cases


@dataclass(frozen=True)
class CaseResult:
    case: Case
    status: int
    executions: int

    @property
    def passed(self) -> bool:
        return self.status in self.case.expected and self.executions == self.case.executions


def run_corpus(
    cases: list[Case], call: Callable[[dict[str, Any]], int], started: Callable[[], int]
) -> list[CaseResult]:
    """Send each case through `call` (→ HTTP status) and count the executions it started."""
    results = []
    for case in cases:
        before = started()
        status = call(case.event)
        results.append(CaseResult(case, status, started() - before))
    return results


def _rows(results: list[CaseResult]) -> Iterator[tuple[str, ...]]:
    by_group: dict[str, list[CaseResult]] = defaultdict(list)
    for result in results:
        by_group[result.case.group].append(result)
    for group, items in [*by_group.items(), ("TOTAL", results)]:
        statuses: dict[int, int] = defaultdict(int)
        for item in items:
            statuses[item.status] += 1
        invalid_started = sum(item.executions for item in items if item.case.executions == 0)
        yield (
            group,
            str(len(items)),
            str(sum(item.passed for item in items)),
            " ".join(f"{status}×{count}" for status, count in sorted(statuses.items())),
            str(sum(count for status, count in statuses.items() if status >= 500)),
            str(sum(item.executions for item in items)),
            str(invalid_started),
        )


def format_table(results: list[CaseResult]) -> str:
    header = ("group", "cases", "as expected", "statuses", "5xx", "executions", "for invalid")
    rows = [header, *_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.insert(len(lines) - 1, lines[1])
    failures = [r for r in results if not r.passed]
    for failure in failures:
        lines.append(
            f"FAILED {failure.case.group} / {failure.case.name}: status {failure.status} "
            f"(expected {sorted(failure.case.expected)}), executions {failure.executions} "
            f"(expected {failure.case.executions})"
        )
    return "\n".join(lines)


class RecordingStarter:
    """A WorkflowStarter that keeps the execution inputs instead of running them."""

    def __init__(self) -> None:
        self.started: list[tuple[str, dict[str, Any]]] = []

    def start(self, name: str, payload: dict[str, Any]) -> str:
        json.dumps(payload)  # what StartExecution would send must serialise
        self.started.append((name, payload))
        return f"arn:aws:states:us-east-1:123456789012:execution:assistant:{name}"


@contextmanager
def webhook_under_test(container: Container | None = None) -> Iterator[RecordingStarter]:
    """Configure the webhook handler with a recording starter; DynamoDB on moto unless a container is given."""
    starter = RecordingStarter()
    settings = Settings(
        slack_signing_secret=SLACK_SECRET,
        slack_bot_user_id=BOT_USER_ID,
        telegram_secret_token=TELEGRAM_SECRET,
        telegram_bot_username=BOT_USERNAME,
    )
    if container is not None:
        bootstrap.configure(container)
        yield starter
        bootstrap.reset()
        return
    from office_assistant_local.aws import moto_server, prepare_local_resources

    with moto_server() as endpoint_url:
        settings = Settings(**{**settings.__dict__, "aws_endpoint_url": endpoint_url})
        prepare_local_resources(settings)
        bootstrap.configure(Container(settings, starter=starter))
        try:
            yield starter
        finally:
            bootstrap.reset()


def run_webhook_corpus(starter: RecordingStarter) -> list[CaseResult]:
    """Every corpus case through `functions/ingest/webhook.py`'s lambda_handler."""
    from office_assistant.workflow.tasks import WEBHOOK
    from office_assistant_local.engine.lambda_context import LocalLambdaContext
    from office_assistant_local.wiring import handler_module

    handler = handler_module(WEBHOOK).lambda_handler
    context = LocalLambdaContext("webhook")

    def call(event: dict[str, Any]) -> int:
        return int(handler(event, context)["statusCode"])

    return run_corpus(build_corpus(SLACK_SECRET, TELEGRAM_SECRET), call, lambda: len(starter.started))


def check_webhook() -> int:
    """Print the table; exit status 0 only when every case got its expected answer and executions."""
    with webhook_under_test() as starter:
        results = run_webhook_corpus(starter)
    print(format_table(results))
    failed = sum(not r.passed for r in results)
    print(f"\n{len(results)} cases, {len(results) - failed} as expected, {failed} failed")
    return 1 if failed else 0
