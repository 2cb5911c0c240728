"""Deployed executions of the real ASL, recorded once per module as the execution log would hold them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant.adapters.chat_platforms import slack
from office_assistant.domain.messages import InboundMessage
from office_assistant.workflow.payloads import WorkflowInput
from office_assistant_local import cli
from office_assistant_local.environment import SLACK_SIGNING_SECRET, local_environment
from office_assistant_local.platform_requests import SlackSender
from office_assistant_local.wiring import handlers_for
from tests.local.log_exports import Record, deployed_run

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from office_assistant_local.environment import LocalEnvironment


@dataclass(frozen=True)
class Deployed:
    """The execution logs of the deployed runs the tests replay."""

    degraded: list[Record]  # History failed, its Catch gave the degraded branch; the message was answered
    respond_failed: list[Record]  # Respond failed on every attempt: the first and two retries
    answered: list[Record]  # a plain answered message, to interleave with another execution


def _workflow_input(env: LocalEnvironment, text: str, channel: str) -> dict[str, Any]:
    event, _ = SlackSender(SLACK_SIGNING_SECRET).message_event(channel, "U0ALICE", text)
    inbound = slack.parse_event(json.loads(event["body"]), env.settings.slack_bot_user_id)
    assert isinstance(inbound, InboundMessage)
    return WorkflowInput(message=inbound).model_dump(mode="json")


def _history_down(event: dict[str, Any], context: Any) -> Any:
    raise ConnectionError("message store unreachable")


def _model_down(event: dict[str, Any], context: Any) -> Any:
    raise RuntimeError("chat model returned 503")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory, minilm: Any, semantic_classifier: Any) -> Deployed:
    """Three executions of the real ASL with the real handlers, two of them with a failing function."""
    data_dir = tmp_path_factory.mktemp("deployed")
    with local_environment(data_dir, embedder=minilm, classifier=semantic_classifier) as env:
        handlers = handlers_for(env.container)
        minilm_vector = env.container.embedder.embed(["good morning"])[0]  # warm, as the deployed functions were
        env.container.classifier.classify([float(x) for x in minilm_vector])
        return Deployed(
            degraded=deployed_run(
                handlers | {"history": _history_down},
                _workflow_input(env, "Can you summarise what we decided about the budget?", "C1"),
                "degraded-history",
            ),
            respond_failed=deployed_run(
                handlers | {"respond": _model_down},
                _workflow_input(env, "What is on the agenda for Monday?", "C2"),
                "respond-failed",
            ),
            answered=deployed_run(handlers, _workflow_input(env, "hello there", "C3"), "answered"),
        )


@pytest.fixture
def replay_cli(
    capsys: pytest.CaptureFixture[str], cli_environment: None
) -> Iterator[Callable[..., tuple[int, str, str]]]:
    """`office-assistant replay …` through `cli.main`, with the echo model; returns (exit code, stdout, stderr).

    The CLI sets process defaults for local runs (offline model hub, metrics off); `cli_environment` undoes them.
    """

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = cli.main(["replay", *map(str, args), "--echo-model"])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
