"""Fault injection: each failure the assistant must survive, run through the real ASL on the local engine.

Faults come from replaced handlers or wrapped adapters handed to a Container as overrides, never from patching
the package. Every scenario sends one fresh message and checks the promise of issue 7: the user's message is
stored (0 lost), it is answered at most once, branch faults only degrade the reply. When the route function
crashes after Prepare, the model and the store still get what Prepare extracted (issue 13).

The worst-case scenario sends the largest message the assistant accepts into the fullest chat (see
`worst_case_adapters`) and must be answered like any other: every state stays under Step Functions' 256 KiB
because large content travels by reference. The table shows the largest state payload each scenario produced.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from office_assistant.adapters.chat_model.openai_compatible import MAX_RETRIES
from office_assistant.adapters.chat_platforms import slack, telegram
from office_assistant.bootstrap import Container
from office_assistant.domain.errors import PlatformPostError
from office_assistant.domain.messages import Attachment, InboundMessage, Role, StoredMessage
from office_assistant.ports import Platforms
from office_assistant.services.media import MediaLimits
from office_assistant.workflow.definition import load_local
from office_assistant.workflow.payloads import Stage
from office_assistant_local.engine.runner import run_state_machine
from office_assistant_local.environment import SLACK_SIGNING_SECRET, TELEGRAM_SECRET_TOKEN
from office_assistant_local.platform_requests import SlackSender, TelegramSender
from office_assistant_local.wiring import handlers_for

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from office_assistant_local.engine.runner import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment

BRANCHES = ("History", "Relevance", "Auxiliary")


class FlakyPlatform:
    """A ChatPlatform whose first `failures` posts raise PlatformPostError (None: every post)."""

    def __init__(self, inner: Any, failures: int | None) -> None:
        self.inner = inner
        self.remaining = failures
        self._lock = threading.Lock()

    def post_reply(self, message: InboundMessage, text: str) -> Any:
        with self._lock:
            fail = self.remaining is None or self.remaining > 0
            if self.remaining:
                self.remaining -= 1
        if fail:
            raise PlatformPostError(f"injected: post to {message.chat_id} refused")
        return self.inner.post_reply(message, text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class FlakyStore:
    """A MessageStore whose first `failures` writes raise sqlite3.OperationalError, as a locked database does."""

    def __init__(self, inner: Any, failures: int) -> None:
        self.inner = inner
        self.remaining = failures
        self._lock = threading.Lock()

    def add(self, message: Any, embedding: Any) -> None:
        with self._lock:
            fail = self.remaining > 0
            self.remaining -= 1 if fail else 0
        if fail:
            raise sqlite3.OperationalError("injected: database is locked")
        self.inner.add(message, embedding)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextmanager
def black_hole() -> Iterator[str]:
    """A loopback HTTP endpoint that accepts connections and never answers: a model that times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/v1"
    finally:
        server.close()


SLACK_MAX_TEXT = 40_000  # characters: Slack truncates a message's text beyond this (Telegram's cap is 4,096)
TRANSCRIPT_CHARS = 60_000  # about an hour of speech, what Whisper makes of a 25 MB voice message
ERP_MODELS = 400  # a large Odoo install's model map, each model with 30 fields
# Two worst cases, since no route has everything: the ERP route (large model map, a 7-message window, no
# relevant hits) and the research route (a 15-message window and 5 relevant hits).
WORST_ERP_ASK = "Can you list the open invoices for our customer Acme in Odoo? Please sum them up in € ✓ "
WORST_RESEARCH_ASK = "Research the latest trends in renewable energy and summarise what you find ✓ "


class CappedDocuments:
    """A MediaFetcher whose every document extracts to at least the per-document cap and every audio is a file."""

    def fetch(self, attachment: Attachment, max_bytes: int) -> bytes:
        if attachment.kind == "audio":
            return b"OggS" + b"\0" * 1024
        return ("Rechnung Nr. 4711 über 1.234,56 € für Acme GmbH. " * 600).encode()[:max_bytes]


class LongTranscriber:
    def transcribe(self, audio: bytes, filename: str) -> str:
        return ("and then we went through the quarterly numbers once more, line by line. " * 900)[:TRANSCRIPT_CHARS]


class LargeModelMap:
    """An ErpClient with a large model map; searches and creates find nothing."""

    def mapped_models(self) -> dict[str, Any]:
        fields = {f"x_field_{n}": {"type": "char", "string": f"Custom field number {n}"} for n in range(30)}
        return {f"x_custom.model_{m}": {"name": f"Custom model {m}", "fields": fields} for m in range(ERP_MODELS)}

    def search_records(self, model: str, domain: Any = None, fields: Any = None, limit: int = 20) -> list[Any]:
        return []

    def create_record(self, model: str, values: dict[str, Any]) -> int:
        return 0


def worst_case_adapters(env: LocalEnvironment) -> dict[str, Any]:
    """Every attachment extracts to its cap, a voice message transcribes long, the ERP's model map is large."""
    return {
        "media_fetchers": {"slack": CappedDocuments()},
        "transcriber": LongTranscriber(),
        "erp": LargeModelMap(),
    }


def longest_text(ask: str) -> str:
    """`ask` repeated up to Slack's longest message text."""
    return ask * (SLACK_MAX_TEXT // len(ask))


def largest_stored_text(ask: str) -> str:
    """A stored message at the largest size the Route step can make: full text, every document at its cap."""
    limits = MediaLimits()
    document = "[Document report.txt]\n" + "Ä" * limits.document_chars
    return "\n\n".join([longest_text(ask), *[document] * limits.attachments])


def fill_chat(chat: str, ask: str) -> Callable[[LocalEnvironment], None]:
    """A `before` hook: the chat's history window and relevant hits all at the largest stored size."""

    def fill(env: LocalEnvironment) -> None:
        text = largest_stored_text(ask)
        embedding = [float(x) for x in env.container.embedder.embed([ask])[0]]
        for n in range(25):
            role = Role.USER if n % 2 == 0 else Role.ASSISTANT
            stored = StoredMessage(f"slack:{chat}", f"worst-{n}", role, text, 1_700_000_000.0 + n, "alice")
            env.container.store.add(stored, embedding)

    return fill


def largest_message(ask: str) -> Callable[[InboundMessage], InboundMessage]:
    """The longest Slack text with the most attachments the Route step reads: documents and one voice message."""

    def enlarge(message: InboundMessage) -> InboundMessage:
        documents = [
            Attachment("document", f"https://files.slack.com/doc-{n}.txt", "text/plain", f"doc-{n}.txt", 1000)
            for n in range(MediaLimits().attachments - 1)
        ]
        voice = Attachment("audio", "https://files.slack.com/voice.ogg", "audio/ogg", "voice.ogg", 1028)
        return replace(message, text=longest_text(ask), attachments=(*documents, voice))

    return enlarge


SPOKEN = "please pay invoice INV-4711 by Friday"
WRITTEN = "Invoice INV-4711: 1,234.56 EUR, due on 30 June."


class SpokenAndWritten:
    """A MediaFetcher whose audio transcribes (with `Transcript`) to SPOKEN and whose documents read as WRITTEN."""

    def fetch(self, attachment: Attachment, max_bytes: int) -> bytes:
        return b"OggS voice" if attachment.kind == "audio" else WRITTEN.encode()


class Transcript:
    def transcribe(self, audio: bytes, filename: str) -> str:
        return SPOKEN


def _spoken_and_written(env: LocalEnvironment) -> dict[str, Any]:
    return {"media_fetchers": {"slack": SpokenAndWritten()}, "transcriber": Transcript()}


def with_voice_and_document(message: InboundMessage) -> InboundMessage:
    voice = Attachment("audio", "https://files.slack.com/voice.ogg", "audio/ogg", "voice.ogg", 10)
    document = Attachment("document", "https://files.slack.com/invoice.txt", "text/plain", "invoice.txt", 48)
    return replace(message, attachments=(voice, document))


def _route_crashes_after_prepare(handlers: dict[str, Any]) -> dict[str, Any]:
    """The route function's runtime exits (a crash, OOM) when invoked for Route; its Prepare stage works."""
    prepare_and_route = handlers["route"]

    def crashing(event: dict[str, Any], context: Any) -> Any:
        if event.get("stage") == Stage.PREPARE:
            return prepare_and_route(event, context)
        raise RuntimeExitError("injected: Runtime exited with error: signal: killed")

    return handlers | {"route": crashing}


RuntimeExitError = type("Runtime.ExitError", (Exception,), {})
"""An exception whose name is the error Lambda reports for a runtime that exited (Step Functions sees that name)."""


def worst_case(name: str, chat: str, ask: str) -> Scenario:
    return Scenario(
        name,
        adapters=worst_case_adapters,
        whole_workflow=True,
        before=fill_chat(chat, ask),
        chat=chat,
        message=largest_message(ask),
    )


@dataclass
class Scenario:
    name: str
    platform: str = "slack"
    handlers: Callable[[LocalEnvironment], dict[str, Any]] | None = None
    adapters: Callable[[LocalEnvironment], dict[str, Any]] | None = None
    whole_workflow: bool = False  # the adapters serve every step, not only Respond
    before: Callable[[LocalEnvironment], None] | None = None
    chat: str | None = None  # a fixed chat id (a `before` hook filled it; digits on Telegram); None: a fresh one
    message: Callable[[InboundMessage], InboundMessage] | None = None
    wrap: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # replaces handlers, given the ones in place
    expect_seen: tuple[str, ...] = ()  # text the model must see and the store keep (what Prepare extracted)
    runs: int = 1  # >1: duplicate executions of the same input
    concurrent: bool = False
    expect_status: str = "SUCCEEDED"
    expect_replies: int = 1
    expect_degraded: tuple[str, ...] = ()


@dataclass
class Outcome:
    scenario: str
    status: str
    replies_posted: int
    degraded: list[str]
    user_stored: bool
    replies_stored: int
    largest_state_bytes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _raising(branch: str) -> Callable[[LocalEnvironment], dict[str, Any]]:
    def handlers(env: LocalEnvironment) -> dict[str, Any]:
        def broken(event: dict[str, Any], context: Any) -> Any:
            raise ConnectionError(f"injected: {branch} backend unreachable")

        return {branch.lower(): broken}

    return handlers


def branch_timeout(branch: str) -> int:
    """The branch Task's TimeoutSeconds in the ASL file."""
    gather = load_local()["States"]["GatherContext"]
    (task,) = [b["States"][branch] for b in gather["Branches"] if b["StartAt"] == branch]
    return int(task["TimeoutSeconds"])


def _hanging(branch: str) -> Callable[[LocalEnvironment], dict[str, Any]]:
    def handlers(env: LocalEnvironment) -> dict[str, Any]:
        def slow(event: dict[str, Any], context: Any) -> Any:
            time.sleep(branch_timeout(branch) + 1)
            return {}

        return {branch.lower(): slow}

    return handlers


def _flaky_post(platform: str, failures: int | None) -> Callable[[LocalEnvironment], dict[str, Any]]:
    def adapters(env: LocalEnvironment) -> dict[str, Any]:
        by_name = dict(env.container.platforms.by_name)
        by_name[platform] = FlakyPlatform(by_name[platform], failures)
        return {"platforms": Platforms(by_name)}

    return adapters


def _flaky_store(env: LocalEnvironment) -> dict[str, Any]:
    return {"store": FlakyStore(env.container.store, 1)}


def _timing_out_model(endpoint: str) -> Callable[[LocalEnvironment], dict[str, Any]]:
    def adapters(env: LocalEnvironment) -> dict[str, Any]:
        from office_assistant.adapters.chat_model.openai_compatible import (
            OpenAiCompatibleChatModel,
            build_openai_client,
        )

        return {"chat_model": OpenAiCompatibleChatModel(build_openai_client(endpoint, "sk-local-no-key", 0.5))}

    return adapters


def scenarios(model_endpoint_that_hangs: str) -> list[Scenario]:
    """Every fault of issue 7 with its expected outcome."""
    return [
        Scenario("no fault"),
        *[Scenario(f"{b} raises", handlers=_raising(b), expect_degraded=(b,)) for b in BRANCHES],
        *[Scenario(f"{b} times out", handlers=_hanging(b), expect_degraded=(b,)) for b in BRANCHES],
        # the client's own retry included; one Respond attempt, since a model failure is answered with an apology
        Scenario("model fails (HTTP 500)", before=lambda env: env.chat_server.fail_next(MAX_RETRIES + 1, status=500)),
        Scenario("model times out", adapters=_timing_out_model(model_endpoint_that_hangs)),
        Scenario("Slack post fails once", adapters=_flaky_post("slack", 1)),
        Scenario("Telegram post fails once", platform="telegram", adapters=_flaky_post("telegram", 1)),
        Scenario(
            "Slack post always fails",
            adapters=_flaky_post("slack", None),
            expect_status="FAILED",
            expect_replies=0,
        ),
        Scenario("store write fails once", adapters=_flaky_store),
        Scenario("duplicate execution", runs=2),
        Scenario("concurrent duplicate executions", runs=2, concurrent=True),
        Scenario(
            "Route crashes after Prepare (voice + document)",
            adapters=_spoken_and_written,
            whole_workflow=True,
            message=with_voice_and_document,
            wrap=_route_crashes_after_prepare,
            expect_seen=(SPOKEN, WRITTEN),
        ),
        worst_case("worst case: ERP route", "CWORSTERP", WORST_ERP_ASK),
        worst_case("worst case: research route", "CWORSTRESEARCH", WORST_RESEARCH_ASK),
    ]


def _payload(env: LocalEnvironment, scenario: Scenario, text: str) -> tuple[dict[str, Any], InboundMessage]:
    """The execution input as the webhook's intake starts it (by reference where claim checks say so)."""
    inbound = _inbound(env, scenario.platform, text, scenario.chat)
    if scenario.message:
        inbound = scenario.message(inbound)
    private = env.container.redacts(inbound)
    return env.container.claim_checks.workflow_input(inbound, private).model_dump(mode="json"), inbound


def _inbound(env: LocalEnvironment, platform: str, text: str, chat: str | None) -> InboundMessage:
    if platform == "slack":
        channel = chat or "CF" + uuid.uuid4().hex[:8].upper()
        event, _ = SlackSender(SLACK_SIGNING_SECRET).message_event(channel, "U0ALICE", text)
        inbound = slack.parse_event(json.loads(event["body"]), env.settings.slack_bot_user_id)
    else:
        private_chat = {"id": int(chat or uuid.uuid4().int % 10**9), "type": "private", "first_name": "Élodie"}
        user = {"id": private_chat["id"], "is_bot": False, "first_name": "Élodie"}
        event, _ = TelegramSender(TELEGRAM_SECRET_TOKEN).message_update(private_chat, user, text)
        inbound = telegram.parse_update(json.loads(event["body"]), env.settings.telegram_bot_username)
    assert isinstance(inbound, InboundMessage)
    return inbound


def _posted(env: LocalEnvironment, message: InboundMessage) -> int:
    if message.platform.value == "slack":
        return len(env.slack.posted(message.chat_id))
    return len(env.telegram.sent(message.chat_id))


def run_scenario(env: LocalEnvironment, scenario: Scenario) -> Outcome:
    """Send one message under `scenario`'s fault and check what reached the platform and the store."""
    handlers = handlers_for(env.container)
    if scenario.adapters:
        shared = {"embedder": env.container.embedder, "classifier": env.container.classifier}
        faulty = Container(env.settings, **(shared | scenario.adapters(env)))
        replaced = handlers_for(faulty)
        handlers = handlers | (replaced if scenario.whole_workflow else {"respond": replaced["respond"]})
    if scenario.handlers:
        handlers = handlers | scenario.handlers(env)
    if scenario.wrap:
        handlers = scenario.wrap(handlers)
    if scenario.before:
        scenario.before(env)
    payload, message = _payload(env, scenario, f"fault drill: {scenario.name}, what is our plan?")

    def run(i: int) -> ExecutionResult:
        return run_state_machine(load_local(), handlers, payload, name=f"fault-{uuid.uuid4().hex[:8]}-{i}")

    if scenario.concurrent:
        with ThreadPoolExecutor(scenario.runs) as pool:
            results = list(pool.map(run, range(scenario.runs)))
    else:
        results = [run(i) for i in range(scenario.runs)]
    return _outcome(env, scenario, message, results)


def _outcome(
    env: LocalEnvironment, scenario: Scenario, message: InboundMessage, results: Sequence[ExecutionResult]
) -> Outcome:
    stored = env.container.store.latest(message.conversation_key, 50)
    user_stored = any(m.role is Role.USER and m.message_id == message.message_id for m in stored)
    replies_stored = sum(1 for m in stored if m.role is Role.ASSISTANT)
    first = results[0]
    degraded = list((first.output or {}).get("degraded_branches", [])) if first.status == "SUCCEEDED" else []
    outcome = Outcome(scenario.name, first.status, _posted(env, message), degraded, user_stored, replies_stored)
    outcome.largest_state_bytes = max(r.largest_payload_bytes() for r in results)
    if not user_stored:
        outcome.problems.append("user message lost")
    if outcome.replies_posted > 1:
        outcome.problems.append("answered twice")
    if outcome.replies_posted != scenario.expect_replies:
        outcome.problems.append(f"expected {scenario.expect_replies} replies")
    if any(r.status != scenario.expect_status for r in results):
        outcome.problems.append(f"expected {scenario.expect_status}, got {[r.status for r in results]}")
    if first.status == "SUCCEEDED" and tuple(degraded) != scenario.expect_degraded:
        outcome.problems.append(f"expected degraded {list(scenario.expect_degraded)}")
    user_text = next((m.text for m in stored if m.role is Role.USER and m.message_id == message.message_id), "")
    seen = json.dumps(_conversations(env, message), ensure_ascii=False)
    for text in scenario.expect_seen:
        if text not in user_text or text not in seen:
            outcome.problems.append(f"lost what Prepare extracted: {text!r}")
    return outcome


def _conversations(env: LocalEnvironment, message: InboundMessage) -> list[Any]:
    """What the model was sent about `message` (the loopback model records it; a real model: nothing)."""
    requests: list[dict[str, Any]] = getattr(env.chat_server, "completion_requests", list)()
    return [r["messages"] for r in requests if message.text in json.dumps(r["messages"], ensure_ascii=False)]


def format_table(outcomes: Sequence[Outcome]) -> str:
    """scenario → status, replies posted, degraded branches, user message stored, replies stored, verdict."""
    header = ("scenario", "status", "posted", "degraded", "user stored", "replies stored", "largest state", "verdict")
    rows = [header] + [
        (
            o.scenario,
            o.status,
            str(o.replies_posted),
            ",".join(o.degraded) or "-",
            "yes" if o.user_stored else "NO",
            str(o.replies_stored),
            f"{o.largest_state_bytes / 1024:.1f} KiB",
            "ok" if o.ok else "; ".join(o.problems),
        )
        for o in outcomes
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lost = sum(1 for o in outcomes if not o.user_stored)
    twice = sum(1 for o in outcomes if o.replies_posted > 1)
    largest = max((o.largest_state_bytes for o in outcomes), default=0)
    lines.append(f"\n{len(outcomes)} scenarios, {lost} lost user messages, {twice} answered twice")
    lines.append(f"largest state payload: {largest / 1024:.1f} KiB (Step Functions' quota: 256 KiB)")
    return "\n".join(lines)


def run_faults(data_dir: Any = None) -> int:
    """`office-assistant faults`: run every scenario, print the table; non-zero if any scenario broke a promise."""
    import tempfile
    from pathlib import Path

    from office_assistant_local.environment import local_environment

    with tempfile.TemporaryDirectory() as tmp, black_hole() as hanging, local_environment(Path(data_dir or tmp)) as env:
        outcomes = [run_scenario(env, s) for s in scenarios(hanging)]
    print(format_table(outcomes))
    return 0 if all(o.ok for o in outcomes) else 1
