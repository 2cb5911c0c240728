"""Names instead of ids: the sender's name and `<@U…>` mentions, so the model and the history read people.

Runs in the Route step (after the webhook's 200, so `users.info` never delays Slack's 3-second ack). A user
whose lookup fails keeps their id: never an error.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from office_assistant.domain.messages import InboundMessage
    from office_assistant.ports import UserDirectory

# <@U0123> and the older <@U0123|name> form; W… ids are Enterprise Grid users.
SLACK_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
MAX_LOOKUPS = 20  # mentions resolved per message; more are left as ids


class NameResolver:
    def __init__(self, directories: Mapping[str, UserDirectory]) -> None:
        self.directories = directories  # by platform name; a platform without one keeps what it sent

    def resolve(self, message: InboundMessage) -> InboundMessage:
        """The message with its sender's name and every resolvable mention in the text as `@Name`."""
        directory = self.directories.get(message.platform.value)
        if directory is None:
            return message
        names: dict[str, str] = {}

        def name_of(user_id: str) -> str | None:
            if user_id not in names and len(names) < MAX_LOOKUPS:
                profile = directory.lookup(user_id)
                names[user_id] = profile.name if profile is not None else ""
            return names.get(user_id) or None

        user_name = name_of(message.user_id) or message.user_name

        def mention(match: re.Match[str]) -> str:
            name = name_of(match.group(1))
            return f"@{name}" if name else match.group(0)

        text = SLACK_MENTION.sub(mention, message.text)
        return replace(message, user_name=user_name, text=text)
