"""Personal data found in a text, and the text with each finding replaced by a `<TYPE>` placeholder."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "LOCATION",
)


@dataclass(frozen=True)
class PiiEntity:
    """One finding: its type (Presidio's names, e.g. EMAIL_ADDRESS) and its [start, end) span in the original."""

    type: str
    start: int
    end: int
    score: float = 1.0


@dataclass(frozen=True)
class Redaction:
    """The redacted text, and what was found in the original (offsets refer to the original text)."""

    text: str
    entities: tuple[PiiEntity, ...] = ()

    @property
    def types(self) -> tuple[str, ...]:
        """The entity types found, sorted, each once; safe to log (no personal data)."""
        return tuple(sorted({entity.type for entity in self.entities}))


def redact_spans(text: str, entities: tuple[PiiEntity, ...]) -> Redaction:
    """Replace each span with `<TYPE>`; where spans overlap, the one starting first (then the longest) wins."""
    kept: list[PiiEntity] = []
    for entity in sorted(entities, key=lambda e: (e.start, -(e.end - e.start))):
        if entity.start >= entity.end or (kept and entity.start < kept[-1].end):
            continue
        kept.append(entity)
    parts: list[str] = []
    cursor = 0
    for entity in kept:
        parts += [text[cursor : entity.start], f"<{entity.type}>"]
        cursor = entity.end
    parts.append(text[cursor:])
    return Redaction("".join(parts), tuple(kept))
