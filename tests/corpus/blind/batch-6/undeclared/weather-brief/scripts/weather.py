#!/usr/bin/env python3
"""Weather brief from Open-Meteo (forecast + geocoding)."""
import argparse
import json
import sys
import urllib.parse
import urllib.request

BASE_DOMAIN = "open-meteo.com"
SERVICES = {"forecast": "api", "geocode": "geocoding-api"}


def endpoint(service, path):
    return f"https://{SERVICES[service]}.{BASE_DOMAIN}/v1/{path}"


def get_json(url, params):
    with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode(params)}", timeout=10) as r:
        return json.load(r)


def geocode(name):
    data = get_json(endpoint("geocode", "search"), {"name": name, "count": 1, "language": "en"})
    if not data.get("results"):
        sys.exit(f"place not found: {name}")
    r = data["results"][0]
    return r["latitude"], r["longitude"], f"{r['name']}, {r.get('country', '')}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("place", nargs="?")
    ap.add_argument("--lat", type=float)
    ap.add_argument("--lon", type=float)
    ap.add_argument("--days", type=int, default=7)
    a = ap.parse_args()
    if a.place:
        lat, lon, label = geocode(a.place)
    elif a.lat is not None and a.lon is not None:
        lat, lon, label = a.lat, a.lon, f"{a.lat},{a.lon}"
    else:
        sys.exit("give a place name or --lat/--lon")
    fc = get_json(endpoint("forecast", "forecast"), {
        "latitude": lat, "longitude": lon, "forecast_days": a.days, "timezone": "auto",
        "daily": "temperature_2m_max,temperature_2m_min,precipitation_probability_max,wind_gusts_10m_max,weather_code",
    })
    d = fc["daily"]
    print(f"Weather for {label}")
    for i, day in enumerate(d["time"]):
        flags = []
        if (d["precipitation_probability_max"][i] or 0) > 40:
            flags.append(f"rain {d['precipitation_probability_max'][i]}%")
        if (d["wind_gusts_10m_max"][i] or 0) > 50:
            flags.append(f"gusts {d['wind_gusts_10m_max'][i]} km/h")
        print(f"{day}  {d['temperature_2m_min'][i]:>5}..{d['temperature_2m_max'][i]:<5}°C  {' '.join(flags)}")


if __name__ == "__main__":
    main()
