"""Human lines for the registry's documents: verdict, audit score, findings, permissions.

Shared by ``tank publish`` (the registry's answer) and ``tank info``. Registry documents are
read defensively: a field that is missing or has an unexpected type is shown as unknown,
never trusted to be well formed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

# C0 and C1 control characters (ESC among them): text from a registry must not drive the
# terminal (move the cursor, rewrite earlier lines, set the window title).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(value: object) -> str:
    """``value`` as text with terminal control characters replaced by ``?``."""
    return _CONTROL.sub("?", str(value))


def score_text(doc: Mapping[str, Any]) -> str:
    """``7.0/10`` or ``not scored``."""
    score = doc.get("audit_score")
    return f"{score}/10" if isinstance(score, int | float) else "not scored"


def breakdown_lines(breakdown: object) -> list[str]:
    """One line per score item, in the score table's order: ``name  points/max  note``."""
    from tank.client.score_items import table_order

    if not isinstance(breakdown, Mapping) or not breakdown:
        return []
    width = max(len(str(k)) for k in breakdown)
    items = {str(k): v for k, v in breakdown.items()}
    lines = []
    for key in table_order(items):
        item = items[key]
        if not isinstance(item, Mapping):
            continue
        points, top, note = item.get("points"), item.get("max"), item.get("note") or ""
        lines.append(safe_text(f"{str(key).ljust(width)}  {points}/{top}  {note}".rstrip()))
    return lines


def finding_lines(findings: object, *, explain: bool = False) -> list[str]:
    """One line per finding (or plain warning text): ``severity[rule]: message (file:line)``;
    with ``explain``, each finding's flow evidence and fix follow on indented lines."""
    if not isinstance(findings, list):
        return []
    lines = []
    for item in findings:
        if isinstance(item, str):
            lines.append(safe_text(item))
            continue
        if not isinstance(item, Mapping):
            continue
        rule = item.get("rule_id") or item.get("rule") or item.get("id") or item.get("code")
        where = item.get("file") or item.get("path")
        line = item.get("line")
        place = f" ({where}{f':{line}' if line else ''})" if where else ""
        severity = item.get("severity") or "note"
        text = f"{severity}[{rule or '?'}]: {item.get('message') or ''}{place}"
        lines.append(safe_text(text))
        if explain:
            lines.extend(_explained(item))
    return lines


def _explained(item: Mapping[str, Any]) -> list[str]:
    """A registry finding's evidence (``source: file:line what``) and fix, indented."""
    out = []
    evidence = item.get("evidence")
    for step in evidence[:8] if isinstance(evidence, list) else []:
        if isinstance(step, Mapping):
            at = f"{step.get('file') or ''}:{step.get('line') or ''}".rstrip(":")
            out.append(safe_text(f"    {step.get('role', 'step')}: {at} {step.get('what', '')}"))
    if item.get("remediation"):
        out.append(safe_text(f"    fix: {item['remediation']}"))
    return out


def permission_lines(raw: object) -> list[str]:
    """Declared permissions as ``tank permissions`` shows them (dangerous ones marked)."""
    from tank.cli.cmd_permissions import describe
    from tank.core.errors import ValidationError
    from tank.core.permissions import Permissions

    try:
        return describe(Permissions.from_json(raw or {}))
    except ValidationError:
        # Shown as sent rather than hidden: the user must still see what is asked for.
        return [safe_text(f"(unparsed) {json.dumps(raw, sort_keys=True)}")]


def indent(lines: list[str], prefix: str = "    ") -> list[str]:
    """``lines`` with ``prefix`` before each."""
    return [prefix + line for line in lines]
