"""Errors the local engine raises on purpose."""

from __future__ import annotations


class InvalidDefinitionError(ValueError):
    """The definition is not valid ASL (what CreateStateMachine would reject)."""


class ExecutionAlreadyRunningError(RuntimeError):
    """A live run of the same definition already uses this execution name."""


class UnsupportedMotoError(RuntimeError):
    """The installed moto no longer has the names the local engine replaces."""
