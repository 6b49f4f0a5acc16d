"""tank.runtime, the SDK: list, load (a broken skill reported, the others loaded), run through
the sandbox; and the integrity check that refuses a tampered installed skill. Real installs
(``tank install ./folder``), real bubblewrap for the runs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.functional.sandbox_world import SandboxWorld, needs_bwrap

ROOT = Path(__file__).parents[2]
SUMMARIZER = ROOT / "examples/skills/json-summarizer"
NOTES = ROOT / "examples/skills/markdown-notes"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> SandboxWorld:
    """A project with three skills installed once; tests copy it before changing it."""
    world = SandboxWorld(tmp_path_factory.mktemp("sdk")).setup()
    shutil.copytree(SUMMARIZER, world.project / "json-summarizer")
    shutil.copytree(NOTES, world.project / "markdown-notes")
    world.skill(name="hello", files={"scripts/probe.py": "print('hello')\n"})
    done = world.tank("install", "./json-summarizer", "./markdown-notes", "./hello")
    assert done.returncode == 0, done.stderr
    return world


@pytest.fixture
def world(installed: SandboxWorld, tmp_path: Path) -> Iterator[SandboxWorld]:
    """A copy of the installed project (links kept), with HOME and the config folders set."""
    copy = SandboxWorld(tmp_path / "w")
    shutil.copytree(installed.root, copy.root, symlinks=True)
    saved = {k: os.environ.get(k) for k in copy.env}
    os.environ.update(copy.env)
    try:
        yield copy
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_list_skills_reads_the_lock(world: SandboxWorld) -> None:
    from tank.runtime import list_skills

    skills = {s.name: s for s in list_skills(project=world.project)}
    assert set(skills) == {"@examples/json-summarizer", "@examples/markdown-notes", "@test/hello"}
    summarizer = skills["@examples/json-summarizer"]
    assert summarizer.version == "1.0.0" and summarizer.present
    assert summarizer.description and summarizer.description.startswith("Summari")
    assert summarizer.integrity and summarizer.integrity.startswith("sha512-")
    assert summarizer.path == world.project / ".agents/skills/json-summarizer"
    assert summarizer.verification is not None
    assert summarizer.verification.source == "local" and summarizer.verification.status == "local"
    assert summarizer.verification.verdict is None  # from disk: scanned at install, not scored
    assert json.dumps(summarizer.to_json())  # JSON-ready
    # from a sub-folder, the project is found as the CLI finds it
    assert len(list_skills(project=world.project / ".agents/skills")) == 3


def test_load_all_reports_broken_skills_and_loads_the_others(world: SandboxWorld) -> None:
    from tank.core.errors import TankError
    from tank.runtime import load, load_all

    canonical = world.project / ".agents/skills"
    loaded = {s.info.name: s for s in load_all(project=world.project)}
    assert all(s.ok for s in loaded.values())
    assert "structured" in (loaded["@examples/json-summarizer"].instructions or "").lower()
    # three ways to break: an edited script, a planted byte-code file, a missing folder
    script = canonical / "json-summarizer/scripts/main.py"
    script.chmod(0o644)
    script.write_text(script.read_text() + "\nimport os  # edited after install\n")
    (canonical / "hello/scripts/__pycache__").mkdir()
    (canonical / "hello/scripts/__pycache__/probe.cpython-311.pyc").write_bytes(b"\0" * 16)
    shutil.rmtree(canonical / "markdown-notes")
    loaded = {s.info.name: s for s in load_all(project=world.project)}
    errors = {name: s.error.code if s.error else None for name, s in loaded.items()}
    assert errors == {
        "@examples/json-summarizer": "run.tampered",
        "@examples/markdown-notes": "run.folder_missing",
        "@test/hello": "run.tampered",
    }
    tampered = loaded["@examples/json-summarizer"].error
    assert tampered is not None and "do not match skills.lock" in tampered.message
    assert tampered.hint and "tank install" in tampered.hint
    assert load("json-summarizer", project=world.project).error == tampered
    with pytest.raises(TankError, match="not installed"):
        load("nope", project=world.project)


def test_a_link_in_the_installed_folder_is_tampering(world: SandboxWorld) -> None:
    from tank.runtime import load

    folder = world.project / ".agents/skills/markdown-notes"
    folder.chmod(0o755)
    (folder / "extra").symlink_to(world.home / ".ssh/id_rsa")
    loaded = load("@examples/markdown-notes", project=world.project)
    assert loaded.error is not None and loaded.error.code == "run.tampered"
    assert "link" in loaded.error.message


def test_the_check_compares_files_not_gzip_bytes(world: SandboxWorld) -> None:
    """The lock's integrity is of gzip bytes another zlib may have made: the tars compare."""
    import gzip

    from tank.client.cache import ContentCache
    from tank.client.paths import cache_dir
    from tank.core.errors import IntegrityError
    from tank.core.integrity import sri_sha512
    from tank.runtime.intact import check_intact

    folder = world.project / ".agents/skills/markdown-notes"
    lock = json.loads((world.project / "skills.lock").read_text())
    integrity = next(v["integrity"] for k, v in lock["skills"].items() if "markdown" in k)
    ours = ContentCache(cache_dir()).read_tarball(integrity, subject="notes")
    assert ours is not None
    other = gzip.compress(gzip.decompress(ours), compresslevel=1, mtime=0)  # same tar
    other_integrity = sri_sha512(other)
    assert other_integrity != integrity
    ContentCache(cache_dir()).store_tarball(other_integrity, other)
    check_intact(folder, other_integrity, name="notes")  # passes: same files
    with pytest.raises(IntegrityError, match="do not match"):
        check_intact(folder, sri_sha512(b"something else"), name="notes")
    # no cached tarball: the folder is compressed and the digests compared
    ContentCache(cache_dir()).tarball_file(integrity).unlink()
    check_intact(folder, integrity, name="notes")
    (folder / "SKILL.md").chmod(0o644)
    (folder / "SKILL.md").write_text("changed")
    with pytest.raises(IntegrityError, match="do not match"):
        check_intact(folder, integrity, name="notes")


@needs_bwrap
def test_run_returns_a_typed_result_and_tank_run_refuses_tampering(world: SandboxWorld) -> None:
    from tank.core.errors import IntegrityError
    from tank.runtime import run

    result = run("json-summarizer", inputs={"document": [1, 2, 3]}, project=world.project)
    assert result.ok and result.sandboxed and result.exit_code == 0
    assert result.output["type"] == "array" and result.output["size"] == 3
    assert result.skill == "@examples/json-summarizer" and result.denials == ()
    logged = world.tank("logs", "--json").stdout.splitlines()
    assert any(json.loads(line)["run_id"] == result.run_id for line in logged)
    # tampered: the SDK raises, the CLI refuses with exit 6 and says what to do; nothing ran
    script = world.project / ".agents/skills/json-summarizer/scripts/main.py"
    script.chmod(0o644)
    script.write_text("print('{}')\n")
    with pytest.raises(IntegrityError) as refused:
        run("json-summarizer", inputs={"document": 1}, project=world.project)
    assert refused.value.code == "run.tampered"
    cli = world.tank("run", "json-summarizer", "--inputs", '{"document": 1}')
    assert cli.returncode == 6 and "do not match skills.lock" in cli.stderr
    assert "tank install" in cli.stderr and cli.stdout == ""
    assert len(world.tank("logs", "--json").stdout.splitlines()) == len(logged)


@needs_bwrap
def test_the_documented_example_runs(world: SandboxWorld) -> None:
    text = (ROOT / "docs/runtime.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", text, re.S)
    assert example is not None
    env = {**os.environ, **world.env}
    out = subprocess.run(
        [sys.executable, "-c", example.group(1)],
        capture_output=True, text=True, env=env, cwd=world.project, timeout=60, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "@examples/json-summarizer 1.0.0 local []" in lines
    assert any(line.startswith("loaded @test/hello ") for line in lines)
    assert lines[-1].startswith("0 True {'type': 'object'") and lines[-1].endswith(" 0")
