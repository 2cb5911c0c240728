"""The demo's tool turns through the real ASL: a web search answered from the stand-in, weather, a PDF request.

The execution output lists each tool call (name, duration, ok/error), so a replay shows which tools ran.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.commands.demo_tools import TOOL_TURNS, play_tool_turns
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from office_assistant_local.environment import LocalEnvironment


def _deliver(event: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext(WEBHOOK.name))
    return response


def test_the_tool_turns_answer_from_the_stand_ins_and_report_their_tool_calls(env: LocalEnvironment) -> None:
    lines: list[str] = []

    failures = play_tool_turns(env, lines.append, _deliver)

    assert failures == 0, "\n".join(lines)
    assert env.google_search is not None and env.google_search.queries() == ["four-day week trial results"]
    [search_reply, weather_reply, *_] = [post.text for post in env.slack.posted("C0GENERAL")]
    assert "Four-day week trial results | Autonomy" in search_reply and "56 continued" in search_reply
    assert weather_reply.startswith("In Berlin it is ")
    text = "\n".join(lines)
    assert "tool call: web_search (" in text and "tool call: weather_forecast (" in text
    assert len(TOOL_TURNS) == 3
