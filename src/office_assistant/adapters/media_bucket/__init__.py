"""Media bucket port adapters: images and files the assistant keeps and hands out as short-lived links."""

from __future__ import annotations

from office_assistant.adapters.media_bucket.s3 import S3MediaBucket, ensure_bucket

__all__ = ["S3MediaBucket", "ensure_bucket"]
