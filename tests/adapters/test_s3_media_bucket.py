"""S3MediaBucket against moto's server: real boto3 client in, presigned URL fetched over HTTP out."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from botocore.exceptions import ClientError

from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.media_bucket import S3MediaBucket, ensure_bucket

if TYPE_CHECKING:
    from pathlib import Path

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def s3(local_aws: str) -> Any:
    return endpoint_client("s3", local_aws)


@pytest.fixture
def bucket_name(s3: Any) -> str:
    name = f"media-{uuid.uuid4().hex}"
    ensure_bucket(s3, name)
    return name


def test_presigned_url_serves_the_stored_bytes(s3: Any, bucket_name: str) -> None:
    bucket = S3MediaBucket(bucket_name, boto3_client=s3)
    bucket.put("images/slack/C1/photo.png", PNG_BYTES, "image/png")

    response = httpx.get(bucket.presigned_url("images/slack/C1/photo.png", expires_in=300))

    assert response.status_code == 200
    assert response.content == PNG_BYTES
    assert response.headers["content-type"] == "image/png"


def test_put_stores_content_type_and_sse_s3_encryption(s3: Any, bucket_name: str) -> None:
    bucket = S3MediaBucket(bucket_name, boto3_client=s3)

    bucket.put("docs/report.pdf", b"%PDF-1.7", "application/pdf")

    head = s3.head_object(Bucket=bucket_name, Key="docs/report.pdf")
    assert head["ContentType"] == "application/pdf"
    assert head["ServerSideEncryption"] == "AES256"


def test_presigned_url_names_the_key_and_its_expiry(s3: Any, bucket_name: str) -> None:
    bucket = S3MediaBucket(bucket_name, boto3_client=s3)

    url = httpx.URL(bucket.presigned_url("a b/c.png", expires_in=120))

    assert url.path == f"/{bucket_name}/a b/c.png"
    assert url.params["X-Amz-Expires"] == "120"


def test_presigned_url_rejects_expiry_outside_sigv4_limits(s3: Any, bucket_name: str) -> None:
    bucket = S3MediaBucket(bucket_name, boto3_client=s3)

    with pytest.raises(ValueError, match="expires_in"):
        bucket.presigned_url("k", expires_in=8 * 24 * 3600)


def test_default_client_presigns_with_sigv4_at_the_regional_endpoint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Presigning is local: no request leaves the process. Keep any real AWS config out of it.
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.delenv("AWS_REGION", raising=False)
    bucket = S3MediaBucket("office-assistant-media")

    url = httpx.URL(bucket.presigned_url("images/a.png", expires_in=600))

    assert url.host == "office-assistant-media.s3.eu-west-1.amazonaws.com"
    assert url.params["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert url.params["X-Amz-Expires"] == "600"


def test_put_overwrites_an_existing_key(s3: Any, bucket_name: str) -> None:
    bucket = S3MediaBucket(bucket_name, boto3_client=s3)
    bucket.put("k", b"old", "text/plain")

    bucket.put("k", b"new", "text/plain")

    assert s3.get_object(Bucket=bucket_name, Key="k")["Body"].read() == b"new"


def test_put_raises_when_the_bucket_is_missing(s3: Any) -> None:
    bucket = S3MediaBucket(f"missing-{uuid.uuid4().hex}", boto3_client=s3)

    with pytest.raises(ClientError) as raised:
        bucket.put("k", b"x", "text/plain")

    assert raised.value.response["Error"]["Code"] == "NoSuchBucket"


def test_ensure_bucket_creates_the_bucket_in_the_client_region_and_can_run_twice(local_aws: str) -> None:
    s3_eu = endpoint_client("s3", local_aws, region="eu-west-1")
    name = f"media-{uuid.uuid4().hex}"

    ensure_bucket(s3_eu, name)
    ensure_bucket(s3_eu, name)

    assert s3_eu.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-1"


def test_list_objects_lists_only_the_prefix_with_sizes(s3: Any, bucket_name: str) -> None:
    bucket = S3MediaBucket(bucket_name, boto3_client=s3)
    bucket.put("files/slack/abc/report.pdf", b"%PDF-1.4 one", "application/pdf")
    bucket.put("files/slack/abc/notes.txt", b"two", "text/plain")
    bucket.put("files/slack/other/secret.txt", b"not this chat", "text/plain")

    listed = bucket.list_objects("files/slack/abc/")

    assert sorted((o.key, o.size) for o in listed) == [
        ("files/slack/abc/notes.txt", 3),
        ("files/slack/abc/report.pdf", 12),
    ]
    assert all(o.last_modified > 0 for o in listed)
