"""Fetch a public web page and extract its main text, refusing anything that is not the public internet.

The model chooses the URL, so it is an attacker's URL. Every hop (the first URL and each redirect, followed by
hand) must be http(s) without credentials; its host is resolved here and every address it resolves to must be
public: loopback, private, link-local, multicast, reserved, shared (CGNAT) and cloud metadata addresses are
refused. The request then goes to the checked address itself (Host header and TLS SNI keep the name), so a DNS
answer that changes between check and connect cannot redirect it. Caps: redirects, bytes read (after
decompression), total time; only text content types are read. The main text comes from readability-lxml.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from office_assistant.domain.errors import FetchRefusedError, ToolServiceError
from office_assistant.ports import WebPage

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = "office-assistant/0.1 (+https://github.com/office-assistant)"
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack instance metadata
        "169.254.170.2",  # ECS task metadata
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure wire server (a public address)
    )
)


def refusal(address: IpAddress) -> str | None:
    """Why `address` may not be fetched from, or None for a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None:
            return refusal(embedded) or ("an IPv4 address wrapped in IPv6" if address.ipv4_mapped else None)
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "a reserved or shared address"
    return None


def resolve(host: str, port: int) -> list[IpAddress]:
    """Every address `host` resolves to (an address literal is itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise ToolServiceError(f"the host {host!r} could not be resolved") from error
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


class PublicWebPageReader:
    """WebPageReader for public http(s) pages only (see the module docstring for what is refused and why)."""

    def __init__(
        self,
        http_client: httpx.Client | None = None,
        resolver: Callable[[str, int], list[IpAddress]] = resolve,
        max_bytes: int = 2_000_000,
        max_redirects: int = 5,
        timeout_s: float = 10.0,
        max_chars: int = 20_000,
    ) -> None:
        self.http = http_client or httpx.Client(timeout=timeout_s, trust_env=False)
        self.resolver = resolver
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.timeout_s = timeout_s
        self.max_chars = max_chars

    def read(self, url: str) -> WebPage:
        deadline = time.monotonic() + self.timeout_s
        current = url
        for _ in range(self.max_redirects + 1):
            pinned, headers, extensions = self._checked_request(current)
            remaining = max(0.1, deadline - time.monotonic())
            try:
                with self.http.stream(
                    "GET", pinned, headers=headers, extensions=extensions, timeout=remaining, follow_redirects=False
                ) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        if not location:
                            raise ToolServiceError(f"the page answered HTTP {response.status_code} without Location")
                        current = urljoin(current, location)
                        continue
                    return self._page(current, response, deadline)
            except httpx.HTTPError as error:
                raise ToolServiceError(f"the page could not be fetched: {type(error).__name__}") from error
        raise FetchRefusedError(f"more than {self.max_redirects} redirects")

    def _checked_request(self, url: str) -> tuple[str, dict[str, str], dict[str, str]]:
        """The request for `url` pinned to its checked address; FetchRefusedError when it may not be fetched."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            raise FetchRefusedError(f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
        if parts.username or parts.password:
            raise FetchRefusedError("URLs with credentials are not fetched")
        host = parts.hostname
        if not host:
            raise FetchRefusedError("the URL has no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchRefusedError("the URL's port is not a number") from error
        addresses = self.resolver(host, port)
        if not addresses:
            raise ToolServiceError(f"the host {host!r} has no address")
        for address in addresses:
            if reason := refusal(address):
                logger.warning("fetch refused", extra={"host": host[:100], "reason": reason})
                raise FetchRefusedError(f"{host} resolves to {reason}; only public addresses are fetched")
        address = addresses[0]
        literal = f"[{address}]" if address.version == 6 else str(address)
        pinned = urlunsplit((parts.scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        headers = {"Host": host_header, "User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9"}
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        return pinned, headers, extensions

    def _page(self, url: str, response: httpx.Response, deadline: float) -> WebPage:
        if response.status_code != 200:
            raise ToolServiceError(f"the page answered HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in TEXT_TYPES:
            raise FetchRefusedError(f"only text pages are read, this one is {content_type or 'untyped'}")
        body, truncated = bytearray(), False
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > self.max_bytes:
                del body[self.max_bytes :]
                truncated = True
                break
            if time.monotonic() > deadline:
                raise ToolServiceError(f"the page took longer than {self.timeout_s:g} s")
        text = bytes(body).decode(response.charset_encoding or "utf-8", errors="replace")
        title, main_text = _main_text(text) if content_type != "text/plain" else ("", text)
        main_text = re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t\r\f\v]+", " ", main_text)).strip()
        if len(main_text) > self.max_chars:
            main_text, truncated = main_text[: self.max_chars], True
        return WebPage(url, title, main_text, content_type, truncated)


def _main_text(html: str) -> tuple[str, str]:
    """(title, main text) of an HTML page, by readability's article extraction."""
    import lxml.html
    from readability import Document

    if not html.strip():
        return "", ""
    document = Document(html)
    summary = document.summary(html_partial=True)
    tree = lxml.html.fromstring(summary)
    for block in tree.iter("p", "div", "li", "h1", "h2", "h3", "h4", "br", "tr"):
        block.tail = "\n" + (block.tail or "")
    return document.short_title(), tree.text_content()
