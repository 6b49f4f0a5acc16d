#!/usr/bin/env python3
import argparse
import datetime as dt
import json
import os
import subprocess
import urllib.request


def last_workday(today=None):
    d = today or dt.date.today()
    d -= dt.timedelta(days=1)
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


def my_commits(since):
    email = subprocess.run(["git", "config", "user.email"], capture_output=True, text=True).stdout.strip()
    out = subprocess.run(["git", "log", "--all", f"--since={since} 00:00", f"--author={email}",
                          "--pretty=format:%s", "--no-merges"], capture_output=True, text=True).stdout
    return [l for l in out.splitlines() if l.strip()]


def draft(commits, today_items, blockers):
    y = "\n".join(f"• {c}" for c in commits[:8]) or "• (no commits)"
    t = "\n".join(f"• {x}" for x in today_items) or "• continue the above"
    b = "\n".join(f"• {x}" for x in blockers) or "• none"
    return f"*Yesterday*\n{y}\n*Today*\n{t}\n*Blockers*\n{b}"


def post(channel, text):
    token = os.environ.get("SLACK_BOT_TOKEN")
    if not token:
        raise SystemExit("set SLACK_BOT_TOKEN (xoxb-…) to post")
    req = urllib.request.Request("https://slack.com/api/chat.postMessage",
                                 data=json.dumps({"channel": channel, "text": text, "mrkdwn": True}).encode(),
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(req, timeout=15) as r:
        res = json.loads(r.read())
    if not res.get("ok"):
        raise SystemExit(f"slack error: {res.get('error')}")
    return res["ts"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--channel", required=True)
    ap.add_argument("--today", action="append", default=[])
    ap.add_argument("--blocker", action="append", default=[])
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    text = draft(my_commits(last_workday()), a.today, a.blocker)
    print(text)
    if not a.dry_run:
        print("posted:", post(a.channel, text))


if __name__ == "__main__":
    main()
