"""The Secrets Manager secrets: one per credential, so each function can be granted exactly the ones it reads.

The stack never holds a credential. Each secret is created with a random placeholder (or a JSON skeleton with a
random placeholder in one field); the operator puts the real value in after the first deploy (docs/deploy.md).
Only `telegram_secret_token` is usable as generated: Telegram lets us pick the webhook secret, so the generated
value is the one to pass to `setWebhook`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from aws_cdk import Stack
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from assistant_infra.runtime_env import SECRET_ID_ENV_VARS


@dataclass(frozen=True)
class SecretSpec:
    """One secret: its key (settings field name where one exists), name suffix, and shape."""

    key: str
    slug: str
    description: str
    json_fields: tuple[str, ...] = ()  # empty: the secret is a plain string
    generated_field: str | None = None  # JSON secrets: the field that gets the random placeholder

    @property
    def env_var(self) -> str:
        return SECRET_ID_ENV_VARS[self.key]


SECRETS: tuple[SecretSpec, ...] = (
    SecretSpec("slack_signing_secret", "slack-signing-secret", "Slack app Signing Secret (verifies webhook requests)"),
    SecretSpec("slack_bot_token", "slack-bot-token", "Slack bot token xoxb-... (posts replies, downloads files)"),
    SecretSpec("telegram_bot_token", "telegram-bot-token", "Telegram bot token from @BotFather"),
    SecretSpec(
        "telegram_secret_token",
        "telegram-webhook-secret",
        "Telegram webhook secret_token (generated here; pass it to setWebhook)",
    ),
    SecretSpec("openai_api_key", "openai-api-key", "OpenAI API key (chat model, embeddings, transcription)"),
    SecretSpec(
        "weaviate",
        "weaviate",
        'Weaviate connection as JSON: {"url": "https://...", "api_key": "..."}',
        json_fields=("url", "api_key"),
        generated_field="api_key",
    ),
    SecretSpec(
        "odoo",
        "odoo",
        'Odoo credentials as JSON: {"url": "https://...", "db": "...", "login": "...", "password": "..."}',
        json_fields=("url", "db", "login", "password"),
        generated_field="password",
    ),
    SecretSpec(
        "google_search",
        "google-search",
        'Google Programmable Search (web_search tool) as JSON: {"api_key": "...", "engine_id": "..."}',
        json_fields=("api_key", "engine_id"),
        generated_field="api_key",
    ),
)

SECRETS_BY_KEY: dict[str, SecretSpec] = {spec.key: spec for spec in SECRETS}

# Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - as secret_token: no punctuation.
_GENERATED_LENGTH = 48


def _generator(spec: SecretSpec) -> secretsmanager.SecretStringGenerator:
    if not spec.json_fields:
        return secretsmanager.SecretStringGenerator(exclude_punctuation=True, password_length=_GENERATED_LENGTH)
    skeleton = {field: "" for field in spec.json_fields if field != spec.generated_field}
    return secretsmanager.SecretStringGenerator(
        exclude_punctuation=True,
        password_length=_GENERATED_LENGTH,
        secret_string_template=json.dumps(skeleton),
        generate_string_key=spec.generated_field,
    )


class AssistantSecrets(Construct):
    """Creates every secret in `SECRETS`, named `<stack name>/<slug>`."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        stack_name = Stack.of(self).stack_name
        self.by_key: dict[str, secretsmanager.Secret] = {}
        for spec in SECRETS:
            self.by_key[spec.key] = secretsmanager.Secret(
                self,
                _construct_id(spec.slug),
                secret_name=f"{stack_name}/{spec.slug}",
                description=spec.description,
                generate_secret_string=_generator(spec),
            )


def _construct_id(slug: str) -> str:
    return "".join(part.capitalize() for part in slug.split("-"))
