"""The MCP tools: their JSON Schemas (inputs and structured outputs) and what a call does.

Six fixed tools mirror CLI commands (``search``, ``info``, ``install``, ``audit``,
``verify``, ``run``). Each installed skill that declares ``interface.inputs`` is also a tool
of its own, ``run-<name>``, whose input schema is the skill's and whose output carries the
skill's ``interface.outputs`` under ``output``: an agent calls a structured skill like any
other tool, and the run still goes through the sandbox.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tank.client.paths import ProjectPaths
from tank.core.errors import Problem, TankError, ValidationError
from tank.mcp import actions

SKILL_TOOL_PREFIX = "run-"
MAX_SPECS = 50
MAX_ARGS = 100
DEFAULT_TIMEOUT = 300.0

_OBJECT: dict[str, Any] = {"type": "object"}
_NAMES = {
    "type": "array",
    "items": {"type": "string", "maxLength": 300},
    "maxItems": MAX_SPECS,
    "description": "Package names (@scope/name); all locked skills when empty.",
}
_REPORT = {
    "type": "object",
    "required": ["ok", "skills", "summary"],
    "properties": {
        "ok": {"type": "boolean"},
        "skills": {"type": "array", "items": _OBJECT},
        "summary": _OBJECT,
    },
}
_RUN_RECORD = {
    "type": "object",
    "required": ["ok", "run_id", "exit", "sandboxed"],
    "properties": {
        "ok": {"type": "boolean", "description": "exit 0 and an output matching the interface"},
        "run_id": {"type": "string"},
        "skill": {"type": "string"},
        "version": {"type": ["string", "null"]},
        "exit": {"type": ["integer", "null"]},
        "sandboxed": {"type": "boolean"},
        "output": {"description": "the skill's JSON output (structured skills) or its stdout"},
        "output_problems": {"type": "array", "items": {"type": "string"}},
        "denials": {"type": "array"},
        "limits_hit": {"type": "array"},
        "connections": {"type": "array"},
        "stderr": {"type": "string"},
    },
}
_TIMEOUT = {"type": "number", "minimum": 0.1, "maximum": 3600, "default": DEFAULT_TIMEOUT}


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A tool as listed: name, description, input and output JSON Schemas."""

    name: str
    description: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    read_only: bool = True


FIXED: tuple[ToolSpec, ...] = (
    ToolSpec(
        "search",
        "Search the Tank registry for skills by name, description, keywords and SKILL.md text "
        "(like `tank search`). Results carry each skill's latest version, audit score and "
        "verdict.",
        {
            "type": "object",
            "properties": {
                "query": {"type": "string", "maxLength": 500, "default": ""},
                "page": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
            },
            "additionalProperties": False,
        },
        {
            "type": "object",
            "required": ["results"],
            "properties": {
                "results": {"type": "array", "items": _OBJECT},
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
            },
        },
    ),
    ToolSpec(
        "info",
        "A skill's registry metadata (like `tank info NAME[@VERSION]`): versions, dist-tags, "
        "and for one version its verdict, audit score and breakdown, findings, declared "
        "permissions, dependencies and integrity.",
        {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {
                    "type": "string",
                    "maxLength": 300,
                    "description": "@scope/name, optionally @version or @dist-tag",
                }
            },
            "additionalProperties": False,
        },
        {
            "type": "object",
            "required": ["skill", "version"],
            "properties": {"skill": _OBJECT, "version": {"type": ["object", "null"]}},
        },
    ),
    ToolSpec(
        "install",
        "Install registry skills into this server's project (like `tank install NAME...`), "
        "verifying integrity, signatures, quarantine and the audit minimum. Never widens the "
        "project's permission budget: a skill needing more than skills.json's `permissions` "
        "allow is refused with every violation; a project with no budget is refused.",
        {
            "type": "object",
            "properties": {
                "names": {**_NAMES, "description": "@scope/name[@range]; none: skills.lock"}
            },
            "additionalProperties": False,
        },
        {
            "type": "object",
            "required": ["project", "skills", "changes", "budget"],
            "properties": {
                "project": {"type": "string"},
                "up_to_date": {"type": "boolean"},
                "changes": {"type": "array", "items": _OBJECT},
                "skills": {"type": "array", "items": _OBJECT},
                "permissions_granted": {"type": "array", "items": _OBJECT},
                "budget": {"type": "string"},
                "linked_into": {"type": "array", "items": {"type": "string"}},
            },
        },
        read_only=False,
    ),
    ToolSpec(
        "audit",
        "The registry's current verdict, audit score (0-10, with breakdown) and findings for "
        "each skill installed in the project (like `tank audit`); `ok` is false when one is "
        "failed, flagged, below the minimum score or unavailable.",
        {
            "type": "object",
            "properties": {
                "names": _NAMES,
                "min_score": {"type": "number", "minimum": 0, "maximum": 10},
            },
            "additionalProperties": False,
        },
        _REPORT,
    ),
    ToolSpec(
        "verify",
        "Re-hash the installed skills against skills.lock and check their signatures, "
        "attestations and log proofs (like `tank verify`; never repairs).",
        {
            "type": "object",
            "properties": {"names": _NAMES},
            "additionalProperties": False,
        },
        _REPORT,
    ),
    ToolSpec(
        "run",
        "Run an installed skill's `run` entry in the sandbox that enforces its permissions "
        "(like `tank run NAME --inputs JSON --json`). Structured skills take `inputs` "
        "(checked against their interface.inputs) and return `output` (checked against "
        "interface.outputs).",
        {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "maxLength": 300, "description": "installed skill"},
                "inputs": {"description": "JSON inputs of a structured skill"},
                "args": {
                    "type": "array",
                    "items": {"type": "string", "maxLength": 4096},
                    "maxItems": MAX_ARGS,
                },
                "timeout": _TIMEOUT,
            },
            "additionalProperties": False,
        },
        _RUN_RECORD,
        read_only=False,
    ),
)
FIXED_BY_NAME = {tool.name: tool for tool in FIXED}


def _hoisted(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """An object schema ``{output: <outputs>}`` with the outputs' ``$defs`` moved to the
    root, so their ``#/$defs/...`` references still resolve."""
    inner = {k: copy.deepcopy(v) for k, v in outputs.items() if k not in ("$defs", "$schema")}
    schema: dict[str, Any] = {
        "type": "object",
        "required": ["output", "run"],
        "properties": {"output": inner, "run": _RUN_RECORD},
    }
    if isinstance(outputs.get("$defs"), dict):
        schema["$defs"] = copy.deepcopy(outputs["$defs"])
    return schema


def skill_tools(paths: ProjectPaths) -> list[ToolSpec]:
    """A ``run-<name>`` tool for each installed skill declaring ``interface.inputs`` with an
    object at its root (an MCP tool's arguments are an object) and a ``run`` entry."""
    from tank.mcp.resources import installed_skills
    from tank.runtime import runs

    out: list[ToolSpec] = []
    for name in installed_skills(paths):
        try:
            target = runs.find_target(name, paths)
        except TankError:
            continue  # not locked, drifted: `run` says why when called
        interface = target.manifest.interface
        if interface is None or target.manifest.run is None:
            continue
        inputs = interface.inputs
        if not isinstance(inputs, dict) or inputs.get("type") != "object":
            continue
        outputs = interface.outputs if isinstance(interface.outputs, dict) else {}
        description = (target.manifest.description or "").strip()[:500]
        out.append(
            ToolSpec(
                f"{SKILL_TOOL_PREFIX}{name}",
                f"Run the installed skill {target.name} in the sandbox: {description}",
                copy.deepcopy(inputs),
                _hoisted(outputs),
                read_only=False,
            )
        )
    return out


def check_arguments(tool: ToolSpec, arguments: Mapping[str, Any]) -> None:
    """Raise :class:`ValidationError` when ``arguments`` do not match a fixed tool's schema."""
    from jsonschema import Draft202012Validator

    errors = sorted(
        Draft202012Validator(tool.input_schema).iter_errors(dict(arguments)),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        problems = [Problem("mcp.arguments", e.message[:300]) for e in errors[:20]]
        raise ValidationError(
            f"the arguments of {tool.name} are not valid: {problems[0].message}",
            code="mcp.arguments",
            problems=problems,
            hint="the tool's input schema says what it takes",
        )


def _names(arguments: Mapping[str, Any]) -> list[str]:
    return [str(n) for n in arguments.get("names") or []]


def _timeout(arguments: Mapping[str, Any]) -> float:
    return float(arguments.get("timeout", DEFAULT_TIMEOUT))


_FIXED_CALLS: dict[str, Callable[[ProjectPaths, Mapping[str, Any]], dict[str, Any]]] = {
    "search": lambda _p, a: actions.search(
        str(a.get("query", "")), int(a.get("page", 1)), int(a.get("per_page", 20))
    ),
    "info": lambda _p, a: actions.info(str(a["name"])),
    "install": lambda p, a: actions.install(p, _names(a)),
    "audit": lambda p, a: actions.audit(p, _names(a), a.get("min_score")),
    "verify": lambda p, a: actions.verify(p, _names(a)),
    "run": lambda p, a: actions.run(
        p, str(a["name"]), a.get("inputs", actions.NO_INPUTS), a.get("args") or [], _timeout(a)
    ),
}


def call(
    paths: ProjectPaths, name: str, arguments: Mapping[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Call the tool ``name``: its structured result, and whether the call failed (a run
    that exited non-zero or printed an invalid output; an audit or verify that is not ok).

    Raises :class:`TankError` for refusals (bad arguments, budget, unknown tool...).
    """
    tool = FIXED_BY_NAME.get(name)
    if tool is not None:
        check_arguments(tool, arguments)
        result = _FIXED_CALLS[name](paths, arguments)
        return result, result.get("ok") is False
    if name.startswith(SKILL_TOOL_PREFIX) and name in {t.name for t in skill_tools(paths)}:
        skill = name[len(SKILL_TOOL_PREFIX) :]
        record = actions.run(paths, skill, dict(arguments), [], DEFAULT_TIMEOUT)
        return {"output": record.get("output"), "run": record}, not record["ok"]
    raise ValidationError(
        f"there is no tool {name[:100]!r}",
        code="mcp.unknown_tool",
        hint="list the tools: search, info, install, audit, verify, run, run-<skill>",
    )
