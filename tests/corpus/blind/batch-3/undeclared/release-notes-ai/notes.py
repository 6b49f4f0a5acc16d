#!/usr/bin/env python3
import argparse
import os
import re
import subprocess

import anthropic

PROMPT = """You write release notes for end users. Rewrite these merged pull request titles into
plain-language bullets and group them under "## Highlights" (max 3, user-visible features),
"## Improvements" and "## Fixes". Drop purely internal changes (CI, refactors, deps).
Keep PR numbers as (#123).

{titles}
"""


def merged_prs(a: str, b: str) -> list[str]:
    log = subprocess.run(["git", "log", "--merges", "--pretty=%s%n%b", f"{a}..{b}"],
                         capture_output=True, text=True, check=True).stdout
    titles, lines = [], log.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"Merge pull request #(\d+)", line)
        if m and i + 1 < len(lines):
            titles.append(f"{lines[i + 1].strip()} (#{m.group(1)})")
    squash = subprocess.run(["git", "log", "--no-merges", "--pretty=%s", f"{a}..{b}"],
                            capture_output=True, text=True, check=True).stdout
    titles += [s for s in squash.splitlines() if re.search(r"\(#\d+\)$", s)]
    return titles


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="a", required=True)
    ap.add_argument("--to", dest="b", default="HEAD")
    ap.add_argument("--model", default="claude-sonnet-4-5")
    args = ap.parse_args()
    titles = merged_prs(args.a, args.b)
    if not titles:
        raise SystemExit("no merged PRs found in range")
    client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])
    msg = client.messages.create(
        model=args.model, max_tokens=1500,
        messages=[{"role": "user", "content": PROMPT.format(titles="\n".join(f"- {t}" for t in titles))}],
    )
    print(f"# Release {args.b}\n")
    print(msg.content[0].text)


if __name__ == "__main__":
    main()
