"""Odoo adapter: the session-cookie login and the model map, over httpx against the loopback Odoo."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from office_assistant.adapters.erp import OdooClient
from office_assistant.domain.errors import ErpError
from office_assistant.local.loopback.odoo import DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, MODEL_MAP, OdooLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator

AUTHENTICATE = "/web/session/authenticate"
MAPPED_MODELS = "/api/mapped_models"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def odoo() -> Iterator[OdooLoopback]:
    with OdooLoopback() as server:
        yield server


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as client:
        yield client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def erp(odoo: OdooLoopback, http: httpx.Client, clock: FakeClock) -> OdooClient:
    return OdooClient(http, odoo.url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, cache_ttl_s=300, clock=clock)


def test_mapped_models_returns_the_json_rpc_result_with_fields(erp: OdooClient) -> None:
    models = erp.mapped_models()

    assert models == MODEL_MAP
    assert set(models["sale.order"]) == {"external_name", "aliases", "fields"}


def test_mapped_models_logs_in_then_sends_the_session_cookie(odoo: OdooLoopback, erp: OdooClient) -> None:
    erp.mapped_models()

    login, call = odoo.requests
    assert (login.path, call.path) == (AUTHENTICATE, MAPPED_MODELS)
    assert login.body["jsonrpc"] == "2.0"
    assert login.body["params"] == {"db": DEFAULT_DB, "login": DEFAULT_LOGIN, "password": DEFAULT_PASSWORD}
    assert call.body["params"] == {"include_fields": True}
    assert call.headers["cookie"].startswith("session_id=")


def test_mapped_models_is_served_from_the_cache_within_the_ttl(
    odoo: OdooLoopback, erp: OdooClient, clock: FakeClock
) -> None:
    first = erp.mapped_models()
    clock.now += 299

    second = erp.mapped_models()

    assert second == first
    assert (odoo.calls(AUTHENTICATE), odoo.calls(MAPPED_MODELS)) == (1, 1)


def test_mapped_models_fetches_again_once_the_ttl_has_passed(
    odoo: OdooLoopback, erp: OdooClient, clock: FakeClock
) -> None:
    erp.mapped_models()
    clock.now += 300

    erp.mapped_models()

    assert (odoo.calls(AUTHENTICATE), odoo.calls(MAPPED_MODELS)) == (2, 2)


def test_mapped_models_logs_in_afresh_after_odoo_forgot_the_session(
    odoo: OdooLoopback, erp: OdooClient, clock: FakeClock
) -> None:
    erp.mapped_models()
    odoo.expire_sessions()
    clock.now += 301

    models = erp.mapped_models()

    assert models == MODEL_MAP


def test_mapped_models_caches_per_instance(odoo: OdooLoopback, http: httpx.Client, clock: FakeClock) -> None:
    first = OdooClient(http, odoo.url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, clock=clock)
    second = OdooClient(http, odoo.url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, clock=clock)

    first.mapped_models()
    second.mapped_models()

    assert odoo.calls(MAPPED_MODELS) == 2


def test_mapped_models_raises_erp_error_for_bad_credentials(odoo: OdooLoopback, http: httpx.Client) -> None:
    erp = OdooClient(http, odoo.url, DEFAULT_DB, DEFAULT_LOGIN, "wrong-password")

    with pytest.raises(ErpError, match="AccessDenied") as raised:
        erp.mapped_models()

    assert "wrong-password" not in str(raised.value)
    assert "wrong-password" not in repr(erp)
    assert odoo.calls(MAPPED_MODELS) == 0


def test_mapped_models_raises_erp_error_when_odoo_is_unreachable(http: httpx.Client) -> None:
    with OdooLoopback() as stopped:
        url = stopped.url
    erp = OdooClient(http, url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD)

    with pytest.raises(ErpError, match="could not be reached"):
        erp.mapped_models()


def test_mapped_models_raises_erp_error_when_the_route_is_missing(odoo: OdooLoopback, http: httpx.Client) -> None:
    erp = OdooClient(http, f"{odoo.url}/not-odoo", DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD)

    with pytest.raises(ErpError, match="HTTP 404"):
        erp.mapped_models()


def test_loopback_refuses_the_model_map_without_a_session(odoo: OdooLoopback, http: httpx.Client) -> None:
    body = {"jsonrpc": "2.0", "method": "call", "params": {"include_fields": True}, "id": 1}

    response = http.post(f"{odoo.url}{MAPPED_MODELS}", json=body)

    assert response.status_code == 200
    assert response.json()["error"]["data"]["name"] == "odoo.http.SessionExpiredException"
