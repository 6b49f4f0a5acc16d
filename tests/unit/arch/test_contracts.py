"""The import contracts in pyproject.toml catch what STYLE.md forbids.

Each case copies the source tree, plants one forbidden import and runs the real
``lint-imports`` on the copy with the project's configuration: the contract must break.
The untouched copy must pass, so a failure means the planted import, not the setup.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=src.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("contracts") / "src"
    shutil.copytree(
        ROOT / "src" / "tank", src / "tank", ignore=shutil.ignore_patterns("__pycache__")
    )
    return src


def _plant(src: Path, files: dict[str, str]) -> Path:
    copy = src.parent / f"planted-{len(list(src.parent.iterdir()))}" / "src"
    shutil.copytree(src, copy)
    for rel, line in files.items():
        path = copy / "tank" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(old + "\n" + line + "\n", encoding="utf-8")
    return copy


def test_the_tree_as_it_is_keeps_every_contract(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("files", "contract"),
    [
        ({"core/pack.py": "import fastapi"}, "core imports nothing else of ours"),
        ({"core/lockfile.py": "import pydantic"}, "core imports nothing else of ours"),
        ({"core/unpack.py": "import keyring"}, "core imports nothing else of ours"),
        ({"core/integrity.py": "import platformdirs"}, "core imports nothing else of ours"),
        ({"core/skillmd.py": "import psycopg"}, "core imports nothing else of ours"),
        ({"core/manifest.py": "import subprocess"}, "core imports nothing else of ours"),
        # A runtime that reaches up into the MCP adapter inverts STYLE's layers.
        (
            {"mcp/__init__.py": "", "runtime/__init__.py": "import tank.mcp"},
            "the layers of STYLE",
        ),
        # The MCP adapter reaches the sandbox only through the runtime.
        ({"mcp/tools.py": "import tank.sandbox.policy"}, "mcp imports runtime, client and core"),
    ],
    ids=[
        "fastapi",
        "pydantic",
        "keyring",
        "platformdirs",
        "psycopg",
        "subprocess",
        "layers",
        "mcp-sandbox",
    ],
)
def test_a_planted_import_breaks_its_contract(
    tree: Path, files: dict[str, str], contract: str
) -> None:
    result = _lint(_plant(tree, files))
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout
