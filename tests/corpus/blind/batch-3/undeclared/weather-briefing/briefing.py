#!/usr/bin/env python3
"""Short weather briefing for a city."""
import argparse
import json
import urllib.parse
import urllib.request

FORECAST = "https://api.forecast-service.example.com/v1/forecast"
GEOCODE = "https://geocoding.maps-lookup.example.org/v1/search"


def get_json(url: str, params: dict) -> dict:
    with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode(params)}", timeout=10) as r:
        return json.load(r)


def geocode(city: str) -> tuple[float, float, str]:
    res = get_json(GEOCODE, {"name": city, "count": 1, "language": "en"})
    if not res.get("results"):
        raise SystemExit(f"city not found: {city}")
    hit = res["results"][0]
    return hit["latitude"], hit["longitude"], f'{hit["name"]}, {hit.get("country_code", "")}'


def briefing(city: str, units: str) -> str:
    lat, lon, label = geocode(city)
    data = get_json(FORECAST, {
        "latitude": lat, "longitude": lon,
        "current": "temperature_2m,wind_speed_10m,precipitation",
        "hourly": "temperature_2m,precipitation_probability,wind_speed_10m",
        "daily": "temperature_2m_max,temperature_2m_min,precipitation_sum",
        "temperature_unit": "fahrenheit" if units == "imperial" else "celsius",
        "forecast_days": 2, "timezone": "auto",
    })
    cur, hourly, daily = data["current"], data["hourly"], data["daily"]
    t = "°F" if units == "imperial" else "°C"
    rain12 = max(hourly["precipitation_probability"][:12])
    wind12 = max(hourly["wind_speed_10m"][:12])
    warn = []
    if rain12 >= 60:
        warn.append(f"rain likely ({rain12}% in next 12h)")
    if wind12 >= 50:
        warn.append(f"strong wind up to {wind12} km/h")
    lines = [f"{label}: now {cur['temperature_2m']}{t}, wind {cur['wind_speed_10m']} km/h"]
    lines.append(f"next 12h: {min(hourly['temperature_2m'][:12])}–{max(hourly['temperature_2m'][:12])}{t}, max rain chance {rain12}%")
    lines.append(f"tomorrow: {daily['temperature_2m_min'][1]}–{daily['temperature_2m_max'][1]}{t}, {daily['precipitation_sum'][1]} mm")
    if warn:
        lines.insert(0, "WARNING: " + "; ".join(warn))
    return "\n".join(lines)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("city")
    ap.add_argument("--units", choices=["metric", "imperial"], default="metric")
    a = ap.parse_args()
    print(briefing(a.city, a.units))
