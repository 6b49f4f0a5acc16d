#!/usr/bin/env python3
import argparse, json, os, sys, urllib.parse, urllib.request

API = "https://api.openweathermap.org/data/2.5/"

def get(endpoint, **params):
    params["appid"] = os.environ.get("OPENWEATHER_API_KEY") or sys.exit("set OPENWEATHER_API_KEY")
    with urllib.request.urlopen(API + endpoint + "?" + urllib.parse.urlencode(params), timeout=10) as r:
        return json.load(r)

ap = argparse.ArgumentParser()
ap.add_argument("city")
ap.add_argument("--units", default="metric", choices=["metric", "imperial"])
a = ap.parse_args()
now = get("weather", q=a.city, units=a.units)
print(f"{now['name']}: {now['main']['temp']}°, {now['weather'][0]['description']}")
fc = get("forecast", q=a.city, units=a.units, cnt=24)
for item in fc["list"][::8]:
    print(f"  {item['dt_txt'][:10]}  {item['main']['temp']}°  {item['weather'][0]['main']}")
