"""History service: the window of latest messages, split by the route's settings."""

from __future__ import annotations

from office_assistant.domain.messages import Role
from office_assistant.services.history import HistoryService
from tests.builders import a_route_book, a_stored_message
from tests.fakes import InMemoryMessageStore


def _store_with(count: int) -> InMemoryMessageStore:
    store = InMemoryMessageStore()
    for i in range(count):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        store.add(a_stored_message(f"message {i}", ts=float(i), role=role, message_id=f"m{i}"), None)
    return store


def test_window_keeps_the_newest_full_text_len_verbatim_and_summarises_the_rest() -> None:
    history = HistoryService(_store_with(10), a_route_book())

    window = history.window("slack:C1", "default")  # summary_len 2, full_text_len 3

    assert [m.text for m in window.to_summarise] == ["message 5", "message 6"]
    assert [m.text for m in window.verbatim] == ["message 7", "message 8", "message 9"]


def test_window_uses_the_default_route_when_the_route_is_unknown_or_missing() -> None:
    history = HistoryService(_store_with(10), a_route_book())

    assert history.window("slack:C1", None) == history.window("slack:C1", "no-such-route")
    assert len(history.window("slack:C1", None).verbatim) == 3


def test_window_leaves_out_the_current_message_when_a_retry_already_stored_it() -> None:
    history = HistoryService(_store_with(4), a_route_book())

    window = history.window("slack:C1", "chat", current_message_id="m3")  # full_text_len 2, summary 0

    assert [m.message_id for m in window.verbatim] == ["m1", "m2"]
    assert window.to_summarise == ()


def test_window_is_empty_for_a_new_chat() -> None:
    history = HistoryService(InMemoryMessageStore(), a_route_book())

    window = history.window("telegram:42", "default")

    assert window.verbatim == () and window.to_summarise == ()
