"""Streamed replies: from webhook receipt to the first visible reply text and to the complete reply.

The demo conversation's answered turns go through the real webhook handler, the local engine and the real
Respond with SmolLM2 on llama.cpp's server, alternating streaming on and off turn by turn (so both modes see the
same machine load). What the user sees is read from the loopback Slack and Telegram servers, which record when
each call arrived: first text is the first call that shows words (chat.startStream, sendMessageDraft, or the
posted reply when not streaming); complete is the call that gives the final formatted reply (chat.update after
chat.stopStream, sendMessage, or the post itself).
"""

from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from office_assistant_local.bench.stats import percentile, ratio
from office_assistant_local.commands.demo import ALICE, ELODIE, QUIET, SCRIPT, TELEGRAM_CHAT
from office_assistant_local.environment import SLACK_SIGNING_SECRET, TELEGRAM_SECRET_TOKEN
from office_assistant_local.platform_requests import SlackSender, TelegramSender

if TYPE_CHECKING:
    from pathlib import Path

    from office_assistant_local.engine.execution import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment

logger = logging.getLogger(__name__)

WARM_UP_TURNS = 2
STREAM_PNG = "streaming-waterfall.png"


@dataclass(frozen=True)
class Timed:
    """One answered turn: wall-clock seconds of webhook receipt, first visible text and the complete reply."""

    platform: str
    streaming: bool
    received: float
    first_text: float
    complete: float
    result: ExecutionResult

    @property
    def first_text_ms(self) -> float:
        return (self.first_text - self.received) * 1000

    @property
    def complete_ms(self) -> float:
        return (self.complete - self.received) * 1000


def answered_turns() -> list[Any]:
    """The demo's turns that get a reply; its Slack turns @-mention the bot, so they are answered in a thread,
    where Slack streams (a top-level Slack reply is posted whole)."""
    turns = []
    for turn in SCRIPT:
        if turn.channel == QUIET and not turn.mention:
            continue  # muted: no reply to time
        if turn.platform == "slack" and not turn.mention:
            turn = replace(turn, text=f"<@U0LOOPBOT> {turn.text}", mention=True)
        turns.append(turn)
    return turns


def _deliver(event: dict[str, Any]) -> None:
    from office_assistant.workflow.tasks import WEBHOOK
    from office_assistant_local.engine.lambda_context import LocalLambdaContext
    from office_assistant_local.wiring import handler_module

    response = handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext(WEBHOOK.name))
    if response["statusCode"] != 200:
        raise RuntimeError(f"webhook answered {response['statusCode']}")


def _slack_moments(env: LocalEnvironment, channel: str, thread_ts: str, since: float) -> tuple[float, float]:
    calls = [c for c in env.slack.stream_calls(channel) if c.at >= since]
    posts = [p for p in env.slack.posted(channel) if p.thread_ts == thread_ts]
    if not posts:
        raise RuntimeError(f"no Slack reply in thread {thread_ts}")
    ts = posts[-1].ts
    streamed = [c for c in calls if c.ts == ts]
    if streamed:
        shown = [c for c in streamed if c.method == "chat.startStream" and c.text.strip()] or streamed
        return shown[0].at, streamed[-1].at
    request = next(
        r
        for r in reversed(env.slack.requests)
        if r.path.endswith("chat.postMessage") and isinstance(r.body, dict) and r.body.get("thread_ts") == thread_ts
    )
    return request.received_at, request.received_at


def _telegram_moments(env: LocalEnvironment, chat_id: str, since: float) -> tuple[float, float]:
    drafts = [c for c in env.telegram.stream_calls(chat_id) if c.at >= since]
    sends = [r for r in env.telegram.requests if r.path.endswith("/sendMessage") and r.received_at >= since]
    if not sends:
        raise RuntimeError(f"no Telegram reply in chat {chat_id}")
    complete = sends[0].received_at
    return (drafts[0].at if drafts else complete), complete


def evict_prompt_cache(env: LocalEnvironment) -> None:
    """Make the model server forget the last prompt before a timed turn.

    llama.cpp keeps the previous prompt's evaluated tokens and reuses their longest common prefix, so the second
    run of the same turn (the other mode) would skip most of its prompt evaluation and take about half the time.
    A one-token request with an unrelated prompt puts every timed turn on the same footing.
    """
    import httpx

    base_url = getattr(env.chat_server, "base_url", None)
    if base_url is None:
        return
    body = {"model": "evict", "messages": [{"role": "user", "content": "ok"}], "max_tokens": 1}
    httpx.post(f"{base_url}/chat/completions", json=body, timeout=60.0)


def run_turn(env: LocalEnvironment, turn: Any, streaming: bool, senders: dict[str, Any], cycle: int = 0) -> Timed:
    """One turn through the webhook with streaming on or off; the moments read from the stand-ins.

    Each `cycle` of the conversation happens in its own Slack channels and Telegram chat, so the prompts stay the
    size the demo's are instead of growing with every repetition.
    """
    service = env.container.respond
    service.streams = env.container.reply_streams if streaming else None  # what OA_STREAM_REPLIES selects
    channel = f"{turn.channel}{cycle}" if cycle else turn.channel
    chat = TELEGRAM_CHAT | {"id": int(str(TELEGRAM_CHAT["id"])) + cycle}
    if turn.platform == "slack":
        event, thread_ts = senders["slack"].message_event(channel, ALICE, turn.text, mention=turn.mention)
    else:
        event, _ = senders["telegram"].message_update(chat, ELODIE, turn.text)
    before = len(env.starter.started)
    received = time.time()
    _deliver(event)
    if len(env.starter.started) == before:
        raise RuntimeError("the webhook started no execution")
    result = env.starter.wait(env.starter.started[-1])
    if result.status != "SUCCEEDED":
        raise RuntimeError(f"execution {result.status}: {result.error} {result.cause}")
    if turn.platform == "slack":
        first, complete = _slack_moments(env, channel, thread_ts, received)
    else:
        first, complete = _telegram_moments(env, str(chat["id"]), received)
    return Timed(turn.platform, streaming, received, first, complete, result)


def streaming_bench(env: LocalEnvironment, replies: int, out_dir: Path | None) -> dict[str, Any]:
    """`replies` answered turns per mode; p50s, the two ratios, one waterfall picture.

    Every turn is sent twice, once per mode, the mode going first alternating from turn to turn, each after
    `evict_prompt_cache`; a turn whose
    execution fails (on a loaded machine Respond can hit its 90 s timeout) is counted in `failed`, not timed.
    """
    # Event and update ids unique to this run: moto keeps its tables per process, so another run's dedupe claims
    # (tests, an earlier section) would make the webhook drop these deliveries as duplicates.
    first_id = int(time.time() * 1000) % 10**9
    senders = {
        "slack": SlackSender(SLACK_SIGNING_SECRET, _ids=itertools.count(first_id)),
        "telegram": TelegramSender(TELEGRAM_SECRET_TOKEN, _ids=itertools.count(first_id)),
    }
    turns = answered_turns()
    cycles = -(-replies // len(turns))
    for cycle in range(cycles):
        env.container.state_table.set_muted(f"slack:{QUIET}{cycle or ''}", True)
    for turn in turns[:WARM_UP_TURNS]:  # MiniLM, the router and the model's first prompt are paid here
        run_turn(env, turn, True, senders, cycles)
    timed: list[Timed] = []
    failed = 0
    for n in range(replies):
        turn, cycle = turns[n % len(turns)], n // len(turns)
        for streaming in (True, False) if n % 2 == 0 else (False, True):
            evict_prompt_cache(env)
            try:
                timed.append(run_turn(env, turn, streaming, senders, cycle))
            except RuntimeError as error:
                logger.warning("streaming bench turn failed: %s", error)
                failed += 1
    on = [t for t in timed if t.streaming]
    off = [t for t in timed if not t.streaming]
    first_on = percentile([t.first_text_ms for t in on], 50)
    complete_on = percentile([t.complete_ms for t in on], 50)
    complete_off = percentile([t.complete_ms for t in off], 50)
    section: dict[str, Any] = {
        "replies_per_mode": len(on),
        "replies_off": len(off),
        "failed": failed,
        "first_text_p50_ms": round(first_on, 1),
        "first_text_p95_ms": round(percentile([t.first_text_ms for t in on], 95), 1),
        "complete_p50_ms": round(complete_on, 1),
        "complete_p95_ms": round(percentile([t.complete_ms for t in on], 95), 1),
        "off_first_text_p50_ms": round(percentile([t.first_text_ms for t in off], 50), 1),
        "off_complete_p50_ms": round(complete_off, 1),
        "ratio_first_text_to_complete": ratio(first_on, complete_on),
        "complete_on_to_off": ratio(complete_on, complete_off),
        "per_reply": [
            {
                "platform": t.platform,
                "streaming": t.streaming,
                "first_text_ms": round(t.first_text_ms, 1),
                "complete_ms": round(t.complete_ms, 1),
            }
            for t in timed
        ],
    }
    if out_dir is not None:
        from office_assistant_local.bench.plots import reply_waterfall

        typical = sorted(on, key=lambda t: t.complete_ms)[len(on) // 2]
        reply_waterfall(typical.result, typical.received, typical.first_text, typical.complete, out_dir / STREAM_PNG)
        section["pictures"] = [STREAM_PNG]
    return section
