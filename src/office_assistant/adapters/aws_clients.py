"""boto3 clients bound to an explicit endpoint (a local moto server), with dummy credentials, never the caller's.

Deployed functions pass no endpoint and let each adapter build its AWS default; the composition root calls this
only when `OA_AWS_ENDPOINT_URL` is set.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config

ENDPOINT_CREDENTIALS = "testing"

_sessions: dict[str, boto3.session.Session] = {}
_sessions_lock = threading.Lock()  # a boto3 Session is not thread-safe; its clients are


def endpoint_client(service: str, endpoint_url: str, region: str = "us-east-1") -> Any:
    """A boto3 client for `service` bound to `endpoint_url` with dummy credentials, never the caller's AWS ones.

    Clients come from one session per region, as deployed clients come from boto3's default session: a session's
    loader parses each service model once, where a session per client parsed it for every client.
    """
    # Path-style S3 (no <bucket>.127.0.0.1 hosts) and SigV4 presigning, as the production client signs.
    config = Config(
        signature_version="s3v4" if service == "s3" else None,
        s3={"addressing_style": "path"},
        retries={"max_attempts": 2, "mode": "standard"},
    )
    with _sessions_lock:
        session = _sessions.get(region)
        if session is None:
            session = _sessions[region] = boto3.session.Session(
                aws_access_key_id=ENDPOINT_CREDENTIALS,
                aws_secret_access_key=ENDPOINT_CREDENTIALS,
                aws_session_token=None,
                region_name=region,
            )
        return session.client(service, endpoint_url=endpoint_url, config=config)
