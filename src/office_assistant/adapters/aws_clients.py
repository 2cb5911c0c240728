"""boto3 clients bound to an explicit endpoint (a local moto server), with dummy credentials, never the caller's.

Deployed functions pass no endpoint and let each adapter build its AWS default; the composition root calls this
only when `OA_AWS_ENDPOINT_URL` is set.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

ENDPOINT_CREDENTIALS = "testing"


def endpoint_client(service: str, endpoint_url: str, region: str = "us-east-1") -> Any:
    """A boto3 client for `service` bound to `endpoint_url` with dummy credentials, never the caller's AWS ones."""
    session = boto3.session.Session(
        aws_access_key_id=ENDPOINT_CREDENTIALS,
        aws_secret_access_key=ENDPOINT_CREDENTIALS,
        aws_session_token=None,
        region_name=region,
    )
    # Path-style S3 (no <bucket>.127.0.0.1 hosts) and SigV4 presigning, as the production client signs.
    config = Config(
        signature_version="s3v4" if service == "s3" else None,
        s3={"addressing_style": "path"},
        retries={"max_attempts": 2, "mode": "standard"},
    )
    return session.client(service, endpoint_url=endpoint_url, config=config)
