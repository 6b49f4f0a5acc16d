"""A skill folder as a whole: SKILL.md, skills.json and the cross-checks between them.

The folder is given as a mapping of POSIX relative paths to bytes (what ``pack`` read from disk
or ``unpack`` read from an archive), so the same check runs on a developer's folder and on an
upload the registry has not written anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tank.core.errors import Location, Problem, Report, Severity
from tank.core.manifest import Manifest, ManifestKind, parse_manifest
from tank.core.skillmd import Mode, SkillDoc, parse_skill_md

SKILL_MD = "SKILL.md"
MANIFEST = "skills.json"


@dataclass(frozen=True, slots=True)
class SkillPackage:
    """A readable skill folder: its SKILL.md and, when present, its manifest."""

    skill: SkillDoc
    manifest: Manifest | None


def decode_utf8(data: bytes, *, file: str) -> tuple[str | None, Problem | None]:
    """``data`` as text, or a problem naming the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Problem(
            "skillfolder.encoding",
            f"{file} is not UTF-8 (byte 0x{data[exc.start]:02x} cannot be decoded)",
            Severity.ERROR,
            Location(file, line, column),
            "Save the file as UTF-8.",
        )


def validate_skill_folder(
    files: Mapping[str, bytes], *, folder_name: str | None, mode: Mode = Mode.STRICT
) -> tuple[SkillPackage | None, Report]:
    """Validate a skill folder given as ``{relative path: bytes}``.

    Strict mode (publishing) needs both SKILL.md and skills.json; lenient mode (installing a
    third-party skill) needs only SKILL.md. The manifest must be a package named
    ``@scope/<SKILL.md name>`` and its ``run`` must name a file of the folder.
    """
    problems: list[Problem] = []
    skill_path = _find_skill_md(files, mode, problems)
    if skill_path is None:
        return None, Report(tuple(problems))
    text, bad = decode_utf8(files[skill_path], file=skill_path)
    if text is None:
        problems.extend([bad] if bad else [])
        return None, Report(tuple(problems))
    skill, report = parse_skill_md(text, file=skill_path, folder_name=folder_name, mode=mode)
    problems.extend(report.problems)

    manifest: Manifest | None = None
    if MANIFEST in files:
        manifest_text, bad = decode_utf8(files[MANIFEST], file=MANIFEST)
        if manifest_text is None:
            problems.extend([bad] if bad else [])
        else:
            manifest, manifest_report = parse_manifest(
                manifest_text,
                file=MANIFEST,
                kind=ManifestKind.PACKAGE,
                skill_name=skill.name if skill else None,
                mode=mode,
            )
            problems.extend(manifest_report.problems)
    elif mode is Mode.STRICT:
        problems.append(
            Problem(
                "skillfolder.manifest.missing",
                "the skill has no skills.json; it is needed to publish",
                Severity.ERROR,
                Location(MANIFEST),
                "Run `tank init` or add a skills.json with 'name' (@scope/"
                f"{skill.name if skill else '<name>'}) and 'version'.",
            )
        )
    if manifest is not None and manifest.run is not None and manifest.run not in files:
        problems.append(
            Problem(
                "skillfolder.run.missing",
                f"'run' names '{manifest.run}', which is not in the skill folder",
                Severity.ERROR,
                Location(MANIFEST),
                "Fix the path (relative to the folder, '/' separated) or add the file.",
            )
        )
    result = Report(tuple(problems))
    if skill is None or not result.ok:
        return None, result
    return SkillPackage(skill, manifest), result


def _find_skill_md(files: Mapping[str, bytes], mode: Mode, problems: list[Problem]) -> str | None:
    """The path of SKILL.md; a differently cased name is accepted only in lenient mode."""
    if SKILL_MD in files:
        return SKILL_MD
    other = next((path for path in sorted(files) if path.lower() == "skill.md"), None)
    if other is not None:
        lenient = mode is Mode.LENIENT
        problems.append(
            Problem(
                "skillfolder.skill_md.case",
                f"the skill file is named '{other}'; agents look for 'SKILL.md'",
                Severity.WARNING if lenient else Severity.ERROR,
                Location(other),
                f"Rename '{other}' to 'SKILL.md'.",
            )
        )
        return other if lenient else None
    problems.append(
        Problem(
            "skillfolder.skill_md.missing",
            "the folder has no SKILL.md",
            Severity.ERROR,
            Location(SKILL_MD),
            "A skill folder needs a SKILL.md with 'name' and 'description' frontmatter.",
        )
    )
    return None
