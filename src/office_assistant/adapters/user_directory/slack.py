"""Slack user names through slack_sdk's `users.info` (scope `users:read`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackClientError

from office_assistant.ports import UserProfile

if TYPE_CHECKING:
    from slack_sdk import WebClient

logger = logging.getLogger(__name__)


class SlackUserDirectory:
    """UserDirectory on `users.info`; an unknown user or a failed call is None, never an error."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def lookup(self, user_id: str) -> UserProfile | None:
        try:
            response = self.client.users_info(user=user_id)
        except (SlackClientError, OSError) as exc:
            logger.info("Slack users.info failed: %s", type(exc).__name__)
            return None
        user = response.get("user")
        if not isinstance(user, dict):
            return None
        profile: dict[str, Any] = user["profile"] if isinstance(user.get("profile"), dict) else {}
        real_name = str(profile.get("real_name") or user.get("real_name") or "")
        display_name = str(profile.get("display_name") or "")
        return UserProfile(user_id, real_name.strip(), display_name.strip())
