"""A loopback Odoo: JSON-RPC session login with a fixed account, and the custom /api/mapped_models route."""

from __future__ import annotations

import copy
import secrets
from typing import TYPE_CHECKING, Any

from office_assistant.local.loopback.recorder import RecordingServer, Reply

if TYPE_CHECKING:
    from office_assistant.local.loopback.recorder import RecordedRequest

DEFAULT_DB = "office"
DEFAULT_LOGIN = "assistant@example.com"
DEFAULT_PASSWORD = "loopback-password"
SESSION_COOKIE = "session_id"


def _field(kind: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "string": label, **extra}


# A small map in the shape the custom module serves: external name and aliases per model, fields on request.
MODEL_MAP: dict[str, dict[str, Any]] = {
    "res.partner": {
        "external_name": "Contact",
        "aliases": ["customer", "client", "contact", "vendor", "supplier", "company"],
        "fields": {
            "name": _field("char", "Name", required=True),
            "email": _field("char", "Email"),
            "phone": _field("char", "Phone"),
            "is_company": _field("boolean", "Is a Company"),
            "vat": _field("char", "Tax ID"),
            "customer_rank": _field("integer", "Customer Rank"),
        },
    },
    "sale.order": {
        "external_name": "Sales Order",
        "aliases": ["quotation", "quote", "order", "sale", "sales order"],
        "fields": {
            "name": _field("char", "Order Reference"),
            "partner_id": _field("many2one", "Customer", relation="res.partner", required=True),
            "date_order": _field("datetime", "Order Date"),
            "state": _field(
                "selection",
                "Status",
                selection=[["draft", "Quotation"], ["sale", "Sales Order"], ["cancel", "Cancelled"]],
            ),
            "amount_total": _field("monetary", "Total"),
            "order_line": _field("one2many", "Order Lines", relation="sale.order.line"),
        },
    },
    "account.move": {
        "external_name": "Invoice",
        "aliases": ["invoice", "bill", "credit note", "journal entry"],
        "fields": {
            "name": _field("char", "Number"),
            "partner_id": _field("many2one", "Partner", relation="res.partner"),
            "move_type": _field(
                "selection",
                "Type",
                selection=[["out_invoice", "Customer Invoice"], ["in_invoice", "Vendor Bill"], ["entry", "Entry"]],
            ),
            "invoice_date": _field("date", "Invoice Date"),
            "amount_total": _field("monetary", "Total"),
            "payment_state": _field(
                "selection", "Payment Status", selection=[["not_paid", "Not Paid"], ["paid", "Paid"]]
            ),
        },
    },
    "product.product": {
        "external_name": "Product",
        "aliases": ["product", "item", "article", "sku"],
        "fields": {
            "name": _field("char", "Name", required=True),
            "default_code": _field("char", "Internal Reference"),
            "list_price": _field("float", "Sales Price"),
            "qty_available": _field("float", "Quantity On Hand"),
            "uom_id": _field("many2one", "Unit of Measure", relation="uom.uom"),
        },
    },
}


def _rpc_result(request_id: Any, result: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(200, {"jsonrpc": "2.0", "id": request_id, "result": result}, headers or {})


def _rpc_error(request_id: Any, code: int, message: str, name: str, detail: str) -> Reply:
    """Odoo answers JSON-RPC failures with HTTP 200 and an `error` object naming the Python exception."""
    data = {"name": name, "message": detail, "arguments": [detail], "context": {}, "debug": ""}
    return Reply(200, {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message, "data": data}})


class OdooLoopback(RecordingServer):
    """`/web/session/authenticate` sets a `session_id` cookie for the one account; `/api/mapped_models` needs it.

    Wrong credentials get Odoo's AccessDenied JSON-RPC error; a call without a live session gets Odoo's
    SessionExpiredException, both with HTTP 200 as Odoo answers them.
    """

    def __init__(
        self,
        db: str = DEFAULT_DB,
        login: str = DEFAULT_LOGIN,
        password: str = DEFAULT_PASSWORD,
        models: dict[str, dict[str, Any]] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host, port)
        self.db, self.login, self.password = db, login, password
        self.models = copy.deepcopy(models if models is not None else MODEL_MAP)
        self._sessions: set[str] = set()

    def expire_sessions(self) -> None:
        """Forget every session, as an Odoo restart or logout would."""
        with self._lock:
            self._sessions.clear()

    def calls(self, path: str) -> int:
        """How many requests `path` has received."""
        return sum(1 for r in self.requests if r.path == path)

    def handle(self, request: RecordedRequest) -> Reply:
        if request.method != "POST":
            return Reply(405, {"error": "method not allowed"})
        body = request.body if isinstance(request.body, dict) else {}
        request_id, params = body.get("id"), body.get("params")
        if not isinstance(params, dict):
            params = {}
        if request.path == "/web/session/authenticate":
            return self._authenticate(request_id, params)
        if request.path == "/api/mapped_models":
            if not self._has_session(request):
                return _rpc_error(
                    request_id, 100, "Odoo Session Expired", "odoo.http.SessionExpiredException", "Session expired"
                )
            return _rpc_result(request_id, self._mapped_models(params))
        return Reply(404, {"error": f"no route {request.path}"})

    def _authenticate(self, request_id: Any, params: dict[str, Any]) -> Reply:
        given = (params.get("db"), params.get("login"), params.get("password"))
        if given != (self.db, self.login, self.password):
            return _rpc_error(request_id, 200, "Odoo Server Error", "odoo.exceptions.AccessDenied", "Access Denied")
        session_id = secrets.token_hex(20)
        with self._lock:
            self._sessions.add(session_id)
        user_context = {"lang": "en_US", "tz": "Europe/Brussels", "uid": 2}
        result = {"uid": 2, "db": self.db, "username": self.login, "name": "Office Assistant", "partner_id": 3}
        cookie = f"{SESSION_COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Lax"
        return _rpc_result(request_id, result | {"user_context": user_context}, {"Set-Cookie": cookie})

    def _has_session(self, request: RecordedRequest) -> bool:
        cookies = dict(
            part.strip().split("=", 1) for part in request.headers.get("cookie", "").split(";") if "=" in part
        )
        with self._lock:
            return cookies.get(SESSION_COOKIE) in self._sessions

    def _mapped_models(self, params: dict[str, Any]) -> dict[str, Any]:
        wanted = params.get("model_name")
        models = {name: spec for name, spec in self.models.items() if wanted in (None, name)}
        if params.get("include_fields"):
            return copy.deepcopy(models)
        return {name: {k: v for k, v in spec.items() if k != "fields"} for name, spec in models.items()}
