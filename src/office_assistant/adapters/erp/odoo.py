"""Odoo over JSON-RPC: a session cookie from /web/session/authenticate, then the custom module's /api routes."""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from typing import TYPE_CHECKING, Any

import httpx

from office_assistant.domain.errors import ErpError

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

SESSION_COOKIE = "session_id"
AUTHENTICATE_PATH = "/web/session/authenticate"
MAPPED_MODELS_PATH = "/api/mapped_models"
GENERATE_PDF_PATH = "/api/generate_pdf"
PRODUCT_MODEL = "product.product"
PRODUCT_FIELDS = ["name", "default_code", "list_price", "qty_available"]
SESSION_EXPIRED_CODE = 100  # Odoo's JSON-RPC error code for odoo.http.SessionExpiredException
# Dotted lower-case segments ("res.partner", "sale.order.line"): no slash, no empty or dot-only segment, so a model
# name placed in the URL path can never climb out of /api/.
MODEL_NAME = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*")


def search_path(model: str) -> str:
    """The custom module's search route for `model`, as the legacy tools called it: POST /api/<model>."""
    return f"/api/{_checked_model(model)}"


def create_path(model: str) -> str:
    """The custom module's create route for `model`, as the legacy tools called it: POST /api/<model>/create."""
    return f"{search_path(model)}/create"


def record_path(model: str, action: str, record_id: int) -> str:
    """The custom module's per-record route: POST /api/<model>/<update|delete|post>/<id>."""
    if isinstance(record_id, bool) or not isinstance(record_id, int) or record_id < 1:
        raise ErpError(f"not an Odoo record id: {record_id!r}")
    return f"{search_path(model)}/{action}/{record_id}"


class OdooClient:
    """ErpClient on Odoo's JSON-RPC web routes; the model map is cached for `cache_ttl_s` per instance.

    One session cookie is reused for `session_ttl_s` instead of logging in on every call (the legacy re-logged
    in each time). When Odoo answers that the session has expired, the client logs in again and repeats the call
    once: Odoo refuses an expired session before running the route, so repeating even a create is safe.
    Credentials come only from the arguments and are never logged or shown by repr.
    """

    def __init__(
        self,
        http_client: httpx.Client,
        base_url: str,
        db: str,
        login: str,
        password: str,
        cache_ttl_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        session_ttl_s: float = 3600.0,
    ) -> None:
        self.http = http_client
        self.base_url = base_url.rstrip("/")
        self.db = db
        self.login = login
        self._password = password
        self.cache_ttl_s = cache_ttl_s
        self.session_ttl_s = session_ttl_s
        self.clock = clock
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._session_lock = threading.Lock()
        self._cached: tuple[float, dict[str, Any]] | None = None
        self._session: tuple[float, str] | None = None

    def __repr__(self) -> str:
        return f"OdooClient(base_url={self.base_url!r}, db={self.db!r}, login={self.login!r})"

    def mapped_models(self) -> dict[str, Any]:
        """The model map with fields, from the cache while it is younger than the TTL."""
        with self._lock:
            now = self.clock()
            if self._cached is not None and now - self._cached[0] < self.cache_ttl_s:
                return self._cached[1]
            result = self._rpc(MAPPED_MODELS_PATH, {"include_fields": True})
            if not isinstance(result, dict):
                raise ErpError(f"Odoo {MAPPED_MODELS_PATH} returned {type(result).__name__}, expected an object")
            logger.info("fetched Odoo model map", extra={"models": len(result)})
            self._cached = (now, result)
            return result

    def search_records(
        self, model: str, domain: list[Any] | None = None, fields: list[str] | None = None, limit: int = 20
    ) -> list[dict[str, Any]]:
        """Records of `model` matching `domain`; an empty `fields` list asks Odoo for its default fields."""
        path = search_path(model)
        if limit < 1:
            raise ErpError(f"Odoo search on {model!r} needs a positive limit, got {limit}")
        result = self._rpc(path, {"domain": domain or [], "fields": fields or [], "limit": limit})
        if not isinstance(result, list) or not all(isinstance(row, dict) for row in result):
            raise ErpError(f"Odoo {path} returned {type(result).__name__}, expected a list of records")
        return result

    def create_record(self, model: str, values: dict[str, Any]) -> int:
        """Create one record of `model` from `values`; the new record's id."""
        path = create_path(model)
        result = self._rpc(path, {"values": values})
        if isinstance(result, bool) or not isinstance(result, int):
            raise ErpError(f"Odoo {path} returned {type(result).__name__}, expected the new record's id")
        logger.info("created an Odoo record", extra={"model": model, "record_id": result})
        return result

    def update_record(self, model: str, record_id: int, values: dict[str, Any]) -> bool:
        """Write `values` on record `record_id` (POST /api/<model>/update/<id>)."""
        path = record_path(model, "update", record_id)
        result = self._rpc(path, {"values": values})
        logger.info("updated an Odoo record", extra={"model": model, "record_id": record_id})
        return bool(result)

    def delete_record(self, model: str, record_id: int) -> bool:
        """Unlink record `record_id` (POST /api/<model>/delete/<id>)."""
        path = record_path(model, "delete", record_id)
        result = self._rpc(path, {})
        logger.info("deleted an Odoo record", extra={"model": model, "record_id": record_id})
        return bool(result)

    def post_record(self, model: str, record_id: int) -> dict[str, Any]:
        """The module's post action (confirm an order, post an invoice): POST /api/<model>/post/<id>."""
        path = record_path(model, "post", record_id)
        result = self._rpc(path, {})
        logger.info("posted an Odoo record", extra={"model": model, "record_id": record_id})
        return result if isinstance(result, dict) else {"posted": bool(result)}

    def print_record(self, model: str, record_id: int, report: str | None = None) -> str:
        """The record's PDF report URL from POST /api/generate_pdf."""
        params: dict[str, Any] = {"model": _checked_model(model), "record_id": record_id}
        if report:
            params["report"] = report
        result = self._rpc(GENERATE_PDF_PATH, params)
        url = result.get("url") if isinstance(result, dict) else result
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ErpError(f"Odoo {GENERATE_PDF_PATH} returned no report URL")
        return url

    def products(self, query: str, limit: int = 10) -> list[dict[str, Any]]:
        """Products whose name or internal reference contains `query`, through the search route."""
        domain: list[Any] = ["|", ["name", "ilike", query], ["default_code", "ilike", query]] if query else []
        return self.search_records(PRODUCT_MODEL, domain, PRODUCT_FIELDS, limit)

    def _rpc(self, path: str, params: dict[str, Any]) -> Any:
        """Call `path` with the live session; on Odoo's session-expired answer, log in again and call once more."""
        session_id = self._session_id()
        answer = _answer(path, self._post(path, params, session_id))
        if _session_expired(answer):
            logger.info("Odoo session expired, logging in again", extra={"path": path})
            session_id = self._session_id(stale=session_id)
            answer = _answer(path, self._post(path, params, session_id))
        return _result(path, answer)

    def _session_id(self, stale: str | None = None) -> str:
        """The cached session while younger than `session_ttl_s` and not `stale`, else a fresh login."""
        with self._session_lock:
            now = self.clock()
            if self._session is not None:
                started, session_id = self._session
                if session_id != stale and now - started < self.session_ttl_s:
                    return session_id
            self._session = None
            session_id = self._authenticate()
            self._session = (now, session_id)
            return session_id

    def _authenticate(self) -> str:
        params = {"db": self.db, "login": self.login, "password": self._password}
        response = self._post(AUTHENTICATE_PATH, params, session_id=None)
        result = _result(AUTHENTICATE_PATH, _answer(AUTHENTICATE_PATH, response))
        session_id = response.cookies.get(SESSION_COOKIE)
        if not isinstance(result, dict) or not result.get("uid") or not session_id:
            raise ErpError(f"Odoo login as {self.login!r} on {self.db!r} was refused (no uid or session cookie)")
        return session_id

    def _post(self, path: str, params: dict[str, Any], session_id: str | None) -> httpx.Response:
        body = {"jsonrpc": "2.0", "method": "call", "params": params, "id": next(self._ids)}
        headers = {"Cookie": f"{SESSION_COOKIE}={session_id}"} if session_id else {}
        try:
            response = self.http.post(self.base_url + path, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise ErpError(f"Odoo {path} could not be reached: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise ErpError(f"Odoo {path} answered HTTP {response.status_code}")
        return response


def _checked_model(model: str) -> str:
    """`model` when it is a plain dotted Odoo model name; ErpError before any request otherwise."""
    if not MODEL_NAME.fullmatch(model):
        raise ErpError(f"not an Odoo model name: {model[:80]!r} (expected lower-case dotted names like res.partner)")
    return model


def _answer(path: str, response: httpx.Response) -> dict[str, Any]:
    """The JSON-RPC answer object of `response`."""
    try:
        answer = response.json()
    except ValueError as exc:
        raise ErpError(f"Odoo {path} did not answer JSON") from exc
    if not isinstance(answer, dict):
        raise ErpError(f"Odoo {path} answered a JSON {type(answer).__name__}, not a JSON-RPC object")
    return answer


def _session_expired(answer: dict[str, Any]) -> bool:
    error = answer.get("error")
    if not isinstance(error, dict):
        return False
    data = error.get("data")
    name = data.get("name") if isinstance(data, dict) else None
    return error.get("code") == SESSION_EXPIRED_CODE or str(name).endswith("SessionExpiredException")


def _result(path: str, answer: dict[str, Any]) -> Any:
    """The JSON-RPC `result`, or an ErpError carrying Odoo's own error name and message."""
    error = answer.get("error")
    if error is not None:
        data = error.get("data") if isinstance(error, dict) else None
        name = data.get("name") if isinstance(data, dict) else None
        message = (data.get("message") if isinstance(data, dict) else None) or (
            error.get("message") if isinstance(error, dict) else error
        )
        raise ErpError(f"Odoo {path} failed: {name or 'error'}: {message}")
    if "result" not in answer:
        raise ErpError(f"Odoo {path} answered without a result")
    return answer["result"]
