"""What a PowerShell script uses: secrets (``$env:``), the network (web cmdlets and .NET
clients), programs it runs, and writes under the home folder.

Read folded (:mod:`.analyzers.ps_fold`) and without comments. A program is run wherever a
statement starts with a bare command name that is no cmdlet, alias, keyword or function of the
script (``$token = az account get-access-token``, ``(git rev-parse HEAD)``), or through
``&``/``Start-Process``/``[Diagnostics.Process]::Start``: PowerShell runs native programs
by name, so that is the language's ``subprocess``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tank.scanner.analyzers.powershell import patterns_blanked
from tank.scanner.analyzers.ps_fold import fold_script
from tank.scanner.analyzers.sensitive import URL
from tank.scanner.knowledge import load_knowledge, normalize_path, secret_env

__all__ = ["PsUses", "powershell_uses"]

Where = tuple[str, int]

_NET = re.compile(
    r"\b(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm|Start-BitsTransfer|Resolve-DnsName"
    r"|Send-MailMessage|Test-NetConnection)\b|Net\.WebClient|Net\.Http\.HttpClient"
    r"|Net\.Sockets\.(?:Tcp|Udp)Client|Net\.Mail\.SmtpClient",
    re.IGNORECASE,
)
_ENV = re.compile(
    r"\$env:([A-Za-z_][A-Za-z0-9_]*)|\[Environment\]::GetEnvironmentVariable\(\s*['\"](\w+)", re.I
)
_WRITE = re.compile(
    r"\b(?:Set-Content|Add-Content|Out-File|New-Item|Copy-Item|Move-Item|Export-\w+)\b[^\n|;]*?"
    r"(?:-(?:Path|FilePath|LiteralPath|Destination)\s+)?['\"]?((?:~|\$HOME|\$env:USERPROFILE"
    r"|\$env:APPDATA|\$env:LOCALAPPDATA)[\\/][^'\"\s;|)]+)",
    re.I,
)
_USER_AGENT = re.compile(
    r"-UserAgent\s+(?:'[^']*'|\"[^\"]*\"|\S+)|User-Agent['\"]?\s*=[^;}]*", re.I
)

#: Programs started explicitly: ``Start-Process``, .NET's Process, and the call operator on
#: a name or a quoted path that is not a script (``& "$PSScriptRoot\\x.ps1"`` is the skill).
_STARTS = re.compile(
    r"\b(?:Start-Process|saps)\b|\[(?:System\.)?Diagnostics\.Process\]::Start\("
    r"|(?:^|[\s;|({=])&\s*(?:[a-z][\w.-]*(?=\s|$)|'[^']*'|\"[^\"]*\")",
    re.I,
)
_SCRIPT = re.compile(r"\.ps[md]?1['\"]?$", re.I)
_STRING = re.compile(r"'[^']*'|\"(?:[^\"`]|`.)*\"")
#: Where a statement starts: a line, ``;``, a pipe, a block, a sub-expression or a call.
_STATEMENT = re.compile(r"[;|{}()\n]|&&|\|\|")
_BARE = re.compile(r"^([a-z][a-z0-9_.+-]*)(?=\s|$)")
_ASSIGNED = re.compile(r"^\$[\w:.\[\]$]+\s*[-+*/]?=\s*(.*)$")
_FUNCTION = re.compile(r"\bfunction\s+([\w-]+)", re.I)


@dataclass(slots=True)
class PsUses:
    """A PowerShell file's uses, each with its first location."""

    network: Where | None = None
    hosts: list[tuple[str, Where]] = field(default_factory=list)
    secrets: dict[str, Where] = field(default_factory=dict)
    writes: dict[str, Where] = field(default_factory=dict)
    subprocess: Where | None = None


def powershell_uses(path: str, text: str) -> PsUses:
    """The uses of PowerShell ``text`` (the file ``path``)."""
    out = PsUses()
    # folded: ``$hook = 'https://…'`` then ``Invoke-RestMethod $hook`` names the host
    lines = fold_script(text).lines
    functions = {m.group(1).lower() for _, code in lines for m in _FUNCTION.finditer(code)}
    for number, folded in lines:
        where = (path, number)
        code = patterns_blanked(folded)  # a deny-list regex names commands it never runs
        for match in _ENV.finditer(code):
            name = match.group(1) or match.group(2)
            if secret_env(name):
                out.secrets.setdefault(name, where)
        if _NET.search(code):
            out.network = out.network or where
            for match in URL.finditer(_USER_AGENT.sub(" ", code)):
                out.hosts.append((match.group(1), where))
        for match in _WRITE.finditer(code):
            target = normalize_path(match.group(1))
            if target.startswith("~/"):
                out.writes.setdefault(target, where)
        if out.subprocess is None and runs_program(code, functions):
            out.subprocess = where
    return out


def runs_program(code: str, functions: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether a folded PowerShell line runs a native program."""
    for started in _STARTS.finditer(code):
        if not _SCRIPT.search(started.group(0)):
            return True
    not_programs, verbs = _words()
    for part in _STATEMENT.split(_STRING.sub("''", code)):
        assigned = _ASSIGNED.match(part.strip())
        statement = assigned.group(1).strip() if assigned else part.strip()
        found = _BARE.match(statement)
        if found is None:
            continue
        name = found.group(1).removesuffix(".exe")
        rest = statement[found.end() :].lstrip()
        if rest.startswith("=") and not rest.startswith("=="):  # a hashtable key: @{ a = 1 }
            continue
        if name in not_programs or name in functions or name.split("-", 1)[0] in verbs:
            continue
        return True
    return False


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], frozenset[str]]:
    """``data/knowledge/powershell.yaml``: keywords and aliases, and the approved verbs."""
    data = load_knowledge("powershell.yaml")
    return frozenset(data["keywords_and_aliases"].split()), frozenset(data["verbs"].split())
