"""Routing service: the typing indicator first, media worked into the message, PII redacted, then the route."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from office_assistant.domain.messages import Attachment
from office_assistant.ports import Platforms
from office_assistant.services.media import MediaService
from office_assistant.services.pii import WITHHELD_NOTE, WITHHELD_TEXT, PiiPolicy
from office_assistant.services.routing import RoutingService
from tests.builders import a_message, a_route_book
from tests.fakes import EmailRedactor, HashingEmbedder, InMemoryMediaBucket, RecordingPlatform, ScriptedTranscriber
from tests.services.test_media import DictFetcher

if TYPE_CHECKING:
    from collections.abc import Sequence


class ChatClassifier:
    def classify(self, embedding: Sequence[float]) -> tuple[str | None, float | None]:
        return "chat", 0.9


def _routing(platform: RecordingPlatform, transcriber: ScriptedTranscriber | None = None) -> RoutingService:
    media = MediaService({"slack": DictFetcher({"v1": b"ogg"})}, InMemoryMediaBucket(), transcriber)
    platforms = Platforms({"slack": platform})
    return RoutingService(a_route_book(), HashingEmbedder(), ChatClassifier(), media, platforms)


def test_route_shows_the_typing_indicator_for_a_message_that_expects_a_reply() -> None:
    platform = RecordingPlatform()
    message = a_message("hello")

    _routing(platform).route(message)

    assert platform.indicators == [("show", message.message_id)]


def test_route_shows_no_indicator_for_a_message_stored_without_a_reply() -> None:
    platform = RecordingPlatform()

    _routing(platform).route(replace(a_message("lunch?"), reply_expected=False))

    assert platform.indicators == []


def test_route_classifies_the_transcript_and_passes_the_prepared_message_on() -> None:
    message = replace(a_message(""), attachments=(Attachment("audio", "v1", "audio/ogg"),))

    routed = _routing(RecordingPlatform(), ScriptedTranscriber("order five chairs")).route(message)

    assert routed.message is not None and routed.message.text == "[Transcript of audio 1]: order five chairs"
    assert routed.embedding is not None and routed.matched == "chat"


def test_route_carries_a_media_failure_as_a_note() -> None:
    message = replace(a_message("listen"), attachments=(Attachment("audio", "v1", "audio/ogg"),))

    routed = _routing(RecordingPlatform(), None).route(message)

    assert routed.message is not None and routed.message.text == "listen"
    assert any("no transcription service" in note for note in routed.notes)


def test_route_redacts_the_text_before_it_is_embedded_and_passed_on() -> None:
    embedder = HashingEmbedder()
    pii = PiiPolicy(EmailRedactor(), enabled_globally=True)
    routing = RoutingService(a_route_book(), embedder, ChatClassifier(), pii=pii)

    routed = routing.route(a_message("mail bob@acme.example the quote"))

    assert routed.message is not None and routed.message.text == "mail <EMAIL_ADDRESS> the quote"
    assert routed.embedding == tuple(float(x) for x in embedder.embed(["mail <EMAIL_ADDRESS> the quote"])[0])
    assert any("<EMAIL_ADDRESS>" in note for note in routed.notes)


def test_route_redacts_a_transcript_that_media_preparation_added() -> None:
    redactor = EmailRedactor()
    media = MediaService(
        {"slack": DictFetcher({"v1": b"ogg"})}, InMemoryMediaBucket(), ScriptedTranscriber("to a@b.example")
    )
    routing = RoutingService(a_route_book(), HashingEmbedder(), ChatClassifier(), media, pii=PiiPolicy(redactor, True))
    message = replace(a_message(""), attachments=(Attachment("audio", "v1", "audio/ogg"),))

    routed = routing.route(message)

    assert redactor.texts == ["[Transcript of audio 1]: to a@b.example"]
    assert routed.message is not None and routed.message.text == "[Transcript of audio 1]: to <EMAIL_ADDRESS>"


def test_route_goes_on_with_the_text_withheld_when_the_redactor_fails() -> None:
    pii = PiiPolicy(EmailRedactor(fail=True), enabled_globally=True)
    routing = RoutingService(a_route_book(), HashingEmbedder(), ChatClassifier(), pii=pii)

    routed = routing.route(a_message("mail bob@acme.example the quote"))

    assert routed.message is not None and routed.message.text == WITHHELD_TEXT
    assert routed.matched == "chat" and WITHHELD_NOTE in routed.notes
