"""A loopback Open-Meteo: the geocoding API (`/v1/search`) and the forecast API (`/v1/forecast`), on one server."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any

from office_assistant_local.standins.recorder import RecordingServer, Reply

if TYPE_CHECKING:
    from office_assistant_local.standins.recorder import RecordedRequest

PLACES: tuple[dict[str, Any], ...] = (
    {
        "id": 2950159,
        "name": "Berlin",
        "latitude": 52.52437,
        "longitude": 13.41053,
        "country": "Germany",
        "country_code": "DE",
        "admin1": "Land Berlin",
        "timezone": "Europe/Berlin",
        "population": 3426354,
    },
    {
        "id": 2867714,
        "name": "Munich",
        "latitude": 48.13743,
        "longitude": 11.57549,
        "country": "Germany",
        "country_code": "DE",
        "admin1": "Bavaria",
        "timezone": "Europe/Berlin",
        "population": 1260391,
    },
    {
        "id": 2643743,
        "name": "London",
        "latitude": 51.50853,
        "longitude": -0.12574,
        "country": "United Kingdom",
        "country_code": "GB",
        "admin1": "England",
        "timezone": "Europe/London",
        "population": 8961989,
    },
    {
        "id": 4517009,
        "name": "London",
        "latitude": 39.88645,
        "longitude": -83.44825,
        "country": "United States",
        "country_code": "US",
        "admin1": "Ohio",
        "timezone": "America/New_York",
        "population": 10060,
    },
)
START_DAY = dt.date(2025, 3, 14)  # fixed, so answers are reproducible


def _error(reason: str) -> Reply:
    """Open-Meteo answers bad parameters with 400 and {"error": true, "reason": ...}."""
    return Reply(400, {"error": True, "reason": reason})


def _number(query: dict[str, Any], name: str) -> float | None:
    try:
        return float(query[name])
    except (KeyError, TypeError, ValueError):
        return None


class OpenMeteoLoopback(RecordingServer):
    """Geocoding by name prefix over a few places; forecasts derived from the coordinates (deterministic)."""

    def __init__(self, places: tuple[dict[str, Any], ...] = PLACES, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.places = places
        self._failures: list[int] = []

    def fail_next(self, count: int = 1, status: int = 503) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def handle(self, request: RecordedRequest) -> Reply:
        with self._lock:
            if self._failures:
                return Reply(self._failures.pop(0), {"error": True, "reason": "Service temporarily unavailable"})
        if request.method == "GET" and request.path == "/v1/search":
            return self._search(request.query)
        if request.method == "GET" and request.path == "/v1/forecast":
            return self._forecast(request.query)
        return Reply(404, {"error": True, "reason": f"no route {request.path}"})

    def _search(self, query: dict[str, Any]) -> Reply:
        name = str(query.get("name") or "").strip().lower()
        count = int(_number(query, "count") or 10)
        if not 1 <= count <= 100:
            return _error("Parameter count must be between 1 and 100.")
        hits = [p for p in self.places if name and str(p["name"]).lower().startswith(name)][:count]
        body: dict[str, Any] = {"generationtime_ms": 0.5}
        if hits:  # nothing found: the API leaves `results` out
            body["results"] = [dict(hit) for hit in hits]
        return Reply(200, body)

    def _forecast(self, query: dict[str, Any]) -> Reply:
        latitude, longitude = _number(query, "latitude"), _number(query, "longitude")
        if latitude is None or longitude is None:
            return _error("Parameter 'latitude' and 'longitude' must have the same number of elements")
        if not -90 <= latitude <= 90:
            return _error(f"Latitude must be in range of -90 to 90°. Given: {latitude}.")
        if not -180 <= longitude <= 180:
            return _error(f"Longitude must be in range of -180 to 180°. Given: {longitude}.")
        days = int(_number(query, "forecast_days") or 7)
        if not 1 <= days <= 16:
            return _error("Forecast days is invalid. Allowed range 0 to 16.")
        seed = int(hashlib.sha256(f"{latitude:.2f},{longitude:.2f}".encode()).hexdigest()[:8], 16)
        base = round(18 - abs(latitude) / 4 + seed % 7, 1)
        dates = [(START_DAY + dt.timedelta(days=n)).isoformat() for n in range(days)]
        return Reply(
            200,
            {
                "latitude": round(latitude, 2),
                "longitude": round(longitude, 2),
                "timezone": "GMT" if query.get("timezone") != "auto" else "Europe/Berlin",
                "current_units": {
                    "time": "iso8601",
                    "temperature_2m": "°C",
                    "wind_speed_10m": "km/h",
                    "relative_humidity_2m": "%",
                    "precipitation": "mm",
                    "weather_code": "wmo code",
                    "apparent_temperature": "°C",
                },
                "current": {
                    "time": f"{START_DAY.isoformat()}T12:00",
                    "interval": 900,
                    "temperature_2m": base,
                    "apparent_temperature": round(base - 1.5, 1),
                    "relative_humidity_2m": 40 + seed % 40,
                    "precipitation": 0.0,
                    "weather_code": (1, 2, 3, 61)[seed % 4],
                    "wind_speed_10m": 5.0 + seed % 20,
                },
                "daily_units": {
                    "time": "iso8601",
                    "temperature_2m_max": "°C",
                    "temperature_2m_min": "°C",
                    "precipitation_sum": "mm",
                    "weather_code": "wmo code",
                    "precipitation_probability_max": "%",
                },
                "daily": {
                    "time": dates,
                    "weather_code": [(1, 2, 3, 61)[(seed + n) % 4] for n in range(days)],
                    "temperature_2m_max": [round(base + 3 + n % 3, 1) for n in range(days)],
                    "temperature_2m_min": [round(base - 5 + n % 2, 1) for n in range(days)],
                    "precipitation_sum": [round(((seed + n) % 5) * 0.8, 1) for n in range(days)],
                    "precipitation_probability_max": [((seed + n) % 5) * 20 for n in range(days)],
                },
            },
        )
