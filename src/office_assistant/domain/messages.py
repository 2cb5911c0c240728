"""Messages as the assistant sees them: what arrives from a platform and what the store keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

BUCKET_REF_PREFIX = "bucket:"


class Platform(StrEnum):
    SLACK = "slack"
    TELEGRAM = "telegram"
    EMAIL = "email"  # the mailbox feed (SQS); answered in a configured Slack channel


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
    def conversation_key(self) -> str:
        """Chat id qualified by platform, so a Slack channel and a Telegram chat never share history."""
        return f"{self.platform.value}:{self.chat_id}"


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
