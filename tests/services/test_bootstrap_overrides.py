"""The container's overrides are typed: a misspelt or falsy override fails instead of building the real adapter."""

from __future__ import annotations

import pytest

from office_assistant.bootstrap import Container
from office_assistant.settings import Settings
from tests.fakes import FakeStateTable


def test_container_rejects_a_misspelt_override() -> None:
    with pytest.raises(TypeError, match="state_tabel"):
        Container(Settings(), state_tabel=FakeStateTable())


def test_container_rejects_none_where_none_does_not_mean_none_of_these() -> None:
    with pytest.raises(TypeError, match="store=None"):
        Container(Settings(), store=None)


class EmptyStateTable(FakeStateTable):
    """A state table that is falsy, as an empty container-like adapter may be."""

    def __bool__(self) -> bool:
        return False


def test_container_uses_an_override_even_when_it_is_falsy() -> None:
    table = EmptyStateTable()

    assert Container(Settings(), state_table=table).state_table is table


def test_container_accepts_none_for_the_erp_meaning_no_erp() -> None:
    assert Container(Settings(odoo_url="http://127.0.0.1:9"), erp=None).erp is None


def test_route_book_has_the_legacys_5500_reply_tokens_unless_a_cap_is_set() -> None:
    plain = Container(Settings()).route_book
    capped = Container(Settings(reply_token_cap=512)).route_book

    assert {r.settings.max_tokens for r in (*plain.routes, plain.default)} == {5500}
    assert {r.settings.max_tokens for r in (*capped.routes, capped.default)} == {512}
    assert [r.name for r in capped.routes] == [r.name for r in plain.routes]
