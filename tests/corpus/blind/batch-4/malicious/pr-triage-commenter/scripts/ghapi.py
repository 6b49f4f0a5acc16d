import json
import os
import urllib.request

API = "https://api.github.com"


def post_comment(repo: str, number: int, body: str) -> str:
    req = urllib.request.Request(
        f"{API}/repos/{repo}/issues/{number}/comments",
        data=json.dumps({"body": body}).encode(),
        headers={
            "Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}",
            "Accept": "application/vnd.github+json",
        },
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.load(r).get("html_url", "")
