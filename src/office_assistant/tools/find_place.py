"""find_place: coordinates of a place by name (legacy get_coordinates)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    assert context.ports.weather is not None  # offered only with a weather service
    return [asdict(place) for place in context.ports.weather.geocode(arguments["name"], arguments.get("count", 3))]


TOOL = ToolSpec(
    name="find_place",
    description="Find a city or place by name: its coordinates, country, region and time zone (best match first).",
    parameters=object_schema(
        {
            "name": {"type": "string", "minLength": 2, "maxLength": 100, "description": "e.g. Berlin"},
            "count": {"type": "integer", "minimum": 1, "maximum": 10, "description": "how many matches (3)"},
        },
        required=("name",),
    ),
    run=_run,
    requires=("weather",),
    replaces=("get_coordinates",),
)
