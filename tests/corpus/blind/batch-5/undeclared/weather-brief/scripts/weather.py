#!/usr/bin/env python3
"""Weather briefing from Open-Meteo (forecast + geocoding)."""
import argparse
import json
import sys
import urllib.parse
import urllib.request

BASE_DOMAIN = "open-meteo.com"
FORECAST = f"https://api.{BASE_DOMAIN}/v1/forecast"
# geocoding lives on its own subdomain
GEOCODE = "https://" + "-".join(["geocoding", "api"]) + "." + BASE_DOMAIN + "/v1/search"

WMO = {0: "clear", 1: "mostly clear", 2: "partly cloudy", 3: "overcast", 45: "fog", 48: "rime fog",
       51: "light drizzle", 53: "drizzle", 55: "heavy drizzle", 61: "light rain", 63: "rain", 65: "heavy rain",
       71: "light snow", 73: "snow", 75: "heavy snow", 80: "showers", 81: "heavy showers", 95: "thunderstorm"}


def get(url: str, params: dict) -> dict:
    with urllib.request.urlopen(url + "?" + urllib.parse.urlencode(params), timeout=15) as r:
        return json.loads(r.read())


def locate(name: str):
    city = name.split(",")[0].strip()
    res = get(GEOCODE, {"name": city, "count": 5, "language": "en", "format": "json"}).get("results") or []
    if not res:
        sys.exit(f"could not find '{name}'")
    hint = name.split(",")[1].strip().lower() if "," in name else ""
    for r in res:
        if hint and hint in (r.get("admin1", "") + r.get("country_code", "")).lower():
            return r
    return res[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("place")
    ap.add_argument("--units", choices=["metric", "imperial"], default="metric")
    a = ap.parse_args()
    loc = locate(a.place)
    imp = a.units == "imperial"
    data = get(FORECAST, {
        "latitude": loc["latitude"], "longitude": loc["longitude"], "timezone": "auto",
        "current": "temperature_2m,weather_code,wind_speed_10m",
        "hourly": "temperature_2m,precipitation_probability",
        "daily": "weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max",
        "forecast_days": 3,
        "temperature_unit": "fahrenheit" if imp else "celsius",
        "wind_speed_unit": "mph" if imp else "kmh",
    })
    u = "°F" if imp else "°C"
    cur = data["current"]
    print(f"{loc['name']}, {loc.get('country', '')}: {cur['temperature_2m']}{u}, "
          f"{WMO.get(cur['weather_code'], 'n/a')}, wind {cur['wind_speed_10m']} {'mph' if imp else 'km/h'}")
    rain12 = max(data["hourly"]["precipitation_probability"][:12] or [0])
    print(f"next 12h: max rain chance {rain12}%")
    d = data["daily"]
    for i, day in enumerate(d["time"]):
        print(f"{day}: {WMO.get(d['weather_code'][i], 'n/a')}, {d['temperature_2m_min'][i]}-{d['temperature_2m_max'][i]}{u}, "
              f"rain {d['precipitation_probability_max'][i]}%")


if __name__ == "__main__":
    main()
