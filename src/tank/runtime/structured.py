"""Structured skills: inputs checked against ``interface.inputs`` before a run, the JSON the
skill prints against ``interface.outputs`` after (JSON Schema Draft 2020-12)."""

from __future__ import annotations

from typing import Any

from tank.core import boundedjson, jsonpos
from tank.core.errors import Problem, ValidationError

MAX_INPUT_BYTES = 8 << 20
MAX_OUTPUT_BYTES = 16 << 20
_MAX_PROBLEMS = 20


def _problems(schema: dict[str, Any], value: Any, code: str) -> list[Problem]:
    from jsonschema import Draft202012Validator  # lazily: ~90 ms to import

    validator = Draft202012Validator(schema)
    out: list[Problem] = []
    for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
        where = jsonpos.pointer(tuple(error.absolute_path)) or "/"
        out.append(Problem(code, f"{where}: {error.message[:300]}"))
        if len(out) >= _MAX_PROBLEMS:
            break
    return out


def parse_inputs(text: str, *, source: str) -> Any:
    """The JSON value of ``--inputs``/``--inputs-file`` (bounded), or a ValidationError."""

    try:
        return boundedjson.loads(text, max_bytes=MAX_INPUT_BYTES)
    except ValueError as bad:
        raise ValidationError(
            f"{source} is not JSON: {bad}",
            code="run.inputs.not_json",
            hint="pass a JSON value, e.g. --inputs '{\"document\": [1, 2]}'",
        ) from bad


def check_inputs(schema: dict[str, Any] | None, value: Any, skill: str) -> None:
    """Raise :class:`ValidationError` when ``value`` does not match the inputs schema."""
    if schema is None:
        return
    problems = _problems(schema, value, "run.inputs.invalid")
    if problems:
        raise ValidationError(
            f"the inputs do not match {skill}'s interface.inputs: {problems[0].message}",
            code="run.inputs.invalid",
            problems=problems,
            hint="`tank info` or the skill's skills.json shows the inputs it takes",
        )


def check_outputs(schema: dict[str, Any] | None, stdout: bytes) -> tuple[Any, list[Problem]]:
    """The JSON the skill printed and what is wrong with it (empty when it matches).

    The whole output is read as one JSON value; failing that, its last non-empty line (a
    skill may log progress lines before its result).
    """
    text = stdout.decode("utf-8", "replace").strip()
    value: Any = None
    for candidate in (text, text.rsplit("\n", 1)[-1]):
        try:
            value = boundedjson.loads(candidate, max_bytes=MAX_OUTPUT_BYTES)
            break
        except ValueError:
            continue
    else:
        return None, [Problem("run.outputs.not_json", "the skill did not print a JSON value")]
    if schema is None:
        return value, []
    return value, _problems(schema, value, "run.outputs.invalid")
