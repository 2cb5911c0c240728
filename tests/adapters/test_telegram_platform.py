"""Telegram adapter: Bot API updates parsed into messages; replies sent over httpx to the loopback Bot API."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from office_assistant.adapters.chat_platforms import Ignored, TelegramPlatform
from office_assistant.adapters.chat_platforms.telegram import parse_update
from office_assistant.domain.errors import PlatformPostError
from office_assistant.domain.messages import Attachment, InboundMessage, Platform
from office_assistant_local.standins.telegram import DEFAULT_TOKEN, TelegramLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "events" / "telegram"
BOT_USERNAME = "office_assistant_bot"
GROUP_ID = "-1001987654321"


def telegram_update(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def parsed(name: str) -> InboundMessage:
    message = parse_update(telegram_update(name), BOT_USERNAME)
    assert isinstance(message, InboundMessage), message
    return message


@pytest.fixture
def telegram() -> Iterator[TelegramLoopback]:
    with TelegramLoopback(bot_username=BOT_USERNAME) as server:
        yield server


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as client:
        yield client


@pytest.fixture
def platform(telegram: TelegramLoopback, http: httpx.Client) -> TelegramPlatform:
    return TelegramPlatform(http, DEFAULT_TOKEN, base_url=telegram.url)


# --- parse_update ---------------------------------------------------------------------------------------------


def test_parse_update_reads_a_private_message() -> None:
    update = telegram_update("private_text")

    message = parse_update(update, BOT_USERNAME)

    assert message == InboundMessage(
        platform=Platform.TELEGRAM,
        event_id="815001001",
        message_id="311",
        chat_id="423456789",
        user_id="423456789",
        user_name="Élodie",
        text="Bonjour! Which invoices are still unpaid?",
        ts=1718000000.0,
        thread_id=None,
        mentions_bot=True,
        is_direct=True,
    )


def test_parse_update_finds_a_mention_entity_after_an_emoji() -> None:
    update = telegram_update("group_mention")  # the emoji is two UTF-16 units, so the entity offset is 3

    message = parse_update(update, BOT_USERNAME)

    assert isinstance(message, InboundMessage)
    assert (message.chat_id, message.mentions_bot, message.is_direct) == (GROUP_ID, True, False)


def test_parse_update_matches_the_bot_username_case_insensitively() -> None:
    update = telegram_update("group_mention")

    message = parse_update(update, "Office_Assistant_Bot")

    assert isinstance(message, InboundMessage)
    assert message.mentions_bot is True


@pytest.mark.parametrize("fixture", ["group_other_mention", "group_plain"])
def test_parse_update_does_not_mark_a_group_message_for_someone_else_as_a_mention(fixture: str) -> None:
    update = telegram_update(fixture)

    message = parse_update(update, BOT_USERNAME)

    assert isinstance(message, InboundMessage)
    assert message.mentions_bot is False


def test_parse_update_marks_a_reply_to_the_bot_as_a_mention() -> None:
    update = telegram_update("group_reply_to_bot")

    message = parse_update(update, BOT_USERNAME)

    assert isinstance(message, InboundMessage)
    assert message.mentions_bot is True


def test_parse_update_marks_a_command_addressed_to_the_bot_as_a_mention() -> None:
    update = telegram_update("group_command")

    message = parse_update(update, BOT_USERNAME)

    assert isinstance(message, InboundMessage)
    assert (message.text, message.mentions_bot) == ("/help@office_assistant_bot", True)


def test_parse_update_takes_the_largest_photo_and_the_caption() -> None:
    update = telegram_update("photo_with_caption")

    message = parse_update(update, BOT_USERNAME)

    assert isinstance(message, InboundMessage)
    assert message.text == "what does this receipt total?"
    assert message.attachments == (Attachment("image", "AgACAgQAAxkBAAIBOGZlarge", "image/jpeg", "", 95112),)


def test_parse_update_turns_a_voice_note_into_an_audio_attachment() -> None:
    update = telegram_update("voice")

    message = parse_update(update, BOT_USERNAME)

    assert isinstance(message, InboundMessage)
    assert message.text == ""
    assert message.attachments == (Attachment("audio", "AwACAgQAAxkBAAIBOWZvoice", "audio/ogg", "", 12873),)


def test_parse_update_turns_a_document_into_a_document_attachment() -> None:
    update = telegram_update("document")

    message = parse_update(update, BOT_USERNAME)

    assert isinstance(message, InboundMessage)
    assert message.attachments == (
        Attachment("document", "BQACAgQAAxkBAAIBOmZdoc", "application/pdf", "q3-report.pdf", 204800),
    )


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("edited_message", "edited message: the original was answered"),
        ("callback_query", "update without a message: callback_query"),
        ("new_chat_members", "no text or media"),
    ],
)
def test_parse_update_ignores_what_is_not_a_new_user_message(fixture: str, reason: str) -> None:
    update = telegram_update(fixture)

    result = parse_update(update, BOT_USERNAME)

    assert result == Ignored(reason)


# --- TelegramPlatform.post_reply ------------------------------------------------------------------------------


def test_post_reply_sends_escaped_html_as_a_reply_to_the_user(
    telegram: TelegramLoopback, platform: TelegramPlatform
) -> None:
    message = parsed("group_mention")

    platform.post_reply(message, "Stock of <SKU-42> is 12 & rising")

    [sent] = telegram.sent(GROUP_ID)
    assert sent.text == "Stock of &lt;SKU-42&gt; is 12 &amp; rising"
    assert (sent.parse_mode, sent.reply_to_message_id) == ("HTML", 1205)
    assert sent.args["chat_id"] == int(GROUP_ID)


def test_post_reply_returns_the_id_telegram_gave_the_message(
    telegram: TelegramLoopback, platform: TelegramPlatform
) -> None:
    message = parsed("private_text")

    posted = platform.post_reply(message, "Two invoices are unpaid.")

    assert posted.message_id == str(telegram.sent()[0].message_id)
    assert posted.chunks == 1


def test_post_reply_splits_a_long_reply_at_line_breaks_under_4096_characters(
    telegram: TelegramLoopback, platform: TelegramPlatform
) -> None:
    paragraph = "x" * 3000
    text = "\n".join([paragraph, paragraph, paragraph])

    posted = platform.post_reply(parsed("private_text"), text)

    sent = telegram.sent()
    assert [s.text for s in sent] == [paragraph, paragraph, paragraph]
    assert [s.reply_to_message_id for s in sent] == [311, None, None]
    assert posted.chunks == 3


def test_post_reply_hard_cuts_text_without_line_breaks(telegram: TelegramLoopback, platform: TelegramPlatform) -> None:
    text = "y" * 9000

    platform.post_reply(parsed("private_text"), text)

    assert [len(s.text) for s in telegram.sent()] == [4096, 4096, 808]


def test_post_reply_retries_as_plain_text_when_telegram_cannot_parse_the_html(
    telegram: TelegramLoopback, platform: TelegramPlatform
) -> None:
    telegram.fail_next(1, 400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0')

    posted = platform.post_reply(parsed("private_text"), "a < b & c")

    [sent] = telegram.sent()
    assert sent.text == "a < b & c"
    assert sent.parse_mode is None
    assert "parse_mode" not in sent.args
    assert len(telegram.requests) == 2
    assert posted.message_id == str(sent.message_id)


def test_post_reply_raises_platform_post_error_on_another_bad_request_without_retrying(
    telegram: TelegramLoopback, platform: TelegramPlatform
) -> None:
    telegram.fail_next(1, 400, "Bad Request: chat not found")

    with pytest.raises(PlatformPostError, match="chat not found"):
        platform.post_reply(parsed("private_text"), "hello")

    assert len(telegram.requests) == 1


def test_post_reply_raises_platform_post_error_for_an_unknown_token_without_revealing_it(
    telegram: TelegramLoopback, http: httpx.Client
) -> None:
    secret_token = "999:not-the-bots-token"
    platform = TelegramPlatform(http, secret_token, base_url=telegram.url)

    with pytest.raises(PlatformPostError, match="401") as raised:
        platform.post_reply(parsed("private_text"), "hello")

    assert secret_token not in str(raised.value)
    assert telegram.sent() == []


def test_post_reply_raises_platform_post_error_when_telegram_is_unreachable(http: httpx.Client) -> None:
    with TelegramLoopback() as stopped:
        url = stopped.url
    platform = TelegramPlatform(http, DEFAULT_TOKEN, base_url=url)

    with pytest.raises(PlatformPostError, match="could not be sent") as raised:
        platform.post_reply(parsed("private_text"), "hello")

    assert DEFAULT_TOKEN not in str(raised.value)


def test_post_reply_keeps_the_token_out_of_httpx_logs(
    telegram: TelegramLoopback, platform: TelegramPlatform, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    platform.post_reply(parsed("private_text"), "hello")

    assert "sendMessage" in caplog.text
    assert DEFAULT_TOKEN not in caplog.text


# --- the loopback's own Bot API behaviour, which the adapter's HTML path relies on ----------------------------


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>bold</i>", 'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
        ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
    ],
)
def test_loopback_answers_cant_parse_entities_for_malformed_html(
    telegram: TelegramLoopback, http: httpx.Client, text: str, description: str
) -> None:
    url = f"{telegram.url}/bot{DEFAULT_TOKEN}/sendMessage"

    response = http.post(url, json={"chat_id": 1, "text": text, "parse_mode": "HTML"})

    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error_code": 400,
        "description": f"Bad Request: can't parse entities: {description}",
    }


def test_loopback_counts_the_4096_limit_after_entity_parsing(telegram: TelegramLoopback, http: httpx.Client) -> None:
    url = f"{telegram.url}/bot{DEFAULT_TOKEN}/sendMessage"
    fits = "&amp;" * 4096  # 4096 characters once parsed
    too_long = "a" * 4097

    accepted = http.post(url, data={"chat_id": "1", "text": fits, "parse_mode": "HTML"})
    refused = http.post(url, data={"chat_id": "1", "text": too_long})

    assert accepted.json()["result"]["text"] == "&" * 4096
    assert (refused.status_code, refused.json()["description"]) == (400, "Bad Request: message is too long")


def test_show_typing_sends_the_typing_chat_action(telegram: TelegramLoopback, platform: TelegramPlatform) -> None:
    message = parsed("private_text")

    platform.show_typing(message)

    [request] = telegram.requests
    assert request.path.endswith("/sendChatAction")
    assert request.body == {"chat_id": int(message.chat_id), "action": "typing"}


def test_show_typing_never_raises_when_telegram_is_unreachable(http: httpx.Client) -> None:
    with TelegramLoopback() as stopped:
        url = stopped.url
    platform = TelegramPlatform(http, DEFAULT_TOKEN, base_url=url)

    platform.show_typing(parsed("private_text"))


def test_post_reply_sends_markdown_as_html_that_telegram_parses_even_when_split(
    telegram: TelegramLoopback, platform: TelegramPlatform
) -> None:
    code = "\n".join(f"row {i} <= {i * 2} && **not bold**" for i in range(200))
    text = f"**Report** for [ACME](https://erp.example/p?id=1&x=2)\n```\n{code}\n```\nDone & dusted."

    posted = platform.post_reply(parsed("private_text"), text)

    sends = telegram.sent()
    assert posted.chunks == len(sends) == 2
    assert all(sent.parse_mode == "HTML" for sent in sends)  # no plain-text retry was needed
    assert sends[0].text.startswith('<b>Report</b> for <a href="https://erp.example/p?id=1&amp;x=2">ACME</a>')
    assert sends[1].text.startswith("<pre>row ") and "**not bold**" in sends[1].text


def _private_message() -> InboundMessage:
    message = parse_update(telegram_update("private_text"), BOT_USERNAME)
    assert isinstance(message, InboundMessage)
    return message


def test_send_audio_sends_the_mp3_with_send_audio_as_a_reply(
    telegram: TelegramLoopback, platform: TelegramPlatform
) -> None:
    message = _private_message()

    posted = platform.send_audio(message, "reply.mp3", b"ID3-mp3-bytes", "Audio Response")

    [upload] = telegram.uploads()
    assert (upload.method, upload.chat_id, upload.filename, upload.content) == (
        "sendaudio",
        message.chat_id,
        "reply.mp3",
        b"ID3-mp3-bytes",
    )
    assert upload.args["reply_to_message_id"] == message.message_id and upload.args["title"] == "Audio Response"
    assert posted.message_id == str(upload.message_id)


def test_send_file_sends_a_document_with_its_title_as_caption(
    telegram: TelegramLoopback, platform: TelegramPlatform
) -> None:
    platform.send_file(_private_message(), "q3.pdf", b"%PDF-1.7", "Q3 report", "application/pdf")

    [upload] = telegram.uploads()
    assert (upload.method, upload.filename, upload.caption) == ("senddocument", "q3.pdf", "Q3 report")


def test_send_audio_raises_platform_post_error_without_the_token_in_it(telegram: TelegramLoopback) -> None:
    telegram.fail_next(1, 400, "Bad Request: chat not found")
    with httpx.Client(timeout=5.0) as http:
        platform = TelegramPlatform(http, DEFAULT_TOKEN, base_url=telegram.url)

        with pytest.raises(PlatformPostError, match="chat not found") as raised:
            platform.send_audio(_private_message(), "reply.mp3", b"ID3", "Audio Response")

    assert DEFAULT_TOKEN not in str(raised.value)


@pytest.mark.parametrize(
    ("origin", "author"),
    [
        (
            {
                "type": "user",
                "date": 1,
                "sender_user": {"id": 7, "is_bot": False, "first_name": "Jana", "last_name": "N"},
            },
            "Jana N",
        ),
        ({"type": "hidden_user", "date": 1, "sender_user_name": "Private Person"}, "Private Person"),
        (
            {
                "type": "channel",
                "date": 1,
                "chat": {"id": -100, "type": "channel", "title": "Sales news"},
                "message_id": 3,
            },
            "Sales news",
        ),
    ],
)
def test_parse_update_names_the_author_of_a_forwarded_message(origin: dict[str, Any], author: str) -> None:
    update = telegram_update("private_text")
    update["message"]["forward_origin"] = origin

    message = parse_update(update, BOT_USERNAME)

    assert isinstance(message, InboundMessage)
    assert message.text == f"[Forwarded message from {author}]:\n" + telegram_update("private_text")["message"]["text"]
