"""Streamed replies at the wire: Respond on the real openai client, slack_sdk and httpx against the loopbacks.

The model streams from the loopback Chat Completions server; the reply is shown through Slack's chat stream in the
reply thread, a Telegram draft in a private chat, or a Telegram message edited in a group, and ends as today's
formatted reply. Retries never open a second stream; failures end the stream with a clear message.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from slack_sdk import WebClient

from office_assistant.adapters.chat_model import OpenAiCompatibleChatModel, build_openai_client
from office_assistant.adapters.chat_platforms.slack import SlackPlatform
from office_assistant.adapters.chat_platforms.slack_mrkdwn import to_messages, to_mrkdwn
from office_assistant.adapters.chat_platforms.telegram import TelegramPlatform
from office_assistant.adapters.chat_platforms.telegram_html import to_html
from office_assistant.adapters.chat_platforms.telegram_stream import TelegramEditStream
from office_assistant.bootstrap import Container
from office_assistant.domain.context import AuxiliaryFindings, GatheredContext, HistoryWindow, RelevantMessages
from office_assistant.domain.errors import PlatformPostError
from office_assistant.domain.messages import Attachment, Platform
from office_assistant.ports import Platforms
from office_assistant.services.reply_stream import INTERRUPTED, ReplyStreams
from office_assistant.services.respond import APOLOGY, RespondService
from office_assistant.services.voice_reply import VoiceReplies
from office_assistant.settings import Settings
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback
from office_assistant_local.standins.recorder import RecordedRequest, RecordingServer, Reply
from office_assistant_local.standins.slack import SlackLoopback
from office_assistant_local.standins.telegram import TelegramLoopback
from tests.builders import a_message, a_route_book
from tests.fakes import FakeStateTable, FirstSentencesSummarizer, HashingEmbedder, InMemoryMessageStore, ScriptedSpeech

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from office_assistant.domain.messages import InboundMessage

NOTHING_GATHERED = GatheredContext(HistoryWindow(), RelevantMessages(), AuxiliaryFindings(muted=False))
ANSWER = "**Bluebird** is the project's code name.\n\n- budget: 40k euros\n- start: May"


class HalfStreamServer(RecordingServer):
    """A chat server whose stream fails after a few words (an `error` event, as OpenAI sends one)."""

    def handle(self, request: RecordedRequest) -> Reply:
        head = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m"}
        events: list[dict[str, Any]] = [
            head | {"choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]}
            for word in ("The ", "answer ", "is ")
        ]
        events.append({"error": {"message": "The server had an error while processing your request."}})
        raw = "".join(f"data: {json.dumps(event)}\n\n" for event in events)
        return Reply(200, None, {"Content-Type": "text/event-stream"}, raw=raw.encode())


@pytest.fixture
def chat_server() -> Iterator[ChatCompletionsLoopback]:
    with ChatCompletionsLoopback() as loopback:
        yield loopback


@pytest.fixture
def slack() -> Iterator[SlackLoopback]:
    with SlackLoopback() as loopback:
        yield loopback


@pytest.fixture
def telegram() -> Iterator[TelegramLoopback]:
    with TelegramLoopback() as loopback:
        yield loopback


class Wired:
    """RespondService with streaming on, the real clients pointed at the loopbacks."""

    def __init__(
        self,
        chat_base_url: str,
        slack: SlackLoopback,
        telegram: TelegramLoopback,
        voice: VoiceReplies | None = None,
    ) -> None:
        self.claims = FakeStateTable()
        self.slack = SlackPlatform(WebClient(token=slack.token, base_url=slack.api_url))
        self.telegram = TelegramPlatform(httpx.Client(timeout=5.0), telegram.token, base_url=telegram.url)
        self.service = RespondService(
            InMemoryMessageStore(),
            HashingEmbedder(),
            OpenAiCompatibleChatModel(build_openai_client(chat_base_url, "sk-loopback", timeout_s=5.0)),
            Platforms({"slack": self.slack, "telegram": self.telegram}),
            FirstSentencesSummarizer(),
            a_route_book(),
            streams=ReplyStreams({"slack": self.slack, "telegram": self.telegram}, self.claims),
            voice=voice,
        )

    def respond(self, message: InboundMessage) -> Any:
        return self.service.respond(message, "chat", None, NOTHING_GATHERED)


def test_a_slack_thread_reply_is_streamed_then_set_to_the_mrkdwn_blocks_of_an_ordinary_reply(
    chat_server: ChatCompletionsLoopback, slack: SlackLoopback, telegram: TelegramLoopback
) -> None:
    chat_server.queue_text(ANSWER)
    wired = Wired(chat_server.base_url, slack, telegram)
    message = a_message("what is Bluebird?", chat_id="C7", mentions_bot=True)

    response = wired.respond(message)

    calls = slack.stream_calls("C7")
    assert [c.method for c in calls][0] == "chat.startStream"
    assert calls[0].text.strip(), "the first words are in the stream's first call"
    assert [c.method for c in calls][-2:] == ["chat.stopStream", "chat.update"]
    assert ANSWER.startswith("".join(c.text for c in calls if c.method != "chat.update"))
    [post] = slack.posted("C7")
    (fallback, blocks), *_ = to_messages(to_mrkdwn(ANSWER))
    assert post.ts == response.reply_message_id and post.thread_ts == message.message_id
    assert post.text == fallback and post.args["blocks"] == blocks
    assert chat_server.completion_requests()[0]["stream"] is True


def test_a_slack_reply_at_the_top_level_is_posted_whole_as_today(
    chat_server: ChatCompletionsLoopback, slack: SlackLoopback, telegram: TelegramLoopback
) -> None:
    wired = Wired(chat_server.base_url, slack, telegram)

    wired.respond(a_message("hello there", chat_id="C7"))

    assert slack.stream_calls() == []
    assert len(slack.posted("C7")) == 1
    assert wired.claims.claims == {}, "no stream was opened, so none was claimed"


def test_a_telegram_private_reply_is_drafted_then_sent_as_the_html_reply(
    chat_server: ChatCompletionsLoopback, slack: SlackLoopback, telegram: TelegramLoopback
) -> None:
    chat_server.queue_text(ANSWER)
    wired = Wired(chat_server.base_url, slack, telegram)
    message = a_message("what is Bluebird?", platform=Platform.TELEGRAM, chat_id="4242", message_id="77")
    message = replace(message, is_direct=True, mentions_bot=True)

    wired.respond(message)

    drafts = telegram.stream_calls("4242")
    assert drafts and {d.method for d in drafts} == {"sendMessageDraft"}
    assert {d.target_id for d in drafts} == {77}, "one draft, animated"
    assert ANSWER.startswith(drafts[0].text)
    [sent] = telegram.sent("4242")
    assert sent.text == to_html(ANSWER) and sent.parse_mode == "HTML" and sent.reply_to_message_id == 77
    [send_request] = [r for r in telegram.requests if r.path.endswith("/sendMessage")]
    assert drafts[-1].at <= send_request.received_at, "the drafts came before the reply"


def test_a_telegram_group_reply_is_one_message_edited_into_the_html_reply(
    chat_server: ChatCompletionsLoopback, slack: SlackLoopback, telegram: TelegramLoopback
) -> None:
    chat_server.queue_text(ANSWER)
    wired = Wired(chat_server.base_url, slack, telegram)

    response = wired.respond(a_message("Bluebird?", platform=Platform.TELEGRAM, chat_id="-100", message_id="9"))

    [sent] = telegram.sent("-100")
    assert str(sent.message_id) == response.reply_message_id
    assert sent.text == to_html(ANSWER) and sent.parse_mode == "HTML" and sent.reply_to_message_id == 9
    assert telegram.stream_calls("-100")[-1].method == "editMessageText"


def test_group_edits_are_paced_to_one_a_second() -> None:
    with TelegramLoopback() as telegram:
        platform = TelegramPlatform(httpx.Client(timeout=5.0), telegram.token, base_url=telegram.url)
        now = [0.0]
        stream = TelegramEditStream(
            platform, a_message("hi", platform=Platform.TELEGRAM, chat_id="-5", message_id="3"), clock=lambda: now[0]
        )
        for word in ["one ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight ", "nine "]:
            stream.append(word)
            now[0] += 0.25  # a word every 250 ms
        stream.finish("one two three four five six seven eight nine")

        shown = [c.text for c in telegram.stream_calls("-5")]
    # posted at 0 s, edited at 1 s and at 2 s, then the final edit
    assert [r.path.rsplit("/", 1)[-1] for r in telegram.requests] == ["sendMessage"] + ["editMessageText"] * 3
    assert telegram.requests[0].body["text"] == "one "
    assert shown == [
        "one two three four five ",
        "one two three four five six seven eight nine ",
        "one two three four five six seven eight nine",
    ]


def test_a_model_that_fails_mid_stream_leaves_the_apology_in_place_of_the_partial_answer(
    slack: SlackLoopback, telegram: TelegramLoopback
) -> None:
    with HalfStreamServer() as half:
        wired = Wired(f"{half.url}/v1", slack, telegram)
        response = wired.respond(a_message("what is Bluebird?", chat_id="C7", mentions_bot=True))

    assert response.outcome == "model_failed"
    [post] = slack.posted("C7")
    assert [c.method for c in slack.stream_calls("C7")][0] == "chat.startStream"
    assert slack.text_of("C7", post.ts) == to_messages(to_mrkdwn(APOLOGY))[0][0]


def test_a_reply_that_cannot_be_finished_ends_with_a_notice_and_its_retry_posts_once_without_a_second_stream(
    slack: SlackLoopback, telegram: TelegramLoopback
) -> None:
    class FailingFinish:
        """A streaming model whose text reached the group, after which Telegram refuses the next call."""

        def __init__(self, on_streamed: Callable[[], None]) -> None:
            self.on_streamed = on_streamed

        def stream(self, messages: Any, model: str, temperature: float, max_tokens: int, on_text: Any, **_: Any) -> Any:
            from office_assistant.ports import ChatReply

            on_text("Bluebird is ")
            on_text("the code name.")
            self.on_streamed()
            return ChatReply("Bluebird is the code name.", model)

        complete = None

    wired = Wired("http://127.0.0.1:9/v1", slack, telegram)
    wired.service.chat_model = FailingFinish(lambda: telegram.fail_next(1, 429, "Too Many Requests: retry after 1"))
    message = a_message("Bluebird?", platform=Platform.TELEGRAM, chat_id="-100", message_id="12")

    with pytest.raises(PlatformPostError):
        wired.respond(message)
    [partial] = telegram.sent("-100")
    assert partial.text.endswith(INTERRUPTED), "the partial reply says it was interrupted"
    calls_before_retry = len(telegram.stream_calls("-100"))

    wired.service.chat_model = FailingFinish(lambda: None)
    wired.respond(message)

    partial_again, complete = telegram.sent("-100")
    assert partial_again.message_id == partial.message_id and partial_again.text == partial.text
    assert complete.text == to_html("Bluebird is the code name.") and complete.parse_mode == "HTML"
    assert len(telegram.stream_calls("-100")) == calls_before_retry, "the retry opened no second stream"


def test_the_stream_replies_setting_turns_streaming_off(slack: SlackLoopback) -> None:
    platforms = Platforms({"slack": SlackPlatform(WebClient(token=slack.token, base_url=slack.api_url))})

    on = Container(Settings(), platforms=platforms, state_table=FakeStateTable())
    off_settings = Settings.from_env({"OA_STREAM_REPLIES": "false"})
    off = Container(off_settings, platforms=platforms, state_table=FakeStateTable())

    assert on.reply_streams is not None and set(on.reply_streams.platforms) == {"slack"}
    assert off.reply_streams is None


def test_a_long_streamed_slack_reply_continues_in_the_thread_as_an_ordinary_one_does(
    chat_server: ChatCompletionsLoopback, slack: SlackLoopback, telegram: TelegramLoopback
) -> None:
    long_answer = "\n\n".join(f"## P{n}\n\nok." for n in range(40))  # 80 blocks, within the route's 256 tokens
    chat_server.queue_text(long_answer)
    wired = Wired(chat_server.base_url, slack, telegram)
    message = a_message("tell me everything", chat_id="C7", mentions_bot=True)

    response = wired.respond(message)

    expected = to_messages(to_mrkdwn(long_answer))
    posts = slack.posted("C7")
    assert len(expected) > 1 and len(posts) == len(expected)
    assert [p.args["blocks"] for p in posts] == [blocks for _, blocks in expected]
    assert {p.thread_ts for p in posts} == {message.message_id}
    assert posts[0].ts == response.reply_message_id


def test_a_long_streamed_telegram_group_reply_is_split_at_4096_like_an_ordinary_one(
    chat_server: ChatCompletionsLoopback, slack: SlackLoopback, telegram: TelegramLoopback
) -> None:
    long_answer = " ".join(f"a-rather-long-word-{n:05d}" for n in range(200))  # 5,000 characters, 200 tokens
    chat_server.queue_text(long_answer)
    wired = Wired(chat_server.base_url, slack, telegram)

    wired.respond(a_message("everything", platform=Platform.TELEGRAM, chat_id="-100", message_id="31"))

    sent = telegram.sent("-100")
    expected = [payload["text"] for payload, _ in wired.telegram.reply_payloads(a_message("x"), long_answer)]
    assert [s.text for s in sent] == expected and len(expected) == 2
    assert all(s.parse_mode == "HTML" for s in sent)


def test_whitespace_before_the_first_words_opens_no_stream() -> None:
    from office_assistant.services.reply_stream import StreamedReply

    opened: list[str] = []
    reply = StreamedReply(lambda: opened.append("open") or None)
    assert reply.on_text is not None

    reply.on_text("\n ")
    assert opened == []
    reply.on_text("Hi")
    reply.on_text(" there")
    assert opened == ["open"], "opened once, on the first visible words"
    assert StreamedReply().on_text is None, "without an opener the model is not asked to stream"


def test_an_answer_spoken_alone_is_not_streamed_so_no_text_shows_ahead_of_the_audio(
    chat_server: ChatCompletionsLoopback, slack: SlackLoopback, telegram: TelegramLoopback
) -> None:
    chat_server.queue_text(ANSWER)
    speech = ScriptedSpeech()
    wired = Wired(chat_server.base_url, slack, telegram, voice=VoiceReplies(speech, "audio"))
    message = a_message("(voice note)", platform=Platform.TELEGRAM, chat_id="4243", message_id="78")
    voice_note = Attachment("audio", "voice-file-78", "audio/ogg", "voice.ogg", 1200)
    message = replace(message, is_direct=True, mentions_bot=True, attachments=(voice_note,))

    wired.respond(message)

    assert telegram.stream_calls("4243") == []  # no draft of the text
    assert telegram.sent("4243") == []  # and no text message: the answer is the audio
    assert speech.texts == [ANSWER]
    assert [upload.method.lower() for upload in telegram.uploads("4243")] == ["sendaudio"]
