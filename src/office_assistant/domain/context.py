"""Context gathered before the model call: one value per parallel branch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from office_assistant.domain.messages import StoredMessage  # noqa: TC001 - pydantic resolves it at run time


@dataclass(frozen=True)
class HistoryWindow:
    """The chat's latest messages in time order: an older part to summarise and a newer part kept verbatim."""

    to_summarise: tuple[StoredMessage, ...] = ()
    verbatim: tuple[StoredMessage, ...] = ()


@dataclass(frozen=True)
class RelevantMessages:
    """Past messages of the chat most similar to the current one, in time order."""

    messages: tuple[StoredMessage, ...] = ()


@dataclass(frozen=True)
class AuxiliaryFindings:
    """Cheap side lookups: mute state, the ERP's model map (odoo route only)."""

    muted: bool = False
    erp_models: dict[str, Any] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class GatheredContext:
    """What the three parallel branches found (empty where a branch was degraded)."""

    history: HistoryWindow = field(default_factory=HistoryWindow)
    relevant: RelevantMessages = field(default_factory=RelevantMessages)
    auxiliary: AuxiliaryFindings = field(default_factory=AuxiliaryFindings)
