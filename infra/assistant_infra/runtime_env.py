"""Environment variables the deployed functions get that `office_assistant.settings.ENV_VARS` does not name yet.

Secrets never travel as values: a function gets the *id* (ARN) of each Secrets Manager secret it may read, and the
runtime reads the value with Powertools Parameters (`get_secret`, cached). These names belong in settings.py;
when they move there, import them from there and delete this module.
"""

from __future__ import annotations

DEPLOYED_MODE = "aws"
"""Value of settings' `mode` variable in a deployed stack: production adapters, secrets from Secrets Manager."""

SECRET_ID_ENV_VARS: dict[str, str] = {
    "slack_signing_secret": "OA_SLACK_SIGNING_SECRET_ID",
    "slack_bot_token": "OA_SLACK_BOT_TOKEN_SECRET_ID",
    "telegram_bot_token": "OA_TELEGRAM_BOT_TOKEN_SECRET_ID",
    "telegram_secret_token": "OA_TELEGRAM_SECRET_TOKEN_SECRET_ID",
    "openai_api_key": "OA_OPENAI_API_KEY_SECRET_ID",
    "weaviate": "OA_WEAVIATE_SECRET_ID",
    "odoo": "OA_ODOO_SECRET_ID",
}
"""Secret key (see `secrets.SECRETS`) → environment variable holding that secret's ARN."""
