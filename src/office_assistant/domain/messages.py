"""Messages as the assistant sees them: what arrives from a platform and what the store keeps."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

BUCKET_REF_PREFIX = "bucket:"


class Platform(StrEnum):
    SLACK = "slack"
    TELEGRAM = "telegram"
    EMAIL = "email"  # the mailbox feed (SQS); answered in a configured Slack channel


@dataclass(frozen=True)
class MessageKey:
    """ "This message" across every step, retry and duplicate delivery: every per-message key comes from here.

    A Slack retry, the same message delivered as both `message` and `app_mention`, a re-sent Telegram update
    and a duplicate execution all share one key, so each message is started, answered and stored once.
    """

    platform: Platform
    chat_id: str
    message_id: str

    @property
    def conversation_key(self) -> str:
        """Chat id qualified by platform, so a Slack channel and a Telegram chat never share history."""
        return f"{self.platform.value}:{self.chat_id}"

    @property
    def dedupe_key(self) -> str:
        """The state-table claim intake makes before starting the workflow."""
        return f"message#{self.conversation_key}#{self.message_id}"

    @property
    def execution_name(self) -> str:
        """A valid, deterministic Step Functions execution name (≤ 80 chars of [0-9A-Za-z_-])."""
        digest = hashlib.sha256(f"{self.conversation_key}:{self.message_id}".encode()).hexdigest()[:24]
        return f"{self.platform.value}-{digest}"

    @property
    def idempotency_key(self) -> dict[str, str]:
        """The data Respond's idempotency record is keyed by (hashed by the idempotency adapter)."""
        return {"platform": self.platform.value, "chat": self.chat_id, "message_id": self.message_id}

    @property
    def correlation_id(self) -> str:
        """What every log line and trace of the message carries; `CORRELATION_ID_PATH` builds it from a payload."""
        return f"{self.platform.value}:{self.chat_id}:{self.message_id}"

    @property
    def reply_message_id(self) -> str:
        """The store id of the assistant's reply: derived, so a retried write keeps one copy."""
        return f"reply-to:{self.message_id}"


CORRELATION_ID_PATH = (
    "join(':', [to_string(message.platform), to_string(message.chat_id), to_string(message.message_id)])"
)
"""JMESPath over any workflow step's input that yields `MessageKey.correlation_id` (Powertools Logger).

`to_string` leaves strings as they are and turns a missing field into "null", so a malformed event still gets a
correlation id and fails in its payload model's validation, not in the logger."""


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


@dataclass(frozen=True)
class Attachment:
    """A file that came with a message; `ref` is the platform's handle for it (URL or file_id)."""

    kind: str  # "image", "audio", "video", "document"
    ref: str
    mime_type: str = ""
    name: str = ""
    size: int = 0

    @property
    def bucket_key(self) -> str | None:
        """The media bucket key once the Route step has stored the file there (ref `bucket:<key>`), else None."""
        return self.ref.removeprefix(BUCKET_REF_PREFIX) if self.ref.startswith(BUCKET_REF_PREFIX) else None


@dataclass(frozen=True)
class InboundMessage:
    """One user message from Slack or Telegram, normalised.

    `event_id` is the platform's id for the delivery (Slack event_id, Telegram update_id) and keys
    deduplication; `message_id` is the id of the message itself (Slack ts, Telegram message_id) and keys
    idempotent writes and replies.
    """

    platform: Platform
    event_id: str
    message_id: str
    chat_id: str
    user_id: str
    user_name: str
    text: str
    ts: float
    thread_id: str | None = None
    mentions_bot: bool = False
    is_direct: bool = False
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    # False: store the message without answering (a group message not addressed to the bot, see settings)
    reply_expected: bool = True

    @property
    def key(self) -> MessageKey:
        return MessageKey(self.platform, self.chat_id, self.message_id)

    @property
    def conversation_key(self) -> str:
        return self.key.conversation_key


@dataclass(frozen=True)
class StoredMessage:
    """A message kept in the message store, user or assistant."""

    chat_key: str
    message_id: str
    role: Role
    text: str
    ts: float
    user_name: str = ""
    thread_id: str | None = None


@dataclass(frozen=True)
class ScoredMessage:
    """A stored message with its similarity to a query."""

    message: StoredMessage
    score: float
