"""validate_skill_folder: SKILL.md and skills.json together, as publish and install see them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.core.manifest import ManifestKind
from tank.core.skillfolder import decode_utf8, validate_skill_folder
from tank.core.skillmd import Mode

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "skills"

SKILL_MD = b"---\nname: pdf-tools\ndescription: Work with PDFs.\n---\nUse the script.\n"


def manifest(**extra: object) -> bytes:
    data = {"name": "@acme/pdf-tools", "version": "1.0.0", "description": "PDFs", **extra}
    return json.dumps(data, indent=2).encode()


def read_folder(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def codes(files: dict[str, bytes], mode: Mode = Mode.STRICT) -> list[str]:
    _, report = validate_skill_folder(files, folder_name="pdf-tools", mode=mode)
    return [p.code for p in report.problems]


@pytest.mark.parametrize("name", ["markdown-notes", "weather-report", "json-summarizer"])
def test_examples_pass_strict_validation(name: str) -> None:
    package, report = validate_skill_folder(
        read_folder(EXAMPLES / name), folder_name=name, mode=Mode.STRICT
    )
    assert report.problems == (), [str(p) for p in report.problems]
    assert package is not None and package.manifest is not None
    assert package.skill.name == name
    assert package.manifest.kind is ManifestKind.PACKAGE
    assert package.manifest.name == f"@examples/{name}"


def test_complete_folder() -> None:
    files = {
        "SKILL.md": SKILL_MD,
        "skills.json": manifest(run="scripts/run.py"),
        "scripts/run.py": b"",
    }
    package, report = validate_skill_folder(files, folder_name="pdf-tools", mode=Mode.STRICT)
    assert report.problems == ()
    assert package is not None and package.manifest is not None
    assert package.manifest.run == "scripts/run.py"


def test_skill_md_is_required() -> None:
    assert codes({"skills.json": manifest()}) == ["skillfolder.skill_md.missing"]
    assert codes({}, Mode.LENIENT) == ["skillfolder.skill_md.missing"]


def test_lower_case_skill_md_only_in_lenient_mode() -> None:
    files = {"skill.md": SKILL_MD}
    assert codes(files) == ["skillfolder.skill_md.case"]
    package, report = validate_skill_folder(files, folder_name="pdf-tools", mode=Mode.LENIENT)
    assert package is not None and report.ok


def test_manifest_needed_to_publish_but_not_to_install() -> None:
    assert codes({"SKILL.md": SKILL_MD}) == ["skillfolder.manifest.missing"]
    package, report = validate_skill_folder(
        {"SKILL.md": SKILL_MD}, folder_name="pdf-tools", mode=Mode.LENIENT
    )
    assert report.problems == ()
    assert package is not None and package.manifest is None


def test_package_name_must_match_skill_name() -> None:
    files = {"SKILL.md": SKILL_MD, "skills.json": manifest(name="@acme/other")}
    assert codes(files) == ["manifest.name.mismatch"]


def test_manifest_in_a_folder_is_read_as_a_package() -> None:
    files = {"SKILL.md": SKILL_MD, "skills.json": manifest(agents=["codex"])}
    assert codes(files) == ["manifest.key.project_only"]


def test_run_must_exist() -> None:
    files = {"SKILL.md": SKILL_MD, "skills.json": manifest(run="scripts/missing.py")}
    assert codes(files) == ["skillfolder.run.missing"]


def test_skill_md_must_be_utf8_with_a_located_error() -> None:
    files = {
        "SKILL.md": b"---\nname: pdf-tools\ndescription: caf\xe9\n---\n",
        "skills.json": manifest(),
    }
    _, report = validate_skill_folder(files, folder_name="pdf-tools", mode=Mode.LENIENT)
    (problem,) = report.problems
    assert problem.code == "skillfolder.encoding"
    assert problem.location is not None
    assert (problem.location.line, problem.location.column) == (3, 17)


def test_manifest_must_be_utf8() -> None:
    files = {"SKILL.md": SKILL_MD, "skills.json": b'{"name": "\xff"}'}
    assert codes(files) == ["skillfolder.encoding"]


def test_decode_utf8() -> None:
    assert decode_utf8("é".encode(), file="x") == ("é", None)


def test_skill_errors_are_reported_with_manifest_errors() -> None:
    files = {"SKILL.md": SKILL_MD.replace(b"pdf-tools", b"PDF"), "skills.json": manifest()}
    package, report = validate_skill_folder(files, folder_name="pdf-tools", mode=Mode.STRICT)
    assert package is None
    assert [p.code for p in report.problems] == ["skillmd.name.invalid"]


def test_lenient_folder_with_warnings_still_reads() -> None:
    files = {"SKILL.md": SKILL_MD.replace(b"Work with PDFs.", b"Use when: asked"), "README": b""}
    package, report = validate_skill_folder(files, folder_name="pdf-tools", mode=Mode.LENIENT)
    assert package is not None and package.skill.description == "Use when: asked"
    assert report.ok and report.warnings
