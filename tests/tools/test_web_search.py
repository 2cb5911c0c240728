"""web_search with the real GoogleWebSearch adapter (httpx) against the loopback Custom Search API."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from office_assistant.adapters.web_search import GoogleWebSearch
from office_assistant_local.standins.google_search import GoogleSearchLoopback
from tests.tools.conftest import plain_ports, run, toolset

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def google() -> Iterator[GoogleSearchLoopback]:
    with GoogleSearchLoopback() as server:
        yield server


def _search(google: GoogleSearchLoopback, api_key: str | None = None) -> GoogleWebSearch:
    return GoogleWebSearch(httpx.Client(timeout=5.0), api_key or google.api_key, google.engine_id, google.url)


def test_web_search_returns_title_url_and_snippet_of_the_best_results(google: GoogleSearchLoopback) -> None:
    tools = toolset(plain_ports(web_search=_search(google)), "web_search")

    result = run(tools, "web_search", {"query": "four-day week trial results", "count": 2})

    [first, *_] = result["result"]
    assert first == {
        "title": "Four-day week trial results | Autonomy",
        "url": "https://autonomy.example/four-day-week-results",
        "snippet": first["snippet"],
    }
    assert "56 continued" in first["snippet"]
    [request] = google.requests
    assert request.query == {
        "key": google.api_key,
        "cx": google.engine_id,
        "q": "four-day week trial results",
        "num": "2",
    }


def test_web_search_with_no_hits_returns_an_empty_list(google: GoogleSearchLoopback) -> None:
    tools = toolset(plain_ports(web_search=_search(google)), "web_search")

    assert run(tools, "web_search", {"query": "zyxwvut"}) == {"result": []}


def test_a_refused_key_becomes_an_error_message_without_the_key(google: GoogleSearchLoopback) -> None:
    tools = toolset(plain_ports(web_search=_search(google, api_key="wrong-key")), "web_search")

    result = run(tools, "web_search", {"query": "gdpr"})

    assert result == {"error": "web search failed: HTTP 400: API key not valid. Please pass a valid API key."}
    assert "wrong-key" not in str(tools.calls)


def test_a_quota_error_becomes_an_error_message(google: GoogleSearchLoopback) -> None:
    google.fail_next(status=429)
    tools = toolset(plain_ports(web_search=_search(google)), "web_search")

    result = run(tools, "web_search", {"query": "gdpr"})

    assert result["error"].startswith("web search failed: HTTP 429: Quota exceeded")
    assert [(c.name, c.ok) for c in tools.calls] == [("web_search", False)]


def test_an_unreachable_search_service_becomes_an_error_message() -> None:
    search = GoogleWebSearch(httpx.Client(timeout=1.0), "k", "cx", "http://127.0.0.1:9")
    tools = toolset(plain_ports(web_search=search), "web_search")

    assert run(tools, "web_search", {"query": "gdpr"}) == {"error": "web search could not be reached: ConnectError"}


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({}, "arguments: 'query' is a required property"),
        ({"query": ""}, "query: '' should be non-empty"),
        ({"query": "x", "count": 50}, "count: 50 is greater than the maximum of 10"),
    ],
)
def test_bad_arguments_never_reach_the_search_service(
    google: GoogleSearchLoopback, arguments: dict[str, object], problem: str
) -> None:
    tools = toolset(plain_ports(web_search=_search(google)), "web_search")

    assert run(tools, "web_search", arguments) == {"error": f"invalid arguments for web_search: {problem}"}
    assert google.requests == []


def test_web_search_is_not_offered_without_a_search_service() -> None:
    assert toolset(plain_ports(), "web_search").names == []
