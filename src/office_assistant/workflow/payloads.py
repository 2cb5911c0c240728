"""Typed input and output of every state of statemachine/assistant.asl.json.

Each handler validates its event with one of these models and returns `model_dump(mode="json")` of another,
so nothing crosses a state boundary as an untyped dict.

Cold start: the models are built on first use (``defer_build``), so each function builds only the two or three it
touches instead of all of them at import (settings.LAMBDA_PROCESS_ENV also skips pydantic's plugin scan).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from office_assistant.domain.context import AuxiliaryFindings, HistoryWindow, RelevantMessages  # noqa: TCH001
from office_assistant.domain.messages import InboundMessage  # noqa: TCH001


class Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)


class WorkflowInput(Payload):
    """The execution input that intake starts the workflow with."""

    message: InboundMessage


class RouteDecision(Payload):
    """The route the message takes: `name` is the route used, `matched` what the router said (None: no match)."""

    name: str
    matched: str | None
    confidence: float | None = None


class RouteOutput(WorkflowInput):
    """Route's output, which is also the input of every GatherContext branch.

    `route` is None when the Route state failed (RouteDegraded): every step then uses the default route.
    """

    route: RouteDecision | None = None
    embedding: list[float] | None = None
    notes: list[str] = Field(default_factory=list)

    @property
    def route_name(self) -> str | None:
        return self.route.name if self.route else None


class BranchResult(Payload):
    """What each branch returns; `degraded` with `failure` is what the ASL Catch produces instead."""

    degraded: bool = False
    failure: dict[str, Any] | None = None


class HistoryOutput(BranchResult):
    window: HistoryWindow = Field(default_factory=HistoryWindow)


class RelevanceOutput(BranchResult):
    relevant: RelevantMessages = Field(default_factory=RelevantMessages)


class AuxiliaryOutput(BranchResult):
    findings: AuxiliaryFindings = Field(default_factory=AuxiliaryFindings)


class GatheredContext(Payload):
    history: HistoryOutput
    relevance: RelevanceOutput
    auxiliary: AuxiliaryOutput

    def degraded_branches(self) -> list[str]:
        branches = {"History": self.history, "Relevance": self.relevance, "Auxiliary": self.auxiliary}
        return [name for name, result in branches.items() if result.degraded]


class RespondInput(RouteOutput):
    context: GatheredContext


class RespondOutput(Payload):
    """The execution's output: whether a reply was posted, and why not when it was not."""

    replied: bool
    outcome: str  # "answered", "muted", "model_failed", "duplicate"
    route: str
    reply_text: str | None = None
    reply_message_id: str | None = None
    degraded_branches: list[str] = Field(default_factory=list)
    relevant_message_ids: list[str] = Field(default_factory=list)


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
