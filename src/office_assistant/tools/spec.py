"""What a model tool is: its schema, its handler, where it is offered; and what a handler is given to act on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from jsonschema import Draft202012Validator

    from office_assistant.domain.messages import InboundMessage
    from office_assistant.ports import (
        ChatModel,
        Embedder,
        ErpClient,
        MediaBucket,
        MessageStore,
        PdfRenderer,
        Platforms,
        SlackWorkspace,
        SpeechSynthesizer,
        StateTable,
        WeatherService,
        WebPageReader,
        WebSearch,
    )

ALL_PLATFORMS = frozenset({"slack", "telegram"})
SLACK_ONLY = frozenset({"slack"})


@dataclass(frozen=True)
class ReasoningModel:
    """The model `ask_reasoning_model` puts hard questions to (legacy: o3-mini), through the chat model port."""

    chat_model: ChatModel
    model: str
    max_tokens: int = 4000


@dataclass(frozen=True)
class ToolPorts:
    """Everything a tool may act through; None (or an empty allow-list) means "not configured here"."""

    store: MessageStore
    embedder: Embedder
    state: StateTable
    erp: ErpClient | None = None
    erp_writes: frozenset[str] = frozenset()  # the Odoo writes allowed: create, update, post, delete
    web_search: WebSearch | None = None
    web_pages: WebPageReader | None = None
    weather: WeatherService | None = None
    workspace: SlackWorkspace | None = None
    platforms: Platforms | None = None
    media_bucket: MediaBucket | None = None
    pdf: PdfRenderer | None = None
    speech: SpeechSynthesizer | None = None
    reasoning: ReasoningModel | None = None
    post_channels: frozenset[str] = frozenset()  # Slack channels a tool may post to besides the current chat
    slack_actions: frozenset[str] = frozenset()  # the Slack workspace changes allowed: create_channel, invite, ...
    maths_timeout_s: float = 2.0


@dataclass(frozen=True)
class ToolContext:
    """The one message a tool call acts for: tools act on its chat, never on a chat the model names."""

    message: InboundMessage
    ports: ToolPorts


@dataclass(frozen=True)
class ToolSpec:
    """One function the model can call.

    `parameters` is the JSON Schema the arguments are validated against before `run` sees them. `requires`
    names the ToolPorts fields (or the platform capabilities "uploads", "audio_uploads") that must be present
    for the tool to be offered at all; `replaces` lists the legacy tool names it covers.
    """

    name: str
    description: str
    parameters: dict[str, Any]
    run: Callable[[ToolContext, dict[str, Any]], object]
    platforms: frozenset[str] = ALL_PLATFORMS
    requires: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    writes: bool = False  # posts or changes something outside: done once per message (tools/once.py)
    note: str = ""  # for the catalogue: how a legacy capability is covered when not one-to-one

    @cached_property
    def validator(self) -> Draft202012Validator:
        """Built on the first call: jsonschema costs ~50 ms to import, which functions that only read the
        routes file (and so the tool names) should not pay on a cold start."""
        from jsonschema import Draft202012Validator

        return Draft202012Validator(self.parameters)

    @property
    def schema(self) -> dict[str, Any]:
        """The OpenAI `tools` entry."""
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


def object_schema(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A closed JSON Schema object: unknown arguments (a `chat_id` the model invents) are refused."""
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema
