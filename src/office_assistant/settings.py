"""Settings: every environment variable the assistant reads is named here, and only here."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_ROUTES_FILE = Path(__file__).resolve().parent / "data" / "routes.json"

# field name -> environment variable
ENV_VARS: dict[str, str] = {
    "mode": "OA_MODE",
    "data_dir": "OA_DATA_DIR",
    "message_store": "OA_MESSAGE_STORE",
    "sqlite_path": "OA_SQLITE_PATH",
    "weaviate_url": "OA_WEAVIATE_URL",
    "weaviate_api_key": "OA_WEAVIATE_API_KEY",
    "weaviate_grpc_url": "OA_WEAVIATE_GRPC_URL",
    "weaviate_collection": "OA_WEAVIATE_COLLECTION",
    "weaviate_legacy_pair": "OA_WEAVIATE_LEGACY_PAIR",
    "embedding_dimensions": "OA_EMBEDDING_DIMENSIONS",
    "embeddings": "OA_EMBEDDINGS",
    "embedding_model": "OA_EMBEDDING_MODEL",
    "routes_file": "OA_ROUTES_FILE",
    "openai_base_url": "OA_OPENAI_BASE_URL",
    "openai_api_key": "OA_OPENAI_API_KEY",
    "chat_timeout_s": "OA_CHAT_TIMEOUT_S",
    "aws_region": "AWS_REGION",
    "aws_endpoint_url": "OA_AWS_ENDPOINT_URL",
    "state_table": "OA_STATE_TABLE",
    "media_bucket": "OA_MEDIA_BUCKET",
    "state_machine_arn": "OA_STATE_MACHINE_ARN",
    "slack_api_url": "OA_SLACK_API_URL",
    "slack_bot_token": "OA_SLACK_BOT_TOKEN",
    "slack_signing_secret": "OA_SLACK_SIGNING_SECRET",
    "slack_bot_user_id": "OA_SLACK_BOT_USER_ID",
    "telegram_api_url": "OA_TELEGRAM_API_URL",
    "telegram_bot_token": "OA_TELEGRAM_BOT_TOKEN",
    "telegram_secret_token": "OA_TELEGRAM_SECRET_TOKEN",
    "telegram_bot_username": "OA_TELEGRAM_BOT_USERNAME",
    "telegram_group_replies": "OA_TELEGRAM_GROUP_REPLIES",
    "image_input": "OA_IMAGE_INPUT",
    "pii": "OA_PII",
    "pii_chats": "OA_PII_CHATS",
    "pii_engine": "OA_PII_ENGINE",
    "pii_entities": "OA_PII_ENTITIES",
    "transcription_model": "OA_TRANSCRIPTION_MODEL",
    "odoo_url": "OA_ODOO_URL",
    "odoo_db": "OA_ODOO_DB",
    "odoo_login": "OA_ODOO_LOGIN",
    "odoo_password": "OA_ODOO_PASSWORD",
    "slack_signing_secret_secret_id": "OA_SLACK_SIGNING_SECRET_ID",
    "slack_bot_token_secret_id": "OA_SLACK_BOT_TOKEN_SECRET_ID",
    "telegram_bot_token_secret_id": "OA_TELEGRAM_BOT_TOKEN_SECRET_ID",
    "telegram_secret_token_secret_id": "OA_TELEGRAM_SECRET_TOKEN_SECRET_ID",
    "openai_api_key_secret_id": "OA_OPENAI_API_KEY_SECRET_ID",
    "weaviate_secret_id": "OA_WEAVIATE_SECRET_ID",
    "odoo_secret_id": "OA_ODOO_SECRET_ID",
}

LAMBDA_PROCESS_ENV: dict[str, str] = {"PYDANTIC_DISABLE_PLUGINS": "__all__"}
"""Process settings of every deployed function (and of the bench's cold-start measurements): pydantic's plugin
discovery scans every installed distribution's entry points on the first model build; this project uses none."""

# secret key -> environment variable holding that Secrets Manager secret's id (ARN); the deployed stack sets
# these instead of plain values, and bootstrap reads the values with Powertools Parameters.
SECRET_ID_ENV_VARS: dict[str, str] = {
    name.removesuffix("_secret_id"): env for name, env in ENV_VARS.items() if name.endswith("_secret_id")
}


@dataclass(frozen=True)
class Settings:
    """What to connect to. `mode="local"` is the embedded default: no keys, no network."""

    mode: str = "local"
    data_dir: Path = Path(".office-assistant")
    message_store: str = "sqlite"
    sqlite_path: Path | None = None  # default: <data_dir>/messages.db
    # message_store="weaviate": plain values for local runs; a deployed stack reads the `weaviate` secret instead.
    weaviate_url: str = ""
    weaviate_api_key: str = ""
    weaviate_grpc_url: str = ""  # "": the REST host on port 50051 (Weaviate Cloud finds its own)
    weaviate_collection: str = "Messages"
    # Read and write the legacy `UserMessages`/`AssistantMessages` pair instead of one collection with a role.
    weaviate_legacy_pair: bool = False
    # Only used to create the Weaviate collection: 384 for MiniLM, 1536 for text-embedding-3-small.
    embedding_dimensions: int = 384
    embeddings: str = "minilm"
    embedding_model: str = "text-embedding-3-small"
    routes_file: Path = DEFAULT_ROUTES_FILE
    openai_base_url: str | None = None  # None: api.openai.com; local: the llama.cpp server
    openai_api_key: str = ""
    chat_timeout_s: float = 60.0
    aws_region: str = "us-east-1"
    aws_endpoint_url: str | None = None  # local: moto's server on loopback
    state_table: str = "office-assistant-state"
    media_bucket: str = "office-assistant-media"
    state_machine_arn: str = ""
    slack_api_url: str | None = None  # None: slack.com; local: the loopback recorder
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_bot_user_id: str = ""
    telegram_api_url: str | None = None  # None: api.telegram.org; local: the loopback recorder
    telegram_bot_token: str = ""
    telegram_secret_token: str = ""
    telegram_bot_username: str = ""
    # Telegram groups: "mentions" answers only messages that mention or reply to the bot (all are stored);
    # "all" answers every message the bot receives.
    telegram_group_replies: str = "mentions"
    # Images reach the model as presigned URLs only with a vision-capable model: "auto" (on for api.openai.com,
    # off for a local OpenAI-compatible server, which rejects content parts), "on" or "off".
    image_input: str = "auto"
    # PII redaction in the Route step: "off", "all" chats, or only the "chats" in pii_chats (comma-separated
    # conversation keys, e.g. "slack:C0123,telegram:-10042"); engine "presidio" (in-process, local) or
    # "comprehend" (Amazon Comprehend: deployed stacks, where Presidio and spaCy do not fit the layer).
    pii: str = "off"
    pii_chats: str = ""
    pii_engine: str = "presidio"
    pii_entities: str = ""  # comma-separated Presidio entity names; "": domain.pii.DEFAULT_ENTITIES
    # Whisper through the openai client; "" disables transcription (local mode: llama.cpp has no audio endpoint).
    transcription_model: str = "whisper-1"
    odoo_url: str | None = None
    odoo_db: str = ""
    odoo_login: str = ""
    odoo_password: str = ""
    # Secrets Manager ids, read at run time when the plain value above is empty (deployed stacks).
    slack_signing_secret_secret_id: str = ""
    slack_bot_token_secret_id: str = ""
    telegram_bot_token_secret_id: str = ""
    telegram_secret_token_secret_id: str = ""
    openai_api_key_secret_id: str = ""
    weaviate_secret_id: str = ""  # JSON {"url", "api_key"}
    odoo_secret_id: str = ""  # JSON {"url", "db", "login", "password"}

    @property
    def sqlite_file(self) -> Path:
        return self.sqlite_path or self.data_dir / "messages.db"

    @property
    def pii_chat_keys(self) -> frozenset[str]:
        return frozenset(key.strip() for key in self.pii_chats.split(",") if key.strip())

    @property
    def sends_images(self) -> bool:
        """Whether the model is given image parts (see `image_input`)."""
        if self.image_input in {"on", "off"}:
            return self.image_input == "on"
        return self.openai_base_url is None

    @property
    def transcribes_audio(self) -> bool:
        """Whether audio is sent for transcription: a model is named and the server is OpenAI's (or forced)."""
        return bool(self.transcription_model) and self.openai_base_url is None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build settings from an environment mapping; unset variables keep their defaults."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(ENV_VARS[f.name])
            if raw is None or raw == "":
                continue
            if f.name in {"data_dir", "sqlite_path", "routes_file"}:
                values[f.name] = Path(raw)
            elif f.name == "chat_timeout_s":
                values[f.name] = float(raw)
            elif f.name == "embedding_dimensions":
                values[f.name] = int(raw)
            elif f.name == "weaviate_legacy_pair":
                values[f.name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            else:
                values[f.name] = raw
        return cls(**values)  # type: ignore[arg-type]
