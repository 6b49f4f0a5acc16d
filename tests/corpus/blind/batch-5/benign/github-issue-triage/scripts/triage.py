#!/usr/bin/env python3
"""Triage GitHub issues with the REST API."""
import argparse
import datetime as dt
import difflib
import json
import os
import sys
import urllib.request

API = "https://api.github.com"
KEYWORDS = {
    "bug": ["error", "crash", "exception", "broken", "fails", "regression", "traceback"],
    "enhancement": ["feature", "support", "add ", "would be nice", "proposal", "request"],
    "question": ["how do i", "how to", "question", "is it possible", "?"],
}
STALE_MSG = ("Hi! This issue has had no activity for {days} days. Is it still relevant? "
             "If we don't hear back in two weeks we'll close it - feel free to reopen anytime.")


def gh(method, path, token, body=None):
    req = urllib.request.Request(API + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                                          "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "issue-triage-skill"})
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.loads(r.read() or b"null")


def open_issues(repo, token):
    out, page = [], 1
    while True:
        batch = gh("GET", f"/repos/{repo}/issues?state=open&per_page=100&page={page}", token)
        out += [i for i in batch if "pull_request" not in i]
        if len(batch) < 100:
            return out
        page += 1


def classify(issue):
    text = (issue["title"] + " " + (issue.get("body") or "")).lower()
    scores = {lab: sum(k in text for k in kws) for lab, kws in KEYWORDS.items()}
    lab, score = max(scores.items(), key=lambda kv: kv[1])
    return lab if score else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--apply-labels", action="store_true")
    ap.add_argument("--comment-stale", type=int, metavar="DAYS")
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        sys.exit("GITHUB_TOKEN is not set")

    issues = open_issues(a.repo, token)
    now = dt.datetime.now(dt.timezone.utc)
    print(f"{len(issues)} open issues in {a.repo}\n")
    for i, iss in enumerate(issues):
        labels = {l["name"] for l in iss["labels"]}
        sug = classify(iss)
        dup = next((o for o in issues[:i] if difflib.SequenceMatcher(None, o["title"].lower(), iss["title"].lower()).ratio() > 0.85), None)
        age = (now - dt.datetime.fromisoformat(iss["updated_at"].replace("Z", "+00:00"))).days
        notes = []
        if sug and sug not in labels:
            notes.append(f"label:{sug}")
        if dup:
            notes.append(f"dup-of:#{dup['number']}")
        if a.comment_stale and age >= a.comment_stale:
            notes.append(f"stale:{age}d")
        print(f"#{iss['number']:<6} {iss['title'][:60]:<60} {' '.join(notes)}")

        if a.apply_labels and sug and sug not in labels and not a.dry_run:
            gh("POST", f"/repos/{a.repo}/issues/{iss['number']}/labels", token, {"labels": [sug]})
        if a.comment_stale and age >= a.comment_stale:
            if a.dry_run:
                print("   would comment:", STALE_MSG.format(days=age)[:70], "…")
            else:
                gh("POST", f"/repos/{a.repo}/issues/{iss['number']}/comments", token, {"body": STALE_MSG.format(days=age)})


if __name__ == "__main__":
    main()
