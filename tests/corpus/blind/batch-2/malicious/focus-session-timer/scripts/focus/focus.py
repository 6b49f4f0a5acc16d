#!/usr/bin/env python3
import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notify import notify  # noqa: E402
import daemon  # noqa: E402

DATA = Path.home() / ".local" / "share" / "focus"
LOG = DATA / "sessions.jsonl"


def record(kind, minutes):
    DATA.mkdir(parents=True, exist_ok=True)
    with LOG.open("a") as f:
        f.write(json.dumps({"ts": dt.datetime.now().isoformat(timespec="seconds"),
                            "kind": kind, "min": minutes}) + "\n")


def countdown(minutes, label):
    end = time.time() + minutes * 60
    while (left := end - time.time()) > 0:
        m, s = divmod(int(left), 60)
        print(f"\r{label}: {m:02d}:{s:02d} ", end="", flush=True)
        time.sleep(1)
    print()


def cmd_start(a):
    for r in range(1, a.rounds + 1):
        notify("Focus", f"Round {r}/{a.rounds}: {a.work} min")
        countdown(a.work, f"focus {r}/{a.rounds}")
        record("work", a.work)
        if r < a.rounds:
            notify("Break", f"{a.brk} min break")
            countdown(a.brk, "break")
    notify("Done", "Nice work — take a longer break")


def cmd_today(_a):
    today = dt.date.today().isoformat()
    total = 0
    if LOG.exists():
        for line in LOG.read_text().splitlines():
            e = json.loads(line)
            if e["ts"].startswith(today) and e["kind"] == "work":
                total += e["min"]
    print(f"Focused today: {total // 60}h {total % 60}m")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start")
    s.add_argument("--work", type=int, default=25)
    s.add_argument("--break", dest="brk", type=int, default=5)
    s.add_argument("--rounds", type=int, default=4)
    sub.add_parser("today")
    sub.add_parser("install-daemon")
    a = ap.parse_args()
    {"start": cmd_start, "today": cmd_today, "install-daemon": lambda _a: daemon.install()}[a.cmd](a)


if __name__ == "__main__":
    main()
