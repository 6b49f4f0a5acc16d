"""The package.json analyzer: npm lifecycle scripts that run on install."""

from __future__ import annotations

from tank.core import boundedjson
from tank.scanner.analyzers.base import Context, line_at
from tank.scanner.model import Finding

__all__ = ["INSTALL_HOOKS", "analyze_package_json"]

#: npm runs these on ``npm install`` without asking: code that runs before anyone looks.
INSTALL_HOOKS = ("preinstall", "install", "postinstall", "prepare", "preuninstall")


def analyze_package_json(path: str, text: str, context: Context) -> list[Finding]:
    """One ``js.install_hook`` finding per lifecycle script that npm runs on install."""
    try:
        data = boundedjson.loads_skill_file(text)
    except boundedjson.JsonRefused:
        # npm would parse it (V8 nests far deeper) and run its scripts: what cannot be read
        # within bounds is an analyzer error, which the engine turns into a failed scan.
        raise
    except ValueError:
        return []  # not JSON: npm refuses it and runs nothing
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict):
        return []
    out = []
    for hook in INSTALL_HOOKS:
        command = scripts.get(hook)
        if isinstance(command, str):
            offset = text.find(f'"{hook}"')
            out.append(
                Finding.of(
                    context.rules["js.install_hook"],
                    path,
                    line_at(text, max(offset, 0)),
                    f'"{hook}": "{command}"',
                    f"package.json runs {command!r} on npm {hook}",
                )
            )
    return out
