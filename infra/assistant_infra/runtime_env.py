"""What the deployed functions' environment means beyond `office_assistant.settings.ENV_VARS`.

Secrets never travel as values: a function gets the *id* (ARN) of each Secrets Manager secret it may read
(`SECRET_ID_ENV_VARS`, defined in settings.py beside the other names), and the runtime reads the value with
Powertools Parameters.
"""

from __future__ import annotations

from office_assistant.settings import SECRET_ID_ENV_VARS

__all__ = ["DEPLOYED_ADAPTERS", "SECRET_ID_ENV_VARS"]

DEPLOYED_ADAPTERS: dict[str, str] = {
    "message_store": "weaviate",
    "embeddings": "openai",
    "pii_engine": "comprehend",  # Presidio and spaCy do not fit the layer (docs/deploy.md); OA_PII stays off
}
"""Settings fields that pick the production adapters in a deployed stack (the local defaults, an SQLite file and
MiniLM on torch, cannot run in Lambda); every function gets them, set as plain environment values."""
