"""Slack files: `url_private` fetched with the bot token in the Authorization header."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from office_assistant.adapters.media_fetcher.download import capped_get
from office_assistant.domain.errors import MediaError

if TYPE_CHECKING:
    import httpx

    from office_assistant.domain.messages import Attachment

SLACK_FILE_HOSTS = ("files.slack.com",)


class SlackFileFetcher:
    """MediaFetcher for Slack; the token goes only to `allowed_hosts` (files.slack.com; a loopback in tests)."""

    def __init__(self, http_client: httpx.Client, token: str, allowed_hosts: tuple[str, ...] = SLACK_FILE_HOSTS):
        self.http = http_client
        self._token = token
        self.allowed_hosts = allowed_hosts

    def __repr__(self) -> str:
        return f"SlackFileFetcher(allowed_hosts={self.allowed_hosts!r})"

    def fetch(self, attachment: Attachment, max_bytes: int) -> bytes:
        url = urlsplit(attachment.ref)
        host = f"{url.hostname}:{url.port}" if url.port else str(url.hostname)
        if url.scheme not in {"https", "http"} or (
            host not in self.allowed_hosts and url.hostname not in self.allowed_hosts
        ):
            raise MediaError(f"{attachment.name or 'file'}: not a Slack file URL")
        return capped_get(
            self.http, attachment.ref, max_bytes, {"Authorization": f"Bearer {self._token}"}, attachment.name or "file"
        )
