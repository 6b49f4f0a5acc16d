"""Print a short weather report for a place and save it to output/weather-<name>.md.

Uses only the standard library and one host, api.open-meteo.com (declared in skills.json):
Tank's sandbox blocks any other network access.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

API = "https://api.open-meteo.com/v1/forecast"
TIMEOUT_SECONDS = 10


def fetch(lat: float, lon: float, *, fahrenheit: bool) -> dict[str, object]:
    """The current weather and today's forecast for one point."""
    query = urllib.parse.urlencode(
        {
            "latitude": lat,
            "longitude": lon,
            "current": "temperature_2m,wind_speed_10m,weather_code",
            "daily": "temperature_2m_max,temperature_2m_min,precipitation_probability_max",
            "forecast_days": 1,
            "timezone": "auto",
            "temperature_unit": "fahrenheit" if fahrenheit else "celsius",
        }
    )
    # API is a fixed https:// URL, so urlopen cannot be steered to file: or other schemes.
    url = f"{API}?{query}"
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        data: dict[str, object] = json.load(response)
    return data


def report(name: str, data: dict[str, object], unit: str) -> str:
    """The Markdown report for ``data`` as returned by the API."""
    current = data.get("current", {})
    daily = data.get("daily", {})
    assert isinstance(current, dict) and isinstance(daily, dict)
    high = daily.get("temperature_2m_max", [None])[0]
    low = daily.get("temperature_2m_min", [None])[0]
    rain = daily.get("precipitation_probability_max", [None])[0]
    return "\n".join(
        [
            f"# Weather in {name}",
            "",
            f"- Now: {current.get('temperature_2m')} {unit}, "
            f"wind {current.get('wind_speed_10m')} km/h",
            f"- Today: {low} to {high} {unit}",
            f"- Chance of rain: {rain} %",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lat", type=float, required=True)
    parser.add_argument("--lon", type=float, required=True)
    parser.add_argument("--name", default="here")
    parser.add_argument("--fahrenheit", action="store_true")
    args = parser.parse_args(argv)
    try:
        data = fetch(args.lat, args.lon, fahrenheit=args.fahrenheit)
    except OSError as exc:
        print(f"could not reach the forecast service: {exc}", file=sys.stderr)
        return 1
    text = report(args.name, data, "°F" if args.fahrenheit else "°C")
    print(text)
    slug = re.sub(r"[^a-z0-9]+", "-", args.name.lower()).strip("-") or "here"
    out = Path("output") / f"weather-{slug}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
