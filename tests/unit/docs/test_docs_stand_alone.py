"""The project's documents stand alone and match the code they describe.

A clone has no folder beside it, so README.md, CONTRIBUTING.md and docs/ must not point
outside the repository; every relative link must lead to a file of the clone; the
architecture page must name every publish stage and every top-level package; the
contributor guide must name every check CI runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[3]
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_document_points_outside_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert "../shared" not in text
    assert "shared/STYLE" not in text and "shared/DESIGN" not in text


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    for target in _LINK.findall(text):
        if "://" in target or target.startswith("mailto:"):
            continue
        resolved = (doc.parent / target).resolve()
        assert resolved.exists(), f"{doc.name} links to {target}, which is not in the clone"
        assert resolved.is_relative_to(ROOT), f"{doc.name} links outside the clone: {target}"


def test_architecture_names_every_publish_stage_and_package() -> None:
    from tank.server.services.pipeline import STAGES

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name, _ in STAGES:
        assert f"| {name} |" in text, f"docs/architecture.md does not describe stage {name!r}"
    packages = [p.name for p in (ROOT / "src" / "tank").iterdir() if (p / "__init__.py").exists()]
    for package in packages:
        assert f"`tank.{package}`" in text, f"docs/architecture.md omits tank.{package}"


def test_contributing_names_every_check_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    tools = set(re.findall(r"\.venv/bin/([a-z-]+)", ci)) | set(re.findall(r"scripts/\w+\.sh", ci))
    assert tools, "found no checks in .ci/run"
    for tool in sorted(tools):
        assert tool in guide, f"CONTRIBUTING.md does not mention {tool}, which CI runs"


def test_install_help_names_the_one_status_request() -> None:
    from tank.cli.cmd_install import command

    text = CliRunner().invoke(command, ["--help"], terminal_width=200).output
    assert "POST /v1/status" in text
    assert "conditional request per skill" not in text
