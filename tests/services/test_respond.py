"""Respond service: mute gate, the user message stored before the model, one reply posted and stored."""

from __future__ import annotations

from dataclasses import replace

from office_assistant.domain.context import AuxiliaryFindings, GatheredContext, HistoryWindow, RelevantMessages
from office_assistant.domain.messages import Attachment, InboundMessage, Role
from office_assistant.ports import Platforms
from office_assistant.services.respond import APOLOGY, RespondService
from tests.builders import a_message, a_route_book, a_stored_message
from tests.fakes import (
    FirstSentencesSummarizer,
    HashingEmbedder,
    InMemoryMediaBucket,
    InMemoryMessageStore,
    RecordingChatModel,
    RecordingPlatform,
)


def _respond(model: RecordingChatModel | None = None) -> tuple[RespondService, InMemoryMessageStore, RecordingPlatform]:
    store, platform = InMemoryMessageStore(), RecordingPlatform()
    service = RespondService(
        store,
        HashingEmbedder(),
        model or RecordingChatModel(),
        Platforms({"slack": platform, "telegram": platform}),
        FirstSentencesSummarizer(),
        a_route_book(),
    )
    return service, store, platform


def _gathered(muted: bool = False, **kwargs: object) -> GatheredContext:
    return GatheredContext(
        kwargs.get("history", HistoryWindow()),  # type: ignore[arg-type]
        kwargs.get("relevant", RelevantMessages()),  # type: ignore[arg-type]
        AuxiliaryFindings(muted=muted, erp_models=kwargs.get("erp_models")),  # type: ignore[arg-type]
    )


def test_respond_posts_the_model_reply_and_stores_both_messages() -> None:
    service, store, platform = _respond()
    message = a_message("hello there")

    response = service.respond(message, "chat", None, _gathered())

    assert (response.replied, response.outcome, response.route) == (True, "answered", "chat")
    assert platform.posts == [(message, "Here is my answer.")]
    stored = store.latest(message.conversation_key, 10)
    assert [(m.role, m.text) for m in stored] == [(Role.USER, "hello there"), (Role.ASSISTANT, "Here is my answer.")]
    assert stored[1].message_id == message.key.reply_message_id


def test_respond_uses_every_setting_of_the_route() -> None:
    model = RecordingChatModel()
    service, _, _ = _respond(model)
    book = a_route_book()

    service.respond(a_message("invoice for acme?"), "erp", None, _gathered(erp_models={"res.partner": {}}))

    erp = book.get("erp").settings
    call = model.calls[0]
    assert (call["model"], call["temperature"], call["max_tokens"]) == (erp.model, erp.temperature, erp.max_tokens)
    assert call["messages"][0]["content"].startswith(erp.system_prompt)
    assert any("res.partner" in str(m["content"]) for m in call["messages"])


def test_respond_in_a_muted_chat_stores_the_message_and_does_not_reply() -> None:
    model = RecordingChatModel()
    service, store, platform = _respond(model)
    message = a_message("just chatting among humans")

    response = service.respond(message, "chat", None, _gathered(muted=True))

    assert (response.replied, response.outcome) == (False, "muted")
    assert platform.posts == [] and model.calls == []
    assert [m.text for m in store.latest(message.conversation_key, 10)] == ["just chatting among humans"]


def test_respond_in_a_muted_chat_answers_when_the_bot_is_mentioned() -> None:
    service, _, platform = _respond()

    response = service.respond(
        a_message("<@UBOT> are you there?", mentions_bot=True), "chat", None, _gathered(muted=True)
    )

    assert response.outcome == "answered"
    assert len(platform.posts) == 1


def test_respond_keeps_the_user_message_and_stores_the_apology_when_the_model_fails() -> None:
    service, store, platform = _respond(RecordingChatModel(fail=True))
    message = a_message("please summarise the meeting")

    response = service.respond(message, "default", None, _gathered())

    assert (response.outcome, response.reply_text) == ("model_failed", APOLOGY)
    assert platform.posts == [(message, APOLOGY)]
    stored = store.latest(message.conversation_key, 10)
    assert [(m.role, m.text) for m in stored] == [
        (Role.USER, "please summarise the meeting"),
        (Role.ASSISTANT, APOLOGY),
    ]
    assert stored[1].message_id == message.key.reply_message_id


def test_respond_stores_the_user_message_before_the_model_is_called() -> None:
    store_seen_by_model: list[int] = []

    class PeekingModel(RecordingChatModel):
        def complete(self, messages, model, temperature, max_tokens):  # type: ignore[no-untyped-def]
            store_seen_by_model.append(store.count("slack:C1"))
            return super().complete(messages, model, temperature, max_tokens)

    service, store, _ = _respond(PeekingModel())

    service.respond(a_message("first"), "chat", None, _gathered())

    assert store_seen_by_model == [1]


def test_respond_summarises_older_history_and_sends_it_to_the_model() -> None:
    model = RecordingChatModel()
    service, _, _ = _respond(model)
    older = a_stored_message("We moved the office. Then we painted it. Then we moved again. And again.", ts=1.0)

    service.respond(
        a_message("what happened?"), "default", None, _gathered(history=HistoryWindow(to_summarise=(older,)))
    )

    summaries = [m["content"] for m in model.calls[0]["messages"] if "Summary of the older" in str(m["content"])]
    assert summaries == [
        "Summary of the older conversation:\n"
        "alice: We moved the office Then we painted it Then we moved again And again."
    ]


def _with_images(send_images: bool) -> tuple[RespondService, RecordingChatModel]:
    model = RecordingChatModel()
    service = RespondService(
        InMemoryMessageStore(),
        HashingEmbedder(),
        model,
        Platforms({"slack": RecordingPlatform()}),
        FirstSentencesSummarizer(),
        a_route_book(),
        media_bucket=InMemoryMediaBucket(),
        send_images=send_images,
    )
    return service, model


def _image_message() -> InboundMessage:
    return replace(
        a_message("what is on this photo?"), attachments=(Attachment("image", "bucket:images/a.jpg", "image/jpeg"),)
    )


def test_respond_stores_a_message_that_expects_no_reply_and_posts_nothing() -> None:
    service, store, platform = _respond()
    message = replace(a_message("lunch at 12:30?"), reply_expected=False)

    response = service.respond(message, "chat", None, _gathered())

    assert (response.replied, response.outcome) == (False, "not_addressed")
    assert platform.posts == []
    assert [m.text for m in store.latest(message.conversation_key, 10)] == ["lunch at 12:30?"]


def test_respond_takes_the_typing_indicator_away_after_posting() -> None:
    service, _, platform = _respond()
    message = a_message("hello there")

    service.respond(message, "chat", None, _gathered())

    assert platform.indicators == [("clear", message.message_id)]


def test_respond_gives_a_vision_model_presigned_urls_of_the_stored_images() -> None:
    service, model = _with_images(send_images=True)

    service.respond(_image_message(), "chat", None, _gathered())

    content = model.calls[0]["messages"][-1]["content"]
    assert content[1] == {
        "type": "image_url",
        "image_url": {"url": "https://media.example/images/a.jpg?X-Amz-Expires=3600"},
    }


def test_respond_keeps_plain_string_content_when_images_are_off() -> None:
    service, model = _with_images(send_images=False)

    service.respond(_image_message(), "chat", None, _gathered())

    assert all(isinstance(turn["content"], str) for turn in model.calls[0]["messages"])


def test_respond_redacts_a_message_whose_route_step_failed_before_storing_or_sending_it() -> None:
    from office_assistant.services.pii import PiiPolicy
    from tests.fakes import EmailRedactor

    model = RecordingChatModel()
    store, platform = InMemoryMessageStore(), RecordingPlatform()
    service = RespondService(
        store,
        HashingEmbedder(),
        model,
        Platforms({"slack": platform}),
        FirstSentencesSummarizer(),
        a_route_book(),
        pii=PiiPolicy(EmailRedactor(), enabled_globally=True),
    )
    message = a_message("write to jane@example.com please")

    service.respond(message, None, None, _gathered(), notes=("route failed: States.Timeout",))

    assert store.latest(message.conversation_key, 10)[0].text == "write to <EMAIL_ADDRESS> please"
    sent = " ".join(str(m["content"]) for m in model.calls[0]["messages"])
    assert "jane@example.com" not in sent
    assert "<EMAIL_ADDRESS>" in sent
