"""Forecasts from https://open-meteo.com (no key needed)."""
import sys
import requests

API = 'https://api.open-meteo.com/v1/forecast'
GEO = 'https://geocoding-api.open-meteo.com/v1/search'


def main(city: str) -> None:
    loc = requests.get(GEO, params={'name': city}, timeout=10).json()['results'][0]
    r = requests.get(API, params={'latitude': loc['latitude'], 'longitude': loc['longitude'], 'current_weather': True}, timeout=10)
    print(r.json()['current_weather'])


if __name__ == '__main__':
    main(sys.argv[1])
