"""`pip install tank` is the client: no server stack, and `tank registry` says what to install.

One real virtual environment is built with uv from this checkout, without extras (as a user's
``pip install tank`` would be), and the installed ``tank`` is run in it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tank.cli.exit_codes import ExitCode

ROOT = Path(__file__).resolve().parents[2]
#: Distributions only the registry server needs: they come with ``tank[registry]``.
SERVER_ONLY = {
    "fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic", "psycopg", "psycopg-binary",
    "argon2-cffi", "pydantic", "pydantic-settings", "python-multipart",
}  # fmt: skip


def _uv() -> str:
    found = Path(sys.executable).parent / "uv"
    return str(found) if found.exists() else (shutil.which("uv") or "uv")


@pytest.fixture(scope="module")
def client_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A venv holding `tank` installed from this checkout without extras (non-editable)."""
    venv = tmp_path_factory.mktemp("client") / "venv"
    subprocess.run([_uv(), "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    subprocess.run(
        [_uv(), "pip", "install", "-q", "--python", str(venv / "bin" / "python"), str(ROOT)],
        check=True,
        timeout=600,
    )
    yield venv
    shutil.rmtree(venv, ignore_errors=True)


def _tank(venv: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "tank"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


def test_the_default_install_holds_no_server_package(client_venv: Path) -> None:
    listed = subprocess.run(
        [_uv(), "pip", "list", "--format", "json", "--python", str(client_venv / "bin/python")],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {item["name"].lower() for item in json.loads(listed.stdout)}
    assert "tank" in names and "httpx" in names and "click" in names
    assert names.isdisjoint(SERVER_ONLY), sorted(names & SERVER_ONLY)


def test_client_commands_work_without_the_server(client_venv: Path, tmp_path: Path) -> None:
    assert _tank(client_venv, "--version").stdout.startswith("tank ")
    skill = ROOT / "examples" / "skills" / "markdown-notes"
    done = _tank(client_venv, "validate", str(skill))
    assert done.returncode == ExitCode.OK, done.stderr
    done = _tank(client_venv, "scan", str(skill), "--json")
    assert done.returncode in (ExitCode.OK, ExitCode.SCAN_FAILED), done.stderr
    assert "verdict" in json.loads(done.stdout)
    done = _tank(client_venv, "pack", str(skill), cwd=tmp_path)
    assert done.returncode == ExitCode.OK, done.stderr


def test_tank_registry_without_the_extra_says_what_to_install(client_venv: Path) -> None:
    done = _tank(client_venv, "registry", "serve", "--port", "1")
    assert done.returncode == ExitCode.UNAVAILABLE, done.stderr
    assert "pip install 'tank[registry]'" in done.stderr
    assert "Traceback" not in done.stderr
    done = _tank(client_venv, "registry", "create-user", "x", "--password", "p", "--json")
    assert done.returncode == ExitCode.UNAVAILABLE
    assert json.loads(done.stdout or done.stderr)["error"]["code"] == "registry_not_installed"
    # Help needs no server: what the commands are is readable before installing them.
    done = _tank(client_venv, "registry", "--help")
    assert done.returncode == ExitCode.OK and "serve" in done.stdout
    done = _tank(client_venv, "registry", "serve", "--help")
    assert done.returncode == ExitCode.OK and "--port" in done.stdout


def test_tank_mcp_without_the_extra_says_what_to_install(client_venv: Path) -> None:
    done = _tank(client_venv, "mcp")
    assert done.returncode == ExitCode.UNAVAILABLE, done.stderr
    assert "pip install 'tank[mcp]'" in done.stderr
    assert "Traceback" not in done.stderr
