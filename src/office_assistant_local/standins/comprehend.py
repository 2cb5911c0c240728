"""A loopback Amazon Comprehend: DetectPiiEntities over the AWS JSON 1.1 protocol, with scripted findings.

The real boto3 client is pointed at it with `endpoint_url`. It does not detect anything by itself: each
scripted substring (e.g. ``{"Jane Doe": "NAME"}``) is reported at every place it occurs, so tests and demos get
exact, known offsets. Like the service, it refuses texts over 100 KB of UTF-8 and languages other than English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from office_assistant_local.standins.recorder import RecordingServer, Reply

if TYPE_CHECKING:
    from office_assistant_local.standins.recorder import RecordedRequest

DETECT_PII_TARGET = "Comprehend_20171127.DetectPiiEntities"
MAX_TEXT_BYTES = 100_000


def _error(code: str, message: str) -> Reply:
    return Reply(400, {"__type": code, "Message": message})


class ComprehendLoopback(RecordingServer):
    """Answers DetectPiiEntities from `findings` (substring → Comprehend entity type); `fail_with` forces an error."""

    def __init__(self, findings: dict[str, str] | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.findings = dict(findings or {})
        self.fail_with: tuple[str, str] | None = None  # (error code, message), e.g. ThrottlingException

    def texts(self) -> list[str]:
        """The Text of every DetectPiiEntities request, in order."""
        return [r.body["Text"] for r in self.requests if isinstance(r.body, dict) and "Text" in r.body]

    def handle(self, request: RecordedRequest) -> Reply:
        if request.method != "POST" or request.headers.get("x-amz-target") != DETECT_PII_TARGET:
            return _error("UnknownOperationException", f"not served: {request.headers.get('x-amz-target')}")
        if self.fail_with is not None:
            return _error(*self.fail_with)
        body = request.body if isinstance(request.body, dict) else {}
        text, language = body.get("Text"), body.get("LanguageCode")
        if not isinstance(text, str) or language != "en":
            return _error("ValidationException", "Text and LanguageCode 'en' are required")
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            return _error("TextSizeLimitExceededException", "Input text size exceeds limit of 100000 bytes")
        entities = [
            {"Score": 0.99, "Type": kind, "BeginOffset": start, "EndOffset": start + len(needle)}
            for needle, kind in self.findings.items()
            for start in _occurrences(text, needle)
        ]
        return Reply(200, {"Entities": sorted(entities, key=lambda e: e["BeginOffset"])})


def _occurrences(text: str, needle: str) -> list[int]:
    starts, at = [], text.find(needle)
    while needle and at != -1:
        starts.append(at)
        at = text.find(needle, at + 1)
    return starts
