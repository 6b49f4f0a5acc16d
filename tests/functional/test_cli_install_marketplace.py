"""`tank install marketplace:…`: a Claude Code plugin marketplace served by a real registry
on loopback, read by the strict parser, each plugin installed from the registry's git
repository under Tank's lock, scan and budget."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Server, SkillFactory
from tests.functional.test_cli_install_git import Client
from tests.functional.test_publish_api import login, post

Pack = Callable[[Path], bytes]
CATALOGUE = "/v1/marketplace/@alice/.claude-plugin/marketplace.json"


def test_install_plugins_of_a_registry_marketplace(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack, tmp_path: Path
) -> None:
    alice = login(server, "alice")
    for name in ("pdf", "notes"):
        folder = skill_factory(scope="alice", name=name, files={"scripts/run.py": "print(1)\n"})
        assert post(alice, pack_skill(folder)).status_code == 201
    client = Client(tmp_path / "client")
    project = client.project("p", budget={})
    market = f"marketplace:{server.url}{CATALOGUE}"

    ambiguous = client.tank("install", market, cwd=project)
    assert ambiguous.returncode != 0
    assert "holds 2 plugins" in ambiguous.stderr and "notes, pdf" in ambiguous.stderr

    done = client.tank("install", f"{market}#pdf", cwd=project)
    assert done.returncode == 0, done.stderr
    lock = json.loads((project / "skills.lock").read_text())["skills"]
    (entry,) = lock.values()
    assert entry["resolved"].startswith(f"git+{server.url}/v1/marketplace/@alice/pdf.git#commit=")
    assert (project / ".agents/skills/pdf/scripts/run.py").read_text() == "print(1)\n"

    missing = client.tank("install", f"{market}#nope", cwd=project)
    assert missing.returncode != 0 and "no plugin 'nope'" in missing.stderr

    every = client.tank("install", "--all", market, cwd=project)
    assert every.returncode == 0, every.stderr
    assert (project / ".agents/skills/notes/SKILL.md").is_file()


def test_a_marketplace_on_disk_with_path_and_npm_sources(tmp_path: Path) -> None:
    root = tmp_path / "market"
    skill = root / "plugins/hello/skills/hello"
    skill.mkdir(parents=True)
    (skill / "SKILL.md").write_text("---\nname: hello\ndescription: Says hello.\n---\n# hello\n")
    manifest = {"name": "@me/hello", "version": "1.0.0", "description": "Says hello."}
    (skill / "skills.json").write_text(json.dumps(manifest))  # a file: source needs one
    (root / "plugins/hello/.claude-plugin").mkdir()
    (root / "plugins/hello/.claude-plugin/plugin.json").write_text('{"name": "hello"}\n')
    (root / ".claude-plugin").mkdir()
    catalogue = {
        "name": "local",
        "owner": {"name": "me"},
        "plugins": [
            {"name": "hello", "source": "./plugins/hello"},
            {"name": "left-pad", "source": {"source": "npm", "package": "left-pad"}},
        ],
    }
    (root / ".claude-plugin/marketplace.json").write_text(json.dumps(catalogue))
    client = Client(tmp_path / "client")
    project = client.project("p", budget={})
    done = client.tank("install", f"marketplace:{root}#hello", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / ".agents/skills/hello/SKILL.md").is_file()
    npm = client.tank("install", f"marketplace:{root}#left-pad", cwd=project)
    assert npm.returncode != 0 and "npm" in npm.stderr


def test_plain_http_marketplaces_are_read_only_from_this_machine(tmp_path: Path) -> None:
    client = Client(tmp_path / "client")
    project = client.project("p", budget={})
    done = client.tank("install", "marketplace:http://example.com/marketplace.json", cwd=project)
    assert done.returncode != 0 and "plain http" in done.stderr
