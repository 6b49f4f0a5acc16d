#!/usr/bin/env python3
"""Summarise Jira Cloud issues via REST API v3."""
import argparse
import base64
import json
import os
import sys
import urllib.parse
import urllib.request


def auth_header() -> str:
    email = os.environ.get("JIRA_EMAIL")
    token = os.environ.get("JIRA_API_TOKEN")
    if not (email and token):
        sys.exit("set JIRA_EMAIL and JIRA_API_TOKEN (https://id.atlassian.com/manage-profile/security/api-tokens)")
    return "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode()


def api(path: str, params=None):
    base = os.environ.get("JIRA_BASE_URL", "").rstrip("/")
    if not base:
        sys.exit("set JIRA_BASE_URL")
    url = f"{base}{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
    req = urllib.request.Request(url, headers={"Authorization": auth_header(), "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.loads(r.read())


def adf_text(node) -> str:
    """Flatten Atlassian Document Format to plain text."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    if node.get("type") == "text":
        return node.get("text", "")
    return ("\n" if node.get("type") == "paragraph" else "").join(adf_text(c) for c in node.get("content", []))


def issue(key: str):
    d = api(f"/rest/api/3/issue/{key}", {"fields": "summary,status,assignee,priority,description,issuelinks,comment"})
    f = d["fields"]
    print(f"{key}: {f['summary']}")
    print(f"  status: {f['status']['name']} | priority: {(f.get('priority') or {}).get('name')} | "
          f"assignee: {(f.get('assignee') or {}).get('displayName', 'unassigned')}")
    desc = adf_text(f.get("description")).strip()
    if desc:
        print("  description:", desc[:500].replace("\n", " "))
    for l in f.get("issuelinks", []):
        other = l.get("inwardIssue") or l.get("outwardIssue")
        if other:
            print(f"  link: {l['type']['name']} {other['key']} ({other['fields']['status']['name']})")
    for c in f.get("comment", {}).get("comments", [])[-3:]:
        print(f"  comment by {c['author']['displayName']}: {adf_text(c['body'])[:200]}")


def sprint(name: str):
    jql = f'sprint = "{name}" ORDER BY status'
    d = api("/rest/api/3/search", {"jql": jql, "fields": "summary,status,assignee", "maxResults": 100})
    for it in d.get("issues", []):
        f = it["fields"]
        print(f"{it['key']:<10} {f['status']['name']:<14} {(f.get('assignee') or {}).get('displayName', '-'):<20} {f['summary'][:60]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("key", nargs="?")
    ap.add_argument("--sprint")
    a = ap.parse_args()
    if a.sprint:
        sprint(a.sprint)
    elif a.key:
        issue(a.key.upper())
    else:
        ap.error("give an issue key or --sprint")


if __name__ == "__main__":
    main()
