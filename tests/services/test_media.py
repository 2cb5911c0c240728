"""The media step: transcripts and document text join the message, images go to the bucket, failures are notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from office_assistant.adapters.documents import DocumentExtractor
from office_assistant.domain.errors import MediaError
from office_assistant.domain.messages import Attachment, InboundMessage, Platform
from office_assistant.services.media import MediaLimits, MediaService
from tests.fakes import InMemoryMediaBucket, ScriptedTranscriber

TOKEN_URL = "https://api.telegram.org/file/bot123:SECRET/photos/file_1.jpg"


@dataclass
class DictFetcher:
    """A MediaFetcher over a dict of ref → bytes; unknown refs fail like a refused download."""

    files: dict[str, bytes] = field(default_factory=dict)

    def fetch(self, attachment: Attachment, max_bytes: int) -> bytes:
        if attachment.ref not in self.files:
            raise MediaError("download answered HTTP 404")
        data = self.files[attachment.ref]
        if len(data) > max_bytes:
            raise MediaError(f"over the {max_bytes}-byte limit")
        return data


def _message(*attachments: Attachment, text: str = "see attached") -> InboundMessage:
    return InboundMessage(Platform.TELEGRAM, "1", "7", "-100", "42", "Élodie", text, 1.0, attachments=attachments)


def _service(
    files: dict[str, bytes], transcriber: ScriptedTranscriber | None = None
) -> tuple[MediaService, InMemoryMediaBucket]:
    bucket = InMemoryMediaBucket()
    limits = MediaLimits(document_bytes=100)
    return MediaService({"telegram": DictFetcher(files)}, bucket, transcriber, limits, DocumentExtractor()), bucket


def test_media_appends_the_voice_transcript_to_the_message_text() -> None:
    service, _ = _service({"v1": b"ogg"}, ScriptedTranscriber("order five chairs"))

    prepared = service.prepare(_message(Attachment("audio", "v1", "audio/ogg"), text=""))

    assert prepared.message.text == "[Transcript of audio 1]: order five chairs"
    assert prepared.notes == ()


def test_media_degrades_to_a_note_when_transcription_fails() -> None:
    service, _ = _service({"v1": b"ogg"}, ScriptedTranscriber(fail=True))

    prepared = service.prepare(_message(Attachment("audio", "v1", "audio/ogg"), Attachment("audio", "v2", "audio/ogg")))

    assert prepared.message.text == "see attached"
    assert len(prepared.notes) == 2 and "could not be used" in prepared.notes[0]


def test_media_notes_that_audio_cannot_be_transcribed_without_a_transcriber() -> None:
    service, _ = _service({"v1": b"ogg"}, None)

    prepared = service.prepare(_message(Attachment("audio", "v1", "audio/ogg")))

    assert "no transcription service" in prepared.notes[0]


def test_media_stores_an_image_in_the_bucket_and_keeps_only_its_key() -> None:
    service, bucket = _service({TOKEN_URL: b"\xff\xd8jpeg"})

    prepared = service.prepare(_message(Attachment("image", TOKEN_URL, "image/jpeg")))

    [image] = prepared.message.attachments
    assert image.bucket_key in bucket.objects
    assert bucket.objects[image.bucket_key] == (b"\xff\xd8jpeg", "image/jpeg")
    assert "SECRET" not in repr(prepared)


def test_media_appends_document_text_and_notes_an_oversized_one() -> None:
    service, _ = _service({"d1": b"sku,qty\nCHAIR,5", "d2": b"x" * 500})

    prepared = service.prepare(
        _message(
            Attachment("document", "d1", "text/csv", "stock.csv", 15),
            Attachment("document", "d2", "text/plain", "big.txt", 500),
        )
    )

    assert prepared.message.text == "see attached\n\n[Document stock.csv]\nsku, qty\nCHAIR, 5"
    assert prepared.notes == ("the document 'big.txt' could not be used: 500 bytes is over the 100-byte limit",)


def test_media_leaves_a_message_without_attachments_as_it_is() -> None:
    service, _ = _service({})
    message = _message()

    assert service.prepare(message).message is message


class UpperCaseReader:
    """A DocumentReader that records what it was given and returns the bytes upper-cased."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []

    def extract_text(self, data: bytes, mime_type: str, name: str, max_chars: int) -> str:
        self.calls.append((mime_type, name, max_chars))
        return data.decode().upper()


def test_media_reads_documents_with_the_reader_it_was_given() -> None:
    reader = UpperCaseReader()
    service = MediaService({"telegram": DictFetcher({"d1": b"hello"})}, None, None, documents=reader)

    prepared = service.prepare(_message(Attachment("document", "d1", "text/plain", "a.txt", 5)))

    assert prepared.message.text == "see attached\n\n[Document a.txt]\nHELLO"
    assert reader.calls == [("text/plain", "a.txt", MediaLimits().document_chars)]


def test_media_notes_a_document_it_has_no_reader_for() -> None:
    service = MediaService({"telegram": DictFetcher({"d1": b"hello"})}, None, None)

    prepared = service.prepare(_message(Attachment("document", "d1", "text/plain", "a.txt", 5)))

    assert prepared.message.text == "see attached"
    assert prepared.notes == ("the document 'a.txt' could not be used: no document reader is configured",)
