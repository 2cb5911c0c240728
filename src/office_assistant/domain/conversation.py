"""Build the chat model's message list from the current message and the context gathered for it."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from office_assistant.domain.messages import Platform, Role

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from office_assistant.domain.messages import InboundMessage, StoredMessage
    from office_assistant.domain.routes import RouteSettings

_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_PLATFORM_NOTE = {
    Platform.SLACK: "You are talking in Slack; Slack mrkdwn formatting is rendered.",
    Platform.TELEGRAM: "You are talking in Telegram; keep formatting simple.",
    Platform.EMAIL: (
        "This message is an email that arrived in the team's mailbox, not a chat message. Your answer is posted "
        "in the team's Slack channel (mrkdwn is rendered): say who wrote and what they want in one or two "
        "sentences, classify it (request, question, invoice, complaint, newsletter, spam, other), and say "
        "whether someone needs to act and by when."
    ),
}


def model_safe_name(name: str) -> str | None:
    """A display name the Chat Completions `name` field accepts (`[A-Za-z0-9_-]{1,64}`), or None.

    Accents are transliterated rather than dropped: the legacy turned "Élodie" into "lodie" and sent
    "Stranger!", which the API rejects.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    safe = _NAME_UNSAFE.sub("_", ascii_name.strip()).strip("_")[:64]
    return safe or None


def _line(message: StoredMessage, text: str | None = None) -> str:
    who = "assistant" if message.role is Role.ASSISTANT else (message.user_name or "user")
    return f"{who}: {text if text is not None else message.text}"


def _turn(role: Role, text: str, name: str | None) -> dict[str, Any]:
    turn: dict[str, Any] = {"role": role.value, "content": text}
    if name and role is Role.USER:
        turn["name"] = name
    return turn


def build_conversation(
    message: InboundMessage,
    settings: RouteSettings,
    *,
    verbatim: Sequence[StoredMessage],
    summaries: Sequence[tuple[StoredMessage, str]],
    relevant: Iterable[StoredMessage],
    erp_models: dict[str, Any] | None,
    now: datetime,
    image_urls: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The messages for one Chat Completions call, instructions first and the current message last.

    Relevant messages already present in the verbatim or summarised history are dropped, so the model does
    not read the same message twice.
    """
    conversation: list[dict[str, Any]] = [
        {"role": "system", "content": f"{settings.system_prompt}\n{_PLATFORM_NOTE[message.platform]}".strip()}
    ]
    if settings.assistant_prompt:
        conversation.append({"role": "system", "content": settings.assistant_prompt})

    seen = {(m.message_id, m.role) for m in verbatim} | {(m.message_id, m.role) for m, _ in summaries}
    fresh_relevant = [m for m in relevant if (m.message_id, m.role) not in seen]
    if fresh_relevant:
        lines = "\n".join(_line(m) for m in fresh_relevant)
        conversation.append({"role": "system", "content": f"Relevant earlier messages from this chat:\n{lines}"})
    if summaries:
        lines = "\n".join(_line(m, summary) for m, summary in summaries)
        conversation.append({"role": "system", "content": f"Summary of the older conversation:\n{lines}"})
    if erp_models is not None:
        models = json.dumps(erp_models, ensure_ascii=False, sort_keys=True)
        conversation.append({"role": "system", "content": f"Models and fields available in the ERP (JSON): {models}"})
    if notes:
        conversation.append({"role": "system", "content": "Notes about this message: " + "; ".join(notes)})
    conversation.append({"role": "system", "content": f"Now it is {now:%A %d %B %Y, %H:%M} UTC."})

    for past in verbatim:
        conversation.append(_turn(past.role, past.text, model_safe_name(past.user_name)))

    name = model_safe_name(message.user_name)
    if image_urls:
        parts: list[dict[str, Any]] = [{"type": "text", "text": message.text}]
        parts += [{"type": "image_url", "image_url": {"url": url}} for url in image_urls]
        current: dict[str, Any] = {"role": "user", "content": parts}
        if name:
            current["name"] = name
        conversation.append(current)
    else:
        conversation.append(_turn(Role.USER, message.text, name))
    return conversation
