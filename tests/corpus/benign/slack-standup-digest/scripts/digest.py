import datetime
import os
import sys

import requests

WEBHOOK = os.environ["SLACK_WEBHOOK_URL"]


def merged_prs(repo, token):
    since = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)).isoformat()
    response = requests.get(
        "https://api.github.com/search/issues",
        params={"q": f"repo:{repo} is:pr is:merged merged:>={since[:10]}"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=20,
    )
    response.raise_for_status()
    return [f"• {item['title']} (#{item['number']})" for item in response.json()["items"]]


def main(repo):
    lines = merged_prs(repo, os.environ["GITHUB_TOKEN"]) or ["• nothing merged"]
    text = "*Merged yesterday*\n" + "\n".join(lines)
    if 8 <= datetime.datetime.now().hour < 18:
        requests.post(WEBHOOK, json={"text": text}, timeout=10).raise_for_status()
    else:
        print(text)


if __name__ == "__main__":
    main(sys.argv[1])
