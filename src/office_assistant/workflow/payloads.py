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


class ToolCallReport(Payload):
    """One tool call Respond ran: which tool, how long, whether it worked (never its arguments or result)."""

    name: str
    duration_ms: float
    ok: bool
    error: str | None = None


class RespondOutput(Payload):
    """The execution's output: whether a reply was posted, and why not when it was not."""

    replied: bool
    outcome: str  # "answered", "muted", "model_failed", "duplicate"
    route: str
    reply_text: str | None = None
    reply_message_id: str | None = None
    degraded_branches: list[str] = Field(default_factory=list)
    relevant_message_ids: list[str] = Field(default_factory=list)
    tool_calls: list[ToolCallReport] = Field(default_factory=list)
