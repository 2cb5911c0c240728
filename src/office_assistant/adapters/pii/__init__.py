"""PII redactor adapters: Presidio in-process (spaCy NER + patterns) and Amazon Comprehend over boto3.

Both modules import their heavy dependency only when first used, so importing this package stays cheap.
"""

from __future__ import annotations

from office_assistant.adapters.pii.comprehend import ComprehendRedactor
from office_assistant.adapters.pii.presidio import PresidioRedactor, bundled_model_path

__all__ = ["ComprehendRedactor", "PresidioRedactor", "bundled_model_path"]
