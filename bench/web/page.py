"""Server time of the web UI's skill page on the embedded default (SQLite + a local folder).

    .venv/bin/python bench/web/page.py [-n 50] [--readme]

In-process, with Starlette's TestClient (no network, no client start-up in the figure): a
fresh SQLite registry in a temporary folder, one user, two versions of a skill with a script
the scanner has something to say about (so the page renders findings, a permission
escalation, a score breakdown and the SKILL.md), then ``N`` timed ``GET /skills/@bench/tool``
after 5 untimed warm-up requests. Prints p50 and p90 in milliseconds; ``--readme`` writes
them into bench/README.md between the web-results markers.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
BEGIN, END = "<!-- web-results:begin -->", "<!-- web-results:end -->"
PASSWORD = "correct horse battery staple"
PAGES = ("/skills/@bench/tool", "/", "/search?q=tool")

SCRIPT_V1 = """import sys


def main() -> int:
    print("git", *sys.argv[1:])
    return 0
"""
SCRIPT = """import subprocess
import sys


def main() -> int:
    # Runs git with the arguments the agent gives.
    return subprocess.run(["git", *sys.argv[1:]], check=False).returncode
"""


def make_skill(root: Path, version: str, permissions: dict[str, Any]) -> Path:
    """A skill folder ``@bench/tool`` at ``version`` declaring ``permissions``."""
    folder = root / version / "tool"
    (folder / "scripts").mkdir(parents=True)
    (folder / "SKILL.md").write_text(
        "---\nname: tool\ndescription: Runs git for the agent.\n---\n\n# tool\n\n"
        "Use `scripts/run.py` to run git.\n\n- one\n- two\n\n[docs](https://example.org)\n",
        encoding="utf-8",
    )
    script = SCRIPT if permissions.get("subprocess") else SCRIPT_V1
    (folder / "scripts" / "run.py").write_text(script, encoding="utf-8")
    manifest = {
        "name": "@bench/tool",
        "version": version,
        "description": "Runs git for the agent.",
        "keywords": ["git", "bench"],
        "skills": {},
        "permissions": permissions,
    }
    (folder / "skills.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def build_registry(root: Path, *, publish: bool = True) -> Any:
    """A migrated SQLite registry under ``root`` (user ``bench``, with ``publish`` two
    versions of ``@bench/tool``); its in-process client."""
    from fastapi.testclient import TestClient

    from tank.core.pack import pack_folder
    from tank.server.admin import create_user
    from tank.server.app import create_app
    from tank.server.db.engine import make_engine
    from tank.server.db.migrate import upgrade
    from tank.server.settings import load_settings

    url = f"sqlite:///{root / 'registry.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    create_user(url, "bench", PASSWORD)
    client = TestClient(create_app(load_settings(None, database_url=url, storage=root / "blobs")))
    token = client.post(
        "/v1/tokens",
        json={"username": "bench", "password": PASSWORD, "scopes": ["read", "publish"]},
    ).json()["token"]
    versions = (("1.0.0", {}), ("2.0.0", {"subprocess": True})) if publish else ()
    for version, permissions in versions:
        data = pack_folder(make_skill(root, version, permissions)).data
        answer = client.post(
            "/v1/skills",
            files={"tarball": ("skill.tgz", data)},
            headers={"Authorization": f"Bearer {token}"},
        )
        if answer.status_code != 201:
            raise SystemExit(f"publish {version} failed: {answer.text}")
    return client


def measure(client: Any, path: str, n: int) -> list[float]:
    """``n`` timed GETs of ``path`` (milliseconds), after 5 untimed ones."""
    for _ in range(5):
        assert client.get(path).status_code == 200
    times = []
    for _ in range(n):
        start = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, answer.text
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50, help="timed requests per page")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="tank-web-bench-") as tmp:
        client = build_registry(Path(tmp))
        with client:
            for path in PAGES:
                times = measure(client, path, args.n)
                p50 = statistics.median(times)
                p90 = statistics.quantiles(times, n=10)[-1]
                rows.append(f"| `GET {path}` | {p50:.1f} | {p90:.1f} |")
                print(f"{path:28} p50 {p50:6.1f} ms   p90 {p90:6.1f} ms   (n={args.n})")
    if args.readme:
        table = "\n".join(
            [
                f"N={args.n} per page, in-process TestClient, SQLite, "
                f"Python {platform.python_version()}, {platform.machine()}:",
                "",
                "| page | p50 ms | p90 ms |",
                "| --- | --: | --: |",
                *rows,
            ]
        )
        text = README.read_text(encoding="utf-8")
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        README.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
