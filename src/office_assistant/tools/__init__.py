"""The model's tools: one module per tool (schema, handler, where it is offered), a catalogue, and the toolbox."""

from __future__ import annotations

from office_assistant.tools.catalogue import LEGACY_TOOL_NAMES, TOOLS, TOOLS_BY_NAME
from office_assistant.tools.spec import ReasoningModel, ToolContext, ToolPorts, ToolSpec
from office_assistant.tools.toolbox import Toolbox
from office_assistant.tools.toolset import MAX_RESULT_CHARS, ToolCallRecord, ToolSet

__all__ = [
    "LEGACY_TOOL_NAMES",
    "MAX_RESULT_CHARS",
    "TOOLS",
    "TOOLS_BY_NAME",
    "ReasoningModel",
    "ToolCallRecord",
    "ToolContext",
    "ToolPorts",
    "ToolSet",
    "ToolSpec",
    "Toolbox",
]
