"""send_voice: text spoken (text-to-speech) and posted as audio into this chat, once per message (legacy
send_audio_to_slack, now on Telegram too)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.chat_files import platform_of
from office_assistant.tools.once import once
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> Any:
    speech = context.ports.speech
    assert speech is not None  # offered only with text-to-speech
    text, title = arguments["text"], arguments.get("title") or "Audio message"

    def send() -> dict[str, Any]:
        audio = speech.synthesize(text)
        posted = platform_of(context).send_audio(context.message, "message.mp3", audio, title)
        return {"sent": "message.mp3", "bytes": len(audio), "message_id": posted.message_id}

    return once(context, "send_voice", [text, title], send)


TOOL = ToolSpec(
    name="send_voice",
    description="Speak a text aloud and post it into this chat as an audio message.",
    parameters=object_schema(
        {
            "text": {"type": "string", "minLength": 1, "maxLength": 4000, "description": "what to say"},
            "title": {"type": "string", "maxLength": 120},
        },
        required=("text",),
    ),
    run=_run,
    requires=("speech", "audio_uploads"),
    replaces=("send_audio_to_slack",),
    writes=True,
)
