"""Telegram files: getFile resolves a file_id to a path, downloaded from the token-bearing file URL.

That URL contains the bot token: it is built and used here only, never returned, logged or stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from office_assistant.adapters.chat_platforms.telegram import DEFAULT_BASE_URL, redact_token
from office_assistant.adapters.media_fetcher.download import call_timeout, capped_get
from office_assistant.domain.errors import MediaError

if TYPE_CHECKING:
    from office_assistant.domain.messages import Attachment


class TelegramFileFetcher:
    """MediaFetcher for Telegram (bots may download files of up to 20 MB)."""

    def __init__(self, http_client: httpx.Client, token: str, base_url: str = DEFAULT_BASE_URL) -> None:
        self.http = http_client
        self._token = token
        self.base_url = base_url.rstrip("/")

    def __repr__(self) -> str:
        return f"TelegramFileFetcher(base_url={self.base_url!r})"

    def fetch(self, attachment: Attachment, max_bytes: int) -> bytes:
        what = attachment.name or attachment.kind
        try:
            response = self.http.post(
                f"{self.base_url}/bot{self._token}/getFile",
                json={"file_id": attachment.ref},
                timeout=call_timeout(self.http),
            )
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise MediaError(f"{what}: getFile failed ({redact_token(type(exc).__name__, self._token)})") from None
        result = answer.get("result") if isinstance(answer, dict) else None
        if not isinstance(result, dict) or not isinstance(result.get("file_path"), str):
            description = answer.get("description", "") if isinstance(answer, dict) else ""
            raise MediaError(f"{what}: getFile refused: {redact_token(str(description), self._token)}")
        size = result.get("file_size")
        if isinstance(size, int) and size > max_bytes:
            raise MediaError(f"{what}: {size} bytes is over the {max_bytes}-byte limit")
        url = f"{self.base_url}/file/bot{self._token}/{result['file_path']}"
        return capped_get(self.http, url, max_bytes, {}, what)
