"""The bad-input corpus (hand-written + generated) through the webhook handler: no 5xx, no execution for bad input."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from office_assistant.adapters.http_edge.webhook import TELEGRAM_SECRET_HEADER, WebhookConfig, WebhookEdge
from office_assistant.services.intake import IntakeService
from office_assistant_local.commands.check_webhook import (
    SLACK_SECRET,
    TELEGRAM_SECRET,
    format_table,
    run_webhook_corpus,
    webhook_under_test,
)
from tests.fakes import FakeStateTable


class _Starter:
    def __init__(self) -> None:
        self.started: list[dict[str, Any]] = []

    def start(self, name: str, payload: dict[str, Any]) -> str:
        self.started.append(payload)
        return name


def test_webhook_corpus_gets_every_expected_answer_and_starts_nothing_for_bad_input() -> None:
    with webhook_under_test() as starter:
        results = run_webhook_corpus(starter)

    assert len(results) >= 200
    assert [r.status for r in results if r.status >= 500] == []
    assert sum(r.executions for r in results if r.case.executions == 0) == 0
    assert all(r.passed for r in results), format_table(results)


def _service() -> tuple[WebhookEdge, _Starter]:
    starter = _Starter()
    config = WebhookConfig(SLACK_SECRET, "U0BOT", TELEGRAM_SECRET, "corpus_bot")
    return WebhookEdge(IntakeService(FakeStateTable(), starter), config), starter


json_leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_shallow = json_leaves | st.lists(json_leaves, max_size=4) | st.dictionaries(st.text(max_size=8), json_leaves)
json_values = json_shallow | st.lists(json_shallow, max_size=4) | st.dictionaries(st.text(max_size=8), json_shallow)
header_maps = st.dictionaries(
    st.sampled_from(["content-type", "x-slack-signature", "x-slack-request-timestamp", TELEGRAM_SECRET_HEADER])
    | st.text(max_size=10),
    st.text(max_size=40),
    max_size=4,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.text(max_size=300) | json_values.map(json.dumps), headers=header_maps)
def test_webhook_never_answers_5xx_nor_starts_an_execution_for_unauthenticated_input(
    body: str, headers: dict[str, str]
) -> None:
    service, starter = _service()

    replies = [service.slack(body, headers), service.telegram(body, headers)]

    assert all(reply.status < 500 for reply in replies)
    assert starter.started == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(update=st.dictionaries(st.sampled_from(["message", "edited_message", "update_id", "x"]), json_values))
def test_webhook_never_answers_5xx_to_an_authenticated_telegram_update_of_any_shape(update: dict[str, Any]) -> None:
    service, _ = _service()
    headers = {"content-type": "application/json", TELEGRAM_SECRET_HEADER: TELEGRAM_SECRET}

    reply = service.telegram(json.dumps(update), headers)

    assert reply.status in {200, 400}
