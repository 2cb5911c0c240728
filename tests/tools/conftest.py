"""Tool tests: a toolbox on real adapters pointed at the loopback stand-ins, and calls made as the model makes them."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from office_assistant.ports import ToolCall
from office_assistant.tools import Toolbox, ToolPorts
from tests.builders import a_message, some_settings
from tests.fakes import FakeStateTable, HashingEmbedder, InMemoryMessageStore

if TYPE_CHECKING:
    from office_assistant.domain.messages import InboundMessage
    from office_assistant.tools import ToolSet


def call(name: str, arguments: dict[str, Any] | str) -> ToolCall:
    return ToolCall("call_1", name, arguments if isinstance(arguments, str) else json.dumps(arguments))


def plain_ports(**ports: Any) -> ToolPorts:
    return ToolPorts(InMemoryMessageStore(), HashingEmbedder(), FakeStateTable(), **ports)


def toolset(ports: ToolPorts, *names: str, message: InboundMessage | None = None) -> ToolSet:
    """The tools `names` as a route listing them offers them for `message` (a Slack message by default)."""
    settings = replace(some_settings(), tools=names)
    return Toolbox(ports).for_message(message or a_message(), settings)


def run(tools: ToolSet, name: str, arguments: dict[str, Any] | str) -> dict[str, Any]:
    """The decoded tool message for one call."""
    decoded: dict[str, Any] = json.loads(tools.run(call(name, arguments)))
    return decoded
