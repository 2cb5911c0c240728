"""Slack adapter: Events API payloads parsed into messages; replies posted by slack_sdk to the loopback Slack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from office_assistant.adapters.chat_platforms import Ignored, SlackPlatform
from office_assistant.adapters.chat_platforms.slack import parse_event
from office_assistant.domain.errors import PlatformPostError
from office_assistant.domain.messages import Attachment, InboundMessage, Platform
from office_assistant_local.standins.slack import DEFAULT_TOKEN, SlackLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "events" / "slack"
BOT_USER_ID = "U07ASSIST1"


def slack_event(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def parsed(name: str) -> InboundMessage:
    message = parse_event(slack_event(name), BOT_USER_ID)
    assert isinstance(message, InboundMessage), message
    return message


@pytest.fixture
def slack() -> Iterator[SlackLoopback]:
    with SlackLoopback(bot_user_id=BOT_USER_ID) as server:
        yield server


@pytest.fixture
def platform(slack: SlackLoopback) -> SlackPlatform:
    return SlackPlatform(WebClient(token=DEFAULT_TOKEN, base_url=slack.api_url))


# --- parse_event ----------------------------------------------------------------------------------------------


def test_parse_event_reads_a_channel_message() -> None:
    body = slack_event("message_channel")

    message = parse_event(body, BOT_USER_ID)

    assert message == InboundMessage(
        platform=Platform.SLACK,
        event_id="Ev07MSGCHAN1",
        message_id="1718000000.123456",
        chat_id="C07GENERAL",
        user_id="U0ALICE01",
        user_name="U0ALICE01",
        text="Does anyone know when the Q3 invoices are due?",
        ts=1718000000.123456,
        thread_id=None,
        mentions_bot=False,
        is_direct=False,
    )


def test_parse_event_marks_an_app_mention_as_mentioning_the_bot() -> None:
    body = slack_event("app_mention")

    message = parse_event(body, BOT_USER_ID)

    assert isinstance(message, InboundMessage)
    assert (message.mentions_bot, message.is_direct, message.event_id) == (True, False, "Ev07MENTION1")
    assert message.text == f"<@{BOT_USER_ID}> can you summarise the open sales orders?"


def test_parse_event_marks_a_channel_message_naming_the_bot_as_a_mention() -> None:
    body = slack_event("message_channel_mention")

    message = parse_event(body, BOT_USER_ID)

    assert isinstance(message, InboundMessage)
    assert message.mentions_bot is True


def test_parse_event_does_not_count_a_mention_of_another_user() -> None:
    body = slack_event("message_channel_mention")

    message = parse_event(body, "U0SOMEONE")

    assert isinstance(message, InboundMessage)
    assert message.mentions_bot is False


def test_parse_event_keeps_the_thread_of_a_thread_reply() -> None:
    body = slack_event("message_in_thread")

    message = parse_event(body, BOT_USER_ID)

    assert isinstance(message, InboundMessage)
    assert (message.message_id, message.thread_id) == ("1718000300.000400", "1718000100.000200")


def test_parse_event_marks_a_direct_message_as_direct_and_addressed_to_the_bot() -> None:
    body = slack_event("message_im")

    message = parse_event(body, BOT_USER_ID)

    assert isinstance(message, InboundMessage)
    assert (message.chat_id, message.is_direct, message.mentions_bot) == ("D07DIRECT1", True, True)


def test_parse_event_turns_shared_files_into_attachments_by_mimetype() -> None:
    body = slack_event("file_share")

    message = parse_event(body, BOT_USER_ID)

    assert isinstance(message, InboundMessage)
    assert message.text == "here is the signed contract and a photo of the whiteboard"
    assert message.attachments == (
        Attachment(
            kind="document",
            ref="https://files.slack.com/files-pri/T0123TEAM-F07PDF0001/contract-acme.pdf",
            mime_type="application/pdf",
            name="contract-acme.pdf",
            size=183204,
        ),
        Attachment(
            kind="image",
            ref="https://files.slack.com/files-pri/T0123TEAM-F07IMG0001/whiteboard.png",
            mime_type="image/png",
            name="whiteboard.png",
            size=52311,
        ),
    )  # the hidden_by_limit file has no url_private and is left out


def test_parse_event_accepts_a_thread_broadcast_as_a_thread_message() -> None:
    body = slack_event("thread_broadcast")

    message = parse_event(body, BOT_USER_ID)

    assert isinstance(message, InboundMessage)
    assert message.thread_id == "1718000100.000200"


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("own_reply", "bot message"),
        ("bot_message", "bot message"),
        ("message_changed", "message subtype 'message_changed'"),
        ("message_deleted", "message subtype 'message_deleted'"),
        ("channel_join", "message subtype 'channel_join'"),
        ("reaction_added", "event type 'reaction_added'"),
    ],
)
def test_parse_event_ignores_what_is_not_a_user_message(fixture: str, reason: str) -> None:
    body = slack_event(fixture)

    result = parse_event(body, BOT_USER_ID)

    assert result == Ignored(reason)


def test_parse_event_ignores_a_message_without_a_user() -> None:
    body = slack_event("message_channel")
    del body["event"]["user"]

    result = parse_event(body, BOT_USER_ID)

    assert result == Ignored("no user")


# --- SlackPlatform.post_reply ---------------------------------------------------------------------------------


def test_post_reply_answers_in_the_thread_of_a_thread_message(slack: SlackLoopback, platform: SlackPlatform) -> None:
    message = parsed("message_in_thread")

    platform.post_reply(message, "Here are ACME's orders.")

    [post] = slack.posted()
    assert (post.channel, post.thread_ts, post.text) == ("C07GENERAL", "1718000100.000200", "Here are ACME's orders.")


def test_post_reply_starts_a_thread_under_a_channel_mention(slack: SlackLoopback, platform: SlackPlatform) -> None:
    message = parsed("app_mention")

    platform.post_reply(message, "There are 4 open sales orders.")

    [post] = slack.posted("C07GENERAL")
    assert post.thread_ts == "1718000100.000200"


def test_post_reply_answers_a_plain_channel_message_at_top_level(slack: SlackLoopback, platform: SlackPlatform) -> None:
    message = parsed("message_channel")

    platform.post_reply(message, "On 30 September.")

    [post] = slack.posted()
    assert post.thread_ts is None
    assert "thread_ts" not in post.args


def test_post_reply_answers_a_direct_message_at_top_level(slack: SlackLoopback, platform: SlackPlatform) -> None:
    message = parsed("message_im")

    platform.post_reply(message, "Nothing today.")

    [post] = slack.posted("D07DIRECT1")
    assert post.thread_ts is None


def test_post_reply_returns_the_ts_slack_assigned(slack: SlackLoopback, platform: SlackPlatform) -> None:
    message = parsed("message_channel")

    posted = platform.post_reply(message, "On 30 September.")

    assert posted.message_id == slack.posted()[0].ts
    assert posted.chunks == 1


def test_post_reply_sends_json_with_the_bot_token(slack: SlackLoopback, platform: SlackPlatform) -> None:
    message = parsed("message_channel")

    platform.post_reply(message, "On 30 September.")

    [request] = slack.requests
    assert request.path == "/api/chat.postMessage"
    assert request.headers["authorization"] == f"Bearer {DEFAULT_TOKEN}"
    assert request.headers["content-type"].startswith("application/json")


def test_post_reply_escapes_slack_control_characters(slack: SlackLoopback, platform: SlackPlatform) -> None:
    message = parsed("message_channel")

    platform.post_reply(message, "Tell <!channel> that R&D > sales")

    assert slack.posted()[0].text == "Tell &lt;!channel&gt; that R&amp;D &gt; sales"


def test_post_reply_raises_platform_post_error_when_slack_refuses_the_token(slack: SlackLoopback) -> None:
    platform = SlackPlatform(WebClient(token="xoxb-wrong", base_url=slack.api_url))

    with pytest.raises(PlatformPostError, match="invalid_auth"):
        platform.post_reply(parsed("message_channel"), "hello")

    assert slack.posted() == []


def test_post_reply_raises_platform_post_error_when_slack_is_unreachable() -> None:
    with SlackLoopback() as stopped:
        api_url = stopped.api_url
    platform = SlackPlatform(WebClient(token=DEFAULT_TOKEN, base_url=api_url, timeout=5))

    with pytest.raises(PlatformPostError, match="C07GENERAL"):
        platform.post_reply(parsed("message_channel"), "hello")


def test_post_reply_sends_mrkdwn_section_blocks_that_slack_accepts(
    slack: SlackLoopback, platform: SlackPlatform
) -> None:
    platform.post_reply(parsed("message_channel"), "## Orders\n\n**4** open, see [list](https://erp.example/o)")

    [post] = slack.posted()
    assert post.args["blocks"] == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Orders*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*4* open, see <https://erp.example/o|list>"}},
    ]


def test_post_reply_splits_a_reply_of_more_than_50_blocks_into_messages_in_the_same_thread(
    slack: SlackLoopback, platform: SlackPlatform
) -> None:
    message = parsed("message_in_thread")

    posted = platform.post_reply(message, "\n\n".join(f"point {i}: " + "x" * 3500 for i in range(30)))

    posts = slack.posted()
    assert posted.chunks == len(posts) == 2
    assert {post.thread_ts for post in posts} == {"1718000100.000200"}
    assert all(len(post.args["blocks"]) <= 50 for post in posts)


def test_loopback_refuses_a_section_over_3000_characters_as_slack_does(slack: SlackLoopback) -> None:
    client = WebClient(token=DEFAULT_TOKEN, base_url=slack.api_url)
    block = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}

    with pytest.raises(Exception, match="invalid_blocks"):
        client.chat_postMessage(channel="C1", text="x", blocks=[block])


def test_show_typing_adds_a_reaction_that_clear_typing_removes(slack: SlackLoopback, platform: SlackPlatform) -> None:
    message = parsed("message_channel")

    platform.show_typing(message)
    shown = slack.reactions()
    platform.clear_typing(message)

    assert shown == {(message.chat_id, message.message_id): {"eyes"}}
    assert slack.reactions() == {}


def test_show_typing_never_raises_when_slack_refuses(slack: SlackLoopback) -> None:
    platform = SlackPlatform(WebClient(token="xoxb-wrong", base_url=slack.api_url))

    platform.show_typing(parsed("message_channel"))

    assert slack.reactions() == {}


def test_parse_event_reads_a_shared_message_without_a_comment_from_its_blocks() -> None:
    message = parsed("message_share")

    assert message.text == (
        "[Forwarded message from Bob Example]:\nAcme wants 40 chairs by Friday, <@U0ALICE> can you confirm?"
    )


def test_parse_event_puts_a_shared_message_after_the_senders_comment() -> None:
    body = slack_event("message_share")
    body["event"]["text"] = "what should I tell them?"
    share = body["event"]["attachments"][0]
    share.update(text="Acme wants 40 chairs", author_name="", author_subname="")

    message = parse_event(body, BOT_USER_ID)

    assert isinstance(message, InboundMessage)
    assert message.text == "what should I tell them?\n\n[Forwarded message from <@U0BOB>]:\nAcme wants 40 chairs"


def test_parse_event_leaves_link_previews_out_of_the_text() -> None:
    body = slack_event("message_share")
    body["event"]["text"] = "see https://example.com"
    body["event"]["attachments"] = [{"id": 1, "title": "Example", "text": "preview", "from_url": "https://example.com"}]

    message = parse_event(body, BOT_USER_ID)

    assert isinstance(message, InboundMessage) and message.text == "see https://example.com"


def test_parse_event_rejects_attachments_that_are_not_a_list() -> None:
    body = slack_event("message_share")
    body["event"]["attachments"] = "shared"

    with pytest.raises(ValueError, match="attachments"):
        parse_event(body, BOT_USER_ID)


def test_send_audio_shares_the_mp3_in_the_users_thread_through_the_external_upload_flow(
    slack: SlackLoopback, platform: SlackPlatform
) -> None:
    message = parsed("message_in_thread")

    posted = platform.send_audio(message, "reply.mp3", b"ID3-mp3-bytes", "Audio Response")

    [upload] = slack.uploads()
    assert (upload.channel, upload.thread_ts, upload.filename, upload.title) == (
        message.chat_id,
        message.thread_id,
        "reply.mp3",
        "Audio Response",
    )
    assert upload.content == b"ID3-mp3-bytes" and posted.message_id == upload.file_id
    methods = [r.path.rsplit("/", 1)[-1] for r in slack.requests]
    assert methods == ["files.getUploadURLExternal", upload.file_id, "files.completeUploadExternal"]


def test_send_file_raises_platform_post_error_when_slack_refuses(slack: SlackLoopback) -> None:
    platform = SlackPlatform(WebClient(token="xoxb-wrong", base_url=slack.api_url))

    with pytest.raises(PlatformPostError, match="file upload"):
        platform.send_file(parsed("message_channel"), "report.pdf", b"%PDF-1.7", "Report", "application/pdf")

    assert slack.uploads() == []


def test_the_loopback_chat_stream_answers_as_slack_does(slack: SlackLoopback) -> None:
    client = WebClient(token=slack.token, base_url=slack.api_url)
    with pytest.raises(SlackApiError, match="missing_recipient_team_id"):
        client.chat_startStream(channel="C1", thread_ts="1.000100", recipient_user_id="U1")

    stream = client.chat_stream(
        channel="C1", thread_ts="1.000100", recipient_user_id="U1", recipient_team_id="T0LOOP", buffer_size=1
    )
    stream.append(markdown_text="Hello ")
    stream.append(markdown_text="world")
    stream.stop()

    assert stream.ts is not None
    assert slack.text_of("C1", stream.ts) == "Hello world"
    assert [c.method for c in slack.stream_calls("C1")] == ["chat.startStream", "chat.appendStream", "chat.stopStream"]
    with pytest.raises(SlackApiError, match="message_not_in_streaming_state"):
        client.chat_appendStream(channel="C1", ts=stream.ts, markdown_text="more")
