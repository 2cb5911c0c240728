"""API Gateway HTTP API (payload v2) events, as the webhook function receives them, for local runs and tests."""

from __future__ import annotations

import base64
import time
import uuid
from typing import Any


def api_gateway_event(method: str, path: str, headers: dict[str, str], body: str | bytes) -> dict[str, Any]:
    """The event API Gateway sends for one HTTP request; header names lower-cased as API Gateway does."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    try:
        text, is_base64 = raw.decode("utf-8"), False
    except UnicodeDecodeError:
        text, is_base64 = base64.b64encode(raw).decode("ascii"), True
    now = time.time()
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {name.lower(): value for name, value in headers.items()},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": "localhost",
            "domainPrefix": "localhost",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": headers.get("user-agent", "local"),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "body": text,
        "isBase64Encoded": is_base64,
    }
