"""A project, a fake home with planted secrets, and a probe skill, for the sandbox tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_tank

PROBE = Path(__file__).with_name("sandbox_probe.py")
SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY----- planted by the test"


def bwrap_works() -> bool:
    """Whether bubblewrap can make its namespaces here (the tests need the real thing)."""
    if shutil.which("bwrap") is None:
        return False
    probe = subprocess.run(
        ["bwrap", "--unshare-all", "--ro-bind", "/", "/", "true"], capture_output=True, check=False
    )
    return probe.returncode == 0


#: Skip where bubblewrap cannot run, except in CI (which installs it): there, fail instead.
needs_bwrap = pytest.mark.skipif(
    not os.environ.get("CI") and not bwrap_works(), reason="bubblewrap cannot run here"
)


@dataclass
class SandboxWorld:
    """``root/home`` (HOME, with ~/.ssh/id_rsa), ``root/project`` and skills made in it."""

    root: Path

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def project(self) -> Path:
        return self.root / "project"

    @property
    def env(self) -> dict[str, str]:
        return {
            "HOME": str(self.home),
            "TANK_CONFIG_DIR": str(self.root / "config"),
            "TANK_CACHE_DIR": str(self.root / "cache"),
            "TANK_NO_KEYRING": "1",
            "NO_COLOR": "1",
        }

    def setup(self) -> SandboxWorld:
        (self.home / ".ssh").mkdir(parents=True)
        (self.home / ".ssh/id_rsa").write_text(SSH_KEY)
        self.project.mkdir()
        (self.project / "skills.json").write_text('{"name": "project"}\n')
        return self

    def skill(
        self,
        permissions: dict[str, Any] | None = None,
        *,
        name: str = "probe",
        files: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Path:
        """A skill folder ``project/<name>`` running the probe (or ``files``)."""
        folder = self.project / name
        if folder.exists():
            shutil.rmtree(folder)
        (folder / "scripts").mkdir(parents=True)
        (folder / "SKILL.md").write_text(
            f"---\nname: {name}\ndescription: Tries what the sandbox refuses.\n---\n# {name}\n"
        )
        manifest: dict[str, Any] = {
            "name": f"@test/{name}",
            "version": "1.0.0",
            "description": "A probe.",
            "permissions": permissions or {},
            "run": "scripts/probe.py",
            **(extra or {}),
        }
        (folder / "skills.json").write_text(json.dumps(manifest, indent=2))
        shutil.copyfile(PROBE, folder / "scripts/probe.py")
        for rel, text in (files or {}).items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text)
        return folder

    def tank(
        self, *args: str, env: dict[str, str] | None = None, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return run_tank(*args, env={**self.env, **(env or {})}, cwd=self.project, input=input)

    def probe(
        self, action: str, arg: str = "", *, env: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Run the probe skill (made beforehand with :meth:`skill`) and return its verdict."""
        result = self.tank("run", "./probe", "--", action, arg, env=env)
        assert result.returncode == 0, result.stderr
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        assert lines, (result.stdout, result.stderr)
        verdict: dict[str, Any] = json.loads(lines[-1])
        verdict["stderr"] = result.stderr
        return verdict
