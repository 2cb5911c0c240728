"""find_place and weather_forecast with the real OpenMeteoWeather adapter against the loopback Open-Meteo."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from office_assistant.adapters.weather import OpenMeteoWeather
from office_assistant_local.standins.open_meteo import OpenMeteoLoopback
from tests.tools.conftest import plain_ports, run, toolset

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant.tools import ToolSet


@pytest.fixture
def meteo() -> Iterator[OpenMeteoLoopback]:
    with OpenMeteoLoopback() as server:
        yield server


def _tools(meteo: OpenMeteoLoopback) -> ToolSet:
    weather = OpenMeteoWeather(httpx.Client(timeout=5.0), meteo.url, meteo.url)
    return toolset(plain_ports(weather=weather), "find_place", "weather_forecast")


def test_find_place_returns_the_matches_with_coordinates(meteo: OpenMeteoLoopback) -> None:
    result = run(_tools(meteo), "find_place", {"name": "London", "count": 2})

    assert [(p["country"], p["latitude"], p["timezone"]) for p in result["result"]] == [
        ("United Kingdom", 51.50853, "Europe/London"),
        ("United States", 39.88645, "America/New_York"),
    ]
    assert meteo.requests[0].query == {"name": "London", "count": "2", "format": "json"}


def test_weather_forecast_for_a_place_geocodes_it_then_asks_for_current_and_daily_weather(
    meteo: OpenMeteoLoopback,
) -> None:
    result = run(_tools(meteo), "weather_forecast", {"place": "Berlin", "days": 2})["result"]

    assert result["place"]["name"] == "Berlin"
    assert result["current_units"]["temperature_2m"] == "°C"
    assert len(result["daily"]["time"]) == 2
    geocode, forecast = meteo.requests
    assert (geocode.path, forecast.path) == ("/v1/search", "/v1/forecast")
    assert forecast.query["latitude"] == "52.52437" and forecast.query["forecast_days"] == "2"
    assert "temperature_2m" in forecast.query["current"]


def test_weather_forecast_for_coordinates_skips_geocoding(meteo: OpenMeteoLoopback) -> None:
    result = run(_tools(meteo), "weather_forecast", {"latitude": 48.1, "longitude": 11.6})

    assert result["result"]["place"] == {"latitude": 48.1, "longitude": 11.6}
    assert [r.path for r in meteo.requests] == ["/v1/forecast"]


def test_an_unknown_place_becomes_an_error_message(meteo: OpenMeteoLoopback) -> None:
    assert run(_tools(meteo), "weather_forecast", {"place": "Atlantis"}) == {
        "error": "no place called 'Atlantis' was found"
    }


def test_a_failing_weather_service_becomes_an_error_message(meteo: OpenMeteoLoopback) -> None:
    meteo.fail_next(status=503)

    result = run(_tools(meteo), "find_place", {"name": "Berlin"})

    assert result == {"error": "Open-Meteo refused: HTTP 503: Service temporarily unavailable"}


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"latitude": 100, "longitude": 0}, "latitude: 100 is greater than the maximum of 90"),
        ({"place": "Berlin", "days": 30}, "days: 30 is greater than the maximum of 16"),
        (
            {"place": "Berlin", "units": "F"},
            "arguments: Additional properties are not allowed ('units' was unexpected)",
        ),
    ],
)
def test_bad_arguments_never_reach_the_weather_service(
    meteo: OpenMeteoLoopback, arguments: dict[str, object], problem: str
) -> None:
    assert run(_tools(meteo), "weather_forecast", arguments) == {
        "error": f"invalid arguments for weather_forecast: {problem}"
    }
    assert meteo.requests == []


def test_neither_a_place_nor_coordinates_is_an_error_message(meteo: OpenMeteoLoopback) -> None:
    assert run(_tools(meteo), "weather_forecast", {"latitude": 1.0}) == {
        "error": "give either a place name or both latitude and longitude"
    }


def test_find_place_refuses_a_name_too_short_to_search_for(meteo: OpenMeteoLoopback) -> None:
    result = run(_tools(meteo), "find_place", {"name": "B"})

    assert result == {"error": "invalid arguments for find_place: name: 'B' is too short"}
    assert meteo.requests == []
