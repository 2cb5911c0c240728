"""What a platform parser returns for a delivery the assistant does not answer, and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ignored:
    """A delivery that is acknowledged (200) but not processed; `reason` is safe to log and return."""

    reason: str
