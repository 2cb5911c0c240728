"""The container builds each tool's service only when its settings are there, so unconfigured tools are not offered."""

from __future__ import annotations

from dataclasses import replace

from office_assistant.adapters.weather import OpenMeteoWeather
from office_assistant.adapters.web_pages import PublicWebPageReader
from office_assistant.adapters.web_search import GoogleWebSearch
from office_assistant.bootstrap import Container
from office_assistant.settings import Settings
from tests.builders import a_message, some_settings
from tests.fakes import FakeStateTable, HashingEmbedder, InMemoryMediaBucket, InMemoryMessageStore, RecordingChatModel

ALL_TOOLS_ROUTE = replace(
    some_settings(),
    tools=("web_search", "browse_web_page", "weather_forecast", "ask_reasoning_model", "odoo_delete_record"),
)


def _container(**settings: object) -> Container:
    return Container(
        Settings(**settings),  # type: ignore[arg-type]
        store=InMemoryMessageStore(),
        embedder=HashingEmbedder(),
        state_table=FakeStateTable(),
        media_bucket=InMemoryMediaBucket(),
        erp=None,
        chat_model=RecordingChatModel(),
    )


def test_web_search_needs_both_the_key_and_the_engine_id() -> None:
    assert _container(google_search_api_key="k").web_search is None
    assert isinstance(_container(google_search_api_key="k", google_search_engine_id="cx").web_search, GoogleWebSearch)


def test_browse_weather_and_reasoning_follow_their_settings() -> None:
    on, off = _container(), _container(browse=False, weather=False, reasoning_model="")

    assert isinstance(on.web_pages, PublicWebPageReader) and isinstance(on.weather, OpenMeteoWeather)
    assert (off.web_pages, off.weather) == (None, None)
    assert on.toolbox.ports.reasoning is not None and off.toolbox.ports.reasoning is None


def test_the_toolbox_offers_only_the_configured_tools() -> None:
    offered = _container(browse=False, odoo_writes="create,delete").toolbox.for_message(a_message(), ALL_TOOLS_ROUTE)

    assert offered.names == ["weather_forecast", "ask_reasoning_model"]  # no search key, no browse, no ERP
