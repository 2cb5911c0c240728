"""Generated webhook cases (seeded, so every run sends the same ones): garbage, forgeries, random shapes, unicode."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from office_assistant_local.drills.webhook_corpus import (
    BAD_REQUEST,
    GENERATED_PER_KIND,
    IGNORED,
    UNAUTHORISED,
    Corpus,
)

if TYPE_CHECKING:
    import random


def _random_text(r: random.Random, size: int) -> str:
    alphabets = ("abc xyz", '{}[]":,\\', "éüß€", "😀🦄", "\x00\x1f\u200b\u202e", "\ud7ff\ue000\uffff")
    return "".join(r.choice(r.choice(alphabets)) for _ in range(size))


def _random_value(r: random.Random, depth: int = 0) -> Any:
    kinds = ["int", "float", "str", "bool", "null"] + (["list", "dict"] if depth < 2 else [])
    kind = r.choice(kinds)
    if kind == "int":
        return r.randint(-(2**63), 2**63)
    if kind == "float":
        return r.uniform(-1e9, 1e9)
    if kind == "str":
        return _random_text(r, r.randint(0, 12))
    if kind == "bool":
        return r.random() < 0.5
    if kind == "null":
        return None
    if kind == "list":
        return [_random_value(r, depth + 1) for _ in range(r.randint(0, 3))]
    return {_random_text(r, 5): _random_value(r, depth + 1) for _ in range(r.randint(0, 3))}


def add_generated_cases(c: Corpus) -> None:
    r = c.random
    for i in range(GENERATED_PER_KIND):
        garbage = bytes(r.randrange(256) for _ in range(r.randint(1, 200)))
        c.add("generated: signed garbage bodies", f"slack #{i}", c.slack(_not_json_object(garbage)), BAD_REQUEST)
        c.add("generated: signed garbage bodies", f"telegram #{i}", c.telegram(_not_json_object(garbage)), BAD_REQUEST)
    for i in range(GENERATED_PER_KIND):
        body = json.dumps(c.slack_event(text=_random_text(r, 20)))
        forged = "v0=" + "".join(r.choice("0123456789abcdef") for _ in range(64))
        offset = r.choice([-1, 1]) * r.randint(301, 10**8)
        c.add("generated: forged credentials", f"slack forged #{i}", c.slack(body, signature=forged), UNAUTHORISED)
        c.add(
            "generated: forged credentials",
            f"slack stale #{i}",
            c.slack(body, timestamp=int(time.time()) + offset),
            UNAUTHORISED,
        )
        secret = _random_text(r, r.randint(0, 40)) or "x"
        forged_update = json.dumps(c.telegram_update(text=_random_text(r, 20)))
        c.add(
            "generated: forged credentials",
            f"telegram secret #{i}",
            c.telegram(forged_update, secret=secret),
            UNAUTHORISED,
        )
    for i in range(GENERATED_PER_KIND):
        obj = {_random_text(r, 6): _random_value(r) for _ in range(r.randint(0, 5))}
        c.add("generated: random JSON objects", f"slack #{i}", c.slack(json.dumps(obj)), IGNORED | BAD_REQUEST)
        tg = dict(obj, update_id=r.randint(0, 2**31))
        c.add("generated: random JSON objects", f"telegram #{i}", c.telegram(json.dumps(tg)), IGNORED | BAD_REQUEST)
    for i in range(GENERATED_PER_KIND):
        event = c.slack_event()
        key = r.choice(["user", "channel", "ts", "event_id", "type", "text"])
        target: dict[str, Any] = event if key == "event_id" else event["event"]
        if r.random() < 0.3:
            target.pop(key)
        else:
            target[key] = r.choice([[], {}, [1], {"a": 1}, 3.5, True] if key != "text" else [[], {"a": 1}, 7, True])
        c.add("generated: mutated events", f"slack {key} #{i}", c.slack(json.dumps(event)), IGNORED | BAD_REQUEST)
        update = c.telegram_update()
        key = r.choice(["message_id", "date", "chat", "from", "text"])
        if r.random() < 0.3:
            update["message"].pop(key)
        else:
            update["message"][key] = r.choice([[1], {"a": 1}, 3.5, True] + (["x", [], None] if key != "text" else []))
        c.add(
            "generated: mutated events", f"telegram {key} #{i}", c.telegram(json.dumps(update)), IGNORED | BAD_REQUEST
        )
    for i in range(GENERATED_PER_KIND // 2):
        text = _random_text(r, r.randint(1, 80)).strip() or "x"
        c.add(
            "generated: unicode messages (valid)",
            f"slack #{i}",
            c.slack(json.dumps(c.slack_event(text=text))),
            IGNORED,
            executions=1,
        )
        c.add(
            "generated: unicode messages (valid)",
            f"telegram #{i}",
            c.telegram(json.dumps(c.telegram_update(text=text))),
            IGNORED,
            executions=1,
        )


def _not_json_object(raw: bytes) -> bytes:
    """Random bytes that are certainly not a JSON object (one never starts with "{" after stripping)."""
    return raw.lstrip(b" \t\r\n{") or b"!"
