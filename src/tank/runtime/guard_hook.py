"""``tank guard hook``: Claude Code's ``PreToolUse`` hook, answered before click loads.

Claude Code runs this before every Bash command the agent issues and sends one JSON object
on standard input (``hook_event_name``, ``tool_name``, ``tool_input.command``, ``cwd``…).
The answer follows its documented output: nothing at all (exit 0) lets the command go on
under the user's ordinary permission rules; ``hookSpecificOutput`` with
``permissionDecision`` ``deny`` blocks it and tells the agent why; ``updatedInput`` (the
whole tool input, with the command replaced) plus ``ask`` (or ``allow`` when installed with
``--auto-approve``) runs the ``tank run`` form instead. It fails closed: input it cannot
read, or an error while checking a command that names a skill folder, is a deny.
"""

from __future__ import annotations

import json
import os
import sys

# No `typing` (not even for annotations): importing it costs start-up time on every command.

#: Hook input larger than this is not read (a Bash command is capped far below anyway).
MAX_INPUT_BYTES = 1024 * 1024


def mentions_skills(command: str, cwd: str) -> bool:
    """The cheap pre-check: only these commands are parsed (bashlex takes long to load)."""
    return "skills" in command or f"{os.sep}skills{os.sep}" in cwd + os.sep


def _answer(
    decision: str, reason: str, updated: dict[str, object] | None = None
) -> dict[str, object]:
    out: dict[str, object] = {
        "hookEventName": "PreToolUse",
        "permissionDecision": decision,
        "permissionDecisionReason": f"tank guard: {reason}",
    }
    if updated is not None:
        out["updatedInput"] = updated
    return {"hookSpecificOutput": out}


def _tank_program() -> str:
    """How the rewritten command calls Tank: this very program when it is the script."""
    import shlex

    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0) == "tank" and os.path.isabs(argv0):
        return shlex.quote(argv0)
    return "tank"


def decide(payload: object, *, auto_approve: bool = False) -> dict[str, object] | None:
    """The hook's answer to ``payload`` (parsed hook input), or None to say nothing."""
    if not isinstance(payload, dict):
        return _answer("deny", "the hook input is not a JSON object")
    if payload.get("hook_event_name") != "PreToolUse" or payload.get("tool_name") != "Bash":
        return None
    tool_input = payload.get("tool_input")
    command = tool_input.get("command") if isinstance(tool_input, dict) else None
    if not isinstance(command, str) or not isinstance(tool_input, dict):
        return _answer("deny", "the Bash tool input has no command string")
    cwd = payload.get("cwd")
    if not isinstance(cwd, str) or not os.path.isabs(cwd):
        cwd = os.getcwd()
    if not mentions_skills(command, cwd):
        return None
    try:
        from tank.runtime.guard_check import check_command

        verdict = check_command(command, cwd, tank=_tank_program())
    except Exception as error:  # fail closed: a command naming skills that we cannot check
        return _answer("deny", f"could not check this command ({type(error).__name__}: {error})")
    if verdict.action == "pass":
        return None
    if verdict.action == "deny":
        return _answer("deny", verdict.reason)
    updated = dict(tool_input)
    updated["command"] = verdict.command
    return _answer("allow" if auto_approve else "ask", verdict.reason, updated)


def main(argv: list[str]) -> int:
    """Read the hook input from standard input, print the answer, return 0."""
    auto_approve = "--auto-approve" in argv
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    answer: dict[str, object] | None
    if len(data) > MAX_INPUT_BYTES:
        answer = _answer("deny", f"the hook input is over {MAX_INPUT_BYTES} bytes")
    else:
        try:
            # Plain json (bounded by size; depth errors caught): tank.core.boundedjson would
            # cost more start-up time than the whole hook may take.
            payload = json.loads(data)
        except (ValueError, RecursionError) as error:
            answer = _answer("deny", f"the hook input is not valid JSON ({error})")
        else:
            answer = decide(payload, auto_approve=auto_approve)
    if answer is not None:
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0
