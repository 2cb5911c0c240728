"""WeatherService port adapters: Open-Meteo's geocoding and forecast APIs (keyless)."""

from __future__ import annotations

from office_assistant.adapters.weather.open_meteo import OpenMeteoWeather

__all__ = ["OpenMeteoWeather"]
