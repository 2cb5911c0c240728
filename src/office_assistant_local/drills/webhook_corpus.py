"""The webhook's bad-input corpus: hand-written requests, each with the answer it must get.

Generated cases are added by `webhook_fuzz`; `check_webhook` runs both through the real webhook handler. A case
passes when its status is one of the expected ones and it started exactly the executions it should (0 for
anything invalid or duplicate).
"""

from __future__ import annotations

import base64
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.signature import SignatureVerifier

from office_assistant.adapters.http_edge.webhook import MAX_BODY_BYTES, TELEGRAM_SECRET_HEADER
from office_assistant_local.http_events import api_gateway_event

SLACK_PATH = "/slack/events"
TELEGRAM_PATH = "/telegram/webhook"
BOT_USER_ID = "U0CORPUSBOT"
BOT_USERNAME = "corpus_bot"
GENERATED_PER_KIND = 40

IGNORED = frozenset({200})
UNAUTHORISED = frozenset({401, 403})
BAD_REQUEST = frozenset({400})


@dataclass(frozen=True)
class Case:
    group: str
    name: str
    event: dict[str, Any]
    expected: frozenset[int]
    executions: int = 0  # executions this case must start: 1 only for a valid new message


@dataclass
class Corpus:
    """Builds signed (or forged) deliveries; every valid message gets fresh ids so none is a duplicate."""

    slack_secret: str
    telegram_secret: str
    seed: int = 20240611
    cases: list[Case] = field(default_factory=list)
    _n: int = 0

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)

    # --- request builders ---------------------------------------------------------------------------------

    def _next(self) -> int:
        self._n += 1
        return self._n

    def slack_event(self, text: Any = "hello", **fields: Any) -> dict[str, Any]:
        n = self._next()
        ts = f"{1_718_000_000 + n}.{n:06d}"
        event = {"type": "message", "channel": "C0CORPUS", "user": "U0ALICE", "text": text, "ts": ts}
        event.update(fields)
        return {
            "token": "unused",
            "team_id": "T0CORPUS",
            "api_app_id": "A0CORPUS",
            "type": "event_callback",
            "event_id": f"Ev0CORPUS{n:05d}",
            "event_time": 1_718_000_000 + n,
            "event": event,
        }

    def slack(
        self,
        body: str | bytes,
        *,
        secret: str | None = None,
        timestamp: int | str | None = None,
        content_type: str = "application/json",
        extra: dict[str, str] | None = None,
        signature: str | None = None,
        method: str = "POST",
        path: str = SLACK_PATH,
    ) -> dict[str, Any]:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
        if signature is None:
            signature = (
                SignatureVerifier(secret or self.slack_secret).generate_signature(timestamp=stamp, body=text) or ""
            )
        headers: dict[str, str] = {
            "content-type": content_type,
            "x-slack-request-timestamp": stamp,
            "x-slack-signature": signature,
        }
        return api_gateway_event(method, path, headers | (extra or {}), body)

    def telegram_update(
        self, text: Any = "hello", chat_type: str = "private", sender: dict[str, Any] | None = None, **fields: Any
    ) -> dict[str, Any]:
        n = self._next()
        chat = {"id": 4242, "type": "private", "first_name": "Élodie"}
        if chat_type != "private":
            chat = {"id": -1001234567890, "type": chat_type, "title": "Office"}
        message: dict[str, Any] = {
            "message_id": n,
            "from": {"id": 4242, "is_bot": False, "first_name": "Élodie", "language_code": "fr"},
            "chat": chat,
            "date": 1_718_000_000 + n,
        }
        if text is not None:
            message["text"] = text
        if sender is not None:
            message["from"] = sender
        message.update(fields)
        return {"update_id": 900_000 + n, "message": message}

    def telegram(
        self, body: str | bytes, *, secret: str | None = None, content_type: str = "application/json"
    ) -> dict[str, Any]:
        headers = {
            "content-type": content_type,
            TELEGRAM_SECRET_HEADER: self.telegram_secret if secret is None else secret,
        }
        if secret == "":
            headers.pop(TELEGRAM_SECRET_HEADER)
        return api_gateway_event("POST", TELEGRAM_PATH, headers, body)

    def add(self, group: str, name: str, event: dict[str, Any], expected: frozenset[int], executions: int = 0) -> None:
        self.cases.append(Case(group, name, event, expected, executions))


# --- hand-written cases --------------------------------------------------------------------------------------


def _slack_cases(c: Corpus) -> None:
    g = "slack: signature"
    valid = json.dumps(c.slack_event())
    c.add(
        g,
        "no signature headers",
        api_gateway_event("POST", SLACK_PATH, {"content-type": "application/json"}, valid),
        UNAUTHORISED,
    )
    c.add(g, "forged signature (other secret)", c.slack(valid, secret="not-the-secret"), UNAUTHORISED)
    c.add(
        g,
        "signature of another body",
        c.slack(valid, signature=c.slack(valid + " ")["headers"]["x-slack-signature"]),
        UNAUTHORISED,
    )
    c.add(g, "expired timestamp (6 min)", c.slack(valid, timestamp=int(time.time()) - 360), UNAUTHORISED)
    c.add(g, "timestamp 10 min in the future", c.slack(valid, timestamp=int(time.time()) + 600), UNAUTHORISED)
    c.add(g, "timestamp not a number", c.slack(valid, timestamp="yesterday"), UNAUTHORISED)
    c.add(g, "empty signature", c.slack(valid, signature=""), UNAUTHORISED)
    c.add(g, "v1 signature scheme", c.slack(valid, signature="v1=" + "0" * 64), UNAUTHORISED)
    c.add(g, "non-ASCII signature", c.slack(valid, signature="v0=é" + "0" * 63), UNAUTHORISED)
    c.add(g, "empty unsigned body", api_gateway_event("POST", SLACK_PATH, {}, ""), UNAUTHORISED)

    g = "slack: body"
    c.add(g, "malformed JSON", c.slack('{"type": "event_callback",'), BAD_REQUEST)
    c.add(g, "JSON array", c.slack("[1, 2, 3]"), BAD_REQUEST)
    c.add(g, "JSON string", c.slack('"event_callback"'), BAD_REQUEST)
    c.add(g, "JSON null", c.slack("null"), BAD_REQUEST)
    c.add(g, "empty signed body", c.slack(""), BAD_REQUEST)
    c.add(g, "wrong content type (text/plain)", c.slack(valid, content_type="text/plain"), frozenset({415}))
    deep = "[" * 100_000 + "]" * 100_000
    c.add(g, "100,000 nested arrays (RecursionError)", c.slack(deep), BAD_REQUEST)
    c.add(g, "deep nesting inside the event", c.slack('{"type": "event_callback", "event": ' + deep + "}"), BAD_REQUEST)
    c.add(g, "ts overflows to infinity", c.slack(json.dumps(c.slack_event(ts="1e400"))), BAD_REQUEST)
    c.add(g, "ts is NaN", c.slack(json.dumps(c.slack_event(ts="nan"))), BAD_REQUEST)
    big = json.dumps(c.slack_event(text="x" * (MAX_BODY_BYTES + 10)))
    c.add(g, f"oversized body ({len(big) // 1024} kB)", c.slack(big), frozenset({413}))
    c.add(g, "base64 body that is not UTF-8", _base64_event(c.slack("{}"), b"\xff\xfe\xfa"), BAD_REQUEST)
    c.add(g, "url_verification without challenge", c.slack('{"type": "url_verification"}'), BAD_REQUEST)
    c.add(g, "ts is not a number", c.slack(json.dumps(c.slack_event(ts="abc"))), BAD_REQUEST)
    c.add(g, "channel is an object", c.slack(json.dumps(c.slack_event(channel={"id": "C1"}))), BAD_REQUEST)
    c.add(g, "text is a number", c.slack(json.dumps(c.slack_event(text=42))), BAD_REQUEST)
    c.add(g, "files is a string", c.slack(json.dumps(c.slack_event(files="f.png"))), BAD_REQUEST)
    c.add(g, "GET instead of POST", c.slack(valid, method="GET"), frozenset({404, 405}))
    c.add(g, "unknown path", c.slack(valid, path="/slack/other"), frozenset({404}))

    g = "slack: ignored events"
    c.add(g, "url_verification", c.slack('{"type": "url_verification", "challenge": "abc"}'), IGNORED)
    c.add(
        g,
        "ssl_check (form, unsigned)",
        api_gateway_event(
            "POST", SLACK_PATH, {"content-type": "application/x-www-form-urlencoded"}, "ssl_check=1&token=x"
        ),
        IGNORED,
    )
    form = "application/x-www-form-urlencoded"
    c.add(g, "JSON body sent as a form", c.slack(valid, content_type=form), IGNORED)
    interaction = "payload=" + json.dumps({"type": "block_actions", "actions": [{"action_id": "a"}]})
    c.add(g, "interactivity payload (form, signed)", c.slack(interaction, content_type=form), IGNORED)
    c.add(g, "slash command (form, signed)", c.slack("command=%2Fask&text=hi", content_type=form), IGNORED)
    c.add(g, "app_rate_limited", c.slack('{"type": "app_rate_limited", "minute_rate_limited": 1518467820}'), IGNORED)
    c.add(g, "unknown top-level type", c.slack('{"type": "something_new"}'), IGNORED)
    c.add(g, "reaction_added", c.slack(json.dumps(c.slack_event(type="reaction_added"))), IGNORED)
    for subtype in ("message_changed", "message_deleted", "channel_join", "channel_leave", "bot_message", "me_message"):
        c.add(g, f"subtype {subtype}", c.slack(json.dumps(c.slack_event(subtype=subtype))), IGNORED)
    c.add(g, "bot_id set", c.slack(json.dumps(c.slack_event(bot_id="B0OTHER"))), IGNORED)
    c.add(g, "the bot's own user", c.slack(json.dumps(c.slack_event(user=BOT_USER_ID))), IGNORED)
    c.add(g, "no channel", c.slack(json.dumps(c.slack_event(channel=None))), IGNORED)
    c.add(g, "empty text, no files", c.slack(json.dumps(c.slack_event(text="  "))), IGNORED)
    c.add(
        g,
        "event is a string",
        c.slack(json.dumps({"type": "event_callback", "event_id": "Ev1", "event": "x"})),
        IGNORED,
    )

    g = "slack: dedupe"
    first = c.slack_event(text="retry me")
    c.add(g, "original delivery", c.slack(json.dumps(first)), IGNORED, executions=1)
    retry = {"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
    c.add(g, "retry of a delivered event", c.slack(json.dumps(first), extra=retry), IGNORED)
    c.add(g, "second retry", c.slack(json.dumps(first), extra=retry | {"x-slack-retry-num": "2"}), IGNORED)
    lost = c.slack_event(text="original lost")
    c.add(g, "retry whose original never arrived", c.slack(json.dumps(lost), extra=retry), IGNORED, executions=1)
    mention = dict(first, event_id="Ev0CORPUSMENTION", event=dict(first["event"], type="app_mention"))
    c.add(g, "same message as app_mention", c.slack(json.dumps(mention)), IGNORED)

    g = "slack: unicode (valid)"
    for name, text in _UNICODE_TEXTS:
        c.add(g, name, c.slack(json.dumps(c.slack_event(text=text))), IGNORED, executions=1)
    c.add(g, "lone surrogate escape", c.slack(json.dumps(c.slack_event(text="bad \ud800 half"))), IGNORED, executions=1)


def _telegram_cases(c: Corpus) -> None:
    g = "telegram: secret"
    valid = json.dumps(c.telegram_update())
    c.add(g, "no secret header", c.telegram(valid, secret=""), UNAUTHORISED)
    c.add(g, "wrong secret", c.telegram(valid, secret="guess"), UNAUTHORISED)
    c.add(g, "secret with different case", c.telegram(valid, secret=c.telegram_secret.upper()), UNAUTHORISED)
    c.add(g, "secret prefix", c.telegram(valid, secret=c.telegram_secret[:-1]), UNAUTHORISED)
    c.add(g, "secret plus a suffix", c.telegram(valid, secret=c.telegram_secret + "x"), UNAUTHORISED)
    c.add(g, "non-ASCII secret", c.telegram(valid, secret="sécret"), UNAUTHORISED)

    g = "telegram: body"
    c.add(g, "malformed JSON", c.telegram('{"update_id": 1,'), BAD_REQUEST)
    c.add(g, "JSON array", c.telegram("[]"), BAD_REQUEST)
    c.add(g, "empty body", c.telegram(""), BAD_REQUEST)
    c.add(g, "no update_id", c.telegram(json.dumps({"message": {}})), BAD_REQUEST)
    c.add(g, "update_id is a string", c.telegram(json.dumps({"update_id": "1"})), BAD_REQUEST)
    c.add(g, "update_id is a boolean", c.telegram(json.dumps({"update_id": True})), BAD_REQUEST)
    c.add(g, "wrong content type", c.telegram(valid, content_type="text/plain"), frozenset({415}))
    c.add(g, "40,000 nested objects (RecursionError)", c.telegram('{"a":' * 40_000 + "1" + "}" * 40_000), BAD_REQUEST)
    c.add(
        g,
        "file_size overflows",
        c.telegram(
            json.dumps(c.telegram_update(text=None, photo=[{"file_id": "p"}])).replace(
                '"p"}', '"p", "file_size": 1e400}'
            )
        ),
        BAD_REQUEST,
    )
    big = json.dumps(c.telegram_update(text="y" * (MAX_BODY_BYTES + 10)))
    c.add(g, f"oversized body ({len(big) // 1024} kB)", c.telegram(big), frozenset({413}))
    c.add(g, "base64 body that is not UTF-8", _base64_event(c.telegram("{}"), b"\xc3\x28"), BAD_REQUEST)
    c.add(g, "message_id missing", c.telegram(json.dumps(_without(c.telegram_update(), "message_id"))), BAD_REQUEST)
    c.add(g, "date is a string", c.telegram(json.dumps(c.telegram_update(date="today"))), BAD_REQUEST)
    c.add(g, "chat without id", c.telegram(json.dumps(c.telegram_update(chat={"type": "private"}))), BAD_REQUEST)
    c.add(g, "text is a list", c.telegram(json.dumps(c.telegram_update(text=None, caption=["a"]))), BAD_REQUEST)
    c.add(
        g,
        "entities not objects",
        c.telegram(json.dumps(c.telegram_update(chat_type="group", entities=[1]))),
        BAD_REQUEST,
    )

    g = "telegram: ignored updates"
    edited = c.telegram_update()
    c.add(
        g,
        "edited_message",
        c.telegram(json.dumps({"update_id": edited["update_id"], "edited_message": edited["message"]})),
        IGNORED,
    )
    for kind in ("callback_query", "my_chat_member", "channel_post", "inline_query", "poll"):
        c.add(g, kind, c.telegram(json.dumps({"update_id": 800_000 + c._next(), kind: {"id": "1"}})), IGNORED)
    c.add(
        g,
        "message from a bot",
        c.telegram(json.dumps(c.telegram_update(sender={"id": 9, "is_bot": True, "first_name": "B"}))),
        IGNORED,
    )
    c.add(g, "message without from", c.telegram(json.dumps(_without(c.telegram_update(), "from"))), IGNORED)
    textless: tuple[tuple[str, dict[str, Any]], ...] = (
        ("location", {"latitude": 52.5, "longitude": 13.4}),
        ("contact", {"phone_number": "1"}),
    )
    for kind, value in textless:
        update = c.telegram_update(text=None)
        update["message"][kind] = value
        c.add(g, f"no text, only a {kind}", c.telegram(json.dumps(update)), IGNORED)

    g = "telegram: dedupe"
    update = c.telegram_update(text="once")
    c.add(g, "original update", c.telegram(json.dumps(update)), IGNORED, executions=1)
    c.add(g, "same update re-sent", c.telegram(json.dumps(update)), IGNORED)
    c.add(g, "same update re-sent again", c.telegram(json.dumps(update)), IGNORED)

    g = "telegram: valid edge cases"
    for name, first_name in (
        ("name Stranger!", "Stranger!"),
        ("name Élodie", "Élodie"),
        ("emoji-only name", "🦄🦄"),
        ("empty name", ""),
    ):
        sender = {"id": 4243, "is_bot": False, "first_name": first_name}
        c.add(g, name, c.telegram(json.dumps(c.telegram_update(sender=sender))), IGNORED, executions=1)
    photo = [{"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 1200}]
    c.add(
        g,
        "photo with caption",
        c.telegram(json.dumps(c.telegram_update(text=None, photo=photo, caption="look"))),
        IGNORED,
        executions=1,
    )
    c.add(
        g,
        "group message, not addressed (stored)",
        c.telegram(json.dumps(c.telegram_update(chat_type="supergroup"))),
        IGNORED,
        executions=1,
    )
    sticker = {"file_id": "s", "file_unique_id": "su", "type": "regular", "emoji": "👍"}
    c.add(
        g,
        "sticker (answered with its emoji)",
        c.telegram(json.dumps(c.telegram_update(text=None, sticker=sticker))),
        IGNORED,
        executions=1,
    )
    for name, text in _UNICODE_TEXTS:
        c.add(g, name, c.telegram(json.dumps(c.telegram_update(text=text))), IGNORED, executions=1)


_UNICODE_TEXTS = (
    ("emoji and ZWJ sequences", "👩‍👩‍👧‍👦 🏳️‍🌈 ok?"),
    ("right-to-left override", "invoice \u202egnp.exe"),
    ("Arabic and Hebrew", "مرحبا שלום"),
    ("zero-width characters", "he\u200bllo\u200d\ufeff"),
    ("NUL and control characters", "a\x00b\x07c\x1b[31m"),
    ("combining marks", "Z̵̡̛a̸l̷g̶o̴"),
    ("CJK and astral plane", "你好 𝕳𝖊𝖑𝖑𝖔 𐍈"),
    ("5000-character text", "long " * 1000),
)


def _without(update: dict[str, Any], key: str) -> dict[str, Any]:
    update["message"].pop(key, None)
    return update


def _base64_event(event: dict[str, Any], raw: bytes) -> dict[str, Any]:
    return dict(event, body=base64.b64encode(raw).decode("ascii"), isBase64Encoded=True)


def hand_written_cases(slack_secret: str, telegram_secret: str, seed: int = 20240611) -> Corpus:
    """The corpus builder with every hand-written case added (generated ones follow in `webhook_fuzz`)."""
    corpus = Corpus(slack_secret, telegram_secret, seed)
    _slack_cases(corpus)
    _telegram_cases(corpus)
    return corpus
