"""Capability inference: what the code does (hosts, programs, secrets, writes) against what
skills.json declares. Each use beyond the declaration is an ``undeclared`` finding naming the
permission to add: a skill may only do what it declares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tank.core.permissions import Permissions, domain_matches, path_matches
from tank.scanner.analyzers.base import (
    is_shellish,
    lead_in,
    line_at,
    line_offset,
    markdown_code,
)
from tank.scanner.analyzers.sensitive import URL
from tank.scanner.analyzers.shell import WARNING_CONTEXT
from tank.scanner.analyzers.vendors import vendor_installer
from tank.scanner.capabilities_env import secrets_by_computed_name
from tank.scanner.capabilities_fs import FsUses, file_uses
from tank.scanner.capabilities_generic import generic_uses, language_of
from tank.scanner.capabilities_hosts import covered_pattern, suffix_of
from tank.scanner.capabilities_md import (
    commands_told,
    own_names,
    path_told,
    runs_a_program,
    url_told,
)
from tank.scanner.capabilities_model import Capabilities, Where, add_host
from tank.scanner.capabilities_paths import covered, creates_parent, outside_path
from tank.scanner.capabilities_ps import powershell_uses
from tank.scanner.knowledge import is_local_host, secret_env, sensitive_source
from tank.scanner.model import Finding, Severity
from tank.scanner.rules import RuleSet

__all__ = ["Capabilities", "infer", "undeclared"]

_JS_NET = re.compile(r"\b(?:fetch|axios|got|request|https?\.(?:get|request)|WebSocket)\s*[.(]")


def infer(files: Mapping[str, tuple[str, str]]) -> Capabilities:
    """Capabilities of ``path -> (kind, text)`` text files (python, shell and js)."""
    caps = Capabilities()
    uses, patterns = FsUses(), dict[str, Where]()
    for path, (kind, text) in sorted(files.items()):
        hosts = dict(caps.hosts)
        if kind == "python":
            # loaded for Python files only: its AST folding is the heaviest import here
            from tank.scanner.capabilities_py import python_uses

            python_uses(path, text, caps)
        elif kind == "shell":
            _shell(path, text, caps)
        elif kind == "powershell":
            _powershell(path, text, caps)
        elif kind == "markdown" and path.rsplit("/", 1)[-1].lower() == "skill.md":
            _markdown(path, text, caps, own_names(files))
        elif kind == "js":
            _js(path, text, caps)
        elif kind == "any" and (language := language_of(path, text)) is not None:
            generic_uses(path, text, language, caps)
        if _TEST_FILE.search(path):
            # a test's URLs are fixtures and mocks: the skill never connects to them
            caps.hosts = {h: w for h, w in caps.hosts.items() if h in hosts or w[0] != path}
        file_uses(path, kind, text, uses, patterns)
    for target, where in uses.reads.items():
        caps.reads.setdefault(target, where)
    caps.folders = uses.folders
    for target, where in uses.writes.items():
        caps.writes.setdefault(target, where)
    for pattern, where in patterns.items():
        if not is_local_host(suffix_of(pattern)):
            caps.host_patterns.setdefault(pattern, where)
    secrets_by_computed_name(files, caps)
    return caps


_TEST_FILE = re.compile(
    r"(?:^|/)(?:tests?|__tests__|spec|fixtures)/|(?:^|/)test_[^/]*$|[._-](?:test|spec)\.\w+$"
)


#: Quoted strings: what ``echo``/``printf`` print (help text naming paths and URLs).
_QUOTED = re.compile(r"'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"")
#: A User-Agent names a project URL; nobody connects to it.
_USER_AGENT = re.compile(
    r"(?:-A|--user-agent)\s+(?:'[^']*'|\"[^\"]*\"|\S+)|User-Agent:[^'\"]*", re.I
)
#: A network program where a command starts (line start, after a pipe, ``;``, ``&&``,
#: ``$(``, a backtick or a wrapper such as ``sudo``): cheaper than parsing every line.
_NET_COMMAND = re.compile(
    r"(?:^|[|;&({`=]\s*|\b(?:sudo|env|exec|command|time|nohup|then|do)\s+)(?:-\S+\s+)*"
    r"(?:curl|wget|nc|ncat|netcat|ssh(?!\s+-[GVQ]\b)|scp|rsync|socat|telnet|sftp|aria2c|iwr|irm"
    r"|Invoke-WebRequest|Invoke-RestMethod)(?=\s|$)",
    re.IGNORECASE,
)
_UNIX_SOCKET = re.compile(
    r"--unix-socket\b|\bnc\b[^|;]*\s-U\b|UNIX-(?:CONNECT|LISTEN|CLIENT):", re.I
)


def _shell(path: str, text: str, caps: Capabilities, first: int = 1) -> None:
    for number, line in enumerate(text.split("\n"), start=first):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        for var in re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", line):
            if secret_env(var):
                caps.secrets.setdefault(var, (path, number))
        if caps.subprocess is None and runs_a_program(stripped):
            caps.subprocess = (path, number)  # a script's commands are programs it runs
            caps.commands_only = True
        unquoted = _QUOTED.sub("''", stripped)
        if _NET_COMMAND.search(unquoted) and not _UNIX_SOCKET.search(line):
            caps.network = caps.network or (path, number)
            for match in URL.finditer(_USER_AGENT.sub(" ", line)):
                add_host(match.group(1), (path, number), caps)
        code = _QUOTED.sub(lambda m: m.group(0) if _redirect_target(m) else "''", line)
        if re.match(r"\s*(?:echo|printf)\b", code) and ">" not in code:
            continue
        for target in re.findall(r"(?<![0-9&])>>?\s*['\"]?(~/[^\s;&|'\"]+)", code):
            caps.writes.setdefault(target, (path, number))
    for host, at in _function_argument_hosts(text):
        add_host(host, (path, at + first - 1), caps)


def _function_argument_hosts(text: str) -> list[tuple[str, int]]:
    """URLs passed (after folding) to the script's own functions that use the network:
    ``fetch() { curl "$1/x"; }`` then ``fetch "$mirror"`` reaches the mirror's host."""
    if not _NET_COMMAND.search(_QUOTED.sub("''", text)):
        return []
    from tank.scanner.analyzers.shell_fold import fold_shell
    from tank.scanner.analyzers.shell_functions import functions, passed_urls

    lines = text.split("\n")
    networked = [
        f
        for f in functions(enumerate(lines, start=1))
        if any(
            _NET_COMMAND.search(_QUOTED.sub("''", line.strip()))
            for line in lines[f.first - 1 : f.last]
        )
    ]
    if not networked:
        return []
    folded = fold_shell(text).lines
    out = []
    for function in networked:
        for number, urls in passed_urls(folded, function):
            for url in urls:
                host = URL.match(url)
                if host is not None:
                    out.append((host.group(1), number))
    return out


def _powershell(path: str, text: str, caps: Capabilities) -> None:
    """PowerShell's uses (:mod:`.capabilities_ps`): secrets, the network, programs, writes."""
    found = powershell_uses(path, text)
    caps.network = caps.network or found.network
    for host, where in found.hosts:
        add_host(host, where, caps)
    for name, where in found.secrets.items():
        caps.secrets.setdefault(name, where)
    for target, where in found.writes.items():
        caps.writes.setdefault(target, where)
    if caps.subprocess is None and found.subprocess is not None:
        caps.subprocess = found.subprocess
        caps.commands_only = True


def _redirect_target(match: re.Match[str]) -> bool:
    """Whether a quoted string is the target of a redirection (``> "~/.x"``), kept."""
    before = match.string[: match.start()].rstrip()
    return before.endswith(">")


def _markdown(path: str, text: str, caps: Capabilities, own: frozenset[str]) -> None:
    """The commands a SKILL.md tells the agent to run count like a script's: running them is
    ``subprocess`` (``capabilities_md``), and their network use (``curl https://…``) is the
    skill's; commands quoted as warnings ("attackers run …") and vendors' installers of
    prerequisites do not count."""
    lines = text.split("\n")
    code_text = "\n".join(s.text for lang, s in markdown_code(text) if is_shellish(lang))
    for language, segment in markdown_code(text):
        if not is_shellish(language) or not 0 < segment.line <= len(lines):
            continue
        start = line_offset(text, segment.line)
        start += max(lines[segment.line - 1].find(segment.text[:30]), 0)
        if WARNING_CONTEXT.search(lead_in(text, start)):
            continue
        # installing a prerequisite from its vendor is the user's setup, not the skill's traffic
        code = "\n".join(
            "" if any(vendor_installer(u, code_text) for u in _URLS.findall(line)) else line
            for line in segment.text.split("\n")
        )
        told_path = path_told(code, _preceding(text, start)) if language == "inline" else False
        read = outside_path(code.strip()) if told_path else None
        if read is not None:
            caps.reads.setdefault(read, (path, segment.line))
        told = commands_told(language, code, _preceding(text, start), own)
        if told is not None and caps.subprocess is None:
            caps.subprocess = (path, segment.line + told)
            caps.commands_only = True
        # Only the network and programs count here: a write or a variable in instructions is the
        # user's own setup ("add this alias to ~/.bashrc"), shown by the shell rules. A code
        # span in a sentence that does not tell to run it only names a command ("`iwr` lines
        # are rejected").
        if language == "inline" and url_told(segment.text, _preceding(text, start)):
            caps.network = caps.network or (path, segment.line)
            for match in URL.finditer(segment.text):
                add_host(match.group(1), (path, segment.line), caps)
            continue
        if language == "inline" and told is None:
            continue
        found = Capabilities()
        _shell(path, code, found, segment.line)
        caps.network = caps.network or found.network
        for host, where in found.hosts.items():
            caps.hosts.setdefault(host, where)


_URLS = re.compile(r"https://[^\s'\"|;)]+")


def _preceding(text: str, start: int) -> str:
    """The prose right before a code segment, without its opening backticks or fence."""
    return text[max(0, start - 300) : start].rstrip("`~ \n\t").removesuffix("`").rstrip()


#: JS test files: the URLs in them are fixtures, not hosts the skill reaches.
_JS_TEST = re.compile(r"(?:^|/)(?:__tests__|tests?|spec)/|\.(?:test|spec)\.[cm]?[jt]sx?$")
#: A URL inside a User-Agent string (``'User-Agent': 'x (https://…)'``, ``'x/1.0 (+https://…'``)
#: names the client's home page: the request goes elsewhere. Only the text *before* the URL
#: counts, inside the same string, so a trailing comment cannot hide a host.
_JS_NOT_A_HOST = re.compile(
    r"User-Agent['\"]?\s*[:=,]\s*['\"`][^'\"`]*$|['\"`][\w.-]+/[\w.-]+\s*\(\+?$", re.IGNORECASE
)


def _js(path: str, text: str, caps: Capabilities) -> None:
    network = bool(_JS_NET.search(text))
    if network:
        caps.network = caps.network or (path, line_at(text, _JS_NET.search(text).start()))  # type: ignore[union-attr]
    for match in URL.finditer(text) if not _JS_TEST.search(path) else ():
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()].lstrip()
        if network and not line.startswith(("//", "*", "/*")) and not _JS_NOT_A_HOST.search(line):
            add_host(match.group(1), (path, line_at(text, match.start())), caps)
    found = re.search(r"child_process|\bexecSync\b|\bspawnSync\b", text)
    if found:
        caps.subprocess = caps.subprocess or (path, line_at(text, found.start()))
        caps.commands_only = False
    for match in re.finditer(r"process\.env(?:\.|\[['\"])([A-Z][A-Z0-9_]*)", text):
        if secret_env(match.group(1)):
            caps.secrets.setdefault(match.group(1), (path, line_at(text, match.start())))


def undeclared(caps: Capabilities, declared: Permissions | None, rules: RuleSet) -> list[Finding]:
    """A finding per use beyond ``declared``; low notes when there is no skills.json at all."""
    granted = declared or Permissions.none()
    severity = None if declared is not None else Severity.LOW
    suffix = "" if declared is not None else " (the skill has no skills.json)"
    out: list[Finding] = []

    def add(rule_id: str, where: Where, message: str, quiet: bool = False) -> None:
        # What SKILL.md tells the agent to run is shown, at medium: the agent asks before
        # running it, unlike the skill's own scripts. ``quiet``: without skills.json, a note
        # that only says a shell script or SKILL.md runs commands is information, not a
        # finding to act on (every such skill does).
        told = where[0].lower().endswith(".md") and severity is None
        out.append(
            Finding.of(
                rules[rule_id],
                where[0],
                where[1],
                message,
                message + (" (SKILL.md tells the agent to do this)" if told else suffix),
                severity=Severity.MEDIUM if told else Severity.INFO if quiet else severity,
            )
        )

    for host, where in sorted(caps.hosts.items()):
        if not any(domain_matches(p, host) for p in granted.outbound):
            add(
                "capability.undeclared_network",
                where,
                f'reaches {host}: add "{host}" to permissions.network.outbound',
            )
    for pattern, where in sorted(caps.host_patterns.items()):
        if not covered_pattern(pattern, granted.outbound):
            wildcard = "*." + suffix_of(pattern)
            add(
                "capability.undeclared_network",
                where,
                f"builds hosts like {pattern} at run time: add "
                f'"{wildcard}" to permissions.network.outbound',
            )
    if caps.network and not (caps.hosts or caps.host_patterns) and granted.network is None:
        add(
            "capability.undeclared_network",
            caps.network,
            "uses the network: declare the hosts it reaches in permissions.network.outbound",
        )
    if caps.subprocess and not granted.subprocess:
        add(
            "capability.undeclared_subprocess",
            caps.subprocess,
            'runs other programs: set "subprocess": true in permissions',
            quiet=caps.commands_only and declared is None,
        )
    for name, where in sorted(caps.secrets.items()):
        if name not in granted.secrets:
            add(
                "capability.undeclared_secret",
                where,
                f'reads the secret {name}: add "{name}" to permissions.secrets',
            )
    for target, where in sorted(caps.writes.items()):
        write = granted.filesystem.write
        if target in caps.folders and creates_parent(target, write):
            continue  # mkdir -p of the folder a declared write lies in
        if not any(path_matches(g, target) for g in write) and not covered(target, write):
            add("capability.undeclared_write", where, _path_message("writes", target, "write"))
    for target, where in sorted(caps.reads.items()):
        # an absolute path cannot be granted: reading one (/etc/ssh/ssh_config) is only
        # named when it is sensitive (other rules say why)
        system = target.startswith("/") and sensitive_source(target) is None
        # a place the skill may write it may read back, as in the sandbox, where a writable
        # path is visible; secrets still need a read grant of their own
        readable = granted.filesystem.read
        if sensitive_source(target) is None:
            readable = (*readable, *granted.filesystem.write)
        if not system and not covered(target, readable):
            add("capability.undeclared_read", where, _path_message("reads", target, "read"))
    return out


def _path_message(verb: str, target: str, kind: str) -> str:
    if target.startswith("/"):
        return (
            f"{verb} {target}, outside the project and the home folder, which no permission "
            f"grants: use a path under ./ or ~/ and add it to permissions.filesystem.{kind}"
        )
    return f'{verb} {target}: add "{target}" to permissions.filesystem.{kind}'
