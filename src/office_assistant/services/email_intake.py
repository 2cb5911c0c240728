"""The email source: one SQS record with the legacy's email dict → the same workflow, answered in Slack.

The legacy's third source: its handler read `json.loads(body).payload.event` and notified a fixed Slack channel
(as audio). Here the record becomes an InboundMessage on platform `email`, keyed by the email's own id (or a
digest of its content, so a redelivered record is answered once), and Respond posts into the channel the
settings name. A record that is not such an email raises MalformedEmailError: the batch reports it as failed,
SQS redelivers it, and after the queue's receive limit it lands in the dead-letter queue.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from office_assistant.domain.messages import InboundMessage, Platform
from office_assistant.workflow.payloads import EmailRecord

if TYPE_CHECKING:
    from office_assistant.services.intake import Accepted, Duplicate, IntakeService
    from office_assistant.workflow.payloads import EmailEvent

logger = logging.getLogger(__name__)

MAX_EMAIL_CHARS = 20_000  # the same cap as a document's text
SENDER_UNKNOWN = "unknown sender"


class MalformedEmailError(ValueError):
    """An SQS record that is not the email source's `{"payload": {"event": {...}}}`."""


def parse_record(body: str) -> EmailRecord:
    try:
        return EmailRecord.model_validate_json(body)
    except (ValidationError, RecursionError) as error:
        raise MalformedEmailError(f"not an email record: {str(error).splitlines()[0]}") from None


def email_text(event: EmailEvent) -> str:
    """What the model reads: sender, recipients, subject, date and body, else the whole dict as JSON."""
    lines = [
        f"{label}: {_plain(value)}"
        for label, value in (("From", event.sender), ("To", event.to), ("Subject", event.subject), ("Date", event.date))
        if value not in (None, "", [], {})
    ]
    body = event.body or event.text or event.snippet
    extras = {k: v for k, v in (event.model_extra or {}).items() if v not in (None, "", [], {})}
    if body:
        lines += ["", body]
    elif extras:
        lines += ["", json.dumps(extras, ensure_ascii=False, sort_keys=True, default=str)]
    if not any(line.strip() for line in lines):
        raise MalformedEmailError("the email has no sender, subject or content")
    return ("Email:\n" + "\n".join(lines))[:MAX_EMAIL_CHARS]


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        name, address = value.get("name") or "", value.get("email") or value.get("address") or ""
        return f"{name} <{address}>".strip() if address else str(name or json.dumps(value, default=str))
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    return str(value)


def _sender(event: EmailEvent) -> tuple[str, str]:
    """(user id, display name) of the sender: the address and the name where the feed gives them."""
    sender = event.sender
    if isinstance(sender, dict):
        address = str(sender.get("email") or sender.get("address") or "")
        return address or SENDER_UNKNOWN, str(sender.get("name") or address or SENDER_UNKNOWN)
    if isinstance(sender, str) and sender.strip():
        name, _, rest = sender.partition("<")
        address = rest.rstrip(">").strip() or sender.strip()
        return address, name.strip().strip('"') or address
    return SENDER_UNKNOWN, SENDER_UNKNOWN


def email_message(event: EmailEvent, channel: str, received_at: float) -> InboundMessage:
    """The email as the message the workflow answers; `channel` is the Slack channel that gets the answer."""
    text = email_text(event)
    own_id = event.message_id or (str(event.id) if event.id is not None else "")
    canonical = json.dumps(event.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)
    message_id = own_id or "sha256-" + hashlib.sha256(canonical.encode()).hexdigest()[:32]
    user_id, user_name = _sender(event)
    return InboundMessage(
        platform=Platform.EMAIL,
        event_id=message_id,
        message_id=message_id,
        chat_id=channel,
        user_id=user_id,
        user_name=user_name,
        text=text,
        ts=received_at,
        mentions_bot=True,  # the mailbox writes to the assistant: always answered, never muted away
        is_direct=True,
    )


class EmailIntake:
    def __init__(self, intake: IntakeService, channel: str) -> None:
        self.intake = intake
        self.channel = channel

    def accept(self, body: str, received_at: float) -> Accepted | Duplicate:
        """Start the workflow for one record's email; raises MalformedEmailError for anything else."""
        if not self.channel:
            raise MalformedEmailError("no Slack channel is configured for emails (OA_EMAIL_SLACK_CHANNEL)")
        record = parse_record(body)
        message = email_message(record.payload.event, self.channel, received_at)
        outcome = self.intake.accept(message)
        logger.info("email accepted", extra={"message_id": message.message_id, "outcome": type(outcome).__name__})
        return outcome
