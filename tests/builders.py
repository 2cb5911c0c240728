"""Builders for domain objects and platform payloads used across the tests."""

from __future__ import annotations

import itertools

from office_assistant.domain.messages import InboundMessage, Platform, Role, StoredMessage
from office_assistant.domain.routes import Route, RouteBook, RouteSettings

_ids = itertools.count(1)


def a_message(
    text: str = "hello",
    *,
    platform: Platform = Platform.SLACK,
    chat_id: str = "C1",
    user_name: str = "alice",
    message_id: str | None = None,
    ts: float | None = None,
    mentions_bot: bool = False,
    thread_id: str | None = None,
) -> InboundMessage:
    n = next(_ids)
    return InboundMessage(
        platform=platform,
        event_id=f"Ev{n}",
        message_id=message_id or f"{1_700_000_000 + n}.000100",
        chat_id=chat_id,
        user_id="U1",
        user_name=user_name,
        text=text,
        ts=ts if ts is not None else 1_700_000_000.0 + n,
        thread_id=thread_id,
        mentions_bot=mentions_bot,
    )


def a_stored_message(
    text: str, *, ts: float, role: Role = Role.USER, chat_key: str = "slack:C1", message_id: str | None = None
) -> StoredMessage:
    return StoredMessage(
        chat_key=chat_key,
        message_id=message_id or f"m{ts}",
        role=role,
        text=text,
        ts=ts,
        user_name="alice" if role is Role.USER else "",
    )


def some_settings(**overrides: object) -> RouteSettings:
    values: dict[str, object] = {
        "summary_len": 2,
        "full_text_len": 3,
        "relevant": 2,
        "system_prompt": "You are a helpful office assistant.",
        "assistant_prompt": "Answer briefly.",
        "model": "gpt-4.1",
        "temperature": 0.7,
        "max_tokens": 256,
    }
    values |= overrides
    return RouteSettings(**values)  # type: ignore[arg-type]


def a_route_book() -> RouteBook:
    """A small book: 'chat' (no summary), 'erp' (needs the ERP), and a default."""
    chat_tools = ("set_mute", "search_chat_history")
    erp_tools = (*chat_tools, "odoo_search_records", "odoo_create_record")
    return RouteBook(
        routes=(
            Route(
                "chat", some_settings(summary_len=0, full_text_len=2, relevant=2, model="small-model", tools=chat_tools)
            ),
            Route(
                "erp",
                some_settings(
                    summary_len=1, full_text_len=2, relevant=0, needs_erp=True, temperature=0.1, tools=erp_tools
                ),
            ),
        ),
        default=Route("default", some_settings()),
    )
