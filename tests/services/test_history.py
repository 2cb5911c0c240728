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


def test_window_keeps_the_newest_full_text_len_of_each_role_verbatim_and_summarises_their_older_ones() -> None:
    history = HistoryService(_store_with(12), a_route_book())

    window = history.window("slack:C1", "default")  # summary_len 2, full_text_len 3: 5 per role

    assert [m.text for m in window.to_summarise] == ["message 2", "message 3", "message 4", "message 5"]
    assert [m.text for m in window.verbatim] == [f"message {i}" for i in range(6, 12)]


def test_window_takes_each_roles_share_even_when_one_role_wrote_most_recent_messages() -> None:
    store = InMemoryMessageStore()
    for i in range(8):  # a group chat: eight user messages, one assistant reply in between
        store.add(a_stored_message(f"user {i}", ts=float(i), role=Role.USER, message_id=f"u{i}"), None)
    store.add(a_stored_message("reply", ts=3.5, role=Role.ASSISTANT, message_id="a1"), None)
    history = HistoryService(store, a_route_book())

    window = history.window("slack:C1", "default")

    assert [m.text for m in window.verbatim] == ["reply", "user 5", "user 6", "user 7"]
    assert [m.text for m in window.to_summarise] == ["user 3", "user 4"]


def test_window_uses_the_default_route_when_the_route_is_unknown_or_missing() -> None:
    history = HistoryService(_store_with(10), a_route_book())

    assert history.window("slack:C1", None) == history.window("slack:C1", "no-such-route")
    assert len(history.window("slack:C1", None).verbatim) == 6  # full_text_len 3 per role


def test_window_leaves_out_the_current_message_when_a_retry_already_stored_it() -> None:
    history = HistoryService(_store_with(4), a_route_book())

    window = history.window("slack:C1", "chat", current_message_id="m3")  # full_text_len 2, summary 0

    assert [m.message_id for m in window.verbatim] == ["m0", "m1", "m2"]  # two per role: m3 was the current one
    assert window.to_summarise == ()


def test_window_is_empty_for_a_new_chat() -> None:
    history = HistoryService(InMemoryMessageStore(), a_route_book())

    window = history.window("telegram:42", "default")

    assert window.verbatim == () and window.to_summarise == ()
