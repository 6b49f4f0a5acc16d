"""A local git repository of 20 realistic skills, for ``git_vs_npx.py``.

    .venv/bin/python bench/install/skillrepo.py DIR     # writes DIR/skills-repo, prints its path

Seeded: the same code writes the same files and, with a fixed author, date and branch, the
same commit id. The skills sit under ``skills/<name>/`` (as in most public skill
repositories), five kinds in turn:

* ``docs``: SKILL.md and two ``references/*.md``, no code, no skills.json;
* ``files``: a Python script reading ``./data/`` and writing ``./output/``, with a
  skills.json declaring exactly that (``filesystem``);
* ``api``: a Python script calling one HTTPS host with ``urllib``, with a skills.json
  declaring that host (``network.outbound``);
* ``shell``: a shell script running ``git`` and ``jq`` (executable bit set), SKILL.md telling
  the agent to run it; no skills.json (Tank infers ``subprocess``);
* ``token``: a Python script reading one ``*_API_TOKEN`` variable and calling one host; no
  skills.json (Tank infers the secret and the host).

Each also carries a pure helper module (``scripts/helpers.py``, ~3 KB of string functions)
and SKILL.md bodies of ~3 KB: about 12-16 KB and 4-6 files per skill. 8 of the 20 have a
skills.json; all SKILL.md files have ``name``, ``description`` and ``license`` frontmatter.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import VERBS, WORDS, _markdown, _python  # noqa: E402

SEED = 20261207
NAMES = (
    "changelog-writer",
    "csv-report",
    "issue-triage",
    "release-notes",
    "commit-lint",
    "api-docs",
    "log-digest",
    "status-page",
    "branch-cleanup",
    "ticket-sync",
    "style-guide",
    "table-export",
    "uptime-check",
    "repo-stats",
    "deploy-notify",
    "test-plan",
    "invoice-parse",
    "metrics-pull",
    "license-audit",
    "chat-summary",
)
KINDS = ("docs", "files", "api", "shell", "token")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_AUTHOR_DATE": "2026-12-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2026-12-01T12:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}

FILES_SCRIPT = '''"""Summarise the CSV files under ./data into ./output/{name}.md."""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def main() -> int:
    rows = 0
    for path in sorted(Path("data").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows += sum(1 for _ in csv.reader(handle))
    out = Path("output") / "{name}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"# {title}\\n\\n{{rows}} rows read.\\n", encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''
API_SCRIPT = '''"""Fetch the {noun} list from {host} and print it as Markdown."""

from __future__ import annotations

import json
import sys
import urllib.request

URL = "https://{host}/v1/{noun}s"


def main() -> int:
    with urllib.request.urlopen(URL, timeout=10) as response:  # a fixed https:// URL
        items = json.load(response)
    for item in items[:20]:
        print(f"- {{item.get('name', '?')}}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''
TOKEN_SCRIPT = '''"""Post a short {noun} summary to {host}, authenticated by ${var}."""

from __future__ import annotations

import json
import os
import sys
import urllib.request


def main() -> int:
    token = os.environ["{var}"]
    body = json.dumps({{"text": " ".join(sys.argv[1:]) or "{noun} summary"}}).encode()
    request = urllib.request.Request(
        "https://{host}/v2/{noun}s",
        data=body,
        headers={{"Authorization": f"Bearer {{token}}", "Content-Type": "application/json"}},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # a fixed https:// URL
        print(response.status)
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''
SHELL_SCRIPT = """#!/bin/sh
# Recent {noun} changes of the current repository, as JSON lines.
set -eu
git log --since="${{1:-7 days ago}}" --pretty=format:'{{"commit":"%h","subject":"%s"}}' \\
  | jq -c 'select(.subject | test("{noun}"; "i"))'
"""


def _skill(index: int) -> dict[str, bytes]:
    """The files of skill ``index`` (relative path -> bytes)."""
    rng = random.Random(f"{SEED}-{index}")
    name, kind = NAMES[index], KINDS[index % len(KINDS)]
    noun, verb = rng.choice(WORDS), rng.choice(VERBS)
    host = f"api.{name.split('-')[0]}.example.com"
    var = f"{name.split('-')[0].upper()}_API_TOKEN"
    title = name.replace("-", " ").capitalize()
    description = (
        f"{title}: {verb} and summarise {noun} records for the current project. Use when the "
        f"user asks to {rng.choice(VERBS)} or {rng.choice(VERBS)} {noun} data."
    )
    front = f"---\nname: {name}\ndescription: {json.dumps(description)}\nlicense: MIT\n---\n\n"
    usage = {
        "docs": "Follow the checklist below; the references hold the details.\n\n",
        "files": "Put the CSV files in `data/`, then:\n\n```sh\npython3 scripts/report.py\n```\n\n",
        "api": "List what the service holds:\n\n```sh\npython3 scripts/fetch.py\n```\n\n",
        "shell": "Show the week's changes:\n\n```bash\nsh scripts/recent.sh '7 days ago'\n```\n\n",
        "token": f"With `{var}` set:\n\n```sh\npython3 scripts/post.py 'text'\n```\n\n",
    }[kind]
    files: dict[str, str] = {
        "SKILL.md": front
        + f"# {title}\n\n"
        + usage
        + _markdown(rng, "Guide", 3000).split("\n", 2)[2]
    }
    for k in (1, 2) if kind == "docs" else (1,):
        files[f"references/{rng.choice(WORDS)}-{k}.md"] = _markdown(rng, f"Reference {k}", 4500)
    if kind != "docs":
        files["scripts/helpers.py"] = _python(rng, f"String helpers of {name}", 3000)
    manifest: dict[str, object] = {
        "name": f"@bench/{name}",
        "version": "1.2.0",
        "description": description,
        "license": "MIT",
    }
    if kind == "files":
        files["scripts/report.py"] = FILES_SCRIPT.format(name=name, title=title)
        manifest["permissions"] = {"filesystem": {"read": ["./data/**"], "write": ["./output/**"]}}
        files["skills.json"] = json.dumps(manifest, indent=2) + "\n"
    elif kind == "api":
        files["scripts/fetch.py"] = API_SCRIPT.format(noun=noun, host=host)
        manifest["permissions"] = {"network": {"outbound": [host]}}
        files["skills.json"] = json.dumps(manifest, indent=2) + "\n"
    elif kind == "shell":
        files["scripts/recent.sh"] = SHELL_SCRIPT.format(noun=noun)
    elif kind == "token":
        files["scripts/post.py"] = TOKEN_SCRIPT.format(noun=noun, host=host, var=var)
    return {path: text.encode() for path, text in sorted(files.items())}


def skills() -> dict[str, dict[str, bytes]]:
    """Every skill: its folder name (its SKILL.md name) -> its files."""
    return {NAMES[i]: _skill(i) for i in range(len(NAMES))}


def make_repo(parent: Path) -> Path:
    """Write the skills to ``parent/skills-repo`` and commit them on ``main`` (one commit)."""
    repo = parent / "skills-repo"
    for name, files in skills().items():
        for rel, data in files.items():
            path = repo / "skills" / name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            path.chmod(0o755 if rel.endswith(".sh") else 0o644)
    (repo / "README.md").write_text("# Bench skills\n\n20 skills under `skills/`.\n")
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "skills"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    return repo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=Path)
    args = parser.parse_args()
    print(make_repo(args.dir.resolve()))


if __name__ == "__main__":
    main()
