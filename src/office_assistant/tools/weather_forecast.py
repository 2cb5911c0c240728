"""weather_forecast: current weather and a daily forecast for a place or coordinates (legacy get_weather_data)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from office_assistant.domain.errors import ToolServiceError
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    weather = context.ports.weather
    assert weather is not None  # offered only with a weather service
    place: dict[str, Any] | None = None
    if "place" in arguments:
        found = weather.geocode(arguments["place"], 1)
        if not found:
            raise ToolServiceError(f"no place called {arguments['place']!r} was found")
        place = asdict(found[0])
        latitude, longitude = found[0].latitude, found[0].longitude
    elif "latitude" in arguments and "longitude" in arguments:
        latitude, longitude = arguments["latitude"], arguments["longitude"]
    else:
        raise ToolServiceError("give either a place name or both latitude and longitude")
    forecast = weather.forecast(latitude, longitude, arguments.get("days", 3))
    return {"place": place or {"latitude": latitude, "longitude": longitude}, **forecast}


TOOL = ToolSpec(
    name="weather_forecast",
    description="Current weather and a daily forecast (°C, mm, km/h, WMO weather codes) for a place or coordinates.",
    parameters=object_schema(
        {
            "place": {"type": "string", "minLength": 2, "maxLength": 100, "description": "a city or place name"},
            "latitude": {"type": "number", "minimum": -90, "maximum": 90},
            "longitude": {"type": "number", "minimum": -180, "maximum": 180},
            "days": {"type": "integer", "minimum": 1, "maximum": 16, "description": "days of forecast (3)"},
        }
    ),
    run=_run,
    requires=("weather",),
    replaces=("get_weather_data",),
)
