"""The package.json analyzer: npm lifecycle scripts that run on install.

``prepare`` runs on ``npm install`` from git and on ``npm pack``; a ``prepare`` that only
builds the package's own code (``tsc``, ``npm run build`` whose ``build`` is ``tsc -p .``)
downloads and runs nothing and is not reported.
"""

from __future__ import annotations

import re

from tank.core import boundedjson
from tank.scanner.analyzers.base import Context, line_at
from tank.scanner.model import Finding

__all__ = ["INSTALL_HOOKS", "analyze_package_json"]

#: npm runs these on ``npm install`` without asking: code that runs before anyone looks.
INSTALL_HOOKS = ("preinstall", "install", "postinstall", "prepare", "preuninstall")
#: Compilers and bundlers that build the package's own sources (local tools, no download).
BUILD_TOOLS = frozenset(
    {"tsc", "babel", "rollup", "esbuild", "webpack", "vite", "tsup", "swc", "parcel", "unbuild"}
    | {"microbundle", "ncc", "rimraf", "husky", "ts-patch", "node-gyp-build", "lerna", "nx"}
    | {"turbo", "svelte-kit", "ng", "vue-tsc", "tshy", "pkgroll", "copyfiles", "mkdirp"}
)
_SPLIT = re.compile(r"\s*(?:&&|;|\|\|)\s*")
_PLAIN = re.compile(r"^[\w@./:=,+-]+(?:\s+[\w@./:=,+-]+)*$")
_MAX_DEPTH = 4


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
        if hook == "prepare" and isinstance(command, str) and _builds(command, scripts, 0):
            continue
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


def _builds(command: str, scripts: dict[str, object], depth: int) -> bool:
    """Whether ``command`` only runs local build tools, directly or through ``npm run``
    of scripts that do (no pipes, substitutions or redirections: plain words only)."""
    if depth > _MAX_DEPTH:
        return False
    parts = [p for p in _SPLIT.split(command.strip()) if p]
    if not parts:
        return False
    for part in parts:
        if not _PLAIN.match(part):
            return False
        words = part.split()
        if words[0] in ("npm", "pnpm", "yarn", "bun") and len(words) >= 2:
            name = words[2] if words[1] in ("run", "run-script") and len(words) > 2 else words[1]
            script = scripts.get(name)
            if not isinstance(script, str) or not _builds(script, scripts, depth + 1):
                return False
        elif words[0] == "npx" and len(words) >= 2:
            if words[1].lstrip("-") in ("y", "yes", "p") or words[1] not in BUILD_TOOLS:
                return False
        elif words[0] not in BUILD_TOOLS:
            return False
    return True
