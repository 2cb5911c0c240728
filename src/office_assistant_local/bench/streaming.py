"""Streamed replies: from webhook receipt to the first visible reply text and to the complete reply.

The demo conversation's answered turns go through the real webhook handler, the local engine and the real
Respond with SmolLM2 on llama.cpp's server, alternating streaming on and off turn by turn (so both modes see the
same machine load). What the user sees is read from the loopback Slack and Telegram servers, which record when
each call arrived: first text is the first call that shows words (chat.startStream, sendMessageDraft, or the
posted reply when not streaming); complete is the call that gives the final formatted reply (chat.update after
chat.stopStream, sendMessage, or the post itself). Respond's chat model is wrapped (bench/model_timing.py) so
each streamed reply's first-text time splits into before the model call, the model's wait for its first words
(prompt evaluation on llama.cpp) and the delivery of those words to the platform.
"""

from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from office_assistant_local.bench.model_timing import TimedChatModel
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
    model_sent: float | None = None  # the first streamed model request (streaming on)
    model_first_text: float | None = None  # its first visible words, as they came from the model
    pieces: int = 0  # text pieces streamed (llama.cpp's server sends one per token)
    cut_by_length: bool = False  # the model stopped at max_tokens and was asked to continue

    @property
    def first_text_ms(self) -> float:
        return (self.first_text - self.received) * 1000

    @property
    def complete_ms(self) -> float:
        return (self.complete - self.received) * 1000

    def breakdown_ms(self) -> dict[str, float] | None:
        """Webhook → model request, → the model's first words, → those words visible; None without a stream."""
        if self.model_sent is None or self.model_first_text is None:
            return None
        return {
            "before_model_ms": (self.model_sent - self.received) * 1000,
            "model_first_words_ms": (self.model_first_text - self.model_sent) * 1000,
            "first_words_to_visible_ms": (self.first_text - self.model_first_text) * 1000,
        }


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
    model = service.chat_model
    calls = model.since(received) if isinstance(model, TimedChatModel) else []
    return Timed(
        turn.platform,
        streaming,
        received,
        first,
        complete,
        result,
        model_sent=calls[0].sent if calls else None,
        model_first_text=next((c.first_text for c in calls if c.first_text is not None), None),
        pieces=sum(c.pieces for c in calls),
        cut_by_length=any(c.finish_reason == "length" for c in calls),
    )


def _breakdown(on: list[Timed]) -> dict[str, Any]:
    """Where the streamed replies' wait for their first words went (p50s), and how long their answers were."""
    parts = [(t, b) for t in on if (b := t.breakdown_ms()) is not None]
    if not parts:
        return {}
    section: dict[str, Any] = {
        f"{name[: -len('_ms')]}_p50_ms": round(percentile([b[name] for _, b in parts], 50), 1) for name in parts[0][1]
    }
    section["model_share_of_first_text_p50"] = round(
        percentile([b["model_first_words_ms"] / t.first_text_ms for t, b in parts], 50), 3
    )
    section["answer_pieces_p50"] = percentile([float(t.pieces) for t, _ in parts], 50)
    section["cut_by_length"] = sum(t.cut_by_length for t, _ in parts)
    return section


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
    respond = env.container.respond
    if not isinstance(respond.chat_model, TimedChatModel):
        respond.chat_model = TimedChatModel(respond.chat_model)
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
        **_breakdown(on),
        "per_reply": [
            {
                "platform": t.platform,
                "streaming": t.streaming,
                "first_text_ms": round(t.first_text_ms, 1),
                "complete_ms": round(t.complete_ms, 1),
                **{name: round(ms, 1) for name, ms in (t.breakdown_ms() or {}).items()},
                **({"pieces": t.pieces, "cut_by_length": t.cut_by_length} if t.streaming else {}),
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
