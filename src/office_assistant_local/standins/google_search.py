"""A loopback Google Programmable Search (Custom Search JSON API): `GET /customsearch/v1` over a small index."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from office_assistant_local.standins.recorder import RecordingServer, Reply

if TYPE_CHECKING:
    from office_assistant_local.standins.recorder import RecordedRequest

DEFAULT_API_KEY = "loopback-google-key"
DEFAULT_ENGINE_ID = "loopback-engine"


@dataclass(frozen=True)
class IndexedPage:
    title: str
    link: str
    snippet: str


INDEX: tuple[IndexedPage, ...] = (
    IndexedPage(
        "Four-day week trial results | Autonomy",
        "https://autonomy.example/four-day-week-results",
        "61 companies took part in the UK four-day week pilot; 56 continued after the trial and 18 made it "
        "permanent. Revenue stayed broadly the same over the trial period.",
    ),
    IndexedPage(
        "Renewable energy market update 2025 – IEA",
        "https://iea.example/renewables-2025",
        "Solar PV and wind will account for 95% of the growth in global renewable power capacity through 2030.",
    ),
    IndexedPage(
        "GDPR: rules for business and organisations",
        "https://commission.example/gdpr-rules",
        "The GDPR applies to any organisation processing personal data of people in the EU, wherever it is based.",
    ),
    IndexedPage(
        "Siemens AG – company history and profile",
        "https://siemens.example/history",
        "Founded in 1847 in Berlin, Siemens today focuses on industry, infrastructure, mobility and healthcare.",
    ),
)


def _error(status: int, message: str, reason: str) -> Reply:
    """Google's error body: {"error": {"code", "message", "errors": [{"reason"}], "status"}}."""
    status_name = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 429: "RESOURCE_EXHAUSTED"}.get(status, "INTERNAL")
    body = {"error": {"code": status, "message": message, "errors": [{"reason": reason}], "status": status_name}}
    return Reply(status, body)


class GoogleSearchLoopback(RecordingServer):
    """Answers as the Custom Search JSON API does: results ranked by shared words, `items` left out when none.

    A wrong key gets 400 "API key not valid", an unknown engine 400, `num` outside 1..10 400; `fail_next` makes
    the next requests answer a status (429 quota, 500) with Google's error body.
    """

    def __init__(
        self,
        api_key: str = DEFAULT_API_KEY,
        engine_id: str = DEFAULT_ENGINE_ID,
        index: tuple[IndexedPage, ...] = INDEX,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host, port)
        self.api_key, self.engine_id, self.index = api_key, engine_id, index
        self._failures: list[int] = []

    def fail_next(self, count: int = 1, status: int = 429) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def queries(self) -> list[str]:
        """The `q` of every search received, oldest first."""
        return [str(r.query.get("q", "")) for r in self.requests if r.path == "/customsearch/v1"]

    def handle(self, request: RecordedRequest) -> Reply:
        if request.method != "GET" or request.path != "/customsearch/v1":
            return _error(404, f"no route {request.method} {request.path}", "notFound")
        with self._lock:
            if self._failures:
                status = self._failures.pop(0)
                return _error(
                    status,
                    "Quota exceeded for quota metric 'Queries'" if status == 429 else "Backend Error",
                    "rateLimitExceeded" if status == 429 else "backendError",
                )
        query = request.query
        if query.get("key") != self.api_key:
            return _error(400, "API key not valid. Please pass a valid API key.", "badRequest")
        if query.get("cx") != self.engine_id:
            return _error(400, "Request contains an invalid argument.", "invalid")
        q = str(query.get("q") or "")
        if not q:
            return _error(400, "Required parameter: q", "required")
        try:
            num = int(query.get("num", 10))
        except ValueError:
            num = 0
        if not 1 <= num <= 10:
            return _error(
                400,
                "Invalid value '" + str(query.get("num")) + "'. Values must be within the range: [1, 10]",
                "invalid",
            )
        return Reply(200, self._results(q, num))

    def _results(self, q: str, num: int) -> dict[str, Any]:
        words = set(re.findall(r"\w+", q.lower()))
        scored = [
            (len(words & set(re.findall(r"\w+", f"{page.title} {page.snippet}".lower()))), position, page)
            for position, page in enumerate(self.index)
        ]
        hits = [page for score, _, page in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0][:num]
        body: dict[str, Any] = {
            "kind": "customsearch#search",
            "queries": {"request": [{"searchTerms": q, "count": num, "startIndex": 1}]},
            "searchInformation": {"totalResults": str(len(hits)), "searchTime": 0.01},
        }
        if hits:
            body["items"] = [
                {
                    "kind": "customsearch#result",
                    "title": p.title,
                    "link": p.link,
                    "snippet": p.snippet,
                    "displayLink": p.link.split("/")[2],
                }
                for p in hits
            ]
        return body
