"""`office-assistant demo`: a scripted Slack + Telegram conversation through webhook → workflow → reply."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from office_assistant import bootstrap
from office_assistant.domain.messages import MessageKey, Platform
from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.commands.deliveries import deliver_and_wait
from office_assistant_local.commands.demo_tools import play_tool_turns
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.environment import SLACK_SIGNING_SECRET, TELEGRAM_SECRET_TOKEN, local_environment
from office_assistant_local.platform_requests import SlackSender, TelegramSender
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback
from office_assistant_local.waterfall import render
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from office_assistant_local.environment import LocalEnvironment

GENERAL = "C0GENERAL"
QUIET = "C0QUIET"
ALICE = "U0ALICE"
TELEGRAM_CHAT = {"id": 4242, "type": "private", "first_name": "Élodie"}
ELODIE = {"id": 4242, "is_bot": False, "first_name": "Élodie", "language_code": "fr"}


@dataclass(frozen=True)
class Turn:
    platform: str  # "slack" or "telegram"
    text: str
    channel: str = GENERAL
    mention: bool = False
    why: str = ""


SCRIPT = (
    Turn("slack", "Good morning! How are you today?", why="small talk"),
    Turn("slack", "Can you list the open invoices for our customer Acme in Odoo?", why="routes to odoo_erp"),
    Turn("telegram", "Our new project is code-named Bluebird and its budget is 40k euros.", why="a fact to recall"),
    Turn("telegram", "Please write a short, friendly note inviting the team to lunch on Friday.", why="writing"),
    Turn("telegram", "How do I get from the main station to the airport?", why="navigation"),
    Turn("telegram", "Hello again, nice weather today!", why="chitchat"),
    Turn("telegram", "Remind me, what was the code name of our new project?", why="needs the older message"),
    Turn("slack", "Team lunch is at noon, see you there.", channel=QUIET, why="muted chat: stored, no reply"),
    Turn(
        "slack",
        "<@U0LOOPBOT> what is the capital of France?",
        channel=QUIET,
        mention=True,
        why="muted chat, bot mentioned",
    ),
)


def _deliver(event: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext(WEBHOOK.name))
    return response


def run_demo(
    data_dir: Path | None = None,
    real_model: bool = True,
    out: Callable[[str], None] = print,
    real_services: Mapping[str, str] | None = None,
) -> int:
    """Play the script; returns the process exit status (0 when every turn got the expected outcome).

    `real_services`: see `local_environment` (OA_OPENAI_API_KEY, OA_MESSAGE_STORE=weaviate, ...).
    """
    with tempfile.TemporaryDirectory(prefix="office-assistant-demo-") as scratch:
        root = data_dir or Path(scratch)
        out(
            "Starting local stand-ins: moto (DynamoDB, S3), loopback Slack/Telegram/Odoo, "
            + ("SmolLM2 on llama.cpp's server" if real_model else "an echo chat model")
            + " …"
        )
        with local_environment(root, real_model=real_model, real_services=real_services) as env:
            bootstrap.configure(env.container)
            try:
                failures = _play(env, out)
                if isinstance(env.chat_server, ChatCompletionsLoopback):
                    failures += play_tool_turns(env, out, _deliver)
                    return _summary(env, failures, out)
            finally:
                bootstrap.reset()
            shared: dict[str, Any] = {"embedder": env.container.embedder, "classifier": env.container.classifier}
        # SmolLM2 (or a real service) answered above; the tool turns need the scripted stand-in.
        with local_environment(root / "tool-turns", real_model=False, **shared) as tool_env:
            bootstrap.configure(tool_env.container)
            try:
                failures += play_tool_turns(tool_env, out, _deliver)
            finally:
                bootstrap.reset()
        return _summary(env, failures, out)


def _warm_up(env: LocalEnvironment, out: Callable[[str], None]) -> None:
    """Load MiniLM and build the router once, as a warm Lambda container has them, and say what it cost."""
    started = time.perf_counter()
    container = env.container
    container.classifier.classify([float(x) for x in container.embedder.embed(["good morning"])[0]])
    out(
        f"Loaded MiniLM and the semantic routes in {time.perf_counter() - started:.1f} s (a cold start's cost; "
        "the waterfalls below are warm invocations)."
    )


def _summary(env: LocalEnvironment, failures: int, out: Callable[[str], None]) -> int:
    out(
        "\nDemo finished: every turn went webhook → Route → (History | Relevance | Auxiliary) → Respond."
        if failures == 0
        else f"\nDemo finished with {failures} unexpected outcome(s)."
    )
    return 0 if failures == 0 else 1


def _play(env: LocalEnvironment, out: Callable[[str], None]) -> int:
    """The conversation turns; the number of unexpected outcomes."""
    _warm_up(env, out)
    env.container.state_table.set_muted(f"slack:{QUIET}", True)
    slack = SlackSender(SLACK_SIGNING_SECRET)
    telegram = TelegramSender(TELEGRAM_SECRET_TOKEN)
    sent_texts: dict[str, str] = {}
    failures = 0
    for number, turn in enumerate(SCRIPT, start=1):
        if turn.platform == "slack":
            event, message_id = slack.message_event(turn.channel, ALICE, turn.text, mention=turn.mention)
            chat_id, where = turn.channel, f"Slack #{turn.channel}"
        else:
            event, tg_id = telegram.message_update(TELEGRAM_CHAT, ELODIE, turn.text)
            message_id, chat_id = str(tg_id), str(TELEGRAM_CHAT["id"])
            where = f"Telegram chat {chat_id}"
        sent_texts[message_id] = turn.text
        out(f"\n[{number}] {where} ({turn.why})\n  user: {turn.text}")
        executed = deliver_and_wait(env, _deliver, event, out)
        if executed is None:
            failures += 1
            continue
        result, output = executed
        if output.reply_text:
            reply_id = MessageKey(Platform(turn.platform), chat_id, message_id).reply_message_id
            sent_texts[reply_id] = f"(assistant) {output.reply_text}"
        recalled = [sent_texts.get(i, i) for i in output.relevant_message_ids]
        out(
            f"  route: {output.route}   outcome: {output.outcome}"
            + (f"   degraded: {output.degraded_branches}" if output.degraded_branches else "")
        )
        if recalled:
            out("  relevant earlier messages: " + " | ".join(t[:60].replace("\n", " ") for t in recalled))
        out(f"  assistant: {output.reply_text}" if output.replied else "  assistant: (no reply: chat is muted)")
        out(render(result))
        expected_reply = turn.channel != QUIET or turn.mention
        if output.replied != expected_reply:
            failures += 1
    out(f"\nSlack received {len(env.slack.posted())} replies, Telegram {len(env.telegram.sent())}.")
    return failures
