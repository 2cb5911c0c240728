"""PII policy: which chats get their messages redacted, and what happens when the redactor fails.

The Prepare step (or Route, for a message without media) applies it right after media preparation, so the text
that is classified, embedded, stored, logged and sent to the model is the redacted one, transcripts and extracted
document text included. Respond applies it too when neither finished (RouteDegraded then passes on the message
as intake started it).

A redactor failure **fails closed**: the message goes on (routed, stored, answered) but its text is replaced by
`WITHHELD_TEXT`, and a note asks the model to tell the user to resend. Redaction is switched on for chats whose
data must not reach the model provider or our store; sending the raw text because a detector timed out would
break that promise silently, while a withheld text is visible and the user can simply send the message again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from office_assistant.domain.errors import PiiError

if TYPE_CHECKING:
    from office_assistant.domain.messages import InboundMessage
    from office_assistant.ports import PiiRedactor

logger = logging.getLogger(__name__)

WITHHELD_TEXT = "[message text withheld: it could not be checked for personal data]"
WITHHELD_NOTE = (
    "the message text could not be checked for personal data and was withheld; ask the user to send it again"
)


def redacted_note(types: tuple[str, ...]) -> str:
    """The note telling the model that placeholders stand for removed personal data."""
    return f"personal data in this message was replaced by placeholders ({', '.join(f'<{t}>' for t in types)})"


def redaction_applies(enabled_globally: bool, chat_keys: frozenset[str], message: InboundMessage) -> bool:
    """Whether a message's text is redacted; the webhook asks this without building a redactor."""
    return enabled_globally or message.conversation_key in chat_keys


@dataclass(frozen=True)
class PiiPolicy:
    """Redact every chat's messages (`enabled_globally`) or only those of `chat_keys` (conversation keys)."""

    redactor: PiiRedactor
    enabled_globally: bool = False
    chat_keys: frozenset[str] = frozenset()

    def applies_to(self, message: InboundMessage) -> bool:
        return redaction_applies(self.enabled_globally, self.chat_keys, message)

    def apply(self, message: InboundMessage) -> tuple[InboundMessage, tuple[str, ...]]:
        """The message with its text redacted where the policy applies, and notes for the model."""
        if not self.applies_to(message) or not message.text.strip():
            return message, ()
        try:
            redaction = self.redactor.redact(message.text)
        except PiiError as error:
            logger.error(
                "PII check failed, text withheld", extra={"message_id": message.message_id, "error": str(error)}
            )
            return replace(message, text=WITHHELD_TEXT), (WITHHELD_NOTE,)
        if not redaction.entities:
            return message, ()
        logger.info("PII redacted", extra={"message_id": message.message_id, "types": redaction.types})
        return replace(message, text=redaction.text), (redacted_note(redaction.types),)
