"""The composition root: Settings → adapters → services. The only place that picks adapters.

Adapters are built on first use and kept for the warm container's life; each heavy SDK is imported only when
its adapter is selected, so a function pays only for what it touches. `reset()` drops everything (tests).
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any

from office_assistant.ports import Platforms
from office_assistant.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant.adapters.http_edge.webhook import WebhookEdge
    from office_assistant.domain.messages import InboundMessage
    from office_assistant.domain.routes import RouteBook
    from office_assistant.ports import (
        ChatModel,
        Embedder,
        ErpClient,
        ExactlyOnce,
        MediaBucket,
        MediaFetcher,
        MessageStore,
        PdfRenderer,
        PiiRedactor,
        RouteClassifier,
        SlackWorkspace,
        SpeechSynthesizer,
        StateTable,
        Summarizer,
        Transcriber,
        UserDirectory,
        WeatherService,
        WebPageReader,
        WebSearch,
        WorkflowStarter,
    )
    from office_assistant.services.auxiliary import AuxiliaryService
    from office_assistant.services.claim_check import ClaimChecks
    from office_assistant.services.email_intake import EmailIntake
    from office_assistant.services.history import HistoryService
    from office_assistant.services.intake import IntakeService
    from office_assistant.services.media import MediaService
    from office_assistant.services.pii import PiiPolicy
    from office_assistant.services.relevance import RelevanceService
    from office_assistant.services.reply_stream import ReplyStreams
    from office_assistant.services.respond import RespondService
    from office_assistant.services.routing import RoutingService
    from office_assistant.tools.toolbox import Toolbox


class Unset:
    """The type of UNSET: "no override given", distinct from an override of None (e.g. no ERP)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


@dataclass(frozen=True, kw_only=True)
class Overrides:
    """Ready-made adapters that replace what Settings would build (tests, the local toolkit).

    A misspelt name is a TypeError and None is only accepted where None means "none of these" (erp,
    transcriber); nothing falls back to the real adapter silently.
    """

    route_book: RouteBook | Unset = UNSET
    store: MessageStore | Unset = UNSET
    embedder: Embedder | Unset = UNSET
    classifier: RouteClassifier | Unset = UNSET
    state_table: StateTable | Unset = UNSET
    media_bucket: MediaBucket | Unset = UNSET
    chat_model: ChatModel | Unset = UNSET
    platforms: Platforms | Unset = UNSET
    erp: ErpClient | None | Unset = UNSET
    pii_redactor: PiiRedactor | Unset = UNSET
    summarizer: Summarizer | Unset = UNSET
    starter: WorkflowStarter | Unset = UNSET
    exactly_once: ExactlyOnce | Unset = UNSET
    media_fetchers: dict[str, MediaFetcher] | Unset = UNSET
    transcriber: Transcriber | None | Unset = UNSET
    web_search: WebSearch | None | Unset = UNSET
    web_pages: WebPageReader | None | Unset = UNSET
    weather: WeatherService | None | Unset = UNSET
    workspace: SlackWorkspace | None | Unset = UNSET
    pdf_renderer: PdfRenderer | Unset = UNSET
    user_directories: dict[str, UserDirectory] | Unset = UNSET
    speech: SpeechSynthesizer | None | Unset = UNSET

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and f.name not in NONE_ALLOWED:
                raise TypeError(f"override {f.name}=None: leave it out to build the configured adapter")


NONE_ALLOWED = frozenset({"erp", "transcriber", "web_search", "web_pages", "weather", "workspace", "speech"})


class Container:
    """Adapters and services for one Settings. Ready-made adapters come as keyword `Overrides` (tests, local)."""

    def __init__(self, settings: Settings, **overrides: Any) -> None:
        self.settings = settings
        self._overrides = Overrides(**overrides)

    def close(self) -> None:
        """Close the network clients this container has built (the Weaviate store, the OpenAI client...): each
        built adapter or client that has a ``close()``. Nothing is rebuilt; drop the container afterwards."""
        for built in list(vars(self).values()):
            closer = getattr(built, "close", None)
            if callable(closer):
                closer()

    def _pick(self, name: str) -> Any:
        """The override for adapter `name`, or UNSET."""
        return getattr(self._overrides, name)

    def _boto3_client(self, service: str) -> Any:
        """A client bound to the local endpoint in local mode; None lets the adapter build its AWS default."""
        if not self.settings.aws_endpoint_url:
            return None
        from office_assistant.adapters.aws_clients import endpoint_client

        return endpoint_client(service, self.settings.aws_endpoint_url, self.settings.aws_region)

    def secret(self, key: str) -> str:
        """A credential: its plain setting when set (local runs), else its Secrets Manager value (deployed).

        Powertools Parameters caches each value for the warm container (POWERTOOLS_PARAMETERS_MAX_AGE, 5 s by
        default; the stack sets 300 s), so a rotated token is picked up without a redeploy.
        """
        value: str = getattr(self.settings, key, "")
        secret_id: str = getattr(self.settings, f"{key}_secret_id")
        if value or not secret_id:
            return value
        return str(self._secrets_provider.get(secret_id))

    def secret_json(self, key: str) -> dict[str, Any]:
        """A JSON secret (Odoo, Weaviate credentials) as a dict; empty when not configured."""
        secret_id: str = getattr(self.settings, f"{key}_secret_id")
        if not secret_id:
            return {}
        value = self._secrets_provider.get(secret_id, transform="json")
        return dict(value) if isinstance(value, dict) else {}

    @cached_property
    def _secrets_provider(self) -> Any:
        from aws_lambda_powertools.utilities.parameters import SecretsProvider

        return SecretsProvider(boto3_client=self._boto3_client("secretsmanager"))

    # --- adapters -------------------------------------------------------------------------------------------

    @cached_property
    def route_book(self) -> RouteBook:
        from office_assistant.routes_file import load_route_book

        if (book := self._pick("route_book")) is not UNSET:
            return book  # type: ignore[no-any-return]
        book = load_route_book(self.settings.routes_file)
        return book.with_token_cap(self.settings.reply_token_cap) if self.settings.reply_token_cap else book

    @cached_property
    def store(self) -> MessageStore:
        if (store := self._pick("store")) is not UNSET:
            return store  # type: ignore[no-any-return]
        if self.settings.message_store == "weaviate":
            return self._weaviate_store()
        from office_assistant.adapters.message_store.sqlite import SqliteMessageStore

        return SqliteMessageStore(self.settings.sqlite_file)

    def _weaviate_store(self) -> MessageStore:
        """One Weaviate client for the warm container. No init checks: they would ask PyPI for the client's
        latest version on every cold start; a Weaviate that cannot be reached fails the first query instead."""
        from office_assistant.adapters.message_store.weaviate import connect_weaviate_store

        secret = self.secret_json("weaviate")  # {"url", "api_key"[, "grpc_url"]}
        url = secret.get("url") or self.settings.weaviate_url
        if not url:
            raise ValueError("message_store is weaviate but no Weaviate url is configured")
        return connect_weaviate_store(
            url,
            secret.get("api_key") or self.settings.weaviate_api_key or None,
            collection=self.settings.weaviate_collection,
            dimensions=self.settings.embedding_dimensions,
            legacy_pair=self.settings.weaviate_legacy_pair,
            grpc_url=secret.get("grpc_url") or self.settings.weaviate_grpc_url or None,
            skip_init_checks=True,
        )

    @cached_property
    def embedder(self) -> Embedder:
        if (embedder := self._pick("embedder")) is not UNSET:
            return embedder  # type: ignore[no-any-return]
        if self.settings.embeddings == "openai":
            from office_assistant.adapters.embeddings.openai_embeddings import OpenAiEmbedder

            return OpenAiEmbedder(
                self._openai_client, self.settings.embedding_model, self.settings.embedding_dimensions
            )
        from office_assistant.adapters.embeddings.minilm import MiniLmEmbedder

        return MiniLmEmbedder()

    @cached_property
    def classifier(self) -> RouteClassifier:
        if (classifier := self._pick("classifier")) is not UNSET:
            return classifier  # type: ignore[no-any-return]
        from office_assistant.adapters.route_classifier.semantic_router import SemanticRouterClassifier

        return SemanticRouterClassifier(self.route_book, self.embedder)

    @cached_property
    def state_table(self) -> StateTable:
        if (table := self._pick("state_table")) is not UNSET:
            return table  # type: ignore[no-any-return]
        from office_assistant.adapters.state_table.dynamodb import DynamoDbStateTable

        return DynamoDbStateTable(self.settings.state_table, boto3_client=self._boto3_client("dynamodb"))

    @cached_property
    def media_bucket(self) -> MediaBucket:
        if (bucket := self._pick("media_bucket")) is not UNSET:
            return bucket  # type: ignore[no-any-return]
        from office_assistant.adapters.media_bucket.s3 import S3MediaBucket

        return S3MediaBucket(self.settings.media_bucket, boto3_client=self._boto3_client("s3"))

    @cached_property
    def chat_model(self) -> ChatModel:
        if (model := self._pick("chat_model")) is not UNSET:
            return model  # type: ignore[no-any-return]
        from office_assistant.adapters.chat_model.openai_compatible import OpenAiCompatibleChatModel

        return OpenAiCompatibleChatModel(self._openai_client)

    @cached_property
    def _openai_client(self) -> Any:
        """One client for chat and embeddings: OpenAI, or the OpenAI-compatible server at `openai_base_url`."""
        from office_assistant.adapters.chat_model.openai_compatible import build_openai_client

        # A local OpenAI-compatible server needs no key, but the client insists on one.
        api_key = self.secret("openai_api_key") or ("sk-local-no-key" if self.settings.openai_base_url else "")
        return build_openai_client(self.settings.openai_base_url, api_key, self.settings.chat_timeout_s)

    @cached_property
    def platforms(self) -> Platforms:
        if (platforms := self._pick("platforms")) is not UNSET:
            return platforms  # type: ignore[no-any-return]
        by_name: dict[str, Any] = {}
        if self._slack_client is not None:
            from office_assistant.adapters.chat_platforms.slack import SlackPlatform

            by_name["slack"] = SlackPlatform(self._slack_client)
            if self.settings.email_slack_channel:
                from office_assistant.adapters.chat_platforms.slack_channel import SlackChannelPlatform

                by_name["email"] = SlackChannelPlatform(by_name["slack"], self.settings.email_slack_channel)
        if telegram_token := self.secret("telegram_bot_token"):
            from office_assistant.adapters.chat_platforms.telegram import TelegramPlatform
            from office_assistant.adapters.tls import http_client

            by_name["telegram"] = TelegramPlatform(
                http_client(10.0),
                telegram_token,
                base_url=self.settings.telegram_api_url or "https://api.telegram.org",
            )
        return Platforms(by_name)

    @cached_property
    def _slack_client(self) -> Any:
        """One slack_sdk WebClient for replies, uploads and users.info; None without a bot token."""
        if not (slack_token := self.secret("slack_bot_token")):
            return None
        from slack_sdk import WebClient

        from office_assistant.adapters.tls import shared_ssl_context

        return WebClient(
            token=slack_token,
            base_url=self.settings.slack_api_url or WebClient.BASE_URL,
            ssl=shared_ssl_context(),
        )

    @cached_property
    def user_directories(self) -> dict[str, UserDirectory]:
        """Name lookups by platform: Slack's users.info behind the state table cache (Telegram sends names)."""
        if (directories := self._pick("user_directories")) is not UNSET:
            return directories  # type: ignore[no-any-return]
        if self._slack_client is None:
            return {}
        from office_assistant.adapters.user_directory.dynamodb_cache import CachedUserDirectory
        from office_assistant.adapters.user_directory.slack import SlackUserDirectory

        cached = CachedUserDirectory(
            SlackUserDirectory(self._slack_client),
            self.settings.state_table,
            "slack",
            self.settings.user_names_ttl_s,
            boto3_client=self._boto3_client("dynamodb"),
        )
        return {"slack": cached}

    @cached_property
    def erp(self) -> ErpClient | None:
        if (erp := self._pick("erp")) is not UNSET:
            return erp  # type: ignore[no-any-return]
        odoo = self.secret_json("odoo") or {
            "url": self.settings.odoo_url,
            "db": self.settings.odoo_db,
            "login": self.settings.odoo_login,
            "password": self.settings.odoo_password,
        }
        if not odoo.get("url"):
            return None
        from office_assistant.adapters.erp.odoo import OdooClient
        from office_assistant.adapters.tls import http_client

        return OdooClient(http_client(10.0), odoo["url"], odoo["db"], odoo["login"], odoo["password"])

    @cached_property
    def pii_redactor(self) -> PiiRedactor:
        if (redactor := self._pick("pii_redactor")) is not UNSET:
            return redactor  # type: ignore[no-any-return]
        from office_assistant.domain.pii import DEFAULT_ENTITIES

        entities = tuple(e.strip() for e in self.settings.pii_entities.split(",") if e.strip()) or DEFAULT_ENTITIES
        if self.settings.pii_engine == "comprehend":
            from office_assistant.adapters.pii.comprehend import ComprehendRedactor

            return ComprehendRedactor(entities, boto3_client=self._boto3_client("comprehend"))
        from office_assistant.adapters.pii.presidio import PresidioRedactor

        return PresidioRedactor(entities)

    @cached_property
    def pii_policy(self) -> PiiPolicy | None:
        """None when redaction is off, so the Route step never builds a redactor."""
        if self.settings.pii == "off":
            return None
        from office_assistant.services.pii import PiiPolicy

        return PiiPolicy(self.pii_redactor, self.settings.pii == "all", self.settings.pii_chat_keys)

    @cached_property
    def summarizer(self) -> Summarizer:
        if (summarizer := self._pick("summarizer")) is not UNSET:
            return summarizer  # type: ignore[no-any-return]
        from office_assistant.adapters.summarizer.extractive import ExtractiveSummarizer

        return ExtractiveSummarizer()

    @cached_property
    def starter(self) -> WorkflowStarter:
        if (starter := self._pick("starter")) is not UNSET:
            return starter  # type: ignore[no-any-return]
        from office_assistant.adapters.workflow_starter.stepfunctions import StepFunctionsStarter

        return StepFunctionsStarter(self.settings.state_machine_arn, boto3_client=self._boto3_client("stepfunctions"))

    # --- services: attribute names match the task names in workflow/tasks.py --------------------------------

    @cached_property
    def route(self) -> RoutingService:
        from office_assistant.services.names import NameResolver
        from office_assistant.services.routing import RoutingService

        return RoutingService(
            self.route_book,
            self.embedder,
            self.classifier,
            self.media,
            self.platforms,
            pii=self.pii_policy,
            names=NameResolver(self.user_directories),
        )

    @cached_property
    def history(self) -> HistoryService:
        from office_assistant.services.history import HistoryService

        return HistoryService(self.store, self.route_book)

    @cached_property
    def relevance(self) -> RelevanceService:
        from office_assistant.services.relevance import RelevanceService

        return RelevanceService(self.store, self.route_book)

    @cached_property
    def auxiliary(self) -> AuxiliaryService:
        from office_assistant.services.auxiliary import AuxiliaryService

        return AuxiliaryService(self.state_table, self.erp, self.route_book)

    @cached_property
    def exactly_once(self) -> ExactlyOnce:
        """Respond's once-per-message guard: Powertools Idempotency records in the state table."""
        if (once := self._pick("exactly_once")) is not UNSET:
            return once  # type: ignore[no-any-return]
        from office_assistant.adapters.exactly_once.powertools import PowertoolsExactlyOnce

        return PowertoolsExactlyOnce(self.settings.state_table, boto3_client=self._boto3_client("dynamodb"))

    @cached_property
    def respond(self) -> RespondService:
        from office_assistant.services.respond import RespondService
        from office_assistant.services.voice_reply import VoiceReplies

        return RespondService(
            self.store,
            self.embedder,
            self.chat_model,
            self.platforms,
            self.summarizer,
            self.route_book,
            media_bucket=self.media_bucket,
            send_images=self.settings.sends_images,
            toolbox=self.toolbox,
            pii=self.pii_policy,
            once=self.exactly_once,
            voice=VoiceReplies(self.speech, self.settings.voice_replies),
            streams=self.reply_streams,
        )

    @cached_property
    def reply_streams(self) -> ReplyStreams | None:
        """Streams for the platforms that can show a reply as it is written; None when streaming is off."""
        if not self.settings.stream_replies:
            return None
        from office_assistant.ports import StreamingPlatform
        from office_assistant.services.reply_stream import ReplyStreams

        streaming = {name: p for name, p in self.platforms.by_name.items() if isinstance(p, StreamingPlatform)}
        return ReplyStreams(streaming, self.state_table) if streaming else None

    @cached_property
    def toolbox(self) -> Toolbox:
        """The model's tools, acting on the message's own chat; each offered only where its service is set up."""
        from office_assistant.tools.spec import ReasoningModel, ToolPorts
        from office_assistant.tools.toolbox import Toolbox

        reasoning = (
            ReasoningModel(self.chat_model, self.settings.reasoning_model) if self.settings.reasoning_model else None
        )
        ports = ToolPorts(
            store=self.store,
            embedder=self.embedder,
            state=self.state_table,
            erp=self.erp,
            erp_writes=self.settings.odoo_write_actions,
            web_search=self.web_search,
            web_pages=self.web_pages,
            weather=self.weather,
            workspace=self.workspace,
            platforms=self.platforms,
            media_bucket=self.media_bucket,
            pdf=self.pdf_renderer,
            speech=self.speech,
            reasoning=reasoning,
            post_channels=self.settings.slack_post_channel_ids,
            slack_actions=self.settings.slack_action_names,
            maths_timeout_s=self.settings.maths_timeout_s,
        )
        return Toolbox(ports)

    # --- the tools' outside services --------------------------------------------------------------------------

    @cached_property
    def web_search(self) -> WebSearch | None:
        if (search := self._pick("web_search")) is not UNSET:
            return search  # type: ignore[no-any-return]
        secret = self.secret_json("google_search")  # {"api_key", "engine_id"}
        api_key = secret.get("api_key") or self.settings.google_search_api_key
        engine_id = secret.get("engine_id") or self.settings.google_search_engine_id
        if not (api_key and engine_id):
            return None
        from office_assistant.adapters.tls import http_client
        from office_assistant.adapters.web_search.google import GoogleWebSearch

        return GoogleWebSearch(http_client(10.0), api_key, engine_id, self.settings.google_search_api_url)

    @cached_property
    def web_pages(self) -> WebPageReader | None:
        if (reader := self._pick("web_pages")) is not UNSET:
            return reader  # type: ignore[no-any-return]
        if not self.settings.browse:
            return None
        from office_assistant.adapters.web_pages.fetch import PublicWebPageReader

        return PublicWebPageReader(max_bytes=self.settings.browse_max_bytes)

    @cached_property
    def weather(self) -> WeatherService | None:
        if (weather := self._pick("weather")) is not UNSET:
            return weather  # type: ignore[no-any-return]
        if not self.settings.weather:
            return None
        from office_assistant.adapters.tls import http_client
        from office_assistant.adapters.weather.open_meteo import OpenMeteoWeather

        return OpenMeteoWeather(http_client(10.0), self.settings.open_meteo_url, self.settings.open_meteo_geocoding_url)

    @cached_property
    def workspace(self) -> SlackWorkspace | None:
        if (workspace := self._pick("workspace")) is not UNSET:
            return workspace  # type: ignore[no-any-return]
        if self._slack_client is None:
            return None
        from office_assistant.adapters.workspace.slack import SlackWebWorkspace

        return SlackWebWorkspace(self._slack_client)

    @cached_property
    def pdf_renderer(self) -> PdfRenderer:
        if (renderer := self._pick("pdf_renderer")) is not UNSET:
            return renderer  # type: ignore[no-any-return]
        from office_assistant.adapters.pdf.reportlab_pdf import ReportLabPdfRenderer

        return ReportLabPdfRenderer()

    @cached_property
    def intake(self) -> IntakeService:
        from office_assistant.services.intake import IntakeService

        return IntakeService(self.state_table, self.starter, claims=self.claim_checks, private=self.redacts)

    @cached_property
    def claim_checks(self) -> ClaimChecks:
        """Workflow data that travels by reference through the media bucket (see services/claim_check.py)."""
        from office_assistant.services.claim_check import ClaimChecks

        return ClaimChecks(lambda: self.media_bucket)

    def redacts(self, message: InboundMessage) -> bool:
        """Whether the PII policy applies to `message`, without building a redactor (the webhook has none)."""
        from office_assistant.services.pii import redaction_applies

        if self.settings.pii == "off":
            return False
        return redaction_applies(self.settings.pii == "all", self.settings.pii_chat_keys, message)

    @cached_property
    def email(self) -> EmailIntake:
        """The email source's intake: records from SQS into the workflow, answered in `email_slack_channel`."""
        from office_assistant.services.email_intake import EmailIntake

        return EmailIntake(self.intake, self.settings.email_slack_channel)

    @cached_property
    def webhook(self) -> WebhookEdge:
        from office_assistant.adapters.http_edge.webhook import WebhookConfig, WebhookEdge

        config = WebhookConfig(
            slack_signing_secret=self.secret("slack_signing_secret"),
            slack_bot_user_id=self.settings.slack_bot_user_id,
            telegram_secret_token=self.secret("telegram_secret_token"),
            telegram_bot_username=self.settings.telegram_bot_username,
            telegram_group_replies=self.settings.telegram_group_replies,
        )
        return WebhookEdge(self.intake, config)

    # --- media (Route step) -----------------------------------------------------------------------------------

    @cached_property
    def media_fetchers(self) -> dict[str, MediaFetcher]:
        if (media_fetchers := self._pick("media_fetchers")) is not UNSET:
            return media_fetchers  # type: ignore[no-any-return]
        from office_assistant.adapters.tls import http_client

        fetchers: dict[str, MediaFetcher] = {}
        if slack_token := self.secret("slack_bot_token"):
            from urllib.parse import urlsplit

            from office_assistant.adapters.media_fetcher.slack import SLACK_FILE_HOSTS, SlackFileFetcher

            extra = (urlsplit(self.settings.slack_api_url).netloc,) if self.settings.slack_api_url else ()
            fetchers["slack"] = SlackFileFetcher(http_client(20.0), slack_token, SLACK_FILE_HOSTS + extra)
        if telegram_token := self.secret("telegram_bot_token"):
            from office_assistant.adapters.media_fetcher.telegram import TelegramFileFetcher

            fetchers["telegram"] = TelegramFileFetcher(
                http_client(20.0),
                telegram_token,
                base_url=self.settings.telegram_api_url or "https://api.telegram.org",
            )
        return fetchers

    @cached_property
    def transcriber(self) -> Transcriber | None:
        if (transcriber := self._pick("transcriber")) is not UNSET:
            return transcriber  # type: ignore[no-any-return]
        if not self.settings.transcribes_audio:
            return None
        from office_assistant.adapters.chat_model.openai_compatible import build_openai_client
        from office_assistant.adapters.transcriber.openai_whisper import WhisperTranscriber

        client = build_openai_client(None, self.secret("openai_api_key"), self.settings.chat_timeout_s)
        return WhisperTranscriber(client, self.settings.transcription_model)

    @cached_property
    def speech(self) -> SpeechSynthesizer | None:
        """OpenAI text-to-speech for spoken replies; None offline (the local stack answers in text)."""
        if (speech := self._pick("speech")) is not UNSET:
            return speech  # type: ignore[no-any-return]
        if not self.settings.speaks_replies or not (api_key := self.secret("openai_api_key")):
            return None  # no OpenAI key, no text-to-speech: the answer is text with a line saying why
        from office_assistant.adapters.chat_model.openai_compatible import build_openai_client
        from office_assistant.adapters.speech.openai_tts import OpenAiSpeech

        client = build_openai_client(None, api_key, self.settings.chat_timeout_s)
        return OpenAiSpeech(client, self.settings.tts_model, self.settings.tts_voice)

    @cached_property
    def media(self) -> MediaService:
        from office_assistant.adapters.documents import DocumentExtractor
        from office_assistant.services.media import MediaService

        return MediaService(self.media_fetchers, self.media_bucket, self.transcriber, documents=DocumentExtractor())


_container: Container | None = None
_container_lock = threading.Lock()
_bound: ContextVar[Container | None] = ContextVar("office_assistant_bound_container", default=None)


def services() -> Container:
    """The warm container's services, built from the environment on first use (or the one `bound` here)."""
    global _container
    if (bound_container := _bound.get()) is not None:
        return bound_container
    with _container_lock:
        if _container is None:
            _container = Container(Settings.from_env(os.environ))
        return _container


def configure(container: Container) -> None:
    """Use `container` for every handler in this process (local runs)."""
    global _container
    with _container_lock:
        _container = container


def release() -> None:
    """Close the warm container's network clients, then `reset()` (SnapStart's before-snapshot hook)."""
    with _container_lock:
        container = _container
    if container is not None:
        container.close()
    reset()


@contextmanager
def bound(container: Container) -> Iterator[None]:
    """`services()` returns `container` inside the block, on this thread only.

    The local engine runs the real `lambda_handler`s of several containers in one process, one invocation per
    thread; binding per call keeps them apart where `configure` would make them share one.
    """
    token = _bound.set(container)
    try:
        yield
    finally:
        _bound.reset(token)


def reset() -> None:
    """Forget the warm container and cached secrets; the next `services()` builds anew."""
    global _container
    with _container_lock:
        _container = None
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()  # type: ignore[no-untyped-call]
