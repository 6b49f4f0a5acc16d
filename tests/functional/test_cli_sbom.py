"""``tank sbom DIR`` and ``tank sbom NAME@VERSION`` through the real CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from tank.cli.exit_codes import ExitCode
from tank.core.pack import pack_folder
from tests.conftest import ClientWorld, SkillFactory, run_tank

FILES = {
    "scripts/main.py": "import requests\nimport numpy\n",
    "scripts/requirements.txt": "requests==2.31.0\n",
    ".tankignore": "notes/\n",
    "notes/private.txt": "left out when packing\n",
}

NETWORK = {"network": {"outbound": ["api.example.com"]}}


def test_sbom_of_a_folder(skill_factory: SkillFactory, tmp_path: Path) -> None:
    folder = skill_factory(scope="alice", files=FILES)
    result = run_tank("sbom", str(folder))
    assert result.returncode == ExitCode.OK, result.stderr
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(result.stdout) is None
    doc = json.loads(result.stdout)
    names = {c["name"] for c in doc["components"] if c["type"] == "file"}
    # packed exactly as publish packs: ignore rules applied
    assert names == {"SKILL.md", "skills.json", "scripts/main.py", "scripts/requirements.txt"}
    integrity = pack_folder(folder).integrity
    assert (
        doc["metadata"]["component"]["hashes"][0]["content"]
        == hashlib.sha512(pack_folder(folder).data).hexdigest()
    )
    assert integrity.startswith("sha512-")
    # gaps are notes on stderr, never mixed into the JSON
    assert "note: scripts/main.py:2 imports numpy, declared nowhere" in result.stderr
    # deterministic: --output writes the same bytes
    out = tmp_path / "sbom.cdx.json"
    again = run_tank("sbom", str(folder), "--output", str(out))
    assert again.returncode == ExitCode.OK and again.stdout == ""
    assert out.read_text() == result.stdout


def test_bad_folders_fail_clearly(tmp_path: Path) -> None:
    missing = run_tank("sbom", str(tmp_path / "missing"))
    assert missing.returncode == ExitCode.USAGE
    assert "is not a folder" in missing.stderr and "hint:" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("no skill here\n")
    invalid = run_tank("sbom", str(empty))
    assert invalid.returncode == ExitCode.USAGE
    assert "no SKILL.md in" in invalid.stderr and invalid.stdout == ""


def test_sbom_from_the_registry(client_world: ClientWorld, skill_factory: SkillFactory) -> None:
    world = client_world
    token = world.publisher("alice")
    assert world.tank("login", "--token-stdin", input=token).returncode == ExitCode.OK
    folder = skill_factory(scope="alice", files=FILES, permissions=NETWORK)
    published = world.tank("publish", str(folder))
    assert published.returncode == ExitCode.OK, published.stderr

    fetched = world.tank("sbom", "@alice/pdf@1.0.0")
    assert fetched.returncode == ExitCode.OK, fetched.stderr
    served = world.server.client().get("/v1/skills/@alice/pdf/1.0.0/sbom").content
    assert fetched.stdout.encode() == served  # byte for byte as the registry serves it
    latest = world.tank("sbom", "@alice/pdf")
    assert latest.returncode == ExitCode.OK and latest.stdout == fetched.stdout
    tagged = world.tank("sbom", "@alice/pdf@latest")
    assert tagged.returncode == ExitCode.OK and tagged.stdout == fetched.stdout

    # the local SBOM describes the same files (it has no publish time)
    local = json.loads(world.tank("sbom", str(folder)).stdout)
    remote = json.loads(fetched.stdout)
    assert local["components"] == remote["components"]
    assert "timestamp" not in local["metadata"] and "timestamp" in remote["metadata"]

    unknown = world.tank("sbom", "@alice/pdf@9.9.9")
    assert unknown.returncode == ExitCode.NOT_FOUND
    assert "9.9.9" in unknown.stderr
