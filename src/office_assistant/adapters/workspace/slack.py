"""The Slack workspace through slack_sdk's WebClient: people, channels, and posting, channel creation and invites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError, SlackClientError

from office_assistant.domain.errors import ToolServiceError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from slack_sdk import WebClient
    from slack_sdk.web import SlackResponse

PAGE = 200  # Slack recommends at most 200 per page for users.list and conversations.list


class SlackWebWorkspace:
    """SlackWorkspace on the bot token's WebClient; every Slack refusal becomes a ToolServiceError with its code."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def users(self, limit: int = 200) -> list[dict[str, Any]]:
        people: list[dict[str, Any]] = []
        for page in self._pages("users.list", self.client.users_list, "members", limit):
            for user in page:
                if user.get("deleted") or user.get("is_bot"):
                    continue  # the people of the workspace, as the legacy listed them
                profile = user.get("profile") or {}
                people.append(
                    {
                        "id": user.get("id"),
                        "name": user.get("name"),
                        "real_name": user.get("real_name") or profile.get("real_name", ""),
                        "display_name": profile.get("display_name", ""),
                    }
                )
        return people[:limit]

    def channels(self, limit: int = 200) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        pages = self._pages(
            "conversations.list",
            self.client.conversations_list,
            "channels",
            limit,
            types="public_channel,private_channel",
            exclude_archived=True,
        )
        for page in pages:
            found += [
                {
                    "id": channel.get("id"),
                    "name": channel.get("name"),
                    "is_private": bool(channel.get("is_private")),
                    "is_member": bool(channel.get("is_member")),
                    "purpose": (channel.get("purpose") or {}).get("value", ""),
                    "members": channel.get("num_members"),
                }
                for channel in page
            ]
        return found[:limit]

    def post(self, channel: str, text: str) -> str:
        response = self._call("chat.postMessage", self.client.chat_postMessage, channel=channel, text=text)
        return str(response["ts"])

    def create_channel(self, name: str, private: bool = False) -> dict[str, Any]:
        response = self._call("conversations.create", self.client.conversations_create, name=name, is_private=private)
        channel = response["channel"]
        return {"id": channel.get("id"), "name": channel.get("name"), "is_private": bool(channel.get("is_private"))}

    def invite(self, channel: str, user_ids: Sequence[str]) -> dict[str, Any]:
        response = self._call(
            "conversations.invite", self.client.conversations_invite, channel=channel, users=",".join(user_ids)
        )
        return {"id": response["channel"].get("id"), "invited": list(user_ids)}

    def set_purpose(self, channel: str, purpose: str) -> dict[str, Any]:
        response = self._call(
            "conversations.setPurpose", self.client.conversations_setPurpose, channel=channel, purpose=purpose
        )
        value = response.get("purpose")
        return {"id": channel, "purpose": value.get("value", purpose) if isinstance(value, dict) else value or purpose}

    def _pages(
        self, label: str, method: Callable[..., SlackResponse], key: str, limit: int, **arguments: Any
    ) -> list[list[dict[str, Any]]]:
        """Up to `limit` items of the list under `key`, following Slack's cursors."""
        pages: list[list[dict[str, Any]]] = []
        cursor, seen = None, 0
        while seen < limit:
            response = self._call(label, method, limit=min(PAGE, limit), cursor=cursor, **arguments)
            page = list(response.get(key) or [])
            pages.append(page)
            seen += len(page)
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor or not page:
                break
        return pages

    @staticmethod
    def _call(label: str, method: Callable[..., SlackResponse], /, **arguments: Any) -> SlackResponse:
        try:
            return method(**{k: v for k, v in arguments.items() if v is not None})
        except SlackApiError as error:
            raise ToolServiceError(f"Slack {label} failed: {error.response.get('error', 'error')}") from error
        except SlackClientError as error:
            raise ToolServiceError(f"Slack {label} could not be reached: {type(error).__name__}") from error
