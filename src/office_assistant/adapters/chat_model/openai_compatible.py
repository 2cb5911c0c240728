"""Chat completions through the openai client: OpenAI itself, or any OpenAI-compatible server chosen by base_url."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Literal

import httpx

from office_assistant.adapters import openai_sdk
from office_assistant.adapters.openai_deadline import deadline_bound
from office_assistant.adapters.tls import shared_ssl_context
from office_assistant.domain.errors import ChatModelError
from office_assistant.ports import ChatReply, ToolCall

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from openai.types.chat import ChatCompletion, ChatCompletionChunk

logger = logging.getLogger(__name__)

OPENAI_BASE_URL = "https://api.openai.com/v1"
MAX_RETRIES = 1  # the workflow's Retry is the main retry; this only absorbs one transient blip


def build_openai_client(base_url: str | None, api_key: str, timeout_s: float) -> openai_sdk.OpenAI:
    """An OpenAI client for `base_url` (None: api.openai.com), never falling back to OPENAI_BASE_URL."""
    return openai_sdk.OpenAI(
        base_url=base_url or OPENAI_BASE_URL,
        api_key=api_key,
        timeout=timeout_s,
        max_retries=MAX_RETRIES,
        http_client=openai_sdk.DefaultHttpxClient(timeout=timeout_s, verify=shared_ssl_context()),
    )


REASONING_MODEL = re.compile(r"^o\d")  # o1, o3-mini, o4-mini…: reasoning models with their own parameters


class OpenAiCompatibleChatModel:
    """ChatModel on `chat.completions.create`; every failure becomes a ChatModelError naming its cause."""

    def __init__(self, client: openai_sdk.OpenAI) -> None:
        self.client = client

    def complete(
        self,
        messages: list[dict[str, Any]],
        model: str,
        temperature: float,
        max_tokens: int,
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: Literal["auto", "none"] | None = None,
    ) -> ChatReply:
        """One non-streaming completion: text or tool calls, the model that answered and the token usage.

        `tools` and `tool_choice` are sent only when given, so a server without function calling never sees them.
        """
        options: dict[str, Any] = {"temperature": temperature, "max_tokens": max_tokens}
        if REASONING_MODEL.match(model):
            # o-series models refuse max_tokens and any temperature but their default
            options = {"max_completion_tokens": max_tokens}
        if tools:
            options["tools"] = list(tools)
            if tool_choice is not None:
                options["tool_choice"] = tool_choice
        try:
            completion: ChatCompletion = deadline_bound(self.client).chat.completions.create(
                model=model,
                messages=messages,  # type: ignore[arg-type]  # plain dicts in the OpenAI message shape
                **options,
            )
        except openai_sdk.APIStatusError as exc:
            raise ChatModelError(f"chat model {model!r} answered HTTP {exc.status_code}: {exc.message}") from exc
        except openai_sdk.OpenAIError as exc:
            raise ChatModelError(f"chat model {model!r} failed: {type(exc).__name__}: {exc}") from exc
        return _reply(completion, model)

    def stream(
        self,
        messages: list[dict[str, Any]],
        model: str,
        temperature: float,
        max_tokens: int,
        on_text: Callable[[str], None],
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: Literal["auto", "none"] | None = None,
    ) -> ChatReply:
        """A streamed completion (`stream=True`): each text delta goes to `on_text`; tool calls are assembled.

        Usage is asked for with `stream_options.include_usage`; a server that ignores it (llama.cpp) reports 0.
        A failure before or during the stream (an HTTP error, an `error` event, a cut connection) is a
        ChatModelError; the text already handed out stays handed out.
        """
        options: dict[str, Any] = {}
        if tools:
            options["tools"] = list(tools)
            if tool_choice is not None:
                options["tool_choice"] = tool_choice
        try:
            chunks = deadline_bound(self.client).chat.completions.create(  # type: ignore[call-overload]  # plain message dicts
                model=model,
                messages=messages,
                temperature=temperature,
                max_tokens=max_tokens,
                stream=True,
                stream_options={"include_usage": True},
                **options,
            )
            return _assemble(chunks, model, on_text)
        except openai_sdk.APIStatusError as exc:
            raise ChatModelError(f"chat model {model!r} answered HTTP {exc.status_code}: {exc.message}") from exc
        except (openai_sdk.OpenAIError, httpx.HTTPError) as exc:
            raise ChatModelError(f"chat model {model!r} stream failed: {type(exc).__name__}: {exc}") from exc


def _assemble(chunks: Iterable[ChatCompletionChunk], requested_model: str, on_text: Callable[[str], None]) -> ChatReply:
    """The ChatReply a stream of chunks adds up to; tool-call fragments are joined by their index."""
    text: list[str] = []
    calls: dict[int, dict[str, str]] = {}
    finish_reason: str | None = None
    prompt_tokens = completion_tokens = 0
    answered_by = requested_model
    for chunk in chunks:
        answered_by = getattr(chunk, "model", None) or answered_by
        if usage := getattr(chunk, "usage", None):
            prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
            completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
        for choice in getattr(chunk, "choices", None) or ():
            if getattr(choice, "index", 0) != 0:
                continue
            finish_reason = getattr(choice, "finish_reason", None) or finish_reason
            delta = getattr(choice, "delta", None)
            if isinstance(content := getattr(delta, "content", None), str) and content:
                text.append(content)
                on_text(content)
            for fragment in getattr(delta, "tool_calls", None) or ():
                call = calls.setdefault(int(fragment.index), {"id": "", "name": "", "arguments": ""})
                call["id"] = fragment.id or call["id"]
                if function := fragment.function:
                    call["name"] += function.name or ""
                    call["arguments"] += function.arguments or ""
    tool_calls = tuple(ToolCall(c["id"], c["name"], c["arguments"]) for _, c in sorted(calls.items()) if c["name"])
    answer = "".join(text)
    if finish_reason is None:
        # A cut connection raises in the client; a clean end without a finish reason (llama.cpp's server does it
        # now and then) still carries the whole answer.
        logger.warning("chat stream ended without a finish reason", extra={"model": answered_by})
    if not tool_calls and not answer.strip():
        raise ChatModelError(f"chat model {requested_model!r} streamed no text (finish_reason={finish_reason!r})")
    logger.info(
        "chat completion streamed",
        extra={
            "model": answered_by,
            "finish_reason": finish_reason,
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "tool_calls": [call.name for call in tool_calls],
        },
    )
    return ChatReply(answer, answered_by, prompt_tokens, completion_tokens, tool_calls, finish_reason=finish_reason)


def _reply(completion: ChatCompletion, requested_model: str) -> ChatReply:
    """The ChatReply in a completion; a server that is compatible only in part gets a ChatModelError, not a crash."""
    choices = getattr(completion, "choices", None)
    if not choices:
        raise ChatModelError(f"chat model {requested_model!r} returned no choices")
    choice = choices[0]
    message = getattr(choice, "message", None)
    text = getattr(message, "content", None)
    tool_calls = _tool_calls(message)
    if not tool_calls and (not isinstance(text, str) or not text.strip()):
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
            "tool_calls": [call.name for call in tool_calls],
        },
    )
    return ChatReply(
        text=text if isinstance(text, str) else "",
        model=answered_by,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        tool_calls=tool_calls,
        finish_reason=str(getattr(choice, "finish_reason", None) or "") or None,
    )


def _tool_calls(message: Any) -> tuple[ToolCall, ...]:
    """The function calls in a reply message (other kinds of tool call, e.g. "custom", are not offered)."""
    calls = getattr(message, "tool_calls", None) or ()
    return tuple(
        ToolCall(id=call.id, name=call.function.name, arguments=call.function.arguments or "")
        for call in calls
        if getattr(call, "type", None) == "function"
    )
