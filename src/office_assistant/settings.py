"""Settings: every environment variable the assistant reads is declared here, once, beside its field."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Any, Literal, get_args, get_origin

from office_assistant.domain.errors import SettingsError

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_ROUTES_FILE = Path(__file__).resolve().parent / "data" / "routes.json"

MessageStoreKind = Literal["sqlite", "weaviate"]
EmbeddingsKind = Literal["minilm", "openai"]
GroupReplies = Literal["mentions", "all"]
ImageInput = Literal["auto", "on", "off"]
PiiScope = Literal["off", "all", "chats"]
PiiEngine = Literal["presidio", "comprehend"]
VoiceReplyMode = Literal["audio+text", "text", "audio"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def setting(env: str, default: Any) -> Any:
    """A Settings field read from environment variable `env` (its one declaration)."""
    return field(default=default, metadata={"env": env})


@dataclass(frozen=True)
class Settings:
    """What to connect to. The defaults are the embedded local stack: no keys, no network."""

    data_dir: Path = setting("OA_DATA_DIR", Path(".office-assistant"))
    message_store: MessageStoreKind = setting("OA_MESSAGE_STORE", "sqlite")
    sqlite_path: Path | None = setting("OA_SQLITE_PATH", None)  # default: <data_dir>/messages.db
    # message_store="weaviate": plain values for local runs; a deployed stack reads the `weaviate` secret instead.
    weaviate_url: str = setting("OA_WEAVIATE_URL", "")
    weaviate_api_key: str = setting("OA_WEAVIATE_API_KEY", "")
    weaviate_grpc_url: str = setting("OA_WEAVIATE_GRPC_URL", "")  # "": the REST host on 50051 (WCD finds its own)
    weaviate_collection: str = setting("OA_WEAVIATE_COLLECTION", "Messages")
    # Read and write the legacy `UserMessages`/`AssistantMessages` pair instead of one collection with a role.
    weaviate_legacy_pair: bool = setting("OA_WEAVIATE_LEGACY_PAIR", False)
    # Only used to create the Weaviate collection: 384 for MiniLM, 1536 for text-embedding-3-small.
    embedding_dimensions: int = setting("OA_EMBEDDING_DIMENSIONS", 384)
    embeddings: EmbeddingsKind = setting("OA_EMBEDDINGS", "minilm")
    embedding_model: str = setting("OA_EMBEDDING_MODEL", "text-embedding-3-small")
    routes_file: Path = setting("OA_ROUTES_FILE", DEFAULT_ROUTES_FILE)
    openai_base_url: str | None = setting("OA_OPENAI_BASE_URL", None)  # None: api.openai.com; local: llama.cpp
    openai_api_key: str = setting("OA_OPENAI_API_KEY", "")
    chat_timeout_s: float = setting("OA_CHAT_TIMEOUT_S", 60.0)
    # At most this many reply tokens on every route (0: each route's own max_tokens, 5500 as the legacy's). The
    # local model server sets 512: its context is 2048 tokens and a 135M model rarely stops on its own.
    reply_token_cap: int = setting("OA_REPLY_TOKEN_CAP", 0)
    aws_region: str = setting("AWS_REGION", "us-east-1")
    aws_endpoint_url: str | None = setting("OA_AWS_ENDPOINT_URL", None)  # local: moto's server on loopback
    state_table: str = setting("OA_STATE_TABLE", "office-assistant-state")
    media_bucket: str = setting("OA_MEDIA_BUCKET", "office-assistant-media")
    state_machine_arn: str = setting("OA_STATE_MACHINE_ARN", "")
    slack_api_url: str | None = setting("OA_SLACK_API_URL", None)  # None: slack.com; local: the loopback recorder
    slack_bot_token: str = setting("OA_SLACK_BOT_TOKEN", "")
    slack_signing_secret: str = setting("OA_SLACK_SIGNING_SECRET", "")
    slack_bot_user_id: str = setting("OA_SLACK_BOT_USER_ID", "")
    telegram_api_url: str | None = setting("OA_TELEGRAM_API_URL", None)  # None: api.telegram.org; local: loopback
    telegram_bot_token: str = setting("OA_TELEGRAM_BOT_TOKEN", "")
    telegram_secret_token: str = setting("OA_TELEGRAM_SECRET_TOKEN", "")
    telegram_bot_username: str = setting("OA_TELEGRAM_BOT_USERNAME", "")
    # Telegram groups: "mentions" answers only messages that mention or reply to the bot (all are stored);
    # "all" answers every message the bot receives.
    telegram_group_replies: GroupReplies = setting("OA_TELEGRAM_GROUP_REPLIES", "mentions")
    # Images reach the model as presigned URLs only with a vision-capable model: "auto" (on for api.openai.com,
    # off for a local OpenAI-compatible server, which rejects content parts), "on" or "off".
    image_input: ImageInput = setting("OA_IMAGE_INPUT", "auto")
    # PII redaction in the Route step: "off", "all" chats, or only the "chats" in pii_chats (comma-separated
    # conversation keys, e.g. "slack:C0123,telegram:-10042"); engine "presidio" (in-process, local) or
    # "comprehend" (Amazon Comprehend: deployed stacks, where Presidio and spaCy do not fit the layer).
    pii: PiiScope = setting("OA_PII", "off")
    pii_chats: str = setting("OA_PII_CHATS", "")
    pii_engine: PiiEngine = setting("OA_PII_ENGINE", "presidio")
    pii_entities: str = setting("OA_PII_ENTITIES", "")  # comma-separated entity names; "": DEFAULT_ENTITIES
    # Show the reply while the model writes it (Slack chat streams in reply threads, Telegram drafts in private
    # chats and a message edited about once a second in groups); off: every reply is posted when complete.
    stream_replies: bool = setting("OA_STREAM_REPLIES", True)
    # Whisper through the openai client; "" disables transcription (local mode: llama.cpp has no audio endpoint).
    transcription_model: str = setting("OA_TRANSCRIPTION_MODEL", "whisper-1")
    # Slack names (users.info) are kept in the state table this long; the legacy refreshed its table on a miss.
    user_names_ttl_s: int = setting("OA_USER_NAMES_TTL_S", 24 * 3600)
    # Answering a voice note or audio: "audio+text" (default), "text", or "audio" only (the legacy's way); spoken
    # with OpenAI text-to-speech (`tts_model` "" disables it; local mode has none and answers in text).
    voice_replies: VoiceReplyMode = setting("OA_VOICE_REPLIES", "audio+text")
    tts_model: str = setting("OA_TTS_MODEL", "tts-1")
    tts_voice: str = setting("OA_TTS_VOICE", "shimmer")
    # The email source (SQS): its answers go to this Slack channel id; "" leaves the email source unconfigured.
    email_slack_channel: str = setting("OA_EMAIL_SLACK_CHANNEL", "")
    odoo_url: str | None = setting("OA_ODOO_URL", None)
    odoo_db: str = setting("OA_ODOO_DB", "")
    odoo_login: str = setting("OA_ODOO_LOGIN", "")
    odoo_password: str = setting("OA_ODOO_PASSWORD", "")
    # Model tools (src/office_assistant/tools): a tool whose service is not configured is not offered at all.
    # Web search: Google Programmable Search JSON API; plain values locally, the `google_search` secret deployed.
    google_search_api_url: str = setting("OA_GOOGLE_SEARCH_API_URL", "https://customsearch.googleapis.com")
    google_search_api_key: str = setting("OA_GOOGLE_SEARCH_API_KEY", "")
    google_search_engine_id: str = setting("OA_GOOGLE_SEARCH_ENGINE_ID", "")
    browse: bool = setting("OA_BROWSE", True)  # fetch public web pages (never private or metadata addresses)
    browse_max_bytes: int = setting("OA_BROWSE_MAX_BYTES", 2_000_000)
    weather: bool = setting("OA_WEATHER", True)  # geocoding and forecasts from Open-Meteo (keyless)
    open_meteo_url: str = setting("OA_OPEN_METEO_URL", "https://api.open-meteo.com")
    open_meteo_geocoding_url: str = setting("OA_OPEN_METEO_GEOCODING_URL", "https://geocoding-api.open-meteo.com")
    # Slack channel ids (comma-separated) a tool may post to besides the chat being answered; "": none.
    slack_post_channels: str = setting("OA_SLACK_POST_CHANNELS", "")
    # The Slack workspace changes the model may make (comma-separated: create_channel, invite, set_purpose).
    slack_actions: str = setting("OA_SLACK_ACTIONS", "create_channel,invite,set_purpose")
    reasoning_model: str = setting("OA_REASONING_MODEL", "o3-mini")  # "": no reasoning-model tool
    # The Odoo writes the model may make (comma-separated: create, update, post, delete); each once per message.
    odoo_writes: str = setting("OA_ODOO_WRITES", "create,update,post")
    maths_timeout_s: float = setting("OA_MATHS_TIMEOUT_S", 2.0)
    # Secrets Manager ids, read at run time when the plain value above is empty (deployed stacks).
    slack_signing_secret_secret_id: str = setting("OA_SLACK_SIGNING_SECRET_ID", "")
    slack_bot_token_secret_id: str = setting("OA_SLACK_BOT_TOKEN_SECRET_ID", "")
    telegram_bot_token_secret_id: str = setting("OA_TELEGRAM_BOT_TOKEN_SECRET_ID", "")
    telegram_secret_token_secret_id: str = setting("OA_TELEGRAM_SECRET_TOKEN_SECRET_ID", "")
    openai_api_key_secret_id: str = setting("OA_OPENAI_API_KEY_SECRET_ID", "")
    weaviate_secret_id: str = setting("OA_WEAVIATE_SECRET_ID", "")  # JSON {"url", "api_key"}
    odoo_secret_id: str = setting("OA_ODOO_SECRET_ID", "")  # JSON {"url", "db", "login", "password"}
    google_search_secret_id: str = setting("OA_GOOGLE_SEARCH_SECRET_ID", "")  # JSON {"api_key", "engine_id"}

    def __post_init__(self) -> None:
        for f in fields(self):
            choices = _literal_choices(_field_types()[f.name])
            value = getattr(self, f.name)
            if choices and value not in choices:
                raise SettingsError(f"{f.metadata['env']}={value!r} is not one of: {', '.join(choices)}")

    @property
    def sqlite_file(self) -> Path:
        return self.sqlite_path or self.data_dir / "messages.db"

    @property
    def pii_chat_keys(self) -> frozenset[str]:
        return frozenset(key.strip() for key in self.pii_chats.split(",") if key.strip())

    @property
    def odoo_write_actions(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.odoo_writes.split(",") if a.strip())

    @property
    def slack_action_names(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.slack_actions.split(",") if a.strip())

    @property
    def slack_post_channel_ids(self) -> frozenset[str]:
        return frozenset(c.strip() for c in self.slack_post_channels.split(",") if c.strip())

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

    @property
    def speaks_replies(self) -> bool:
        """Whether replies can be spoken: a TTS model is named and the server is OpenAI's (as for transcription)."""
        return bool(self.tts_model) and self.openai_base_url is None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build settings from an environment mapping; unset or empty variables keep their defaults.

        A value that does not parse as its field's type, or is not one of a choice field's values, raises
        `SettingsError` naming the variable.
        """
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            values[f.name] = _parse(f.metadata["env"], raw, _field_types()[f.name])
        return cls(**values)  # type: ignore[arg-type]


@cache
def _field_types() -> dict[str, Any]:
    return typing.get_type_hints(Settings)


def _literal_choices(annotation: Any) -> tuple[str, ...]:
    return tuple(get_args(annotation)) if get_origin(annotation) is Literal else ()


def _parse(env: str, raw: str, annotation: Any) -> object:
    """`raw` as a value of `annotation` (str, bool, int, float, Path, a Literal of strings, or X | None)."""
    if get_origin(annotation) is UnionType:
        (annotation,) = (arg for arg in get_args(annotation) if arg is not NoneType)
    try:
        if annotation is bool:
            lowered = raw.strip().lower()
            if lowered not in _TRUE | _FALSE:
                raise ValueError("expected true or false")
            return lowered in _TRUE
        if annotation in (int, float, Path):
            return annotation(raw)
    except ValueError as error:
        raise SettingsError(f"{env}={raw!r} is not a valid {annotation.__name__}: {error}") from error
    return raw


ENV_VARS: dict[str, str] = {f.name: f.metadata["env"] for f in fields(Settings)}
"""Field name → environment variable, derived from the fields (infra and the toolkit read names from here)."""

LAMBDA_PROCESS_ENV: dict[str, str] = {"PYDANTIC_DISABLE_PLUGINS": "__all__"}
"""Process settings of every deployed function (and of the bench's cold-start measurements): pydantic's plugin
discovery scans every installed distribution's entry points on the first model build; this project uses none."""

# secret key -> environment variable holding that Secrets Manager secret's id (ARN); the deployed stack sets
# these instead of plain values, and bootstrap reads the values with Powertools Parameters.
SECRET_ID_ENV_VARS: dict[str, str] = {
    name.removesuffix("_secret_id"): env for name, env in ENV_VARS.items() if name.endswith("_secret_id")
}
