"""Files a shell script or a PowerShell one reads and writes outside the project.

Shell lines are parsed into commands (:mod:`.shell_parse`): ``cat``/``source``/``<`` read,
``cp``/``mv``/``tee``/``mkdir``/``rm``/``>`` write; path variables set earlier
(``D="$HOME/.t"``), ``${X:-default}`` and loops over literal words (``for f in a b``) are
followed; here-document bodies are data. PowerShell is read folded (:mod:`.ps_fold`):
``Get-Content``/``Set-Content``/``Copy-Item``/``[IO.File]::…`` with ``Join-Path`` and
``$p = …`` followed. Lines are bounded (:func:`_logical_lines`), and so are variables.
"""

from __future__ import annotations

import re

from tank.scanner.analyzers.ps_fold import fold_script
from tank.scanner.analyzers.shell_parse import commands_of
from tank.scanner.capabilities_paths import FsUses, is_test_path

__all__ = ["shell_fs"]

Where = tuple[str, int]

# -- shell and PowerShell ---------------------------------------------------------------------

_SH_READS = frozenset({"cat", "head", "tail", "less", "more", "source", ".", "jq", "base64"})
_SH_READS |= {"tar", "zip", "xxd", "od", "strings", "sqlite3"}
#: Readers whose first operand is a program or a pattern, not a file (``awk '/x/' FILE``),
#: unless a script or pattern is given by option (``-f prog.awk``, ``-e re``).
_SH_FILTERS = frozenset({"awk", "gawk", "mawk", "sed", "grep", "egrep", "fgrep", "rg"})
_SH_READS |= _SH_FILTERS | {"cut", "sort", "uniq", "wc", "diff", "cmp", "md5sum", "sha256sum"}
_SH_READS |= {"sha1sum", "shasum", "nl", "yq"}
_SH_WRITES = frozenset({"mkdir", "rm", "rmdir", "touch", "tee", "gzip", "gunzip", "chmod"})
_SH_WRITES |= {"truncate", "shred"}
_SH_COPIES = frozenset({"cp", "mv", "rsync", "install", "ln"})
_REDIRECT = re.compile(r"(?<![<>&\d])(\d?)(>>?|<)(?![(<&])\s*(\"[^\"]+\"|'[^']+'|[^\s;&|)]+)")
#: A cmdlet's options before its path: ``-Encoding utf8``, ``-ItemType Directory`` take a
#: value; any other ``-Name`` is a switch or names the path that follows (``-Path``).
_PS_OPTIONS = (
    r"(?:\s+-(?:Value|InputObject|Encoding|ItemType|Delimiter|Name|Width|Stream|Filter"
    r"|Include|Exclude|Depth|ErrorAction|First|Last|Tail|TotalCount)\s+\S+|\s+-\w+)*"
)
_PS_READ = re.compile(
    r"\b(?:Get-Content|gc|Import-Csv|Import-Clixml|Get-ChildItem|gci|ls|dir|type)\b"
    + _PS_OPTIONS
    + r"\s+([^\s-]\S*)",
    re.I,
)
_PS_WRITE = re.compile(
    r"\b(?:Set-Content|Add-Content|Out-File|New-Item|Remove-Item|Export-Csv|Export-Clixml"
    r"|ri|rm|del|ni|md|mkdir)\b" + _PS_OPTIONS + r"\s+([^\s-]\S*)",
    re.I,
)
_PS_COPY = re.compile(
    r"\b(Copy-Item|Move-Item|cpi|copy|mi|move)\b(?:\s+-(?:Path|LiteralPath|Force|Recurse))*"
    r"\s+(\S+)(?:\s+-Destination)?\s+(\S+)",
    re.I,
)
_PS_IO = re.compile(
    r"\[(?:System\.)?IO\.File\]::(Read\w*|Write\w*|Append\w*|Open\w*|Create\w*|Delete|Copy|Move)"
    r"\(\s*([^,)]+)",
    re.I,
)
_PS_VAR = re.compile(r"\$(?!env:)(\w+)\b", re.I)
_PS_ASSIGN = re.compile(r"^\$(\w+)\s*=\s*(\S+)\s*$")
#: ``$p = <path> …`` anywhere, a ``param([string]$Out = <path>)`` default included.
_PS_ASSIGN_PATH = re.compile(r"(?<![\w$])\$(\w+)\s*=\s*(?!=)(\S+)")
_PS_PATHLIKE = re.compile(r"^['\"(]*(?:~|\$env:|\$HOME\b|[A-Za-z]:[\\/]|/|\\\\)", re.I)
#: ``'inventory-{0:yyyyMMdd}.csv' -f (Get-Date)``: a part known only at run time.
_PS_FORMAT = re.compile(r"\{\d+(?::[^}]*)?\}")
_MAX_VARS = 200
#: .NET's special folders (``[Environment]::GetFolderPath('LocalApplicationData')``) as the
#: environment variables or home folders they stand for.
_SPECIAL_FOLDERS = {
    "applicationdata": "$env:APPDATA",
    "localapplicationdata": "$env:LOCALAPPDATA",
    "userprofile": "$env:USERPROFILE",
    "personal": "~/Documents",
    "mydocuments": "~/Documents",
    "desktop": "~/Desktop",
    "desktopdirectory": "~/Desktop",
    "startup": "$env:APPDATA/Microsoft/Windows/Start Menu/Programs/Startup",
}
_PS_SPECIAL = re.compile(
    r"\(?\s*\[(?:System\.)?Environment\]::GetFolderPath\(\s*(?:'(\w+)'|\"(\w+)\""
    r"|\[(?:System\.)?Environment\+SpecialFolder\]::(\w+))\s*\)\s*\)?",
    re.I,
)
_PS_JOIN = re.compile(r"\(?\s*Join-Path\s+(\S+)\s+(\S+?)\s*\)?(?=\s|$)", re.I)


def shell_fs(path: str, text: str, uses: FsUses, *, powershell: bool = False) -> None:
    """Reads and writes of a shell script, or (``powershell``) a PowerShell one, read folded
    (``$p = "$env:APPDATA\\x"`` then ``Get-Content $p``)."""
    if is_test_path(path):
        return
    lines = fold_script(text).lines if powershell else _logical_lines(text)
    paths: dict[str, str] = {}
    loops: dict[str, list[str]] = {}
    for number, raw in lines:
        where = (path, number)
        if powershell and _printed(raw):
            continue
        if powershell:
            _redirects(raw, where, uses, powershell=True)
            _powershell(raw, where, uses, paths)
            continue
        for line in _each_value(_sh_known(raw, paths), loops):
            _redirects(line, where, uses, powershell=False)
            for pipeline in commands_of(line):
                for command in (c for top in pipeline for c in top.walk()):
                    _shell_command(
                        _wrapped(command.name, command.words), command.words, where, uses
                    )


def _redirects(line: str, where: Where, uses: FsUses, *, powershell: bool) -> None:
    for match in _REDIRECT.finditer(_QUOTED.sub(_keep_redirected, line)):
        if match.group(1) != "2" or powershell:
            uses.add(match.group(3), where, write=match.group(2) != "<")


_FOR = re.compile(r"^for\s+(\w+)\s+in\s+([^;`*]+?)\s*(?:;\s*do\b.*)?$")
#: ``$(basename "$PWD")``: a part known only at run time.
_SUBSTITUTION = re.compile(r"\$\([^()]*\)")
_RUN_TIME = "\ufffc"
#: ``find D … | while read -r f; do rm "$f"; done``: ``$f`` is a file under ``D``.
_FIND_READ = re.compile(
    r"""\bfind\s+(["']?)([^\s"'|;]+)\1[^|]*\|\s*while\s+(?:IFS=\S*\s+)?read\s+(?:-r\s+)?(\w+)"""
)
_MAX_EACH = 16


def _each_value(line: str, loops: dict[str, list[str]]) -> list[str]:
    """``line`` once per value of the loop variable it uses (``for f in bashrc zshrc``,
    then ``ln -s "$f" "$HOME/.$f"``), and the loop remembered when it starts here."""
    started = _FOR.match(_SUBSTITUTION.sub(_RUN_TIME, line))
    if started and len(loops) < _MAX_VARS:
        words = [w.strip("\"'") for w in started.group(2).split()][:_MAX_EACH]
        # a variable left unknown (``$DIR``) is no word to name
        loops[started.group(1)] = [w for w in words if not re.fullmatch(r"\$\{?\w+\}?", w)]
        return [line]
    found = _FIND_READ.search(line)
    if found:  # each file found under the folder
        under = found.group(2).rstrip("/") + "/" + _RUN_TIME
        rest = re.sub(rf"\$\{{{found.group(3)}\}}|\${found.group(3)}\b", under, line[found.end() :])
        line = line[: found.end()] + rest
    for name, words in loops.items():
        used = re.compile(rf"\$\{{{name}\}}|\${name}\b")
        if used.search(line):
            return [used.sub(word, line) for word in words]
    return [line]


#: A quoted string, and the redirection before it if any (``> "$HOME/x"`` names a file;
#: ``echo "a > b"`` does not).
_QUOTED = re.compile(r"""([<>]\s*)?("[^"]*"|'[^']*')""")


def _keep_redirected(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1) else '""'


_SH_ASSIGN = re.compile(
    r"^(?:.*&&\s*)?(?:export\s+|local\s+|readonly\s+)?(\w+)=(\"[^\"]*\"|'[^']*'|\S+)$"
)
_SH_VAR = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)")
_SH_PATHLIKE = re.compile(r"^(?:~|/|\$\{?(?:HOME|XDG_\w+)\b)")


def _sh_known(line: str, paths: dict[str, str]) -> str:
    """``line`` with the path variables set earlier substituted (``D="$HOME/.t"`` then
    ``cat "$D/x"``), an unset ``${X:-default}`` read as its default, and a new path
    assignment remembered."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        if name in paths:
            return paths[name]
        default = match.group(2)
        if default and not name.startswith("XDG_") and _SH_PATHLIKE.match(default):
            return default
        return match.group(0)

    line = _SH_VAR.sub(sub, line)
    assigned = _SH_ASSIGN.match(_SUBSTITUTION.sub(_RUN_TIME, line))
    if assigned and len(paths) < _MAX_VARS:
        value = assigned.group(2).strip("\"'")
        # a list of paths (``EXTRA="$HOME/.npm/_logs $HOME/.cache/x"``) is kept as words
        if value.split() and all(_SH_PATHLIKE.match(w) for w in value.split()):
            paths[assigned.group(1)] = value
        else:
            paths.pop(assigned.group(1), None)
    return line


def _printed(line: str) -> bool:
    """A line that only prints (``echo "see ~/.config/x"``): its paths are text, not uses."""
    return bool(re.match(r"^\s*(?:echo|printf|Write-(?:Host|Output)|log|info|warn)\b", line, re.I))


_FS_COMMANDS = _SH_READS | _SH_WRITES | _SH_COPIES


def _wrapped(name: str, words: tuple[str, ...]) -> str:
    """The file command a wrapper runs (``run rm -f x``, ``try gzip x``, ``xargs rm``)."""
    if name.rsplit("/", 1)[-1].lower() in _FS_COMMANDS:
        return name
    inner = next((w for w in words[1:3] if w in _FS_COMMANDS), None)
    return inner or name


def _shell_command(name: str, words: tuple[str, ...], where: Where, uses: FsUses) -> None:
    try:
        start = next(i for i, w in enumerate(words) if w.rsplit("/", 1)[-1].lower() == name)
    except StopIteration:
        return
    operands: list[str] = []
    skip, base = False, ""
    for index, word in enumerate(words[start + 1 :], start=start + 1):
        if name == "tar" and word in ("-C", "--directory") and index + 1 < len(words):
            base, skip = words[index + 1].rstrip("/"), True  # operands are under -C DIR
            continue
        if skip or word.startswith("-"):
            skip = False
            continue
        if re.match(r"^\d?(?:<<?-?|>>?|&>)", word):  # a redirection: handled on the line
            skip = bool(re.fullmatch(r"\d?(?:<<?-?|>>?|&>)", word))
            continue
        relative = base and not word.startswith(("/", "~", "$"))
        operands.append(f"{base}/{word}" if relative else word)
    if name in _SH_COPIES and len(operands) > 1:
        for word in operands[:-1]:
            uses.add(word, where, write=name == "mv")
        uses.add(operands[-1], where, write=True)
    elif name in _SH_READS:
        given = any(
            re.fullmatch(r"-[a-zA-Z]*[ef]|--(?:file|regexp|expression)(?:=.*)?", w)
            for w in words[start + 1 :]
        )
        files = operands[1:] if name in _SH_FILTERS and not given else operands
        in_place = name == "sed" and any(w.startswith(("-i", "--in-place")) for w in words)
        for word in files[:8]:
            uses.add(word, where, write=in_place)
    elif name in _SH_WRITES:
        for word in operands[:8]:
            uses.add(word, where, write=True, folder=name == "mkdir")


def _special_folder(match: re.Match[str]) -> str:
    name = (match.group(1) or match.group(2) or match.group(3)).lower()
    return _SPECIAL_FOLDERS.get(name, match.group(0))


def _powershell(line: str, where: Where, uses: FsUses, paths: dict[str, str]) -> None:
    line = _PS_SPECIAL.sub(_special_folder, line)
    line = _PS_JOIN.sub(lambda m: f"{_ps_word(m.group(1))}/{_ps_word(m.group(2))}", line)
    line = _PS_VAR.sub(lambda m: paths.get(m.group(1).lower(), m.group(0)), line)
    line = _PS_FORMAT.sub("*", line)
    assigned = _PS_ASSIGN.match(line)
    if assigned and len(paths) < _MAX_VARS:  # $p = "$env:APPDATA\x": later lines use $p
        paths[assigned.group(1).lower()] = _ps_word(assigned.group(2))
    for found in _PS_ASSIGN_PATH.finditer(line):
        if _PS_PATHLIKE.match(found.group(2)) and len(paths) < _MAX_VARS:
            paths[found.group(1).lower()] = _ps_word(found.group(2))
    for match in _PS_READ.finditer(line):
        uses.add(_ps_word(match.group(1)), where, write=False)
    for match in _PS_WRITE.finditer(line):
        folder = re.search(r"-ItemType\s+['\"]?Directory|^\W*(?:md|mkdir)\b", match.group(0), re.I)
        uses.add(_ps_word(match.group(1)), where, write=True, folder=bool(folder))
    for match in _PS_COPY.finditer(line):
        moves = match.group(1).lower() in ("move-item", "mi", "move")
        uses.add(_ps_word(match.group(2)), where, write=moves)
        uses.add(_ps_word(match.group(3)), where, write=True)
    for match in _PS_IO.finditer(line):
        writes = not match.group(1).lower().startswith("read")
        uses.add(_ps_word(match.group(2)), where, write=writes)


def _ps_word(word: str) -> str:
    return word.strip().strip("\"'(),")


_HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, line)`` with ``\\`` (and PowerShell `````) continuations joined,
    comments and blank lines left out."""
    out: list[tuple[int, str]] = []
    pending, start, heredoc = "", 0, ""
    for number, raw in enumerate(text.split("\n")[:20_000], start=1):
        line = raw.rstrip()
        if heredoc:  # a here-document's body is data, not commands
            heredoc = "" if line.strip() == heredoc else heredoc
            continue
        opened = _HEREDOC.search(line)
        heredoc = opened.group(1) if opened else ""
        if not pending:
            start = number
        if line.endswith(("\\", "`")):
            pending += line[:-1] + " "
            continue
        joined = (pending + line).strip()
        pending = ""
        if joined and not joined.startswith("#") and len(joined) < 4000:
            out.append((start, joined))
    return out
