"""Odoo over JSON-RPC: a session cookie from /web/session/authenticate, then the custom /api/mapped_models."""

from __future__ import annotations

import itertools
import logging
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


class OdooClient:
    """ErpClient on Odoo's JSON-RPC web routes; the model map is cached for `cache_ttl_s` per instance.

    Each refresh logs in afresh, as the legacy assistant did, so an expired session never needs handling. The
    session cookie is sent explicitly on the one request that follows; credentials come only from the arguments.
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
    ) -> None:
        self.http = http_client
        self.base_url = base_url.rstrip("/")
        self.db = db
        self.login = login
        self._password = password
        self.cache_ttl_s = cache_ttl_s
        self.clock = clock
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._cached: tuple[float, dict[str, Any]] | None = None

    def __repr__(self) -> str:
        return f"OdooClient(base_url={self.base_url!r}, db={self.db!r}, login={self.login!r})"

    def mapped_models(self) -> dict[str, Any]:
        """The model map with fields, from the cache while it is younger than the TTL."""
        with self._lock:
            now = self.clock()
            if self._cached is not None and now - self._cached[0] < self.cache_ttl_s:
                return self._cached[1]
            models = self._fetch_mapped_models()
            self._cached = (now, models)
            return models

    def _fetch_mapped_models(self) -> dict[str, Any]:
        session_id = self._authenticate()
        result = self._call(MAPPED_MODELS_PATH, {"include_fields": True}, session_id)
        if not isinstance(result, dict):
            raise ErpError(f"Odoo {MAPPED_MODELS_PATH} returned {type(result).__name__}, expected an object")
        logger.info("fetched Odoo model map", extra={"models": len(result)})
        return result

    def _authenticate(self) -> str:
        params = {"db": self.db, "login": self.login, "password": self._password}
        response = self._post(AUTHENTICATE_PATH, params, session_id=None)
        result = _result(AUTHENTICATE_PATH, response)
        session_id = response.cookies.get(SESSION_COOKIE)
        if not isinstance(result, dict) or not result.get("uid") or not session_id:
            raise ErpError(f"Odoo login as {self.login!r} on {self.db!r} was refused (no uid or session cookie)")
        return session_id

    def _call(self, path: str, params: dict[str, Any], session_id: str) -> Any:
        return _result(path, self._post(path, params, session_id))

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


def _result(path: str, response: httpx.Response) -> Any:
    """The JSON-RPC `result`, or an ErpError carrying Odoo's own error name and message."""
    try:
        answer = response.json()
    except ValueError as exc:
        raise ErpError(f"Odoo {path} did not answer JSON") from exc
    if not isinstance(answer, dict):
        raise ErpError(f"Odoo {path} answered a JSON {type(answer).__name__}, not a JSON-RPC object")
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
