"""Who touches what: the least-privilege map the stack turns into IAM statements and environment variables.

One entry per Lambda task name (`workflow/tasks.py`). A function gets an environment variable only for what it
may touch, so a runtime that reaches for something not listed here fails on a missing setting, not on a silent
AccessDenied in production. Change a function's needs here, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Access:
    """What one function may do outside itself."""

    table_actions: tuple[str, ...] = ()  # on the state table only
    bucket_actions: tuple[str, ...] = ()  # on the media bucket's objects only
    writes_claims: bool = False  # s3:PutObject under the bucket's workflow/ prefix: data too large for the state
    lists_bucket_prefixes: tuple[str, ...] = ()  # s3:ListBucket on the media bucket, only under these prefixes
    secrets: tuple[str, ...] = ()  # keys of `secrets.SECRETS`, read with secretsmanager:GetSecretValue
    starts_workflow: bool = False  # states:StartExecution on this stack's state machine only
    detects_pii: bool = False  # comprehend:DetectPiiEntities (used only when OA_PII is switched on)


_CLAIMS = ("dynamodb:PutItem", "dynamodb:DeleteItem")  # conditional put = claim, delete = release
_MEDIA_WRITE = ("s3:PutObject",)  # Route stores images; it never reads or presigns them
_MEDIA_READ = ("s3:GetObject",)  # Respond's presigned URLs are signed with its role, so it needs GetObject

ACCESS: dict[str, Access] = {
    # verify the request, dedupe by event id, start the execution
    "webhook": Access(
        table_actions=("dynamodb:GetItem", *_CLAIMS),  # GetItem: is a failed conditional put our own retried one?
        writes_claims=True,  # a large message, or one of a redacted chat, starts the workflow by reference
        secrets=("slack_signing_secret", "telegram_secret_token"),
        starts_workflow=True,
    ),
    # user names (users.info, cached), media (download, transcribe, store), semantic route, query embedding
    "route": Access(
        table_actions=("dynamodb:GetItem", "dynamodb:PutItem"),  # the Slack user-name cache (user#<id> items)
        bucket_actions=_MEDIA_WRITE,
        secrets=("openai_api_key", "slack_bot_token", "telegram_bot_token"),
        detects_pii=True,  # redaction happens in Route, before the text is embedded, stored or sent anywhere
    ),
    # the chat's last messages
    "history": Access(writes_claims=True, secrets=("weaviate",)),
    # vector search with Route's embedding
    "relevance": Access(writes_claims=True, secrets=("weaviate",)),
    # mute flag, Odoo models
    "auxiliary": Access(table_actions=("dynamodb:GetItem",), writes_claims=True, secrets=("odoo",)),
    # the email source: dedupe by the email's id, start the execution (its queue grants itself)
    "email": Access(table_actions=("dynamodb:GetItem", *_CLAIMS), writes_claims=True, starts_workflow=True),
    # mute gate, idempotency claims, store messages, model and its tools, post, images; the tools keep the files
    # they send (PutObject) and list a chat's files (ListBucket under files/ and images/), search with Google
    "respond": Access(
        table_actions=("dynamodb:GetItem", *_CLAIMS, "dynamodb:UpdateItem"),
        bucket_actions=(*_MEDIA_WRITE, *_MEDIA_READ),
        lists_bucket_prefixes=("files/", "images/"),
        secrets=("openai_api_key", "slack_bot_token", "telegram_bot_token", "weaviate", "odoo", "google_search"),
        detects_pii=True,  # a message whose Route step failed reaches Respond unredacted
    ),
}
