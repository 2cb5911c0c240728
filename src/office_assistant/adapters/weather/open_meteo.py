"""Geocoding and weather from Open-Meteo (open-meteo.com): no key, so the tools work wherever it is reachable."""

from __future__ import annotations

from typing import Any

import httpx

from office_assistant.domain.errors import ToolServiceError
from office_assistant.ports import Place

GEOCODING_PATH = "/v1/search"
FORECAST_PATH = "/v1/forecast"
CURRENT = "temperature_2m,apparent_temperature,relative_humidity_2m,precipitation,weather_code,wind_speed_10m"
DAILY = "weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,precipitation_probability_max"
MAX_FORECAST_DAYS = 16  # the API's limit


class OpenMeteoWeather:
    """WeatherService on `GET /v1/search` (geocoding host) and `GET /v1/forecast` (forecast host)."""

    def __init__(
        self,
        http_client: httpx.Client,
        forecast_url: str = "https://api.open-meteo.com",
        geocoding_url: str = "https://geocoding-api.open-meteo.com",
    ) -> None:
        self.http = http_client
        self.forecast_url = forecast_url.rstrip("/")
        self.geocoding_url = geocoding_url.rstrip("/")

    def geocode(self, name: str, count: int = 3) -> list[Place]:
        body = self._get(self.geocoding_url + GEOCODING_PATH, {"name": name, "count": count, "format": "json"})
        return [
            Place(
                name=str(hit.get("name", "")),
                latitude=float(hit["latitude"]),
                longitude=float(hit["longitude"]),
                country=str(hit.get("country", "")),
                region=str(hit.get("admin1", "")),
                timezone=str(hit.get("timezone", "")),
            )
            for hit in body.get("results") or []  # nothing found: Open-Meteo leaves `results` out
            if isinstance(hit, dict) and "latitude" in hit and "longitude" in hit
        ]

    def forecast(self, latitude: float, longitude: float, days: int = 3) -> dict[str, Any]:
        params = {
            "latitude": latitude,
            "longitude": longitude,
            "current": CURRENT,
            "daily": DAILY,
            "timezone": "auto",
            "forecast_days": max(1, min(days, MAX_FORECAST_DAYS)),
        }
        body = self._get(self.forecast_url + FORECAST_PATH, params)
        return {
            key: body[key] for key in ("timezone", "current_units", "current", "daily_units", "daily") if key in body
        }

    def _get(self, url: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.http.get(url, params=params)
        except httpx.HTTPError as error:
            raise ToolServiceError(f"Open-Meteo could not be reached: {type(error).__name__}") from error
        try:
            body = response.json()
        except ValueError as error:
            raise ToolServiceError(f"Open-Meteo answered HTTP {response.status_code} without JSON") from error
        if response.status_code != 200 or not isinstance(body, dict) or body.get("error"):
            reason = body.get("reason") if isinstance(body, dict) else None
            raise ToolServiceError(f"Open-Meteo refused: HTTP {response.status_code}: {reason or 'no reason given'}")
        return body
