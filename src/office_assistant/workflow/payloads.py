"""Typed input and output of every state of statemachine/assistant.asl.json.

Each handler validates its event with one of these models and returns `model_dump(mode="json")` of another,
so nothing crosses a state boundary as an untyped dict.

Cold start: the models are built on first use (``defer_build``), so each function builds only the two or three it
touches instead of all of them at import (settings.LAMBDA_PROCESS_ENV also skips pydantic's plugin scan).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from office_assistant.domain.context import (  # noqa: TCH001
    AuxiliaryFindings,
    GatheredContext,
    HistoryWindow,
    RelevantMessages,
)
from office_assistant.domain.messages import InboundMessage
from office_assistant.domain.outcome import Outcome  # noqa: TCH001


class Payload(BaseModel):
    # hide_input_in_errors: a validation error becomes the Lambda's error message, which Step Functions logs as
    # the state's cause; it must not quote the message text it failed on.
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True, hide_input_in_errors=True)


class Preparation(StrEnum):
    """How far a message has been prepared (typing indicator, names, media, PII) on its way to Route's output."""

    NONE = "none"  # as intake started it: Route prepares it whole (a media-less message never sees Prepare)
    DONE = "done"  # prepared (by Prepare, or by Route): Route only classifies it, Respond redacts nothing more
    WITHOUT_MEDIA = "without_media"  # Prepare failed (PrepareDegraded): Route prepares it but leaves the media out


class Stage(StrEnum):
    """Which part of the route function's work an invocation asks for (the ASL's Parameters of Prepare)."""

    PREPARE = "prepare"
    ROUTE = "route"


class WorkflowInput(Payload):
    """The execution input that intake starts the workflow with; every state before GatherContext carries it on.

    `message_ref` set: the whole message is in the media bucket under that key (`services.claim_check`), and
    `message` holds only its identity (no text, no attachments): the message was too large for the state, or its
    chat's text is redacted and the raw text must not reach the execution's log. `has_media` says whether the
    message came with attachments even then, so the workflow's HasMedia choice can send it through Prepare.
    """

    message: InboundMessage
    message_ref: str | None = None
    has_media: bool = False
    preparation: Preparation = Preparation.NONE
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _media_of_the_message(cls, data: Any) -> Any:
        """`has_media` defaults to whether `message` has attachments (a content-less stub must say it)."""
        if isinstance(data, dict) and "has_media" not in data:
            message = data.get("message")
            attachments = message.attachments if isinstance(message, InboundMessage) else None
            if isinstance(message, dict):
                attachments = message.get("attachments")
            return {**data, "has_media": bool(attachments)}
        return data


class RouteInput(WorkflowInput):
    """What the route function is invoked with: the Prepare state's Parameters, or the Route state's input."""

    stage: Stage = Stage.ROUTE


class PrepareOutput(WorkflowInput):
    """Prepare's output, Route's input: the prepared message (by reference when large) and Prepare's notes."""


class RouteDecision(Payload):
    """The route the message takes: `name` is the route used, `matched` what the router said (None: no match)."""

    name: str
    matched: str | None
    confidence: float | None = None


class RouteOutput(WorkflowInput):
    """Route's output, which is also the input of every GatherContext branch.

    `route` is None when the Route state failed (RouteDegraded, whose `route_failure` names the error): every
    step then uses the default route, and the message is what Route was given (prepared when Prepare ran).
    """

    route: RouteDecision | None = None
    embedding: list[float] | None = None
    route_failure: str | None = None

    @property
    def route_name(self) -> str | None:
        return self.route.name if self.route else None

    @property
    def notes_for_model(self) -> list[str]:
        """The notes of the steps so far, with Route's failure when RouteDegraded stood in for it."""
        failure = [f"route failed: {self.route_failure}"] if self.route_failure else []
        return [*self.notes, *failure]


class BranchResult(Payload):
    """What each branch returns; `degraded` with `failure` is what the ASL Catch produces instead.

    `ref` set: the result was larger than its inline budget and is in the media bucket under that key.
    """

    degraded: bool = False
    failure: dict[str, Any] | None = None
    ref: str | None = None


class HistoryOutput(BranchResult):
    window: HistoryWindow = Field(default_factory=HistoryWindow)


class RelevanceOutput(BranchResult):
    relevant: RelevantMessages = Field(default_factory=RelevantMessages)


class AuxiliaryOutput(BranchResult):
    findings: AuxiliaryFindings = Field(default_factory=AuxiliaryFindings)


class GatherContextOutput(Payload):
    """The GatherContext state's output: each branch's result, degraded or not."""

    history: HistoryOutput
    relevance: RelevanceOutput
    auxiliary: AuxiliaryOutput

    def gathered(self) -> GatheredContext:
        """What the branches found, as Respond takes it (a degraded branch contributes its empty default)."""
        return GatheredContext(self.history.window, self.relevance.relevant, self.auxiliary.findings)

    def degraded_branches(self) -> list[str]:
        branches = {"History": self.history, "Relevance": self.relevance, "Auxiliary": self.auxiliary}
        return [name for name, result in branches.items() if result.degraded]


class RespondInput(RouteOutput):
    context: GatherContextOutput


class ToolCallReport(Payload):
    """One tool call Respond ran: which tool, how long, whether it worked (never its arguments or result)."""

    name: str
    duration_ms: float
    ok: bool
    error: str | None = None


class RespondOutput(Payload):
    """The execution's output: whether a reply was posted, and why not when it was not."""

    replied: bool
    outcome: Outcome
    route: str
    reply_text: str | None = None
    reply_message_id: str | None = None
    degraded_branches: list[str] = Field(default_factory=list)
    relevant_message_ids: list[str] = Field(default_factory=list)
    tool_calls: list[ToolCallReport] = Field(default_factory=list)


class EmailEvent(BaseModel):
    """The legacy's email dictionary (`payload.event`): `type` ("New Email") plus whatever the mail feed sends.

    The legacy only ever printed the dict; the fields below are read when present, the rest are kept as extras.
    """

    model_config = ConfigDict(frozen=True, extra="allow", defer_build=True, populate_by_name=True)

    type: str = "New Email"
    id: str | int | None = None
    message_id: str | None = None
    subject: str | None = None
    sender: str | dict[str, Any] | None = Field(default=None, alias="from")
    to: str | list[Any] | dict[str, Any] | None = None
    date: str | int | float | None = None
    body: str | None = None
    text: str | None = None
    snippet: str | None = None


class EmailPayload(Payload):
    event: EmailEvent


class EmailRecord(Payload):
    """One SQS message body of the email source: `{"payload": {"event": {...}}}`, as the legacy read it."""

    payload: EmailPayload
