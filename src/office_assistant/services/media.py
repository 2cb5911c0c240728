"""Media step (inside Route): transcribe audio and video, keep images in the private bucket, extract documents' text.

Runs after the webhook's 200, never before. Every failure degrades to a note the model reads ("the voice
message could not be transcribed") instead of failing the execution: the legacy crashed on one failed
transcript. Platform file URLs (a Telegram one holds the bot token) never leave this module: images are
re-addressed as `bucket:<key>`, and Respond presigns those for a vision-capable model.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from office_assistant.domain.errors import MediaError
from office_assistant.domain.messages import BUCKET_REF_PREFIX, Attachment

if TYPE_CHECKING:
    from collections.abc import Mapping

    from office_assistant.domain.messages import InboundMessage
    from office_assistant.ports import DocumentReader, MediaBucket, MediaFetcher, Transcriber

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MediaLimits:
    image_bytes: int = 10 * 1024 * 1024
    audio_bytes: int = 20 * 1024 * 1024  # Telegram's bot download limit; Whisper takes up to 25 MB
    video_bytes: int = 25 * 1024 * 1024  # Whisper's upload limit: the whole file goes, there is no ffmpeg here
    document_bytes: int = 5 * 1024 * 1024  # the legacy's cap
    document_chars: int = 20_000  # extracted text per document
    attachments: int = 10  # per message


@dataclass(frozen=True)
class PreparedMessage:
    """The message with transcripts and document text added, images re-addressed to the bucket, and notes."""

    message: InboundMessage
    notes: tuple[str, ...] = field(default_factory=tuple)


_DEFAULT_NAMES = {"audio/ogg": "voice.ogg", "video/mp4": "video.mp4", "video/webm": "video.webm"}
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}


def image_key(message: InboundMessage, index: int, mime_type: str) -> str:
    """A bucket key per message and image; the chat is hashed so keys carry no user-chosen characters."""
    chat = hashlib.sha256(message.conversation_key.encode()).hexdigest()[:16]
    item = hashlib.sha256(message.message_id.encode()).hexdigest()[:16]
    return f"images/{message.platform.value}/{chat}/{item}-{index}{_EXTENSIONS.get(mime_type, '.bin')}"


class MediaService:
    def __init__(
        self,
        fetchers: Mapping[str, MediaFetcher],
        bucket: MediaBucket | None,
        transcriber: Transcriber | None,
        limits: MediaLimits | None = None,
        documents: DocumentReader | None = None,
    ) -> None:
        self.fetchers = fetchers
        self.bucket = bucket
        self.transcriber = transcriber
        self.limits = limits or MediaLimits()
        self.documents = documents

    def prepare(self, message: InboundMessage) -> PreparedMessage:
        """Work through the message's attachments; the result always carries the message on."""
        if not message.attachments:
            return PreparedMessage(message)
        notes: list[str] = []
        additions: list[str] = []
        attachments: list[Attachment] = []
        for index, attachment in enumerate(message.attachments):
            if index >= self.limits.attachments:
                notes.append(f"{len(message.attachments) - index} more attachment(s) were not read")
                break
            label = attachment.name or f"{attachment.kind} {index + 1}"
            try:
                if attachment.kind in {"audio", "video"}:
                    additions.append(f"[Transcript of {label}]: {self._transcribe(message, attachment)}")
                    attachments.append(replace(attachment, ref=""))
                elif attachment.kind == "image":
                    attachments.append(self._store_image(message, attachment, index))
                else:
                    additions.append(f"[Document {label}]\n{self._document_text(message, attachment)}")
                    attachments.append(replace(attachment, ref=""))
            except MediaError as error:
                logger.warning("attachment degraded: %s", error)
                notes.append(f"the {attachment.kind} '{label}' could not be used: {error}")
                attachments.append(replace(attachment, ref=""))
        text = "\n\n".join(part for part in (message.text.strip(), *additions) if part)
        return PreparedMessage(replace(message, text=text, attachments=tuple(attachments)), tuple(notes))

    def _fetch(self, message: InboundMessage, attachment: Attachment, max_bytes: int) -> bytes:
        if attachment.size > max_bytes:
            raise MediaError(f"{attachment.size} bytes is over the {max_bytes}-byte limit")
        fetcher = self.fetchers.get(message.platform.value)
        if fetcher is None:
            raise MediaError(f"no file access configured for {message.platform.value}")
        return fetcher.fetch(attachment, max_bytes)

    def _transcribe(self, message: InboundMessage, attachment: Attachment) -> str:
        """The speech of a voice note, audio file or video; Whisper reads the sound track of mp4/webm itself."""
        if self.transcriber is None:
            raise MediaError("no transcription service is configured (local mode has none)")
        limit = self.limits.video_bytes if attachment.kind == "video" else self.limits.audio_bytes
        if attachment.size > limit:
            raise MediaError(
                f"it is {attachment.size / 2**20:.1f} MB, over the {limit / 2**20:.0f} MB the transcription service "
                "takes, so its sound was not transcribed"
            )
        audio = self._fetch(message, attachment, limit)
        return self.transcriber.transcribe(
            audio, attachment.name or _DEFAULT_NAMES.get(attachment.mime_type, "audio.mp3")
        )

    def _store_image(self, message: InboundMessage, attachment: Attachment, index: int) -> Attachment:
        if self.bucket is None:
            raise MediaError("no media bucket is configured")
        data = self._fetch(message, attachment, self.limits.image_bytes)
        key = image_key(message, index, attachment.mime_type)
        self.bucket.put(key, data, attachment.mime_type or "application/octet-stream")
        return replace(attachment, ref=f"{BUCKET_REF_PREFIX}{key}", size=len(data))

    def _document_text(self, message: InboundMessage, attachment: Attachment) -> str:
        if self.documents is None:
            raise MediaError("no document reader is configured")
        data = self._fetch(message, attachment, self.limits.document_bytes)
        return self.documents.extract_text(data, attachment.mime_type, attachment.name, self.limits.document_chars)
