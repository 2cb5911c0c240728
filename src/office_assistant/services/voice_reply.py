"""Spoken replies: a user who sent a voice note or audio hears the answer, as the legacy answered them.

`OA_VOICE_REPLIES`: "audio+text" (default) posts the text and then the audio, "audio" only the audio (the
legacy's way; the text is posted instead when no audio can be made), "text" never speaks. Without a
text-to-speech service (the local stack) the answer is text with a line saying why.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from office_assistant.domain.errors import DeliveryUnknownError, MediaError, PlatformPostError
from office_assistant.ports import PostedReply

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant.domain.messages import InboundMessage
    from office_assistant.ports import ChatPlatform, SpeechSynthesizer

logger = logging.getLogger(__name__)

AUDIO_FILENAME = "reply.mp3"
AUDIO_TITLE = "Audio Response"  # the legacy's title
NO_SPEECH_NOTE = "_(You sent a voice message: I answer in text because no text-to-speech service is configured.)_"


def asked_by_voice(message: InboundMessage) -> bool:
    """Whether the user spoke: a voice note or audio file came with the message (video does not count)."""
    return any(attachment.kind == "audio" for attachment in message.attachments)


class VoiceReplies:
    def __init__(self, speech: SpeechSynthesizer | None, mode: str = "audio+text") -> None:
        self.speech = speech
        self.mode = mode

    def speaks_only(self, message: InboundMessage) -> bool:
        """Whether the answer to `message` goes out as audio alone (so no text may be shown ahead of it)."""
        return self.mode == "audio" and self.speech is not None and asked_by_voice(message)

    def deliver(
        self,
        platform: ChatPlatform,
        message: InboundMessage,
        text: str,
        post_text: Callable[[InboundMessage, str], PostedReply] | None = None,
    ) -> PostedReply:
        """Post the answer as the mode says; raises PlatformPostError only when the answer could not be posted
        at all (audio that fails falls back to, or stays beside, the text). `post_text` posts the text part
        (default `platform.post_reply`; Respond passes its reply stream)."""
        post = post_text or platform.post_reply
        if self.mode == "text" or not asked_by_voice(message):
            return post(message, text)
        if self.speech is None:
            return post(message, f"{text}\n\n{NO_SPEECH_NOTE}")
        if self.mode == "audio":
            return self._speak(platform, message, text) or post(message, text)
        posted = post(message, text)
        self._speak(platform, message, text)
        return posted

    def _speak(self, platform: ChatPlatform, message: InboundMessage, text: str) -> PostedReply | None:
        """The posted audio, or None when it certainly did not reach the user (the text may stand in for it).

        Audio that may have been delivered (its answer was lost) counts as delivered: posting the text as well
        could answer the message twice.
        """
        if self.speech is None:
            return None
        try:
            audio = self.speech.synthesize(text)
            return platform.send_audio(message, AUDIO_FILENAME, audio, AUDIO_TITLE)
        except DeliveryUnknownError as error:
            logger.warning("spoken reply may have been delivered; not posting the text too: %s", error)
            return PostedReply(message_id="")
        except (MediaError, PlatformPostError) as error:
            logger.warning("spoken reply not delivered: %s", error)
            return None
