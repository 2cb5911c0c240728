"""The browse tool's page reader: real httpx against a loopback website, SSRF refusals at every hop."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

import httpx
import pytest

from office_assistant.adapters.web_pages import PublicWebPageReader, refusal
from office_assistant.domain.errors import FetchRefusedError, ToolServiceError
from office_assistant_local.standins.website import Page, WebsiteLoopback
from tests.tools.conftest import plain_ports, run, toolset

if TYPE_CHECKING:
    from collections.abc import Iterator

PUBLIC = "93.184.215.14"  # a global unicast address; the test transport delivers its requests to the loopback


class _ToLoopback(httpx.BaseTransport):
    """Delivers each request (addressed to the checked IP) to the loopback website instead."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inner = httpx.HTTPTransport()
        self.targets: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.targets.append(str(request.url))
        request.url = request.url.copy_with(host="127.0.0.1", port=self.port)
        return self.inner.handle_request(request)


@pytest.fixture
def site() -> Iterator[WebsiteLoopback]:
    with WebsiteLoopback() as server:
        yield server


def _reader(site: WebsiteLoopback, names: dict[str, str] | None = None, **limits: int) -> PublicWebPageReader:
    hosts = {"news.example": PUBLIC, **(names or {})}
    transport = _ToLoopback(int(site.url.rsplit(":", 1)[1]))

    def resolver(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        return [ipaddress.ip_address(hosts.get(host, host))]

    return PublicWebPageReader(httpx.Client(transport=transport), resolver=resolver, **limits)


def test_read_returns_the_title_and_main_text_from_the_checked_address(site: WebsiteLoopback) -> None:
    reader = _reader(site)

    page = reader.read("http://news.example/article")

    assert page.title == "Quarterly figures are in"
    assert "Revenue rose by twelve percent" in page.text and "forty more engineers" in page.text
    assert "Copyright" not in page.text
    assert (page.url, page.content_type, page.truncated) == ("http://news.example/article", "text/html", False)
    [request] = site.requests
    assert request.headers["host"] == "news.example"
    assert reader.http._transport.targets == [f"http://{PUBLIC}/article"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.0.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fd12:3456::1", "a private address"),
        ("169.254.10.10", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.251", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("168.63.129.16", "a cloud metadata address"),
        ("100.64.0.1", "a reserved or shared address"),
        ("0.0.0.0", "an unspecified address"),
        ("::ffff:10.0.0.1", "a private address"),
    ],
)
def test_each_non_public_address_class_is_refused_before_any_request(
    site: WebsiteLoopback, address: str, reason: str
) -> None:
    reader = _reader(site, {"inside.example": address})

    with pytest.raises(FetchRefusedError, match=f"resolves to {reason}"):
        reader.read("http://inside.example/article")

    assert refusal(ipaddress.ip_address(address)) == reason
    assert site.requests == []


def test_a_host_resolving_to_a_public_and_a_private_address_is_refused(site: WebsiteLoopback) -> None:
    def resolver(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        return [ipaddress.ip_address(PUBLIC), ipaddress.ip_address("10.1.1.1")]

    reader = PublicWebPageReader(httpx.Client(transport=_ToLoopback(1)), resolver=resolver)

    with pytest.raises(FetchRefusedError, match="a private address"):
        reader.read("https://rebind.example/")


@pytest.mark.parametrize(
    "location", ["http://169.254.169.254/latest/meta-data/", "http://inside.example/admin", "http://[::1]:8080/"]
)
def test_a_redirect_to_a_refused_address_is_not_followed(site: WebsiteLoopback, location: str) -> None:
    site.pages["/moved"] = Page(b"", status=302, headers={"Location": location})
    reader = _reader(site, {"inside.example": "192.168.0.10"})

    with pytest.raises(FetchRefusedError, match="only public addresses are fetched"):
        reader.read("http://news.example/moved")

    assert [r.path for r in site.requests] == ["/moved"]


def test_a_redirect_to_a_public_page_is_followed(site: WebsiteLoopback) -> None:
    site.pages["/old"] = Page(b"", status=301, headers={"Location": "/article"})

    page = _reader(site).read("http://news.example/old")

    assert page.url == "http://news.example/article"
    assert [r.path for r in site.requests] == ["/old", "/article"]


def test_more_redirects_than_the_cap_are_refused(site: WebsiteLoopback) -> None:
    site.pages["/loop"] = Page(b"", status=302, headers={"Location": "/loop"})

    with pytest.raises(FetchRefusedError, match="more than 2 redirects"):
        _reader(site, max_redirects=2).read("http://news.example/loop")

    assert len(site.requests) == 3


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("file:///etc/passwd", "only http and https URLs are fetched, not 'file'"),
        ("ftp://news.example/x", "only http and https URLs are fetched, not 'ftp'"),
        ("http://user:secret@news.example/article", "URLs with credentials are not fetched"),
        ("http:///article", "the URL has no host"),
    ],
)
def test_urls_that_are_not_plain_http_are_refused(site: WebsiteLoopback, url: str, problem: str) -> None:
    with pytest.raises(FetchRefusedError, match=problem):
        _reader(site).read(url)

    assert site.requests == []


def test_a_page_over_the_size_cap_is_cut_and_marked_truncated(site: WebsiteLoopback) -> None:
    site.pages["/big"] = Page(b"word " * 50_000, content_type="text/plain")

    page = _reader(site, max_bytes=1000).read("http://news.example/big")

    assert page.truncated is True
    assert len(page.text) <= 1000


def test_a_page_that_is_not_text_is_refused(site: WebsiteLoopback) -> None:
    site.pages["/photo"] = Page(b"\x89PNG\r\n\x1a\n", content_type="image/png")

    with pytest.raises(FetchRefusedError, match="only text pages are read, this one is image/png"):
        _reader(site).read("http://news.example/photo")


def test_an_error_status_becomes_a_service_error(site: WebsiteLoopback) -> None:
    with pytest.raises(ToolServiceError, match="the page answered HTTP 404"):
        _reader(site).read("http://news.example/missing")


def test_the_browse_tool_turns_a_refusal_into_an_error_message(site: WebsiteLoopback) -> None:
    tools = toolset(plain_ports(web_pages=_reader(site)), "browse_web_page")

    refused = run(tools, "browse_web_page", {"url": "http://169.254.169.254/latest/meta-data/iam"})
    read = run(tools, "browse_web_page", {"url": "http://news.example/article"})
    bad = run(tools, "browse_web_page", {"url": "javascript:alert(1)"})

    assert refused == {
        "error": "169.254.169.254 resolves to a cloud metadata address; only public addresses are fetched"
    }
    assert read["result"]["title"] == "Quarterly figures are in"
    assert bad["error"].startswith("invalid arguments for browse_web_page: url: 'javascript:alert(1)' does not match")
    assert [c.ok for c in tools.calls] == [False, True, False]


def test_the_browse_tool_keeps_its_result_whole_json_with_a_truncated_flag(site: WebsiteLoopback) -> None:
    site.pages["/long"] = Page(("A long line of text. " * 2000).encode(), content_type="text/plain")
    tools = toolset(plain_ports(web_pages=_reader(site)), "browse_web_page")

    result = run(tools, "browse_web_page", {"url": "http://news.example/long"})["result"]

    assert result["truncated"] is True and len(result["text"]) == 6000
