"""Claim checks: workflow data too large for a Step Functions state, or too personal for its log, waits in the
media bucket; the state carries only the object's key, and the step that needs the data fetches it.

Where each part goes (sizes are UTF-8 JSON; the budgets are in `workflow.limits`):

- intake: the inbound message, when it is over `INLINE_MESSAGE_BYTES` or its chat's text is redacted, is stored
  as `.../inbound.json` and the execution input holds only the message's identity (`without_content`). With
  redaction on, the raw text is thus never in the execution input, which the state machine logs.
- Prepare (a message with media) and Route: the prepared message (transcripts and document text appended,
  redacted where the policy applies) goes on inline when it fits, else as `.../prepared.json`; Route after
  Prepare, or RouteDegraded, passes that reference on.
- History, Relevance, Auxiliary: a result over `INLINE_BRANCH_BYTES` (long stored messages, a large Odoo model map)
  is stored as `.../<branch>.json` and the branch returns only `ref`.
- Respond fetches what it needs.

Keys are derived from the message, so a retried step overwrites its own object instead of adding one; the
media bucket's lifecycle rule deletes everything under `CLAIM_PREFIX` after a day (S3's shortest expiry).
"""

from __future__ import annotations

import hashlib
from dataclasses import MISSING, fields, replace
from typing import TYPE_CHECKING, Any, TypeVar

from office_assistant.workflow.limits import INLINE_BRANCH_BYTES, INLINE_MESSAGE_BYTES, json_bytes
from office_assistant.workflow.payloads import BranchResult, GatherContextOutput, WorkflowInput

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant.domain.messages import InboundMessage
    from office_assistant.ports import MediaBucket

B = TypeVar("B", bound=BranchResult)
W = TypeVar("W", bound=WorkflowInput)

CLAIM_PREFIX = "workflow/"
JSON = "application/json"
# What a message stub keeps: who sent what where, never what it says. A new field is cleared unless listed here.
IDENTITY_FIELDS = frozenset(
    {
        "platform",
        "event_id",
        "message_id",
        "chat_id",
        "user_id",
        "user_name",
        "ts",
        "thread_id",
        "mentions_bot",
        "is_direct",
        "reply_expected",
    }
)


def claim_key(message: InboundMessage, part: str) -> str:
    """The bucket key of one part of one message's workflow data (no user-chosen characters in it)."""
    digest = hashlib.sha256(f"{message.conversation_key}:{message.message_id}".encode()).hexdigest()[:32]
    return f"{CLAIM_PREFIX}{message.platform.value}/{digest}/{part}.json"


def without_content(message: InboundMessage) -> InboundMessage:
    """The message's identity only: every field outside `IDENTITY_FIELDS` back to its default (text empty)."""
    cleared: dict[str, Any] = {}
    for f in fields(message):
        if f.name in IDENTITY_FIELDS:
            continue
        if f.default is not MISSING:
            cleared[f.name] = f.default
        elif f.default_factory is not MISSING:
            cleared[f.name] = f.default_factory()
        else:
            cleared[f.name] = ""
    return replace(message, **cleared)


class ClaimChecks:
    """Check parts of the workflow's data in and out; `bucket` is called on first use only, so a step whose data
    always fits inline (most branch invocations, most webhook calls) never builds an S3 client."""

    def __init__(
        self,
        bucket: Callable[[], MediaBucket],
        inline_message_bytes: int = INLINE_MESSAGE_BYTES,
        inline_branch_bytes: int = INLINE_BRANCH_BYTES,
    ) -> None:
        self._bucket_provider = bucket
        self._bucket: MediaBucket | None = None
        self.inline_message_bytes = inline_message_bytes
        self.inline_branch_bytes = inline_branch_bytes

    @property
    def bucket(self) -> MediaBucket:
        if self._bucket is None:
            self._bucket = self._bucket_provider()
        return self._bucket

    def workflow_input(self, message: InboundMessage, private: bool) -> WorkflowInput:
        """Intake: the execution input, with the message by reference when it is `private` or too large."""
        step = WorkflowInput(message=message)
        if not private and json_bytes(step.model_dump(mode="json")) <= self.inline_message_bytes:
            return step
        key = self._check_in(message, "inbound", step)
        return WorkflowInput(message=without_content(message), message_ref=key, has_media=step.has_media)

    def prepared(self, output: W) -> W:
        """Prepare or Route: its output, with the prepared message by reference when it is too large to travel
        inline."""
        prepared = WorkflowInput(message=output.message)
        if json_bytes(prepared.model_dump(mode="json")) <= self.inline_message_bytes:
            return output.model_copy(update={"message_ref": None})
        key = self._check_in(output.message, "prepared", prepared)
        return output.model_copy(update={"message": without_content(output.message), "message_ref": key})

    def message(self, step: WorkflowInput) -> InboundMessage:
        """The whole message of a step's input: inline, or fetched from the bucket."""
        if step.message_ref is None:
            return step.message
        return WorkflowInput.model_validate_json(self.bucket.get(step.message_ref)).message

    def branch(self, result: B, message: InboundMessage, part: str) -> B:
        """A branch's result, by reference when it is over the branch budget."""
        if json_bytes(result.model_dump(mode="json")) <= self.inline_branch_bytes:
            return result
        return type(result)(ref=self._check_in(message, part, result))

    def gathered(self, context: GatherContextOutput) -> GatherContextOutput:
        """Respond: the three branch results with every one that travelled by reference fetched."""
        return GatherContextOutput(
            history=self._redeem(context.history),
            relevance=self._redeem(context.relevance),
            auxiliary=self._redeem(context.auxiliary),
        )

    def _redeem(self, result: B) -> B:
        if result.ref is None:
            return result
        return type(result).model_validate_json(self.bucket.get(result.ref))

    def _check_in(self, message: InboundMessage, part: str, payload: WorkflowInput | BranchResult) -> str:
        key = claim_key(message, part)
        self.bucket.put(key, payload.model_dump_json().encode("utf-8"), JSON)
        return key
