"""The conversation builder: order of parts, safe names, no message read twice."""

from __future__ import annotations

from datetime import UTC, datetime

from office_assistant.domain.conversation import build_conversation, model_safe_name
from office_assistant.domain.messages import Platform, Role
from tests.builders import a_message, a_stored_message, some_settings

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


def test_model_safe_name_transliterates_accents_instead_of_dropping_letters() -> None:
    assert model_safe_name("Élodie") == "Elodie"


def test_model_safe_name_removes_characters_the_api_rejects() -> None:
    assert model_safe_name("Stranger!") == "Stranger"
    assert model_safe_name("Ana María.López") == "Ana_Maria_Lopez"


def test_model_safe_name_is_none_when_nothing_usable_is_left() -> None:
    assert model_safe_name("山田") is None
    assert model_safe_name("  !!  ") is None


def test_build_conversation_puts_instructions_first_and_the_current_message_last() -> None:
    message = a_message("What is on my calendar?", user_name="Élodie", platform=Platform.TELEGRAM)
    verbatim = [
        a_stored_message("earlier question", ts=1.0),
        a_stored_message("earlier answer", ts=2.0, role=Role.ASSISTANT),
    ]

    conversation = build_conversation(
        message, some_settings(), verbatim=verbatim, summaries=[], relevant=[], erp_models=None, now=NOW
    )

    assert conversation[0]["role"] == "system"
    assert "Telegram" in conversation[0]["content"]
    assert conversation[1] == {"role": "system", "content": "Answer briefly."}
    assert conversation[-3:] == [
        {"role": "user", "content": "earlier question", "name": "alice"},
        {"role": "assistant", "content": "earlier answer"},
        {"role": "user", "content": "What is on my calendar?", "name": "Elodie"},
    ]
    assert any("Sunday 29 November 2026, 09:30" in part["content"] for part in conversation[:-3])


def test_build_conversation_drops_relevant_messages_already_in_the_history() -> None:
    in_history = a_stored_message("the codename is Bluebird", ts=5.0)
    only_relevant = a_stored_message("my budget is 5000 EUR", ts=1.0)

    conversation = build_conversation(
        a_message("what was the codename?"),
        some_settings(),
        verbatim=[in_history],
        summaries=[],
        relevant=[only_relevant, in_history],
        erp_models=None,
        now=NOW,
    )

    relevant_parts = [p["content"] for p in conversation if p["content"].startswith("Relevant earlier messages")]
    assert relevant_parts == ["Relevant earlier messages from this chat:\nalice: my budget is 5000 EUR"]


def test_build_conversation_shows_summaries_and_erp_models_only_when_present() -> None:
    older = a_stored_message("a long story about the move. It has many parts.", ts=1.0)

    with_context = build_conversation(
        a_message("list customers"),
        some_settings(),
        verbatim=[],
        summaries=[(older, "a long story about the move.")],
        relevant=[],
        erp_models={"res.partner": {"alias": "customer"}},
        now=NOW,
    )
    without_context = build_conversation(
        a_message("hi"), some_settings(), verbatim=[], summaries=[], relevant=[], erp_models=None, now=NOW
    )

    contents = [p["content"] for p in with_context]
    assert "Summary of the older conversation:\nalice: a long story about the move." in contents
    assert any("res.partner" in c and "ERP" in c for c in contents)
    assert not any("ERP" in p["content"] or "Summary" in p["content"] for p in without_context)


def test_build_conversation_sends_images_as_content_parts() -> None:
    conversation = build_conversation(
        a_message("what is in this picture?"),
        some_settings(),
        verbatim=[],
        summaries=[],
        relevant=[],
        erp_models=None,
        now=NOW,
        image_urls=["https://bucket.example/presigned"],
    )

    assert conversation[-1]["content"] == [
        {"type": "text", "text": "what is in this picture?"},
        {"type": "image_url", "image_url": {"url": "https://bucket.example/presigned"}},
    ]
