"""The file tools: a real ReportLab PDF, text files and speech sent through the platform's upload methods.

The upload and text-to-speech adapters belong to the platform adapters (issue 13); here the platform is the
recording fake that implements the agreed `send_file`/`send_audio`, and the media bucket is the in-memory fake.
"""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest

from office_assistant.adapters.pdf import ReportLabPdfRenderer
from office_assistant.domain.messages import Platform
from office_assistant.ports import Platforms
from office_assistant.tools.chat_files import chat_prefix
from tests.builders import a_message
from tests.fakes import InMemoryMediaBucket, RecordingPlatform, ScriptedSpeech
from tests.tools.conftest import plain_ports, run, toolset

FILE_TOOLS = ("send_pdf", "send_file", "list_chat_files", "send_voice")
REPORT = (
    "# Q3 summary\n\nRevenue **grew 12%**.\n\n- Apollo shipped\n- Hiring: 40 engineers\n\n"
    "| Region | Sales |\n|---|---|\n| EU | 1.2M |"
)


class _Wired:
    def __init__(self, platform: Platform = Platform.SLACK, **platform_options: Any) -> None:
        self.platform, self.bucket, self.speech = (
            RecordingPlatform(**platform_options),
            InMemoryMediaBucket(),
            ScriptedSpeech(),
        )
        self.ports = plain_ports(
            platforms=Platforms({platform.value: self.platform}),
            media_bucket=self.bucket,
            pdf=ReportLabPdfRenderer(),
            speech=self.speech,
        )
        self.message = a_message(platform=platform, chat_id="C7")

    def run(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        return run(toolset(self.ports, *FILE_TOOLS, message=self.message), tool, arguments)


@pytest.mark.parametrize("platform", [Platform.SLACK, Platform.TELEGRAM])
def test_send_pdf_renders_the_markdown_and_uploads_it_into_the_chat_it_came_from(platform: Platform) -> None:
    wired = _Wired(platform)

    result = wired.run("send_pdf", {"title": "Q3 report", "markdown": REPORT})

    assert result["result"]["sent"] == "Q3-report.pdf"
    [(message, filename, data, title, content_type)] = wired.platform.files
    assert (message, filename, title, content_type) == (wired.message, "Q3-report.pdf", "Q3 report", "application/pdf")
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Q3 summary" in text and "Revenue grew 12%" in text and "Hiring: 40 engineers" in text and "1.2M" in text
    assert list(wired.bucket.objects) == [f"{chat_prefix(wired.message)}{wired.message.message_id}-Q3-report.pdf"]


def test_send_pdf_uploads_once_when_respond_is_retried() -> None:
    wired = _Wired()
    arguments = {"title": "Q3 report", "markdown": REPORT}

    wired.run("send_pdf", arguments)
    retried = wired.run("send_pdf", arguments)

    assert retried["result"]["already_done"] is True
    assert len(wired.platform.files) == 1


def test_a_refused_upload_becomes_an_error_message_and_may_be_tried_again() -> None:
    wired = _Wired(fail_uploads=True)

    first = wired.run("send_file", {"filename": "leads.csv", "content": "name\nInitech\n"})
    wired.platform.fail_uploads = False
    retried = wired.run("send_file", {"filename": "leads.csv", "content": "name\nInitech\n"})

    assert first == {"error": "upload refused: not_in_channel"}
    assert retried["result"]["sent"] == "leads.csv"


def test_send_file_sends_text_with_its_content_type_and_refuses_other_types() -> None:
    wired = _Wired()

    sent = wired.run("send_file", {"filename": "team leads.csv", "content": "name,email\nBob,bob@x\n"})
    refused = wired.run("send_file", {"filename": "run.sh", "content": "rm -rf /"})

    assert sent["result"]["sent"] == "team-leads.csv"
    assert [(f[1], f[2], f[4]) for f in wired.platform.files] == [
        ("team-leads.csv", b"name,email\nBob,bob@x\n", "text/csv")
    ]
    assert refused["error"].startswith("files of type .sh are not sent")


def test_list_chat_files_shows_this_chats_files_only() -> None:
    wired = _Wired()
    other = a_message(chat_id="C8")
    wired.bucket.put(f"{chat_prefix(wired.message, 'images')}m1-0.png", b"png", "image/png")
    wired.bucket.put(f"{chat_prefix(other)}m2-secret.pdf", b"%PDF", "application/pdf")
    wired.run("send_file", {"filename": "notes.md", "content": "# notes"})

    listed = wired.run("list_chat_files", {})["result"]

    assert sorted((f["from"], f["name"]) for f in listed) == [
        ("assistant", f"{wired.message.message_id}-notes.md"),
        ("user", "m1-0.png"),
    ]


def test_send_voice_speaks_the_text_and_posts_the_audio_once() -> None:
    wired = _Wired(Platform.TELEGRAM)

    first = wired.run("send_voice", {"text": "The meeting moved to 3 pm."})
    wired.run("send_voice", {"text": "The meeting moved to 3 pm."})

    assert first["result"]["sent"] == "message.mp3"
    assert wired.speech.texts == ["The meeting moved to 3 pm."]
    [(message, filename, data, title)] = wired.platform.audio
    assert (message, filename, data, title) == (
        wired.message,
        "message.mp3",
        b"ID3The meeting moved to 3 pm.",
        "Audio message",
    )


def test_failing_speech_becomes_an_error_message() -> None:
    wired = _Wired()
    wired.speech.fail = True

    assert wired.run("send_voice", {"text": "hi"}) == {"error": "text-to-speech failed: RateLimitError"}
    assert wired.platform.audio == []


@pytest.mark.parametrize(
    ("tool", "arguments", "problem"),
    [
        ("send_pdf", {"markdown": "x"}, "arguments: 'title' is a required property"),
        ("send_file", {"filename": "a.csv", "content": ""}, "content: '' should be non-empty"),
        ("send_voice", {"text": "x" * 4001}, "text: "),
    ],
)
def test_bad_arguments_send_nothing(tool: str, arguments: dict[str, Any], problem: str) -> None:
    wired = _Wired()

    assert wired.run(tool, arguments)["error"].startswith(f"invalid arguments for {tool}: {problem}")
    assert wired.platform.files == [] and wired.platform.audio == []


def test_file_tools_are_offered_only_where_the_platform_uploads_and_speech_is_configured() -> None:
    class TextOnlyPlatform:
        def post_reply(self, message: object, text: str) -> object: ...

    ports = plain_ports(platforms=Platforms({"slack": TextOnlyPlatform()}), pdf=ReportLabPdfRenderer())  # type: ignore[dict-item]
    without_speech = _Wired()
    without_speech.ports = plain_ports(
        platforms=without_speech.ports.platforms, pdf=ReportLabPdfRenderer(), media_bucket=InMemoryMediaBucket()
    )

    assert toolset(ports, *FILE_TOOLS).names == []
    assert toolset(without_speech.ports, *FILE_TOOLS).names == ["send_pdf", "send_file", "list_chat_files"]
