"""The README's scripts: `scripts/main.sh` (usage, its banner) and `scripts/bootstrap.sh`
(installs once, then only when pyproject.toml or the script change)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = "not reinstalling"


def _bash(script: Path, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        ["bash", str(script), *args], capture_output=True, text=True, check=False, **kw
    )


def test_main_sh_help_prints_usage_and_installs_nothing(tmp_path: Path) -> None:
    # A copy of the script alone: --help must answer before it looks for a venv or installs.
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "main.sh", tmp_path / "scripts" / "main.sh")
    for flag in ("--help", "-h"):
        done = _bash(tmp_path / "scripts" / "main.sh", flag, timeout=30)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("usage: bash scripts/main.sh")
        for word in ("--smoke", "PORT", "HOST", "TANK_REGISTRY_HOME"):
            assert word in done.stdout, word
    assert not (tmp_path / ".venv").exists()
    done = _bash(tmp_path / "scripts" / "main.sh", "--port", timeout=30)
    assert done.returncode == 2
    assert "unknown option '--port'" in done.stderr and "usage:" in done.stderr


def _mini_project(root: Path) -> None:
    """A project with the real bootstrap.sh and a dependency-free package to install."""
    (root / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "bootstrap.sh", root / "scripts" / "bootstrap.sh")
    (root / "src" / "tank").mkdir(parents=True)  # compileall runs on src/
    (root / "src" / "tank" / "__init__.py").write_text('__version__ = "0.0.0"\n')
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling>=1.25"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "tank"\nversion = "0.0.0"\n\n'
        "[project.optional-dependencies]\nextra = []\n\n"
        '[tool.hatch.build.targets.wheel]\npackages = ["src/tank"]\n'
    )


def test_bootstrap_skips_the_install_until_pyproject_changes(tmp_path: Path) -> None:
    _mini_project(tmp_path)
    script = tmp_path / "scripts" / "bootstrap.sh"
    env = dict(os.environ, PYTHON=sys.executable)
    env.pop("TANK_EXTRAS", None)
    first = _bash(script, env=env, timeout=600)
    assert first.returncode == 0, first.stderr
    assert SKIPPED not in first.stderr
    assert (tmp_path / ".venv" / "bin" / "python").exists()

    start = time.perf_counter()
    second = _bash(script, env=env, timeout=600)
    took = time.perf_counter() - start
    assert second.returncode == 0, second.stderr
    assert SKIPPED in second.stderr
    assert took < 5, took  # a stamp comparison, not an install (~3-8 s)

    # Other extras are another install; so is any change to pyproject.toml.
    other = _bash(script, env={**env, "TANK_EXTRAS": "extra"}, timeout=600)
    assert other.returncode == 0 and SKIPPED not in other.stderr, other.stderr
    with (tmp_path / "pyproject.toml").open("a") as f:
        f.write("# changed\n")
    third = _bash(script, env=env, timeout=600)
    assert third.returncode == 0 and SKIPPED not in third.stderr, third.stderr
    assert SKIPPED in _bash(script, env=env, timeout=600).stderr


def test_main_sh_banner_names_the_venv_tank_and_serves_on_port(tmp_path: Path) -> None:
    port = free_port()
    # TANK_EXTRAS=dev: the suite's own install, so bootstrap finds it current and skips.
    env = dict(
        os.environ,
        PORT=str(port),
        HOST="127.0.0.1",
        TANK_EXTRAS="dev",
        TANK_REGISTRY_HOME=str(tmp_path / "reg"),
    )
    proc = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "main.sh")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if line.startswith("API docs:"):
                break
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    text = "\n".join(lines)
    assert f"http://127.0.0.1:{port}/v1/docs" in text, text
    # Every command shown runs as printed: the venv's tank, never a bare `tank` off PATH.
    assert ".venv/bin/tank login" in text and ".venv/bin/tank install" in text, text
    assert not re.search(r"(?<![/\w])tank (config|login|publish|install)", text), text
    assert (tmp_path / "reg" / "admin-password").exists()
