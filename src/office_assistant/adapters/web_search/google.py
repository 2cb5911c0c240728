"""Web search through Google's Programmable Search (Custom Search JSON API), as the legacy google_search used."""

from __future__ import annotations

import logging

import httpx

from office_assistant.domain.errors import ToolServiceError
from office_assistant.ports import SearchResult

logger = logging.getLogger(__name__)

SEARCH_PATH = "/customsearch/v1"
MAX_RESULTS = 10  # the API's `num` limit per request


class GoogleWebSearch:
    """WebSearch on `GET /customsearch/v1?key=&cx=&q=&num=`; the key stays out of logs, errors and repr."""

    def __init__(
        self,
        http_client: httpx.Client,
        api_key: str,
        engine_id: str,
        base_url: str = "https://customsearch.googleapis.com",
    ) -> None:
        self.http = http_client
        self._api_key = api_key
        self.engine_id = engine_id
        self.base_url = base_url.rstrip("/")

    def __repr__(self) -> str:
        return f"GoogleWebSearch(base_url={self.base_url!r}, engine_id={self.engine_id!r})"

    def search(self, query: str, count: int = 5) -> list[SearchResult]:
        num = max(1, min(count, MAX_RESULTS))
        params: dict[str, str | int] = {"key": self._api_key, "cx": self.engine_id, "q": query, "num": num}
        try:
            response = self.http.get(self.base_url + SEARCH_PATH, params=params)
        except httpx.HTTPError as error:
            raise ToolServiceError(f"web search could not be reached: {type(error).__name__}") from error
        try:
            body = response.json()
        except ValueError as error:
            raise ToolServiceError(f"web search answered HTTP {response.status_code} without JSON") from error
        if response.status_code != 200 or not isinstance(body, dict):
            error_body = body.get("error") if isinstance(body, dict) else None
            message = error_body.get("message") if isinstance(error_body, dict) else None
            raise ToolServiceError(f"web search failed: HTTP {response.status_code}: {message or 'no detail'}")
        items = body.get("items") or []  # no results: Google leaves `items` out
        results = [
            SearchResult(str(item.get("title", "")), str(item.get("link", "")), str(item.get("snippet", "")))
            for item in items
            if isinstance(item, dict) and item.get("link")
        ]
        logger.info("web search answered", extra={"results": len(results)})
        return results
