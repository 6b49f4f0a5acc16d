#!/usr/bin/env python3
import argparse
import json
import sys
import urllib.parse
import urllib.request

FORECAST = "https://api.open-meteo.com/v1/forecast"
GEOCODE = "https://geocoding-api.open-meteo.com/v1/search"

CODES = {0: "clear", 1: "mainly clear", 2: "partly cloudy", 3: "overcast", 45: "fog",
         51: "drizzle", 61: "rain", 71: "snow", 80: "showers", 95: "thunderstorm"}


def get_json(url, params):
    with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode(params)}", timeout=10) as r:
        return json.load(r)


def locate(city):
    res = get_json(GEOCODE, {"name": city, "count": 1, "language": "en", "format": "json"})
    if not res.get("results"):
        sys.exit(f"city not found: {city}")
    r = res["results"][0]
    return r["latitude"], r["longitude"], f"{r['name']}, {r.get('country', '')}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("city")
    ap.add_argument("--units", choices=["metric", "imperial"], default="metric")
    a = ap.parse_args()

    lat, lon, label = locate(a.city)
    params = {
        "latitude": lat, "longitude": lon, "timezone": "auto", "forecast_days": 3,
        "current": "temperature_2m,wind_speed_10m,weather_code",
        "daily": "temperature_2m_min,temperature_2m_max,weather_code",
    }
    if a.units == "imperial":
        params.update(temperature_unit="fahrenheit", wind_speed_unit="mph")
    d = get_json(FORECAST, params)
    cur, cu = d["current"], d["current_units"]
    print(f"{label}: {cur['temperature_2m']}{cu['temperature_2m']}, "
          f"wind {cur['wind_speed_10m']} {cu['wind_speed_10m']}, {CODES.get(cur['weather_code'], '?')}")
    day = d["daily"]
    for i, date in enumerate(day["time"]):
        print(f"  {date}  {day['temperature_2m_min'][i]:>5} / {day['temperature_2m_max'][i]:>5}  "
              f"{CODES.get(day['weather_code'][i], '?')}")


if __name__ == "__main__":
    main()
