"""Files a skill's scripts install as code: content written into a git hook, a shell
start-up file or a scheduled job, or made executable, is code whatever its name
(``templates/pre-push.txt`` copied to ``.git/hooks/pre-push``), and is read as shell.

A script's copies are read as written and once folded (:mod:`.shell_fold`): ``cp SRC
DEST``, ``install SRC DEST``, ``sed … SRC > DEST``, ``cat SRC > DEST``. A source with variables
(``"$HERE/templates/$h.txt"``) names the skill's files it can match; a destination counts
when it names a persistence location (:func:`tank.scanner.knowledge.control_target`, after
the raw values of its variables are put in) or when the script runs ``chmod +x`` on it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping

from tank.scanner.analyzers.base import file_kind
from tank.scanner.analyzers.shell_fold import fold_shell
from tank.scanner.knowledge import control_target

__all__ = ["installed_as_code"]

#: Scripts larger than this are not read for copies (bounded work).
_MAX_SCRIPT = 200_000
_CODE_KINDS = frozenset({"git-hooks", "shell-startup", "scheduled-job"})
_VAR = re.compile(r"\$\{?(\w+)\}?")
_COPY = re.compile(r"^\s*(?:sudo\s+)?(?:cp|install|ln)\b")
_REDIRECT = re.compile(r"(?<![<0-9&])>>?\s*(\S+)\s*$")
_VERB = re.compile(r"\b(?:cp|install|ln|sed|cat|envsubst|awk|tr)\b")
_WHERE = re.compile(r"chmod|hooks|rc\b|profile|cron|Launch|systemd|autostart", re.IGNORECASE)
_ASSIGN = re.compile(r"^\s*(?:local\s+|export\s+|readonly\s+)?(\w+)=(.*)$")
#: What a git command says the hooks folder is (``$(git rev-parse --git-dir)/hooks``).
_GIT_DIR = re.compile(r"\$\(\s*git\s+rev-parse\s+--(?:absolute-)?git-(?:common-)?dir\s*\)")


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line, posix=True)
    except ValueError:
        return line.split()


def _expand(word: str, raw: Mapping[str, str]) -> str:
    """``word`` with the raw values its variables are set to (a few rounds), git's own
    folder spelt ``.git``: ``$HOOKS/$h`` -> ``.git/hooks/$h``."""
    for _ in range(4):
        expanded = _VAR.sub(lambda m: raw.get(m.group(1), m.group(0)), word)
        if expanded == word:
            break
        word = expanded.strip("\"'")
    return _GIT_DIR.sub(".git", word)


def _matching(source: str, files: Mapping[str, bytes]) -> list[str]:
    """The skill's files a copy's source may be: its variables match any name."""
    pieces = _VAR.split(source)
    literal = pieces[0::2]
    if not any("/" in p or "." in p for p in literal):
        return []
    pattern = "[^/]*".join(re.escape(p) for p in literal)
    if source.startswith("$"):
        pattern = "(?:^|.*/)" + pattern.lstrip("/")
    compiled = re.compile(pattern.lstrip("^") + "$")
    return [f for f in files if compiled.search(f) or compiled.search("/" + f)]


def _copies(line: str) -> list[tuple[str, str]]:
    """``(source, destination)`` of a folded line that copies a file."""
    words = _words(line)
    redirect = _REDIRECT.search(line)
    if _COPY.match(line):
        args = [w for w in words[1:] if not w.startswith("-")]
        return [(args[-2], args[-1])] if len(args) >= 2 else []
    if redirect and words and words[0] in ("sed", "cat", "envsubst", "awk", "tr"):
        target = redirect.group(1).strip("\"'")
        before = words[1 : next((i for i, w in enumerate(words) if w.startswith(">")), None)]
        sources = [w for w in before if not w.startswith("-") and ("/" in w or "." in w)]
        return [(sources[-1], target)] if sources else []
    return []


def installed_as_code(files: Mapping[str, bytes]) -> set[str]:
    """The skill's files that its shell scripts install as code (see the module docstring)."""
    out: set[str] = set()
    for path, data in files.items():
        if len(data) > _MAX_SCRIPT:
            continue
        text = data.decode("utf-8", "replace")
        if file_kind(path, text) != "shell" or not (_VERB.search(text) and _WHERE.search(text)):
            continue  # folding is the cost: only scripts that copy somewhere code runs from
        raw: dict[str, str] = {}
        for line in text.split("\n"):
            found = _ASSIGN.match(line)
            if found:
                raw.setdefault(found.group(1), found.group(2).strip().strip("\"'"))
        # the lines as written: a loop variable in a source (``templates/$h.txt``) stands
        # for every file it can match, where folding would keep one
        folded = [line for _, line in fold_shell(text).lines]
        folded += [line.strip() for line in text.split("\n") if "$" in line]
        executable = {
            _expand(w, raw) for line in folded if "chmod" in line for w in _words(line)[2:]
        }
        for line in folded:
            for source, destination in _copies(line):
                where = _expand(destination.strip("\"'"), raw)
                found_target = control_target(where)
                persists = found_target is not None and found_target.kind in _CODE_KINDS
                if persists or where in executable:
                    out.update(_matching(source.strip("\"'"), files))
    return out
