"""Local mode assembled: moto for AWS, loopback Slack/Telegram/Odoo, a chat model server, the local engine.

`local_environment()` starts every stand-in, points Settings at them and yields a ready Container whose
workflow starter runs the real ASL file on the local engine. The demo, `replay` and the workflow tests use it.

`real_services` (the demo and `replay` pass the process environment) may point a local run at real OpenAI and
Weaviate: only the settings in `REAL_SERVICE_SETTINGS` are taken from it, so AWS, Slack and Telegram stay local.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from office_assistant.bootstrap import Container
from office_assistant.settings import ENV_VARS, Settings
from office_assistant.workflow.definition import load_local
from office_assistant_local.aws import moto_server, prepare_local_resources
from office_assistant_local.engine.starter import LocalWorkflowStarter
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback
from office_assistant_local.standins.google_search import GoogleSearchLoopback
from office_assistant_local.standins.odoo import OdooLoopback
from office_assistant_local.standins.open_meteo import OpenMeteoLoopback
from office_assistant_local.standins.slack import SlackLoopback
from office_assistant_local.standins.telegram import TelegramLoopback
from office_assistant_local.wiring import handlers_for

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from pathlib import Path

REAL_SERVICE_SETTINGS = (
    "openai_api_key",
    "openai_base_url",
    "chat_timeout_s",
    "embeddings",
    "embedding_model",
    "embedding_dimensions",
    "message_store",
    "weaviate_url",
    "weaviate_api_key",
    "weaviate_grpc_url",
    "weaviate_collection",
    "weaviate_legacy_pair",
    "pii",
    "pii_chats",
    "pii_engine",
    "pii_entities",
    "image_input",
    "transcription_model",
)


def real_service_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings of `REAL_SERVICE_SETTINGS` that `environ` sets, parsed as Settings parses them.

    A key without a base URL means OpenAI itself, so no local model server is started; images stay off unless
    OA_IMAGE_INPUT says otherwise, because OpenAI cannot fetch presigned URLs of the loopback S3.
    """
    parsed = Settings.from_env(environ)
    chosen = {name: getattr(parsed, name) for name in REAL_SERVICE_SETTINGS if environ.get(ENV_VARS[name])}
    if chosen.get("openai_api_key") and not chosen.get("openai_base_url"):
        chosen["openai_base_url"] = None
        chosen.setdefault("image_input", "off")
    return chosen


SLACK_SIGNING_SECRET = "local-slack-signing-secret"
TELEGRAM_SECRET_TOKEN = "local-telegram-secret-token"
LOCAL_MODEL_REPLY_TOKENS = 512  # SmolLM2's server has a 2048-token context (model_server.py)
EMAIL_SLACK_CHANNEL = "C0LOCALMAIL"  # where the local stack posts its answers to emails


@dataclass
class LocalEnvironment:
    settings: Settings
    container: Container
    starter: LocalWorkflowStarter
    slack: SlackLoopback
    telegram: TelegramLoopback
    odoo: OdooLoopback
    # ChatCompletionsLoopback (records requests), LocalModelServer (the real model), or None (a real service)
    chat_server: Any
    google_search: GoogleSearchLoopback | None = None
    open_meteo: OpenMeteoLoopback | None = None


class _LazyHandlers:
    """Binds the handlers to the container on first use, once, whichever thread gets there first."""

    def __init__(self, build: Callable[[], dict[str, Any]]) -> None:
        self._build = build
        self._handlers: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def get(self) -> dict[str, Any]:
        with self._lock:
            if self._handlers is None:
                self._handlers = self._build()
            return self._handlers


@contextmanager
def local_environment(
    data_dir: Path, *, real_model: bool = False, real_services: Mapping[str, str] | None = None, **adapters: Any
) -> Iterator[LocalEnvironment]:
    """Start the stand-ins; `real_model` uses SmolLM2 behind llama.cpp's server instead of the echo loopback.

    `real_services`: an environment whose OA_* settings of `REAL_SERVICE_SETTINGS` replace the local ones.
    `adapters` are handed to the Container as overrides (tests share one loaded embedder this way).
    """
    real = real_service_settings(real_services or {})
    with ExitStack() as stack:
        endpoint_url = stack.enter_context(moto_server())
        slack = stack.enter_context(SlackLoopback())
        telegram = stack.enter_context(TelegramLoopback())
        odoo = stack.enter_context(OdooLoopback())
        google_search = stack.enter_context(GoogleSearchLoopback())
        open_meteo = stack.enter_context(OpenMeteoLoopback())
        chat_server: Any = None
        if "openai_base_url" not in real:
            if real_model:
                from office_assistant_local.standins.model_server import LocalModelServer

                chat_server = stack.enter_context(LocalModelServer())
                real.setdefault("reply_token_cap", LOCAL_MODEL_REPLY_TOKENS)
            else:
                chat_server = stack.enter_context(ChatCompletionsLoopback())
            real["openai_base_url"] = chat_server.base_url
        settings = Settings(
            data_dir=data_dir,
            aws_endpoint_url=endpoint_url,
            slack_api_url=slack.api_url,
            slack_bot_token=slack.token,
            slack_signing_secret=SLACK_SIGNING_SECRET,
            slack_bot_user_id=slack.bot_user_id,
            telegram_api_url=telegram.url,
            telegram_bot_token=telegram.token,
            telegram_secret_token=TELEGRAM_SECRET_TOKEN,
            telegram_bot_username=telegram.bot_username,
            email_slack_channel=EMAIL_SLACK_CHANNEL,
            odoo_url=odoo.url,
            odoo_db=odoo.db,
            odoo_login=odoo.login,
            odoo_password=odoo.password,
            google_search_api_url=google_search.url,
            google_search_api_key=google_search.api_key,
            google_search_engine_id=google_search.engine_id,
            open_meteo_url=open_meteo.url,
            open_meteo_geocoding_url=open_meteo.url,
            browse=False,  # offline: the page reader fetches only public addresses, and there is no network here
            **real,
        )
        prepare_local_resources(settings)
        handlers = _LazyHandlers(lambda: handlers_for(container))
        starter = LocalWorkflowStarter(load_local(), handlers.get)
        container = Container(settings, starter=starter, **adapters)
        stack.callback(starter.close)
        yield LocalEnvironment(
            settings, container, starter, slack, telegram, odoo, chat_server, google_search, open_meteo
        )
