"""The SKILL.md rules (agentskills.io specification) in two modes.

``Mode.STRICT`` is for ``tank validate`` and ``tank publish``: anything off the specification is
an error, so what we publish is clean. ``Mode.LENIENT`` is for installing and reading skills
others wrote: problems become warnings, values are normalised where the intent is clear, and
only what cannot be read at all is an error. Either way every problem says where it is (file
and line) and how to fix it. YAML reading lives in :mod:`tank.core.frontmatter`.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from enum import StrEnum

from tank.core.errors import Location, Problem, Report, Severity
from tank.core.frontmatter import read_frontmatter

NAME_MAX = 64
DESCRIPTION_MAX = 1024
COMPATIBILITY_MAX = 500

_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: Keys of the agentskills.io specification.
SPEC_KEYS = frozenset(
    {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}
)
#: Keys some agents define on top of the specification: accepted, kept in ``extra``, warned about.
VENDOR_KEYS: dict[str, str] = {
    "disable-model-invocation": "Claude Code",
    "user-invocable": "Claude Code",
    "argument-hint": "Claude Code",
    "model": "Claude Code",
    "context": "Claude Code",
    "agent": "Claude Code",
    "hooks": "Claude Code",
    "version": "OpenClaw",
}


class Mode(StrEnum):
    """How hard a validator is: STRICT for what we publish, LENIENT for what we read."""

    STRICT = "strict"
    LENIENT = "lenient"


@dataclass(frozen=True, slots=True)
class SkillDoc:
    """A parsed SKILL.md. ``extra`` holds vendor keys (and, in lenient mode, unknown ones)."""

    name: str
    description: str
    license: str | None
    compatibility: str | None
    metadata: dict[str, str]
    allowed_tools: tuple[str, ...]
    extra: dict[str, object]
    body: str
    body_line: int


def is_valid_name(name: str) -> bool:
    """True for a skill name: 1-64 of ``a-z 0-9 -``, no leading, trailing or double ``-``."""
    return len(name) <= NAME_MAX and _NAME.fullmatch(name) is not None


def normalise_name(name: str) -> str | None:
    """The valid name closest to ``name`` (lower case, other characters to ``-``), or None."""
    text = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")[:NAME_MAX].rstrip("-")
    return text if is_valid_name(text) else None


def split_tools(text: str) -> tuple[tuple[str, ...], bool]:
    """Split ``allowed-tools`` on spaces outside parentheses; also report whether commas were used.

    ``Bash(git status:*)`` holds a space inside its parentheses and is one tool.
    """
    tools: list[str] = []
    current: list[str] = []
    depth, commas = 0, False
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth <= 0 and (char.isspace() or char == ","):
            commas = commas or char == ","
            if current:
                tools.append("".join(current))
            current = []
            depth = 0
        else:
            current.append(char)
    if current:
        tools.append("".join(current))
    return tuple(tools), commas


def _text_of(value: object) -> str:
    """A YAML scalar as the string a user meant (``true`` -> "true", ``1.0`` -> "1.0")."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


class _Checker:
    """Collects problems for one SKILL.md; ``fail`` is an error in strict mode, else a warning."""

    def __init__(self, file: str, mode: Mode, lines: dict[str, int]) -> None:
        self.file, self.mode, self.lines = file, mode, lines
        self.problems: list[Problem] = []

    def add(
        self, code: str, message: str, key: str | None, hint: str | None, *, error: bool
    ) -> None:
        line = self.lines.get(key, 1) if key else None
        severity = Severity.ERROR if error else Severity.WARNING
        self.problems.append(Problem(code, message, severity, Location(self.file, line), hint))

    def fail(self, code: str, message: str, key: str | None, hint: str | None = None) -> None:
        self.add(code, message, key, hint, error=self.mode is Mode.STRICT)


def parse_skill_md(
    text: str,
    *,
    file: str = "SKILL.md",
    folder_name: str | None = None,
    mode: Mode = Mode.STRICT,
) -> tuple[SkillDoc | None, Report]:
    """Parse and validate a SKILL.md.

    Returns the :class:`SkillDoc` (None when the errors leave nothing usable) and a
    :class:`Report` with every problem. In strict mode a SkillDoc is returned only when the
    report is ok; in lenient mode whenever a name and the frontmatter could be read.
    """
    lenient = mode is Mode.LENIENT
    front, problems = read_frontmatter(text, file=file, lenient=lenient)
    if any(p.is_error for p in problems):
        return None, Report(tuple(problems))
    check = _Checker(file, mode, front.lines)
    check.problems = problems
    values = dict(front.values)
    name = _check_name(check, values.pop("name", None), folder_name, "name" in front.lines)
    description = _check_description(check, values.pop("description", None), front.present)
    license_ = _optional_text(check, values.pop("license", None), "license", None)
    compatibility = _optional_text(
        check, values.pop("compatibility", None), "compatibility", COMPATIBILITY_MAX
    )
    metadata = _check_metadata(check, values.pop("metadata", None))
    tools = _check_tools(check, values.pop("allowed-tools", None))
    extra = _check_extra(check, values)
    if not front.body.strip():
        check.add(
            "skillmd.body.empty",
            "SKILL.md has no instructions after the frontmatter",
            None,
            "Write the instructions the agent should follow below the closing '---'.",
            error=False,
        )
    report = Report(tuple(check.problems))
    if name is None or not (report.ok or lenient):
        return None, report
    doc = SkillDoc(
        name=name,
        description=description,
        license=license_,
        compatibility=compatibility,
        metadata=metadata,
        allowed_tools=tools,
        extra=extra,
        body=front.body,
        body_line=front.body_line,
    )
    return doc, report


def _check_name(
    check: _Checker, value: object, folder_name: str | None, written: bool
) -> str | None:
    """The skill's name, or None when there is none we can use (always an error then)."""
    if value is None or value == "":
        if check.mode is Mode.LENIENT and folder_name and is_valid_name(folder_name):
            check.fail(
                "skillmd.name.missing",
                f"the frontmatter has no 'name'; using the folder name '{folder_name}'",
                "name" if written else None,
            )
            return folder_name
        check.add(
            "skillmd.name.missing",
            "the frontmatter has no 'name'",
            "name" if written else None,
            "Add 'name: <folder-name>' (lower case letters, digits and '-').",
            error=True,
        )
        return None
    name = _text_of(value)
    if not is_valid_name(name):
        fixed = normalise_name(name)
        hint = "Use 1-64 lower case letters, digits and single '-' (not at the start or end)"
        hint += f", e.g. '{fixed}'." if fixed else "."
        if check.mode is Mode.STRICT or fixed is None:
            check.add(
                "skillmd.name.invalid",
                f"name '{name}' is not a valid skill name",
                "name",
                hint,
                error=True,
            )
            return None
        check.fail("skillmd.name.invalid", f"name '{name}' is not valid; read as '{fixed}'", "name")
        name = fixed
    if folder_name is not None and name != folder_name:
        check.fail(
            "skillmd.name.mismatch",
            f"name '{name}' differs from the folder name '{folder_name}'",
            "name",
            f"Rename the folder to '{name}' or set 'name: {folder_name}'.",
        )
    return name


def _check_description(check: _Checker, value: object, present: bool) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        check.fail(
            "skillmd.description.missing",
            "the frontmatter has no 'description'",
            "description" if "description" in check.lines else None,
            "Add 'description:' saying what the skill does and when to use it.",
        )
        return ""
    if not isinstance(value, str):
        check.fail(
            "skillmd.description.type",
            "'description' must be text",
            "description",
            "Quote the value.",
        )
    text = _text_of(value)
    if len(text) > DESCRIPTION_MAX:
        check.fail(
            "skillmd.description.too_long",
            f"description has {len(text)} characters; at most {DESCRIPTION_MAX} are allowed",
            "description",
            "Shorten it; move details into the body.",
        )
    return text


def _optional_text(check: _Checker, value: object, key: str, limit: int | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        check.fail(f"skillmd.{key}.type", f"'{key}' must be text", key, "Quote the value.")
    text = _text_of(value)
    if limit is not None and len(text) > limit:
        check.fail(
            f"skillmd.{key}.too_long",
            f"'{key}' has {len(text)} characters; at most {limit} are allowed",
            key,
            "Shorten it.",
        )
    return text


def _check_metadata(check: _Checker, value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        check.fail(
            "skillmd.metadata.type",
            "'metadata' must be a mapping of names to text values; ignored",
            "metadata",
            "Write 'metadata:' followed by indented 'key: \"value\"' lines.",
        )
        return {}
    out: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, str) or not isinstance(key, str):
            check.fail(
                "skillmd.metadata.value_type",
                f"metadata '{key}' must be text, not {type(item).__name__}; read as "
                f"'{_text_of(item)}'",
                "metadata",
                f'Quote the value: {key}: "{_text_of(item)}".',
            )
        out[_text_of(key)] = _text_of(item)
    return out


def _check_tools(check: _Checker, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        check.fail(
            "skillmd.allowed_tools.type",
            "'allowed-tools' must be one space-separated string, not a list",
            "allowed-tools",
            "Write e.g. 'allowed-tools: Read Grep Bash(git:*)'.",
        )
        return tuple(_text_of(v) for v in value)
    tools, commas = split_tools(_text_of(value))
    if commas:
        check.fail(
            "skillmd.allowed_tools.commas",
            "'allowed-tools' is separated by commas; the specification uses spaces",
            "allowed-tools",
            "Separate tools with spaces: 'allowed-tools: Read Grep'.",
        )
    return tools


def _check_extra(check: _Checker, values: dict[str, object]) -> dict[str, object]:
    extra: dict[str, object] = {}
    for key, value in values.items():
        if key in VENDOR_KEYS:
            check.add(
                "skillmd.key.vendor",
                f"'{key}' is a {VENDOR_KEYS[key]} extension, not part of the Agent Skills "
                "specification; other agents ignore it",
                key,
                None,
                error=False,
            )
            extra[key] = value
            continue
        close = difflib.get_close_matches(key, [*SPEC_KEYS, *VENDOR_KEYS], n=1)
        hint = f"Did you mean '{close[0]}'?" if close else None
        hint = hint or "Move custom values under 'metadata:'."
        check.fail("skillmd.key.unknown", f"unknown frontmatter key '{key}'", key, hint)
        if check.mode is Mode.LENIENT:
            extra[key] = value
    return extra
