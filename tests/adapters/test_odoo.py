"""Odoo adapter: session-cookie login, the model map, search and create, over httpx against the loopback Odoo."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from office_assistant.adapters.erp import OdooClient
from office_assistant.domain.errors import ErpError
from office_assistant_local.standins.odoo import DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, MODEL_MAP, OdooLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator

AUTHENTICATE = "/web/session/authenticate"
MAPPED_MODELS = "/api/mapped_models"
SEARCH_PARTNERS = "/api/res.partner"
CREATE_PARTNER = "/api/res.partner/create"


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


def test_mapped_models_fetches_again_on_the_same_session_once_the_ttl_has_passed(
    odoo: OdooLoopback, erp: OdooClient, clock: FakeClock
) -> None:
    erp.mapped_models()
    clock.now += 300

    erp.mapped_models()

    assert (odoo.calls(AUTHENTICATE), odoo.calls(MAPPED_MODELS)) == (1, 2)


def test_mapped_models_logs_in_afresh_after_odoo_forgot_the_session(
    odoo: OdooLoopback, erp: OdooClient, clock: FakeClock
) -> None:
    erp.mapped_models()
    odoo.expire_sessions()
    clock.now += 301

    models = erp.mapped_models()

    assert models == MODEL_MAP
    assert (odoo.calls(AUTHENTICATE), odoo.calls(MAPPED_MODELS)) == (2, 3)


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


def test_search_records_sends_model_domain_fields_and_limit_with_the_session(
    odoo: OdooLoopback, erp: OdooClient
) -> None:
    records = erp.search_records("res.partner", [["is_company", "=", True]], ["name", "email"], limit=5)

    assert records == [
        {"id": 7, "name": "Acme Corp", "email": "orders@acme.example"},
        {"id": 9, "name": "Globex", "email": "buy@globex.example"},
    ]
    login, call = odoo.requests
    assert call.path == SEARCH_PARTNERS and call.body["method"] == "call"
    assert call.body["params"] == {"domain": [["is_company", "=", True]], "fields": ["name", "email"], "limit": 5}
    assert call.headers["cookie"] == f"session_id={login_cookie(odoo)}"


def test_search_records_sends_an_empty_domain_and_field_list_by_default(odoo: OdooLoopback, erp: OdooClient) -> None:
    records = erp.search_records("res.partner")

    assert [r["id"] for r in records] == [7, 8, 9]
    assert odoo.requests[-1].body["params"] == {"domain": [], "fields": [], "limit": 20}


def test_create_record_returns_the_new_id_and_odoo_keeps_the_values(odoo: OdooLoopback, erp: OdooClient) -> None:
    new_id = erp.create_record("res.partner", {"name": "Initech", "email": "it@initech.example"})

    assert new_id == 22
    assert odoo.requests[-1].path == CREATE_PARTNER
    assert odoo.requests[-1].body["params"] == {"values": {"name": "Initech", "email": "it@initech.example"}}
    assert erp.search_records("res.partner", [["name", "=", "Initech"]], ["email"]) == [
        {"id": 22, "email": "it@initech.example"}
    ]


def test_calls_reuse_one_session_until_odoo_expires_it(odoo: OdooLoopback, erp: OdooClient) -> None:
    erp.mapped_models()
    erp.search_records("res.partner")
    erp.create_record("res.partner", {"name": "Initech"})

    assert odoo.calls(AUTHENTICATE) == 1


def test_create_record_logs_in_once_more_and_creates_once_after_the_session_expired(
    odoo: OdooLoopback, erp: OdooClient
) -> None:
    erp.search_records("res.partner")
    odoo.expire_sessions()

    new_id = erp.create_record("res.partner", {"name": "Initech"})

    assert [r.path for r in odoo.requests] == [
        AUTHENTICATE,
        SEARCH_PARTNERS,
        CREATE_PARTNER,
        AUTHENTICATE,
        CREATE_PARTNER,
    ]
    assert [r["id"] for r in odoo.records["res.partner"]].count(new_id) == 1


def test_search_records_logs_in_afresh_once_the_session_ttl_has_passed(
    odoo: OdooLoopback, http: httpx.Client, clock: FakeClock
) -> None:
    erp = OdooClient(http, odoo.url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, clock=clock, session_ttl_s=600)
    erp.search_records("res.partner")
    clock.now += 600

    erp.search_records("res.partner")

    assert odoo.calls(AUTHENTICATE) == 2


def test_search_records_gives_up_when_the_fresh_session_is_refused_too(odoo: OdooLoopback, erp: OdooClient) -> None:
    erp.search_records("res.partner")
    odoo.expire_sessions()
    odoo.password = "rotated"

    with pytest.raises(ErpError, match="AccessDenied"):
        erp.search_records("res.partner")

    assert odoo.calls(SEARCH_PARTNERS) == 2


def test_create_record_raises_erp_error_with_odoos_message(odoo: OdooLoopback, erp: OdooClient) -> None:
    with pytest.raises(ErpError, match="ValidationError: Missing required fields on Contact: name"):
        erp.create_record("res.partner", {"email": "nobody@example.com"})

    assert len(odoo.records["res.partner"]) == 3


def test_search_records_raises_erp_error_with_odoos_message_for_an_unknown_field(erp: OdooClient) -> None:
    with pytest.raises(ErpError, match="UserError: Invalid field 'colour' on res.partner"):
        erp.search_records("res.partner", fields=["colour"])


def test_search_records_raises_erp_error_for_a_model_odoo_does_not_map(erp: OdooClient) -> None:
    with pytest.raises(ErpError, match="Model 'hr.employee' is not mapped"):
        erp.search_records("hr.employee")


@pytest.mark.parametrize(
    "model", ["../web/database/drop", "res.partner/../../admin", "res.partner/create", "Res.Partner", "", ".", "a..b"]
)
def test_bad_model_names_are_rejected_before_any_request(odoo: OdooLoopback, erp: OdooClient, model: str) -> None:
    with pytest.raises(ErpError, match="not an Odoo model name"):
        erp.search_records(model)
    with pytest.raises(ErpError, match="not an Odoo model name"):
        erp.create_record(model, {"name": "x"})

    assert odoo.requests == []


def test_search_records_rejects_a_limit_below_one_before_any_request(odoo: OdooLoopback, erp: OdooClient) -> None:
    with pytest.raises(ErpError, match="positive limit"):
        erp.search_records("res.partner", limit=0)

    assert odoo.requests == []


def test_loopback_refuses_a_search_without_a_session(odoo: OdooLoopback, http: httpx.Client) -> None:
    body = {"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}

    response = http.post(f"{odoo.url}{SEARCH_PARTNERS}", json=body)

    assert response.json()["error"]["data"]["name"] == "odoo.http.SessionExpiredException"


def login_cookie(odoo: OdooLoopback) -> str:
    """The session id the loopback handed out on the (only) login."""
    (session_id,) = odoo.sessions
    return session_id
