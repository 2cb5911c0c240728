"""A loopback Odoo: JSON-RPC session login with a fixed account, and the custom module's /api routes.

Routes: /api/mapped_models, /api/<model> (search), /api/<model>/create, /api/<model>/update/<id>,
/api/<model>/delete/<id>, /api/<model>/post/<id> and /api/generate_pdf, each needing a live session.
"""

from __future__ import annotations

import copy
import operator
import secrets
from typing import TYPE_CHECKING, Any

from office_assistant_local.standins.recorder import RecordingServer, Reply

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant_local.standins.recorder import RecordedRequest

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

# A few records per model for /api/<model> searches; ids count on from the largest.
RECORDS: dict[str, list[dict[str, Any]]] = {
    "res.partner": [
        {"id": 7, "name": "Acme Corp", "email": "orders@acme.example", "is_company": True, "customer_rank": 3},
        {"id": 8, "name": "Jane Doe", "email": "jane@acme.example", "is_company": False, "customer_rank": 1},
        {"id": 9, "name": "Globex", "email": "buy@globex.example", "is_company": True, "customer_rank": 0},
    ],
    "product.product": [
        {"id": 21, "name": "Office chair", "default_code": "CH-01", "list_price": 149.0, "qty_available": 12.0},
        {"id": 11, "name": "Desk lamp", "default_code": "LA-02", "list_price": 39.5, "qty_available": 3.0},
    ],
    "sale.order": [
        {"id": 12, "name": "S00012", "partner_id": 7, "state": "draft", "amount_total": 298.0},
    ],
    "account.move": [
        {
            "id": 13,
            "name": "INV/2025/0013",
            "partner_id": 7,
            "move_type": "out_invoice",
            "amount_total": 298.0,
            "payment_state": "not_paid",
            "state": "draft",
        },
    ],
}
POSTED_STATE = {"sale.order": ("state", "sale"), "account.move": ("state", "posted")}
"""What the module's post action does per model (confirm a quotation, post an invoice); others have none."""


def _rpc_result(request_id: Any, result: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(200, {"jsonrpc": "2.0", "id": request_id, "result": result}, headers or {})


def _rpc_error(request_id: Any, code: int, message: str, name: str, detail: str) -> Reply:
    """Odoo answers JSON-RPC failures with HTTP 200 and an `error` object naming the Python exception."""
    data = {"name": name, "message": detail, "arguments": [detail], "context": {}, "debug": ""}
    return Reply(200, {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message, "data": data}})


class OdooLoopback(RecordingServer):
    """`/web/session/authenticate` sets a `session_id` cookie for the one account; every /api route needs it.

    Wrong credentials get Odoo's AccessDenied JSON-RPC error; a call without a live session gets Odoo's
    SessionExpiredException; an unknown model, field or a missing required value gets Odoo's UserError or
    ValidationError, all with HTTP 200 as Odoo answers them.
    """

    def __init__(
        self,
        db: str = DEFAULT_DB,
        login: str = DEFAULT_LOGIN,
        password: str = DEFAULT_PASSWORD,
        models: dict[str, dict[str, Any]] | None = None,
        records: dict[str, list[dict[str, Any]]] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host, port)
        self.db, self.login, self.password = db, login, password
        self.models = copy.deepcopy(models if models is not None else MODEL_MAP)
        self.records = copy.deepcopy(records if records is not None else RECORDS)
        self._sessions: set[str] = set()

    def expire_sessions(self) -> None:
        """Forget every session, as an Odoo restart or logout would."""
        with self._lock:
            self._sessions.clear()

    @property
    def sessions(self) -> frozenset[str]:
        """The session ids handed out and not expired."""
        with self._lock:
            return frozenset(self._sessions)

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
        if not request.path.startswith("/api/"):
            return Reply(404, {"error": f"no route {request.path}"})
        if not self._has_session(request):
            return _rpc_error(
                request_id, 100, "Odoo Session Expired", "odoo.http.SessionExpiredException", "Session expired"
            )
        return self._api(request, request_id, params)

    def _api(self, request: RecordedRequest, request_id: Any, params: dict[str, Any]) -> Reply:
        if request.path == "/api/mapped_models":
            return _rpc_result(request_id, self._mapped_models(params))
        if request.path == "/api/generate_pdf":
            return self._generate_pdf(request_id, params)
        model, _, action = request.path.removeprefix("/api/").partition("/")
        if model not in self.models:
            return _user_error(request_id, f"Model {model!r} is not mapped")
        if action == "":
            return self._search(request_id, model, params)
        if action == "create":
            return self._create(request_id, model, params)
        verb, _, raw_id = action.partition("/")
        if verb in {"update", "delete", "post"} and raw_id.isdigit():
            return self._on_record(request_id, model, verb, int(raw_id), params)
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

    def _search(self, request_id: Any, model: str, params: dict[str, Any]) -> Reply:
        """An Odoo domain (prefix &, |, ! over [field, operator, value] leaves with =, !=, ilike, in, <, >, <=, >=;
        consecutive terms are and-ed); `fields` picks the columns."""
        known = set(self.models[model]["fields"]) | {"id"}
        domain, fields = params.get("domain") or [], params.get("fields") or []
        for leaf in domain:
            if isinstance(leaf, str) and leaf in _LOGIC:
                continue
            if not (isinstance(leaf, list) and len(leaf) == 3 and leaf[0] in known and leaf[1] in _OPERATORS):
                return _user_error(request_id, f"Invalid domain term {leaf!r} on {model}")
        if unknown := [name for name in fields if name not in known]:
            return _user_error(request_id, f"Invalid field {unknown[0]!r} on {model}")
        try:
            with self._lock:
                rows = [r for r in self.records.get(model, []) if _satisfies(domain, r)]
        except (IndexError, TypeError):
            return _user_error(request_id, f"Invalid domain {domain!r} on {model}")
        limit = params.get("limit")
        rows = rows[:limit] if isinstance(limit, int) and limit > 0 else rows
        return _rpc_result(request_id, [{"id": r["id"]} | {k: r.get(k) for k in fields} if fields else r for r in rows])

    def _create(self, request_id: Any, model: str, params: dict[str, Any]) -> Reply:
        spec = self.models[model]["fields"]
        values = params.get("values")
        if not isinstance(values, dict):
            return _user_error(request_id, "values must be an object")
        if unknown := [name for name in values if name not in spec]:
            return _user_error(request_id, f"Invalid field {unknown[0]!r} on {model}")
        if missing := [name for name, field in spec.items() if field.get("required") and not values.get(name)]:
            label = self.models[model]["external_name"]
            detail = f"Missing required fields on {label}: {', '.join(missing)}"
            return _rpc_error(request_id, 200, "Odoo Server Error", "odoo.exceptions.ValidationError", detail)
        with self._lock:
            rows = self.records.setdefault(model, [])
            new_id = max((r["id"] for r in (row for table in self.records.values() for row in table)), default=0) + 1
            rows.append({"id": new_id, **copy.deepcopy(values)})
        return _rpc_result(request_id, new_id)

    def _on_record(self, request_id: Any, model: str, verb: str, record_id: int, params: dict[str, Any]) -> Reply:
        with self._lock:
            rows = self.records.get(model, [])
            row = next((r for r in rows if r["id"] == record_id), None)
            if row is None:
                return _rpc_error(
                    request_id,
                    200,
                    "Odoo Server Error",
                    "odoo.exceptions.MissingError",
                    f"Record does not exist or has been deleted. (Record: {model}({record_id},))",
                )
            if verb == "delete":
                rows.remove(row)
                return _rpc_result(request_id, True)
            if verb == "post":
                if model not in POSTED_STATE:
                    return _user_error(request_id, f"{model} has no post action")
                field, state = POSTED_STATE[model]
                row[field] = state
                return _rpc_result(request_id, {"id": record_id, field: state})
            values = params.get("values")
            spec = self.models[model]["fields"]
            if not isinstance(values, dict) or not values:
                return _user_error(request_id, "values must be a non-empty object")
            if unknown := [name for name in values if name not in spec]:
                return _user_error(request_id, f"Invalid field {unknown[0]!r} on {model}")
            row.update(copy.deepcopy(values))
        return _rpc_result(request_id, True)

    def _generate_pdf(self, request_id: Any, params: dict[str, Any]) -> Reply:
        model, record_id = params.get("model"), params.get("record_id")
        with self._lock:
            exists = any(r["id"] == record_id for r in self.records.get(str(model), []))
        if not exists:
            return _user_error(request_id, f"No record {model}({record_id}) to print")
        return _rpc_result(request_id, {"url": f"{self.url}/report/pdf/{model}/{record_id}"})


def _satisfies(domain: list[Any], row: dict[str, Any]) -> bool:
    """Whether `row` matches the Odoo domain (Polish notation; the top level is an implicit and)."""
    position = 0

    def term() -> bool:
        nonlocal position
        item = domain[position]
        position += 1
        if item == "!":
            return not term()
        if item == "&" or item == "|":
            left, right = term(), term()
            return (left and right) if item == "&" else (left or right)
        field, op, value = item
        return _OPERATORS[op](row.get(field), value)

    results = []
    while position < len(domain):
        results.append(term())
    return all(results)


_LOGIC = {"&", "|", "!"}


def _user_error(request_id: Any, detail: str) -> Reply:
    return _rpc_error(request_id, 200, "Odoo Server Error", "odoo.exceptions.UserError", detail)


def _ilike(actual: Any, wanted: Any) -> bool:
    return isinstance(actual, str) and str(wanted).lower() in actual.lower()


def _in(actual: Any, wanted: Any) -> bool:
    return isinstance(wanted, list) and actual in wanted


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda actual, wanted: actual is not None and wanted is not None and bool(compare(actual, wanted))


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "ilike": _ilike,
    "in": _in,
    "<": _ordered(operator.lt),
    ">": _ordered(operator.gt),
    "<=": _ordered(operator.le),
    ">=": _ordered(operator.ge),
}
