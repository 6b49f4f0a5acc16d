"""Reading skills and projects from the local disk, for the commands that work offline.

The folder is read exactly as it would be published: through the canonical packer (ignore
rules, no symlinks or special files, size limits), so ``tank validate`` sees the same files
the registry will.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tank.core.errors import Report, UsageError, ValidationError
from tank.core.manifest import Manifest, ManifestKind, parse_manifest
from tank.core.pack import PackResult, pack_folder, require_skill_folder
from tank.core.skillfolder import SkillPackage, validate_skill_folder
from tank.core.skillmd import Mode
from tank.core.unpack import read_archive

MANIFEST = "skills.json"
SKILL_MD = "SKILL.md"


@dataclass(frozen=True, slots=True)
class LocalSkill:
    """A skill folder as packed, with what validation found."""

    root: Path
    package: SkillPackage | None
    report: Report
    packed: PackResult


def is_skill_folder(root: Path) -> bool:
    """True when ``root`` holds a SKILL.md (a skill rather than a project)."""
    return (root / SKILL_MD).is_file()


def read_skill(root: Path, *, mode: Mode = Mode.STRICT) -> LocalSkill:
    """Pack ``root`` canonically and validate the packed files in ``mode``."""
    require_skill_folder(root)
    packed = pack_folder(root)
    files = {m.path: m.data for m in read_archive(packed.data)}
    package, report = validate_skill_folder(files, folder_name=root.resolve().name, mode=mode)
    return LocalSkill(root, package, report, packed)


def read_project(root: Path, *, mode: Mode = Mode.STRICT) -> tuple[Manifest | None, Report]:
    """Read and validate the project manifest ``root/skills.json``."""
    path = root / MANIFEST
    if not path.is_file():
        raise UsageError(
            f"no {MANIFEST} in {root}",
            code="no_manifest",
            hint="run `tank init` to create one, or pass the folder that holds it",
        )
    return parse_manifest(path.read_bytes(), file=str(path), kind=ManifestKind.PROJECT)


def require_valid(report: Report, what: str) -> None:
    """Raise a :class:`ValidationError` carrying every problem when ``report`` has errors."""
    if not report.ok:
        count = len(report.errors)
        raise ValidationError(
            f"{what} has {count} error{'s' if count != 1 else ''}",
            problems=report.problems,
            hint="fix the problems above, then run the command again",
        )
