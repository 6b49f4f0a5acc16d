"""Smoke-run the main job end to end: a registry on SQLite + a local folder, publish, read back.

Starts `tank registry serve` on a free loopback port in a temporary folder, creates a user,
then drives the real CLI as a user would: `tank login`, `tank publish` of each example skill,
and `tank install --frozen` of the example project from its committed lockfile (every tarball
verified against it), then `tank list`; then stops the server. Exits non-zero on any
failure. CI runs it so the README's first command keeps working.

Usage: .venv/bin/python scripts/smoke_registry.py
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TANK = [sys.executable, "-m", "tank.cli.main"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tank(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, input: str | None = None
) -> str:
    done = subprocess.run(
        [*TANK, *args], capture_output=True, text=True, check=False, env=env, cwd=cwd, input=input
    )
    if done.returncode != 0:
        raise SystemExit(f"tank {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = f"sqlite:///{work / 'registry.db'}"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        tank(
            "registry",
            "create-user",
            "examples",
            "--password",
            "smoke-test-pw",
            "--database-url",
            db,
        )
        log = (work / "server.log").open("wb")
        server = subprocess.Popen(
            [*TANK, "registry", "serve", "--port", str(port), "--database-url", db,
             "--storage", str(work / "blobs")],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                for _ in range(300):
                    try:
                        if client.get("/v1/health").status_code == 200:
                            break
                    except httpx.HTTPError:
                        time.sleep(0.1)
                else:
                    raise SystemExit("the registry did not start")
            env = {
                **os.environ,
                "TANK_REGISTRY": url,
                "TANK_CONFIG_DIR": str(work / "config"),
                "TANK_CACHE_DIR": str(work / "cache"),
                "TANK_HOME": str(work / "home"),
                "TANK_NO_KEYRING": "1",
                "CI": "",
            }
            tank("login", "--username", "examples", "--password-stdin",
                 env=env, input="smoke-test-pw\n")  # fmt: skip
            for folder in sorted((ROOT / "examples" / "skills").iterdir()):
                print(tank("publish", str(folder), env=env).strip().splitlines()[-1])
            # The example project's committed lockfile installs as is (frozen), because the
            # registry's tarballs are byte for byte the ones `tank pack` made.
            project = work / "project"
            project.mkdir()
            for name in ("skills.json", "skills.lock"):
                (project / name).write_bytes((ROOT / "examples" / "project" / name).read_bytes())
            print(tank("install", "--frozen", env=env, cwd=project).strip())
            listed = json.loads(tank("list", "--json", env=env, cwd=project))
            installed = sorted(s["name"] for s in listed["skills"])
            locked = json.loads((project / "skills.lock").read_text())["skills"]
            if len(installed) != len(locked):
                raise SystemExit(f"installed {installed}, locked {sorted(locked)}")
            for skill in listed["skills"]:
                if not (Path(skill["path"]) / "SKILL.md").is_file():
                    raise SystemExit(f"{skill['name']} has no SKILL.md at {skill['path']}")
            print(f"installed {len(installed)} skills from the example lockfile")
        finally:
            server.terminate()
            server.wait(timeout=15)
            log.close()
    print("registry smoke run: ok")


if __name__ == "__main__":
    main()
