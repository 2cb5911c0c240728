"""A loopback website: fixed pages (status, content type, body, headers) per path, recording every request.

The browse tool's tests point the real page reader at it through a resolver that names a public address, so
the SSRF checks run on that address while the bytes come from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from office_assistant_local.standins.recorder import RecordingServer, Reply

if TYPE_CHECKING:
    from office_assistant_local.standins.recorder import RecordedRequest


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


ARTICLE = b"""<!doctype html><html><head><title>Quarterly figures are in - Example News</title></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a> <a href="/jobs">Jobs</a></nav>
<article><h1>Quarterly figures are in</h1>
<p>Revenue rose by twelve percent in the third quarter, driven by the new subscription plans and by strong
demand from small businesses across Europe.</p>
<p>The company expects the growth to continue next year and plans to hire forty more engineers.</p>
</article><footer>Copyright Example News. All rights reserved. Privacy. Cookies.</footer></body></html>"""


class WebsiteLoopback(RecordingServer):
    """Serves `pages` by path; anything else is a 404 page."""

    def __init__(self, pages: dict[str, Page] | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.pages = dict(pages if pages is not None else {"/article": Page(ARTICLE)})

    def handle(self, request: RecordedRequest) -> Reply:
        page = self.pages.get(request.path)
        if page is None:
            return Reply(404, None, {"Content-Type": "text/html"}, raw=b"<html>not found</html>")
        return Reply(page.status, None, {"Content-Type": page.content_type, **page.headers}, raw=page.body)
