"""Amazon Comprehend PII redactor: DetectPiiEntities gives typed offsets, which are replaced by `<TYPE>`.

Comprehend's type names are mapped onto Presidio's (NAME → PERSON, EMAIL → EMAIL_ADDRESS, ...), so both
adapters produce the same placeholders and the same entity list configures either.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from office_assistant.domain.errors import PiiError
from office_assistant.domain.pii import DEFAULT_ENTITIES, PiiEntity, redact_spans

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mypy_boto3_comprehend.client import ComprehendClient

    from office_assistant.domain.pii import Redaction

logger = logging.getLogger(__name__)

COMPREHEND_TYPES: dict[str, str] = {
    "NAME": "PERSON",
    "EMAIL": "EMAIL_ADDRESS",
    "PHONE": "PHONE_NUMBER",
    "CREDIT_DEBIT_NUMBER": "CREDIT_CARD",
    "INTERNATIONAL_BANK_ACCOUNT_NUMBER": "IBAN_CODE",
    "IP_ADDRESS": "IP_ADDRESS",
    "ADDRESS": "LOCATION",
}
# DetectPiiEntities takes at most 100 KB of UTF-8; 25,000 characters are at most 100,000 bytes.
CHUNK_CHARS = 25_000


CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 1, "mode": "standard"})
"""Route calls Comprehend inside its Lambda's budget: botocore's defaults (60 s reads, several attempts) would
outlast it; a detector that cannot answer in time fails closed (PiiError withholds the text)."""


class ComprehendRedactor:
    """PiiRedactor on Comprehend's synchronous DetectPiiEntities, keeping findings of the configured types.

    Longer texts are sent in 25,000-character chunks; a finding cut by a chunk boundary may be missed. Offsets
    outside the text sent are dropped (moto's DetectPiiEntities, for one, answers fixed offsets for any text).
    """

    def __init__(
        self,
        entities: Sequence[str] = DEFAULT_ENTITIES,
        min_score: float = 0.5,
        language: str = "en",
        boto3_client: ComprehendClient | None = None,
    ) -> None:
        self.entities = frozenset(entities)
        self.min_score = min_score
        self.language = language
        self.client: ComprehendClient = (
            boto3_client if boto3_client is not None else boto3.client("comprehend", config=CLIENT_CONFIG)
        )

    def redact(self, text: str) -> Redaction:
        """`text` with every finding of a configured type replaced by `<TYPE>`."""
        found: list[PiiEntity] = []
        for offset in range(0, len(text), CHUNK_CHARS):
            chunk = text[offset : offset + CHUNK_CHARS]
            if chunk.strip():
                found += (
                    PiiEntity(kind, offset + start, offset + end, score)
                    for kind, start, end, score in self._detect(chunk)
                    if kind in self.entities and score >= self.min_score and 0 <= start < end <= len(chunk)
                )
        return redact_spans(text, tuple(found))

    def _detect(self, chunk: str) -> list[tuple[str, int, int, float]]:
        try:
            response = self.client.detect_pii_entities(Text=chunk, LanguageCode=self.language)
        except (ClientError, BotoCoreError) as error:
            raise PiiError(f"Comprehend could not check the text: {_reason(error)}") from error
        return [
            (
                COMPREHEND_TYPES.get(entity.get("Type", ""), entity.get("Type", "")),
                int(entity.get("BeginOffset", 0)),
                int(entity.get("EndOffset", 0)),
                float(entity.get("Score", 0.0)),
            )
            for entity in response.get("Entities", [])
        ]


def _reason(error: Exception) -> str:
    if isinstance(error, ClientError):
        details: Any = error.response.get("Error", {})
        return f"{details.get('Code', 'ClientError')}: {details.get('Message', '')}"
    return type(error).__name__
