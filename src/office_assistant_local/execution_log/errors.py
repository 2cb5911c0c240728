"""Errors of reading an execution log and of replaying what it recorded."""

from __future__ import annotations


class ExecutionLogError(ValueError):
    """The file is not an execution log we can read, or it lacks what was asked for (an execution, a state)."""


class NotReplayableError(ValueError):
    """The log does not hold a complete input to replay: it was truncated, or execution data was not logged."""
