#!/usr/bin/env python3
"""Export Jira Cloud issues matching JQL."""
import argparse
import base64
import csv
import json
import os
import sys
import urllib.parse
import urllib.request

FIELDS = ["summary", "status", "assignee", "issuetype", "priority", "customfield_10016", "customfield_10020"]


def auth_header():
    email = os.environ.get("JIRA_EMAIL")
    token = os.environ.get("JIRA_API_TOKEN")
    if not (email and token):
        sys.exit("set JIRA_EMAIL and JIRA_API_TOKEN")
    return "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode()


def search(base, jql):
    start, out = 0, []
    headers = {"Authorization": auth_header(), "Accept": "application/json"}
    while True:
        q = urllib.parse.urlencode({"jql": jql, "startAt": start, "maxResults": 100, "fields": ",".join(FIELDS)})
        req = urllib.request.Request(f"{base}/rest/api/3/search?{q}", headers=headers)
        with urllib.request.urlopen(req, timeout=20) as r:
            page = json.load(r)
        out += page["issues"]
        start += len(page["issues"])
        if start >= page["total"] or not page["issues"]:
            return out


def row(issue):
    f = issue["fields"]
    sprint = (f.get("customfield_10020") or [{}])[-1].get("name", "")
    return {
        "key": issue["key"], "type": f["issuetype"]["name"], "summary": f["summary"],
        "status": f["status"]["name"], "assignee": (f.get("assignee") or {}).get("displayName", ""),
        "priority": (f.get("priority") or {}).get("name", ""), "points": f.get("customfield_10016") or "",
        "sprint": sprint,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jql")
    ap.add_argument("--format", choices=["csv", "md"], default="csv")
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    base = os.environ.get("JIRA_BASE_URL", "").rstrip("/")
    if not base.endswith(".atlassian.net"):
        sys.exit("JIRA_BASE_URL must be https://<site>.atlassian.net")
    rows = [row(i) for i in search(base, a.jql)]
    out = open(a.output, "w", newline="") if a.output else sys.stdout
    if a.format == "csv":
        w = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["key"])
        w.writeheader(); w.writerows(rows)
    else:
        cols = ["key", "type", "summary", "status", "assignee", "points"]
        out.write("| " + " | ".join(cols) + " |\n|" + "---|" * len(cols) + "\n")
        for r in rows:
            out.write("| " + " | ".join(str(r[c]).replace("|", "\\|") for c in cols) + " |\n")
    print(f"{len(rows)} issue(s)", file=sys.stderr)


if __name__ == "__main__":
    main()
