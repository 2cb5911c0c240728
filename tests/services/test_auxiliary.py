"""Auxiliary service: mute state always, ERP models only on routes that need them."""

from __future__ import annotations

from typing import Any

import pytest

from office_assistant.domain.errors import ErpError
from office_assistant.services.auxiliary import AuxiliaryService
from tests.builders import a_route_book
from tests.fakes import FakeStateTable


class _Erp:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls = 0

    def mapped_models(self) -> dict[str, Any]:
        self.calls += 1
        if self.fail:
            raise ErpError("connection refused")
        return {"res.partner": {"aliases": ["customer"]}}


def test_findings_report_the_chat_mute_state() -> None:
    state = FakeStateTable()
    state.set_muted("slack:C1", True)
    auxiliary = AuxiliaryService(state, None, a_route_book())

    assert auxiliary.findings("slack:C1", "chat").muted is True
    assert auxiliary.findings("slack:C2", "chat").muted is False


def test_findings_fetch_erp_models_only_on_a_route_that_needs_them() -> None:
    erp = _Erp()
    auxiliary = AuxiliaryService(FakeStateTable(), erp, a_route_book())

    on_erp = auxiliary.findings("slack:C1", "erp")
    on_chat = auxiliary.findings("slack:C1", "chat")

    assert on_erp.erp_models == {"res.partner": {"aliases": ["customer"]}}
    assert on_chat.erp_models is None
    assert erp.calls == 1


def test_findings_turn_an_erp_outage_into_a_note_and_keep_the_mute_state() -> None:
    state = FakeStateTable()
    state.set_muted("slack:C1", True)
    auxiliary = AuxiliaryService(state, _Erp(fail=True), a_route_book())

    findings = auxiliary.findings("slack:C1", "erp")

    assert findings.muted is True
    assert findings.erp_models is None
    assert findings.notes == ("the ERP is unreachable right now",)


def test_findings_fail_when_the_mute_state_cannot_be_read() -> None:
    class BrokenTable(FakeStateTable):
        def is_muted(self, chat_key: str) -> bool:
            raise ConnectionError("dynamodb unreachable")

    auxiliary = AuxiliaryService(BrokenTable(), None, a_route_book())

    with pytest.raises(ConnectionError):
        auxiliary.findings("slack:C1", "chat")
