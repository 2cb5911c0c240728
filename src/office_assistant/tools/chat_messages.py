"""How stored messages are shown to the model by the history tools, and how it names a time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from office_assistant.domain.errors import ToolServiceError

if TYPE_CHECKING:
    from office_assistant.domain.messages import StoredMessage

TIME_FORMAT_HELP = "ISO 8601 (2025-03-14T09:30:00Z; no zone means UTC) or Unix seconds (1741944600.25)"


def history_entry(message: StoredMessage, score: float | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "time": datetime.fromtimestamp(message.ts, UTC).isoformat(timespec="seconds"),
        "ts": message.ts,
        "role": message.role.value,
        "user": message.user_name,
        "text": message.text,
    }
    if score is not None:
        entry["score"] = score
    return entry


def parse_time(value: str) -> float:
    """Unix seconds from `value` as the model writes a time; ToolServiceError naming the formats otherwise."""
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise ToolServiceError(f"not a time: {value[:40]!r}; use {TIME_FORMAT_HELP}") from error
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
