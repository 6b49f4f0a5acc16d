"""Data flow in shell and PowerShell scripts: sensitive sources to outside sinks.

Works on folded lines (:mod:`.shell_fold`, :mod:`.ps_fold`), so assembled hosts and
commands are seen as they run. A line *has data* when it reads a sensitive source (a
credential file, an agent's secret store, history, ``.env``, the whole environment) or
names a variable, function or file that holds such data; assignments, ``for``/``foreach``
loops, ``set --``, ``$x.Append(…)`` and archive/redirect outputs carry the taint on. A line
with data that also writes to an outside sink (an upload, a socket, DNS labels, mail, a git
push, a file descriptor opened on ``/dev/tcp``) is a flow, reported with both ends.

Statements spread over lines (an array ``@(`` … ``)``, a pipeline ending in ``|`` or a
backtick) are joined first, at most :data:`_MAX_JOIN` lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from tank.scanner.knowledge import collector_host, is_local_host, secret_env, sensitive_source

__all__ = ["Flow", "flows", "sink_of", "source_of"]

_MAX_JOIN = 60
_MAX_LINES = 5000
_MAX_TAINTED = 200

#: The whole environment, read at once.
_WHOLE_ENV = re.compile(
    r"(?:^|[|;&(`]\s*|\$\(\s*)(?:env|printenv|export\s+-p|set)\s*(?:$|[|>)`;])"
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
_READERS = re.compile(
    r"\b(?:cat|tar|zip|7z|gzip|base64|xxd|od|cp|scp|rsync|head|tail|strings|openssl|sqlite3"
    r"|security|Get-Content|gc|Copy-Item|Compress-Archive|ReadAll(?:Bytes|Text|Lines)"
    r"|Import-Clixml|type)\b|<\s*\S|\bset\s+--|^\s*\$?\w+\s*=|@\(|\bfor\s+\w+\s+in\b",
    re.I,
)
_URL_HOST = re.compile(
    r"\b(?:https?|wss?|ftp)://([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::\d+)?(/[^\s'\"]*)?", re.I
)
_DEV_TCP = re.compile(r"/dev/(?:tcp|udp)/([\w.$-]+)/\d+")
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
            r"(?:^|[|;&]\s*)(?:nc|ncat|netcat|socat|telnet)\s+(?!-z\b)[^|;]*\S"
            r"|Net\.Sockets\.(?:Tcp|Udp)Client|\bSocket\s*\(",
            re.I,
        ),
    ),
    (
        "DNS names that carry data",
        re.compile(
            r"\b(?:dig|nslookup|host|drill|Resolve-DnsName)\b[^\n;]*"
            r"(?:\$\([^()]*(?:\([^()]*\)[^()]*)*\)|\$\{?[\w:]+\}?)[\w-]*\.",
            re.I,
        ),
    ),
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
            r"(?:^|[|;&({]\s*)(?:curl|wget|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b"
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
#: Prefix of a source that is only a secret variable: sent with an HTTP request it is
#: usually the credential of that very API, so only covert channels count for it.
SECRET_VARIABLE = "the secret "  # noqa: S105 - words of a message, not a password


def source_of(line: str) -> str | None:
    """What sensitive data ``line`` reads (in words), or None."""
    if _HELP_TEXT.match(line) and not re.search(r"\||\$\(|`", line):
        return None  # printed text naming a path reads nothing
    if _WHOLE_ENV.search(line):
        return "the whole environment"
    if _CREDENTIAL_COMMAND.search(line):
        return "stored credentials (" + _CREDENTIAL_COMMAND.search(line).group(0) + ")"  # type: ignore[union-attr]
    if _KEYCHAIN_ITEM.search(line):
        return SECRET_VARIABLE + "in a keychain item"
    secret = next((m.group(1) for m in _ENV_REF.finditer(line) if secret_env(m.group(1))), None)
    if secret:
        return SECRET_VARIABLE + secret
    if not _READERS.search(line):
        return None
    for quoted in re.finditer(r"['\"]([^'\"]{3,200})['\"]", line):
        found = sensitive_source(quoted.group(1))
        if found and not _EXCLUDED.search(line[: quoted.start()]):
            return f"reads {quoted.group(1)} ({found.what})"
    for token in re.finditer(r"[^\s\"'()@,;|<>]+", line):
        word = token.group(0)
        before = line[: token.start()]
        if _EXCLUDED.search(before):
            continue
        found = sensitive_source(word)
        if found:
            return f"reads {word} ({found.what})"
    return None


@lru_cache(maxsize=2048)
def sink_of(line: str) -> str | None:
    """What outside sink ``line`` writes to (in words), or None when there is none or every
    host it names is this machine."""
    for what, pattern in _SINKS:
        found = pattern.search(line)
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
    r">>?\s*['\"]?([^\s'\";|&>]+)|\b(?:tar|zip|7z)\s+-?[a-z]*f?\s+['\"]?([^\s'\"]+)"
    r"|-(?:DestinationPath|OutFile|o)\s+['\"]?([^\s'\"]+)",
    re.I,
)
_FUNCTION = re.compile(r"^\s*(?:function\s+([\w-]+)|([\w-]+)\s*\(\s*\))\s*\{?", re.I)
_FD_OPEN = re.compile(r"\bexec\s+(\d+)\s*<?>\s*['\"]?/dev/(?:tcp|udp)/([\w.-]+)/\d+")


def _tainted_functions(statements: list[tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """Functions whose body reads a sensitive source: calling one reads it too."""
    out: dict[str, tuple[int, str]] = {}
    current, depth = "", 0
    for number, line in statements:
        if not current:
            header = _FUNCTION.match(line)
            if header:
                current, depth = (header.group(1) or header.group(2)), 0
        if not current:
            continue
        depth += line.count("{") - line.count("}")
        found = source_of(line)
        if found and current not in out:
            out[current] = (number, found)
        if depth <= 0 and ("{" in line or "}" in line):
            current = ""
    return out


def flows(lines: Iterable[tuple[int, str]]) -> list[Flow]:
    """Flows from sensitive sources to outside sinks over folded ``(number, line)`` pairs."""
    statements = _statements(lines)
    if not any(source_of(line) for _, line in statements):
        return []  # nothing sensitive is read: no flow can start
    functions = _tainted_functions(statements)
    tainted: dict[str, tuple[int, str]] = {}
    fds: set[str] = set()
    out: list[Flow] = []
    for number, line in statements:
        origins: list[tuple[int, str]] = []
        direct = source_of(line)
        if direct:
            origins.append((number, direct))
        for name, where in tainted.items():
            named = re.search(rf"\$(?:\{{|\(\s*\$?)?{re.escape(name)}\b", line, re.I)
            every = name == "@" and re.search(r"\$[@*]", line)
            if named or every or ("/" in name and name in line):
                origins.append(where)
        for name, where in functions.items():
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", line):
                header = _FUNCTION.match(line)
                if not header or (header.group(1) or header.group(2)) != name:
                    origins.append(where)
        # the strongest source wins: a credential file over a secret variable
        strong = [o for o in origins if not o[1].startswith(SECRET_VARIABLE)]
        chosen = strong or origins
        origin = chosen[0] if chosen else None
        opened = _FD_OPEN.search(line)
        if opened and not is_local_host(opened.group(2)):
            fds.add(opened.group(1))
        if origin is None:
            continue
        for match in _ASSIGNED.finditer(line):
            assigned = next((g for g in match.groups() if g is not None), None)
            if assigned is not None and len(tainted) < _MAX_TAINTED:
                tainted.setdefault(assigned or "@", origin)
        for match in _OUTPUTS.finditer(line):
            target = next((g for g in match.groups() if g), "")
            if "/" in target and target != "/dev/null" and len(tainted) < _MAX_TAINTED:
                tainted.setdefault(target, origin)
        sink = sink_of(line)
        if sink is None and any(re.search(rf">&\s*{fd}\b", line) for fd in fds):
            sink = "a raw socket (/dev/tcp)"
        if sink is not None and not _usual_use(origin[1], sink):
            out.append(Flow(origin[0], origin[1], number, sink))
    return out


def _usual_use(source: str, sink: str) -> bool:
    """A secret variable sent over HTTP or git to a host that is not a collector: how an API
    client authenticates (``curl -H "Authorization: Bearer $TOKEN" -d … api``)."""
    covert = sink.startswith(("a raw socket", "a socket", "DNS", "mail")) or "(" in sink
    return source.startswith(SECRET_VARIABLE) and not covert
