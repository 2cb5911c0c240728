"""Relevance service: the route's top-K similar messages, time-ordered, never the current message."""

from __future__ import annotations

from office_assistant.services.relevance import RelevanceService
from tests.builders import a_route_book, a_stored_message
from tests.fakes import HashingEmbedder, InMemoryMessageStore

TEXTS = [
    "the project codename is bluebird",
    "lunch is at noon on friday",
    "bluebird launches in march",
    "the printer on floor two is broken",
    "remember the codename bluebird please",
]


def _relevance() -> tuple[RelevanceService, HashingEmbedder]:
    embedder = HashingEmbedder()
    store = InMemoryMessageStore()
    for i, (text, vector) in enumerate(zip(TEXTS, embedder.embed(TEXTS), strict=True)):
        store.add(a_stored_message(text, ts=float(i), message_id=f"m{i}"), vector.tolist())
    return RelevanceService(store, a_route_book()), embedder


def test_relevant_returns_the_most_similar_messages_in_time_order() -> None:
    relevance, embedder = _relevance()
    query = embedder.embed(["what was the codename bluebird"])[0].tolist()

    found = relevance.relevant("slack:C1", "chat", query)  # relevant = 2

    assert [m.message_id for m in found.messages] == ["m0", "m4"]


def test_relevant_skips_the_current_message() -> None:
    relevance, embedder = _relevance()
    query = embedder.embed([TEXTS[4]])[0].tolist()

    found = relevance.relevant("slack:C1", "chat", query, current_message_id="m4")

    assert "m4" not in [m.message_id for m in found.messages]
    assert len(found.messages) == 2


def test_relevant_is_empty_when_the_route_asks_for_none_or_there_is_no_embedding() -> None:
    relevance, embedder = _relevance()
    query = embedder.embed(["bluebird"])[0].tolist()

    assert relevance.relevant("slack:C1", "erp", query).messages == ()  # relevant = 0
    assert relevance.relevant("slack:C1", "chat", None).messages == ()


def test_relevant_never_reads_another_chat() -> None:
    relevance, embedder = _relevance()
    query = embedder.embed(["bluebird"])[0].tolist()

    assert relevance.relevant("telegram:42", "chat", query).messages == ()
