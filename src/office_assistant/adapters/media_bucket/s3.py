"""S3 media bucket: stores media encrypted at rest and hands it out through presigned GET URLs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from office_assistant.ports import StoredObject

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

SERVER_SIDE_ENCRYPTION = "AES256"
MAX_PRESIGNED_SECONDS = 7 * 24 * 3600  # SigV4's limit
# botocore otherwise presigns S3 URLs with the deprecated SigV2 at the global endpoint, which newer regions refuse;
# SigV4 plus virtual-host addressing gives a regional URL that every region accepts.
DEFAULT_CLIENT_CONFIG = Config(signature_version="s3v4", s3={"addressing_style": "virtual"})


class S3MediaBucket:
    """MediaBucket on one S3 bucket; objects are written with SSE-S3 and read back through presigned URLs.

    A client passed in should sign with SigV4 (``Config(signature_version="s3v4")``) for its presigned URLs to
    work in AWS. A URL signed with temporary credentials (a Lambda role) stops working when they expire, even
    before `expires_in`.
    """

    def __init__(self, bucket: str, boto3_client: S3Client | None = None) -> None:
        self.bucket = bucket
        self.client: S3Client = (
            boto3_client if boto3_client is not None else boto3.client("s3", config=DEFAULT_CLIENT_CONFIG)
        )

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
            ServerSideEncryption=SERVER_SIDE_ENCRYPTION,
        )

    def get(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return body

    def presigned_url(self, key: str, expires_in: int = 3600) -> str:
        """A GET URL for `key` valid for `expires_in` seconds; signing is local, no request is sent."""
        if not 0 < expires_in <= MAX_PRESIGNED_SECONDS:
            raise ValueError(f"expires_in must be 1..{MAX_PRESIGNED_SECONDS} seconds, got {expires_in}")
        url = self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key},
            ExpiresIn=expires_in,
        )
        return str(url)

    def list_objects(self, prefix: str, limit: int = 100) -> list[StoredObject]:
        """The newest `limit` objects under `prefix`, from the first 1000 keys S3 lists (one page)."""
        page = self.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix, MaxKeys=1000)
        objects = [
            StoredObject(item["Key"], int(item.get("Size", 0)), item["LastModified"].timestamp())
            for item in page.get("Contents", [])
        ]
        objects.sort(key=lambda o: o.last_modified, reverse=True)
        return objects[:limit]


def ensure_bucket(client: S3Client, bucket: str) -> None:
    """Local mode only: create the media bucket when missing (infra does this in AWS)."""
    try:
        client.head_bucket(Bucket=bucket)
        return
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchBucket", "NotFound"}:
            raise
    region = client.meta.region_name
    if not region or region == "us-east-1":
        client.create_bucket(Bucket=bucket)
    else:
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
