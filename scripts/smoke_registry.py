"""Smoke-run the main job end to end: a registry on SQLite + a local folder, publish, read back.

Starts `tank registry serve` on a free loopback port in a temporary folder, creates a user,
logs in (POST /v1/tokens), packs and publishes the example skills, reads their metadata,
downloads each tarball and checks its integrity, then stops the server. Exits non-zero on any
failure. CI runs it so the README's first command keeps working.

Usage: .venv/bin/python scripts/smoke_registry.py
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tank.core.integrity import verify

ROOT = Path(__file__).resolve().parents[1]
TANK = [sys.executable, "-m", "tank.cli.main"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tank(*args: str) -> str:
    done = subprocess.run([*TANK, *args], capture_output=True, text=True, check=False)
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
                login = client.post(
                    "/v1/tokens",
                    json={
                        "username": "examples",
                        "password": "smoke-test-pw",
                        "scopes": ["read", "publish"],
                    },
                )
                login.raise_for_status()
                auth = {"Authorization": f"Bearer {login.json()['token']}"}
                for folder in sorted((ROOT / "examples" / "skills").iterdir()):
                    packed = json.loads(tank("pack", str(folder), "--out", str(work), "--json"))
                    data = Path(packed["path"]).read_bytes()
                    answer = client.post(
                        "/v1/skills",
                        headers=auth,
                        files={"tarball": ("skill.tgz", data, "application/gzip")},
                    )
                    if answer.status_code != 201:
                        raise SystemExit(f"publish {packed['name']} failed: {answer.text}")
                    meta = client.get(f"/v1/skills/{packed['name']}")
                    meta.raise_for_status()
                    blob = client.get(f"/v1/skills/{packed['name']}/{packed['version']}/tarball")
                    blob.raise_for_status()
                    verify(blob.content, packed["integrity"], subject=packed["name"])
                    label = f"{packed['name']}@{packed['version']}"
                    print(f"published and fetched {label} ({packed['integrity'][:20]}...)")
        finally:
            server.terminate()
            server.wait(timeout=15)
            log.close()
    print("registry smoke run: ok")


if __name__ == "__main__":
    main()
