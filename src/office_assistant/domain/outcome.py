"""What Respond did with a message: the one list of outcomes, for the service's result and the execution's output."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    ANSWERED = "answered"
    MUTED = "muted"  # the chat is muted and the bot was not mentioned
    NOT_ADDRESSED = "not_addressed"  # stored, not answered (a group message not addressed to the bot)
    MODEL_FAILED = "model_failed"  # the model gave no answer: the user got the apology
