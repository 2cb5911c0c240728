"""The demo's tool turns: a web search answered from the search stand-in, the weather, and a PDF sent back.

SmolLM2 on llama.cpp cannot be relied on to call tools, so these turns are played with a scripted tool-calling
model: the chat completions stand-in asks for the tool call shown, the real workflow runs the real tool (adapter,
stand-in, schema validation, once-per-message claims), and the scripted answer is written from the tool result
the stand-in receives back. Everything else (webhook, Route, branches, Respond, posting) is the real code path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from office_assistant_local.commands.deliveries import deliver_and_wait
from office_assistant_local.environment import SLACK_SIGNING_SECRET
from office_assistant_local.platform_requests import SlackSender
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant.workflow.payloads import RespondOutput
    from office_assistant_local.environment import LocalEnvironment

CHANNEL = "C0GENERAL"
USER = "U0ALICE"


def _from_search(results: list[Any]) -> str:
    hits = results[0].get("result", []) if results and isinstance(results[0], dict) else []
    if not hits:
        return f"The search did not work: {results[0] if results else 'no result'}"
    best = hits[0]
    return f"According to “{best['title']}” ({best['url']}): {best['snippet']}"


def _from_weather(results: list[Any]) -> str:
    forecast = results[0].get("result") if results and isinstance(results[0], dict) else None
    if not forecast:
        return f"I could not get the weather: {results[0] if results else 'no result'}"
    now, units, daily = forecast["current"], forecast["current_units"], forecast["daily"]
    days = ", ".join(
        f"{day}: {low}–{high} °C"
        for day, low, high in zip(daily["time"], daily["temperature_2m_min"], daily["temperature_2m_max"], strict=True)
    )
    return f"In {forecast['place']['name']} it is {now['temperature_2m']} {units['temperature_2m']} now; {days}."


def _from_pdf(results: list[Any]) -> str:
    sent = results[0].get("result") if results and isinstance(results[0], dict) else None
    if not sent:
        return f"I could not send the PDF: {results[0].get('error') if results else 'no result'}"
    return f"I sent you {sent['sent']} ({sent['bytes']} bytes) with the summary."


PDF_MARKDOWN = (
    "# Four-day week trial\n\n"
    "- **61** companies took part in the UK pilot\n- **56** continued after the trial, **18** made it permanent\n"
    "- Revenue stayed broadly the same\n\n| Measure | Result |\n|---|---|\n| Companies | 61 |\n| Continued | 56 |\n"
)


@dataclass(frozen=True)
class ToolTurn:
    text: str
    calls: tuple[tuple[str, dict[str, Any]], ...]
    compose: Callable[[list[Any]], str]


TOOL_TURNS = (
    ToolTurn(
        "Research this for me: what did the four-day week trial find?",
        (("web_search", {"query": "four-day week trial results", "count": 3}),),
        _from_search,
    ),
    ToolTurn(
        "What's the weather in Berlin for the next two days?",
        (("weather_forecast", {"place": "Berlin", "days": 2}),),
        _from_weather,
    ),
    ToolTurn(
        "Please send me the trial results as a PDF summary.",
        (("send_pdf", {"title": "Four-day week trial", "markdown": PDF_MARKDOWN}),),
        _from_pdf,
    ),
)


def play_tool_turns(
    env: LocalEnvironment, out: Callable[[str], None], deliver: Callable[[dict[str, Any]], dict[str, Any]]
) -> int:
    """Play TOOL_TURNS on `env` (whose chat server must be the scripted stand-in); the number of failed turns."""
    server = env.chat_server
    if not isinstance(server, ChatCompletionsLoopback):
        raise TypeError("the tool turns need the scripted chat completions stand-in")
    out(
        "\nTool turns, played with a scripted tool-calling model (SmolLM2 cannot be relied on to call tools): "
        "the stand-in asks for the call shown, the real tool runs, the answer is written from its result."
    )
    slack, failures = SlackSender(SLACK_SIGNING_SECRET), 0
    for number, turn in enumerate(TOOL_TURNS, start=1):
        server.queue_tool_calls(*turn.calls)
        server.queue_text_from_tool_results(turn.compose)
        event, _ = slack.message_event(CHANNEL, USER, turn.text)
        out(f"\n[tool {number}] Slack #{CHANNEL}\n  user: {turn.text}")
        executed = deliver_and_wait(env, deliver, event, out)
        if executed is None:
            failures += 1
            continue
        _, output = executed
        out(f"  route: {output.route}   outcome: {output.outcome}")
        for call in output.tool_calls:
            status = "ok" if call.ok else f"error: {call.error}"
            out(f"  tool call: {call.name} ({call.duration_ms:.0f} ms) {status}")
        out(f"  assistant: {output.reply_text}")
        failures += _check(env, turn, output, out)
    searches = env.google_search.queries() if env.google_search else []
    out(f"\nThe search stand-in received {len(searches)} search(es): {searches}")
    return failures


def _check(env: LocalEnvironment, turn: ToolTurn, output: RespondOutput, out: Callable[[str], None]) -> int:
    """0 when the turn's tool ran; a PDF the platform cannot upload yet is reported, not counted."""
    name = turn.calls[0][0]
    calls = [c for c in output.tool_calls if c.name == name]
    if calls and calls[0].ok:
        if name == "send_pdf":
            kept = env.container.media_bucket.list_objects("files/slack/", 10)
            out("  PDF kept in the media bucket: " + ", ".join(f"{o.key} ({o.size} bytes)" for o in kept))
        return 0
    if name == "send_pdf" and calls and (calls[0].error or "").startswith("unknown tool"):
        out(
            "  (send_pdf is not offered here: this Slack adapter cannot upload files yet; it is offered once the "
            "platform adapter has ChatPlatform.send_file)"
        )
        return 0
    out(f"  ✗ {name} did not run as scripted")
    return 1
