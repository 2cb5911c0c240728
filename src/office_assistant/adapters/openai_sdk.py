"""The openai SDK's client and errors, imported without the package ``__init__`` that imports the whole API.

``import openai`` loads every type and resource of the API (about 0.8 s of CPU here); the adapters need the client
class, its two error bases and, per call, the one resource they use (embeddings, chat completions, audio), which
the client imports on first use. `lean_imports` defers the ``__init__`` of ``openai`` and of its ``types``,
``resources`` and ``lib`` packages; anything that later uses ``openai.<name>`` gets the whole package as usual.
The private module paths are pinned by pyproject's ``openai`` range and exercised by the adapter tests.
"""

from __future__ import annotations

from office_assistant.adapters.lean_imports import defer_package_inits

defer_package_inits("openai", "openai.types", "openai.resources", "openai.lib")

from openai._base_client import DefaultHttpxClient  # noqa: E402
from openai._client import OpenAI  # noqa: E402
from openai._exceptions import APIStatusError, OpenAIError  # noqa: E402

__all__ = ["APIStatusError", "DefaultHttpxClient", "OpenAI", "OpenAIError"]
