"""What a folded shell line writes where it matters: an AI agent's control files (settings,
instructions, hooks, MCP servers), and download-and-run commands persisted into start-up
files or scheduled jobs."""

from __future__ import annotations

import re

from tank.scanner.knowledge import control_target

__all__ = ["control_write", "persisted_download"]

_WRITE_TARGET = re.compile(
    r"(?<![<0-9&])>>?\s*(\S+)|\btee\s+(?:-a\s+)?(\S+)"
    r"|\b(?:cp|mv|ln|install|rsync)\s+(?:-\S+\s+)*\S+\s+(\S+)\s*(?:$|[;&|])"
    r"|\bsed\s+-i\S*\s+(?:'[^']*'|\"[^\"]*\"|\S+)\s+(\S+)"
)


def control_write(line: str) -> str | None:
    """What agent-control location (settings, instructions, hooks, MCP servers of an AI
    agent) ``line`` writes, in words, or None."""
    for match in _WRITE_TARGET.finditer(line):
        target = next((g for g in match.groups() if g), "").strip("'\"")
        found = control_target(target) if target else None
        # installing a skill into the agent's skills folder is what skills are for
        skills_dir = re.search(r"(?:^|/)skills(?:/|$)", target)
        if found is not None and found.kind == "agent-control" and not skills_dir:
            return f"{target} ({found.what})"
    return None


#: What a written line runs from the network: a downloader whose output feeds an
#: interpreter (``curl … | sh``, ``bash -c "$(curl …)"``, ``eval "$(wget -qO- …)"``).
_DOWNLOAD_RUN = re.compile(
    r"\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:\S*/)?(?:ba|z|da|k)?sh\b"
    r"|(?:\b(?:ba|z|da|k)?sh\s+-c|\beval|\bsource|(?<![\w.])\.)\s+[\\\"']*[$<]\(\s*(?:curl|wget)\b"
)
_PERSISTENT = frozenset({"shell-startup", "scheduled-job"})


def persisted_download(line: str) -> str | None:
    """Where a folded line writes a download-and-run command that runs again later (a shell
    start-up file, a cron or launchd job), in words, or None. Found once folded: the
    command is assembled in a variable, the file named by a loop over start-up files."""
    for match in _WRITE_TARGET.finditer(line):
        target = next((g for g in match.groups() if g), "")
        for word in target.strip("'\"").split():
            found = control_target(word.strip("'\""))
            if (
                found is not None
                and found.kind in _PERSISTENT
                and _DOWNLOAD_RUN.search(line[: match.start()])
            ):
                return f"{word} ({found.what})"
    return None
