"""Chat completions through the openai client: OpenAI itself, or any OpenAI-compatible server chosen by base_url."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import openai

from office_assistant.domain.errors import ChatModelError
from office_assistant.ports import ChatReply

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

logger = logging.getLogger(__name__)

OPENAI_BASE_URL = "https://api.openai.com/v1"
MAX_RETRIES = 1  # the workflow's Retry is the main retry; this only absorbs one transient blip


def build_openai_client(base_url: str | None, api_key: str, timeout_s: float) -> openai.OpenAI:
    """An OpenAI client for `base_url` (None: api.openai.com), never falling back to OPENAI_BASE_URL."""
    return openai.OpenAI(
        base_url=base_url or OPENAI_BASE_URL, api_key=api_key, timeout=timeout_s, max_retries=MAX_RETRIES
    )


class OpenAiCompatibleChatModel:
    """ChatModel on `chat.completions.create`; every failure becomes a ChatModelError naming its cause."""

    def __init__(self, client: openai.OpenAI) -> None:
        self.client = client

    def complete(self, messages: list[dict[str, Any]], model: str, temperature: float, max_tokens: int) -> ChatReply:
        """One non-streaming completion; the reply's text, the model that answered and the token usage."""
        try:
            completion: ChatCompletion = self.client.chat.completions.create(
                model=model,
                messages=messages,  # type: ignore[arg-type]  # plain dicts in the OpenAI message shape
                temperature=temperature,
                max_tokens=max_tokens,
            )
        except openai.APIStatusError as exc:
            raise ChatModelError(f"chat model {model!r} answered HTTP {exc.status_code}: {exc.message}") from exc
        except openai.OpenAIError as exc:
            raise ChatModelError(f"chat model {model!r} failed: {type(exc).__name__}: {exc}") from exc
        return _reply(completion, model)


def _reply(completion: ChatCompletion, requested_model: str) -> ChatReply:
    """The ChatReply in a completion; a server that is compatible only in part gets a ChatModelError, not a crash."""
    choices = getattr(completion, "choices", None)
    if not choices:
        raise ChatModelError(f"chat model {requested_model!r} returned no choices")
    choice = choices[0]
    message = getattr(choice, "message", None)
    text = getattr(message, "content", None)
    if not isinstance(text, str) or not text.strip():
        finish_reason = getattr(choice, "finish_reason", None)
        raise ChatModelError(f"chat model {requested_model!r} returned no text (finish_reason={finish_reason!r})")
    usage = getattr(completion, "usage", None)
    prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
    completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
    answered_by = getattr(completion, "model", None) or requested_model
    logger.info(
        "chat completion",
        extra={
            "model": answered_by,
            "finish_reason": getattr(choice, "finish_reason", None),
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
        },
    )
    return ChatReply(text=text, model=answered_by, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
