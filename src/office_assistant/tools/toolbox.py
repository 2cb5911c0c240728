"""Picks the tools for one message: those its route lists, on its platform, whose services are configured."""

from __future__ import annotations

from typing import TYPE_CHECKING

from office_assistant.tools.catalogue import TOOLS_BY_NAME
from office_assistant.tools.spec import ToolContext
from office_assistant.tools.toolset import ToolSet

if TYPE_CHECKING:
    from office_assistant.domain.messages import InboundMessage
    from office_assistant.domain.routes import RouteSettings
    from office_assistant.tools.spec import ToolPorts, ToolSpec

_PLATFORM_CAPABILITIES = {"uploads": "send_file", "audio_uploads": "send_audio"}


class Toolbox:
    """The tools of a route (routes file), minus those for another platform or whose requirements are missing.

    A tool is never offered and then unable to run (the legacy advertised Slack tools on Telegram).
    """

    def __init__(self, ports: ToolPorts) -> None:
        self.ports = ports

    def for_message(self, message: InboundMessage, settings: RouteSettings) -> ToolSet:
        offered = tuple(
            tool
            for name in settings.tools
            if (tool := TOOLS_BY_NAME.get(name)) is not None and self.offers(tool, message)
        )
        return ToolSet(ToolContext(message, self.ports), offered)

    def offers(self, tool: ToolSpec, message: InboundMessage) -> bool:
        """Whether `tool` can run for `message`: its platform, and everything in `requires` configured."""
        if message.platform.value not in tool.platforms:
            return False
        return all(self._has(need, message) for need in tool.requires)

    def _has(self, need: str, message: InboundMessage) -> bool:
        if method := _PLATFORM_CAPABILITIES.get(need):
            platforms = self.ports.platforms
            platform = platforms.by_name.get(message.platform.value) if platforms is not None else None
            return callable(getattr(platform, method, None))
        if ":" in need:  # "erp_writes:delete": an action a setting must list
            field, _, action = need.partition(":")
            return action in getattr(self.ports, field)
        return bool(getattr(self.ports, need))
