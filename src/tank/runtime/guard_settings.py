"""Add Tank's ``PreToolUse`` hook to a Claude Code settings file, and take it out again.

The settings file is the user's: every other key and hook is kept as it is, in its order.
Install appends one matcher group ``{"matcher": "Bash", "hooks": [Tank's hook]}`` to
``hooks.PreToolUse`` (made when missing) unless Tank's hook is already there; remove takes
out every hook whose command is Tank's, then the groups, lists and objects that this left
empty. A file that is not a JSON object, or whose ``hooks`` are not shaped as Claude Code
documents them, is refused and left untouched. Writes are atomic (a temporary file renamed
over the old one).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tank.client.fsutil import write_atomic
from tank.core.boundedjson import MiB, load_file
from tank.core.errors import Location, UsageError

#: What marks a hook command as Tank's: ``[path/]tank guard hook`` (possibly quoted).
_OURS = re.compile(r"""(^|[/\s'"])tank['"]?\s+guard\s+hook(\s|$)""")
TIMEOUT_SECONDS = 10


def hook_entry(program: str, *, auto_approve: bool = False) -> dict[str, Any]:
    """The hook object Tank writes: a command hook running ``<program> guard hook``."""
    command = f"{program} guard hook" + (" --auto-approve" if auto_approve else "")
    return {"type": "command", "command": command, "timeout": TIMEOUT_SECONDS}


def is_ours(hook: Any) -> bool:
    """Whether ``hook`` (one object of a group's ``hooks``) is Tank's guard hook."""
    return (
        isinstance(hook, dict)
        and hook.get("type") == "command"
        and isinstance(hook.get("command"), str)
        and _OURS.search(hook["command"]) is not None
    )


def _refuse(path: Path, what: str) -> UsageError:
    return UsageError(
        f"{path} is not a settings file Tank can change: {what}",
        code="guard.settings.invalid",
        location=Location(str(path)),
        hint="fix the file by hand (Claude Code documents its shape), then run the command again",
    )


def read_settings(path: Path) -> dict[str, Any]:
    """The settings in ``path`` ({} when missing), refused unless shaped as documented."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    if not data.strip():
        return {}
    settings = load_file(
        data,
        file=str(path),
        code="guard.settings",
        max_bytes=4 * MiB,
        hint="fix the JSON by hand; Tank leaves the file as it is",
    )
    if not isinstance(settings, dict):
        raise _refuse(path, "the top level is not a JSON object")
    hooks = settings.get("hooks", {})
    if not isinstance(hooks, dict):
        raise _refuse(path, "`hooks` is not an object")
    groups = hooks.get("PreToolUse", [])
    if not isinstance(groups, list):
        raise _refuse(path, "`hooks.PreToolUse` is not a list")
    for i, group in enumerate(groups):
        if not isinstance(group, dict) or not isinstance(group.get("hooks", []), list):
            raise _refuse(path, f"`hooks.PreToolUse[{i}]` is not a matcher group with `hooks`")
    return settings


def _ours_in(settings: dict[str, Any]) -> int:
    groups = settings.get("hooks", {}).get("PreToolUse", [])
    return sum(is_ours(h) for g in groups for h in g.get("hooks", []))


def _write(path: Path, settings: dict[str, Any]) -> None:
    # A settings file kept in a dotfiles repository is often a symlink: write its target,
    # never replace the link with a file.
    path = path.resolve() if path.is_symlink() else path
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    data = (json.dumps(settings, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    write_atomic(path, data, mode=mode)


def install(path: Path, program: str, *, auto_approve: bool = False) -> bool:
    """Add Tank's hook to ``path``; False when one is already there (nothing written)."""
    settings = read_settings(path)
    if _ours_in(settings):
        return False
    hooks = settings.setdefault("hooks", {})
    hooks.setdefault("PreToolUse", []).append(
        {"matcher": "Bash", "hooks": [hook_entry(program, auto_approve=auto_approve)]}
    )
    _write(path, settings)
    return True


def remove(path: Path) -> int:
    """Take Tank's hooks out of ``path``; the number removed (0: nothing written)."""
    settings = read_settings(path)
    removed = _ours_in(settings)
    if not removed:
        return 0
    hooks = settings["hooks"]
    kept = []
    for group in hooks["PreToolUse"]:
        if any(is_ours(h) for h in group.get("hooks", [])):
            group["hooks"] = [h for h in group["hooks"] if not is_ours(h)]
            if not group["hooks"]:
                continue
        kept.append(group)
    hooks["PreToolUse"] = kept
    if not kept:
        del hooks["PreToolUse"]
    if not hooks:
        del settings["hooks"]
    _write(path, settings)
    return removed
