"""Other formats through the real CLI, no registry needed: an agent plugin packed, read back
and installed with the skill's own integrity; the OpenAI adapter; ``init --from skill.yaml``."""

from __future__ import annotations

import json
from pathlib import Path

from tank.core.agentplugin import plugin_skills
from tank.core.pack import pack_files
from tank.core.unpack import files_of, read_archive
from tests.conftest import SkillFactory, free_port, run_tank


def _env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "home").mkdir(exist_ok=True)
    return {
        "TANK_CONFIG_DIR": str(tmp_path / "config"),
        "TANK_CACHE_DIR": str(tmp_path / "cache"),
        "TANK_HOME": str(tmp_path / "home"),
        "TANK_NO_KEYRING": "1",
        # nothing listens there: installing from disk must not need a registry
        "TANK_REGISTRY": f"http://127.0.0.1:{free_port()}",
        "NO_COLOR": "1",
    }


def _json(*args: str, env: dict[str, str], cwd: Path | None = None) -> dict[str, object]:
    done = run_tank(*args, "--json", env=env, cwd=cwd)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_agent_plugin_round_trip(tmp_path: Path, skill_factory: SkillFactory) -> None:
    env = _env(tmp_path)
    skill = skill_factory(scope="acme", name="pdf", files={"scripts/run.sh": "#!/bin/sh\n"})
    (skill / "scripts" / "run.sh").chmod(0o755)
    out = tmp_path / "out"
    plain = _json("pack", str(skill), "--out", str(out), env=env)
    folder = _json("pack", str(skill), "--format", "agent-plugin", "--out", str(out), env=env)
    archive = _json(
        "pack", str(skill), "--format", "agent-plugin", "--archive", "--out", str(out), env=env
    )
    plugin = Path(str(folder["path"]))
    assert plugin.name == "pdf-plugin" and (plugin / ".plugin" / "plugin.json").is_file()
    manifest = json.loads((plugin / ".claude-plugin" / "plugin.json").read_text())
    assert manifest["name"] == "pdf" and manifest["version"] == "1.0.0"

    # The .tgz holds the same layout; the skill inside packs back to the same integrity.
    layout = files_of(read_archive(Path(str(archive["path"])).read_bytes()))
    _, skills = plugin_skills(layout)
    assert pack_files(skills["pdf"]).integrity == plain["integrity"]
    again = run_tank("pack", str(skill), "--format", "agent-plugin", "--out", str(out), env=env)
    assert again.returncode != 0 and "already exists" in again.stderr

    # Installing the plugin folder installs its skill, locked with the skill's integrity.
    project = tmp_path / "project"
    project.mkdir()
    (project / "skills.json").write_text('{"name": "p", "skills": {}}\n')
    done = run_tank("install", str(plugin), env=env, cwd=project)
    assert done.returncode == 0, done.stderr
    lock = json.loads((project / "skills.lock").read_text())
    entry = lock["skills"]["@acme/pdf@1.0.0"]
    assert entry["integrity"] == plain["integrity"]
    assert (project / ".agents/skills/pdf/scripts/run.sh").stat().st_mode & 0o100
    refused = run_tank("install", str(archive["path"]), env=env, cwd=project)
    assert refused.returncode != 0 and "agent plugin archive" in refused.stderr


def test_openai_adapter_and_init_from_skill_yaml(tmp_path: Path) -> None:
    env = _env(tmp_path)
    folder = tmp_path / "report"
    folder.mkdir()
    (folder / "skill.yaml").write_text(
        "name: report\nversion: 2.1.0\ndescription: Write a weekly report.\n"
        "permissions: {network: [api.example.com]}\n"
        "inputs: {type: object, properties: {week: {type: string}}}\n"
    )
    created = _json(
        "init", str(folder), "--from", str(folder / "skill.yaml"), "--scope", "acme", env=env
    )
    assert created["manifest"] == json.loads((folder / "skills.json").read_text())
    validated = run_tank("validate", str(folder), env=env)
    assert validated.returncode == 0, validated.stdout + validated.stderr

    _json("pack", str(folder), "--format", "openai", "--out", str(folder), env=env)
    adapter = json.loads((folder / ".skill" / "openai.json").read_text())
    assert adapter["package"] == {"name": "@acme/report", "version": "2.1.0"}
    assert adapter["tool"]["parameters"]["properties"] == {"week": {"type": "string"}}
    # The adapter ships in the package: the skill still validates and packs with it.
    assert run_tank("validate", str(folder), env=env).returncode == 0


def test_a_served_plugin_repository_installs_as_a_git_source(
    tmp_path: Path, skill_factory: SkillFactory
) -> None:
    # The registry's plugin repository (same functions as services/marketplace.py), put in a
    # bare repository on disk: Tank's git sources find the plugin's one skill and lock it
    # with the skill's own integrity.
    import subprocess

    from tank.core.agentplugin import manifest_document, plugin_files
    from tank.core.gitpack import build_repository, packfile
    from tank.core.pack import pack_folder

    env = _env(tmp_path)
    packed = pack_folder(skill_factory(scope="acme", name="pdf"))
    layout = plugin_files(
        manifest_document("pdf", "1.0.0", "d", {}), {"pdf": files_of(read_archive(packed.data))}
    )
    repo = build_repository(((p, *e) for p, e in sorted(layout.items())), "@acme/pdf@1.0.0")
    bare = tmp_path / "plugin.git"
    for args in (
        ["init", "-q", "--bare", str(bare)],
        ["-C", str(bare), "index-pack", "--stdin"],
        ["-C", str(bare), "update-ref", "refs/heads/main", repo.commit],
        ["-C", str(bare), "symbolic-ref", "HEAD", "refs/heads/main"],
    ):
        data = packfile(repo) if "index-pack" in args else None
        subprocess.run(["git", *args], input=data, capture_output=True, check=True, timeout=30)
    project = tmp_path / "project"
    project.mkdir()
    (project / "skills.json").write_text('{"name": "p", "skills": {}}\n')
    done = run_tank("install", f"git+file://{bare}", env=env, cwd=project)
    assert done.returncode == 0, done.stderr
    lock = json.loads((project / "skills.lock").read_text())
    assert lock["skills"]["@acme/pdf@1.0.0"]["integrity"] == packed.integrity
    manifest = json.loads((project / "skills.json").read_text())
    assert manifest["skills"]["@acme/pdf"] == f"git+file://{bare}#:skills/pdf"
