"""The PowerShell analyzer: ``.ps1``/``.psm1`` scripts and the PowerShell code of markdown.

PowerShell is not shell: it is read here with its own folding (:mod:`.ps_fold`), so that
char arrays, ``-join``, reversed strings, ``[char]`` codes and ``-EncodedCommand`` payloads
are seen as what they run. On the folded lines (comments dropped, so text an author
appends cannot excuse a command): download-and-run (the exception for a vendor's installer
looks at the URL actually fetched), encoded commands (decoded and rescanned), DPAPI
unwrapping of browser keys, persistence (scheduled tasks, Run keys, the Startup folder),
Defender tampering, and flows from sensitive sources to outside sinks (:mod:`.shell_flow`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from tank.scanner.analyzers.base import Context, Segment, lead_in, line_offset, markdown_code
from tank.scanner.analyzers.ps_flow import ps_flows, senders
from tank.scanner.analyzers.ps_fold import decode_encoded_command, fold_script
from tank.scanner.analyzers.shell import WARNING_CONTEXT
from tank.scanner.analyzers.shell_flow import flows
from tank.scanner.analyzers.vendors import vendor_installer
from tank.scanner.model import Evidence, Finding, Severity

__all__ = ["POWERSHELL_LANGUAGES", "analyze_powershell", "looks_like_powershell"]

POWERSHELL_LANGUAGES = frozenset({"powershell", "ps1", "pwsh", "ps", "posh"})
#: ``Invoke-WebRequest URL -OutFile P`` / ``.DownloadFile(URL, P)``: where a download lands.
_SAVED = re.compile(
    r"(?:\b(?:Invoke-WebRequest|iwr|curl|wget|Start-BitsTransfer)\b[^\n]*?"
    r"-(?:OutFile|Destination)\s+|\.DownloadFile\(\s*[^,]+,\s*)(['\"]?)([^'\"\s,)]+)\1",
    re.I,
)
_PROGRAMS = (".exe", ".msi", ".ps1", ".bat", ".cmd", ".scr", ".dll", ".vbs", ".js")
_STARTS = re.compile(r"\b(?:Start-Process|saps|Invoke-Item|ii)\b|(?:^|[;|{(]\s*)&\s*", re.I)
_MAX_DEPTH = 3

_RUNS = r"(?:\biex\b|\binvoke-expression\b|\[scriptblock\]::create|\.invokescript\b|&\s*\()"
_FETCH = (
    r"(?:\.download(?:string|data|file)\w*\s*\(|\binvoke-webrequest\b|\binvoke-restmethod\b"
    r"|\biwr\b|\birm\b|\bnet\.webclient\b|\bstart-bitstransfer\b)"
)
_DOWNLOAD_EXEC = re.compile(
    rf"{_RUNS}[^\n]{{0,300}}?{_FETCH}|{_FETCH}[^\n]{{0,300}}?\|\s*(?:iex|invoke-expression)\b",
    re.I,
)
_PROSE_CRADLE = re.compile(
    r"\b(?:irm|iwr|Invoke-RestMethod|Invoke-WebRequest)\s+\S*https?://\S+\s*\|\s*(?:iex|Invoke-Expression)\b",
    re.I,
)
_URL = re.compile(r"https?://[^\s'\"()`|;]+", re.I)
#: A fetch cmdlet's scheme-less argument (``irm get.scoop.sh | iex``): the form some vendors
#: document. It counts as a vendor's installer only when the host is listed in
#: installers.yaml (the self-named-domain test is for https URLs only).
_BARE_FETCH = re.compile(
    r"\b(?:irm|iwr|invoke-restmethod|invoke-webrequest)\s+(?:-uri\s+)?['\"]?"
    r"([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+(?:/[^\s'\"()`|;]*)?)(?=['\"]?\s*[|)])",
    re.I,
)
#: A single-quoted PowerShell string (never interpolated), and the regex syntax that makes
#: one a pattern to match commands against (a deny-list), not a command.
_SINGLE = re.compile(r"'(?:[^']|'')*'")
_REGEX_SYNTAX = re.compile(r"\\[bswd]|\(\?|\[\^|\.\*")
#: What runs or stores a string as code: then a pattern-looking string is still code.
_RUNS_TEXT = re.compile(
    r"\b(?:iex|Invoke-Expression|Invoke-Command|icm|ScriptBlock\]::Create|Set-Content"
    r"|Add-Content|Out-File|New-ScheduledTaskAction|Register-\w+)\b|-(?:c|Command|enc\w*)\b",
    re.I,
)


def patterns_blanked(line: str) -> str:
    """``line`` with its single-quoted regular expressions (deny-lists of commands) emptied:
    what they name is matched against, never run."""
    return _SINGLE.sub(lambda m: "''" if _REGEX_SYNTAX.search(m.group(0)) else m.group(0), line)


def _a_pattern(line: str, found: re.Match[str]) -> bool:
    """Whether a download-and-run match lies inside a single-quoted regular expression
    (``$Deny = 'Invoke-Expression|\\biex\\b|DownloadString'``) on a line that neither runs
    nor stores text as code."""
    for literal in _SINGLE.finditer(line):
        if literal.start() <= found.start() and found.end() <= literal.end():
            outside = line[: literal.start()] + line[literal.end() :]
            return bool(_REGEX_SYNTAX.search(literal.group(0))) and not _RUNS_TEXT.search(outside)
    return False


_DPAPI = re.compile(r"ProtectedData\]?::Unprotect|CryptUnprotectData|Unprotect-CmsMessage", re.I)
_BROWSER_KEY = re.compile(r"Local State|encrypted_key|Login Data|\bCookies\b|key4\.db", re.I)
_PERSIST = re.compile(
    r"\bRegister-ScheduledTask\b|\bNew-ScheduledTask\w*\b[^\n]*-AtLogOn|\bschtasks(?:\.exe)?\s+/create\b"
    r"|(?:Set|New)-ItemProperty\b[^\n]*CurrentVersion\\Run(?:Once)?\b"
    r"|\breg(?:\.exe)?\s+add\b[^\n]*CurrentVersion\\Run\b"
    r"|\\Start Menu\\Programs\\Startup\b|\[Environment\]::GetFolderPath\(\s*'Startup'\s*\)"
    r"|\bRegister-WmiEvent\b|__EventFilter|CommandLineEventConsumer",
    re.I,
)
_DEFENDER = re.compile(
    r"\b(?:Set|Add)-MpPreference\b[^\n]*-(?:Exclusion\w+|Disable\w+)"
    r"|\bSet-MpPreference\b[^\n]*-(?:DisableRealtimeMonitoring|MAPSReporting\s+0)",
    re.I,
)
#: An encoded-command argument, whatever its value (a literal, or a variable read from a
#: config file): ``-ec``/``-enc``/``-EncodedCommand`` anywhere, bare ``-e`` next to powershell.
_ENC_ARG = re.compile(
    r"(?<![\w-])-(?:ec|en|enc|enco|encod|encode|encoded|encodedc\w*)\s+\S"
    r"|\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]*?(?<![\w-])-e\s+\S",
    re.I,
)
_ASSIGNS = re.compile(r"^\s*\$(\w+)\s*=")
_TASK_ACTION = re.compile(r"\bNew-ScheduledTaskAction\b", re.I)
_HIDDEN = re.compile(r"-(?:w|win|window|windowstyle)\s+hidden|-Hidden\b|-NonI\b", re.I)
_MARKERS = re.compile(
    r"\b(?:Invoke-\w+|Get-\w+|Set-\w+|New-Object|Write-Host|\$env:\w+|iex|irm|iwr)\b", re.I
)


def looks_like_powershell(text: str) -> bool:
    """Whether a code block with no language reads as PowerShell (cmdlets, ``$env:``)."""
    return len(_MARKERS.findall(text[:4000])) >= 1 and not re.search(
        r"^\s*(?:sudo|apt|brew|export)\b", text, re.M
    )


def _segments(text: str, kind: str) -> list[Segment]:
    if kind != "markdown":
        return [Segment(text, 1)]
    out = []
    for language, segment in markdown_code(text):
        if language in POWERSHELL_LANGUAGES or (
            language in ("", "inline", "cmd", "bat", "console")
            and looks_like_powershell(segment.text)
        ):
            out.append(segment)
    # Prose may say "run irm https://… | iex" without code formatting: only that tight shape
    # (a fetch piped into iex on one line), never the two words anywhere on a long line.
    out += [
        Segment(line, number)
        for number, line in enumerate(text.split("\n"), start=1)
        if _PROSE_CRADLE.search(line) and "`" not in line
    ]
    return out


def analyze_powershell(path: str, text: str, kind: str, context: Context) -> list[Finding]:
    """Findings over the PowerShell in ``text`` (a script, or a markdown file's PS code)."""
    out: list[Finding] = []
    for segment in _segments(text, kind):
        out.extend(_analyze(path, segment.text, segment.line - 1, context, 0, kind))
    if kind != "markdown":
        return out
    lines = text.split("\n")
    return [_quoted(f, text, lines) for f in out]


def _quoted(finding: Finding, text: str, lines: list[str]) -> Finding:
    """A finding in markdown whose lead-in prose quotes it as a warning, as a low note."""
    number = finding.line
    if not 0 < number <= len(lines) or finding.severity is Severity.LOW:
        return finding
    at = max(lines[number - 1].find(finding.snippet[:30]), 0)
    if not WARNING_CONTEXT.search(lead_in(text, line_offset(text, number) + at)):
        return finding
    return replace(
        finding, severity=Severity.LOW, message=finding.message + " (quoted as a warning)"
    )


def _analyze(
    path: str, text: str, offset: int, context: Context, depth: int, kind: str = "powershell"
) -> list[Finding]:
    rules = context.rules
    folded = fold_script(text)
    out: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    whole = "\n".join(line for _, line in folded.lines)

    def add(rule_id: str, number: int, line: str, message: str, **extra: object) -> None:
        if (rule_id, number) in seen:
            return
        seen.add((rule_id, number))
        out.append(Finding.of(rules[rule_id], path, number + offset, line, message, **extra))  # type: ignore[arg-type]

    browser_key = bool(_BROWSER_KEY.search(whole))
    saved: dict[str, tuple[int, list[str]]] = {}
    encoded: dict[str, int] = {}  # variables holding a command line that runs encoded code
    for number, line in folded.lines:
        carries = _ENC_ARG.search(line) or any(
            re.search(rf"\${re.escape(name)}\b", line, re.I) for name in encoded
        )
        assigned = _ASSIGNS.match(line)
        if carries and assigned and len(encoded) < 100:
            encoded.setdefault(assigned.group(1).lower(), number)
        if carries and (_PERSIST.search(line) or _TASK_ACTION.search(line)) and not assigned:
            add(
                "powershell.encoded_persistence",
                number,
                line,
                "registers an encoded command (code nobody can read) to run at logon or on a"
                " schedule",
            )
        landed = _SAVED.search(line)
        target = landed.group(2).lower() if landed else ""
        if target.endswith(_PROGRAMS) or target.startswith("$"):
            saved[target] = (number, _URL.findall(line))
        for name, (saved_at, urls) in saved.items() if _STARTS.search(line) else ():
            vendor = bool(urls) and all(vendor_installer(u) for u in urls)
            if re.search(rf"{re.escape(name)}\b", line, re.I) and saved_at != number and not vendor:
                add(
                    "powershell.download_run",
                    number,
                    line,
                    f"runs {name}, downloaded on line {saved_at + offset}",
                )
        found = _DOWNLOAD_EXEC.search(line)
        if found and _a_pattern(line, found):
            found = None
        if found:
            urls = _URL.findall(found.group(0)) or _URL.findall(line)
            vendor = bool(urls) and all(vendor_installer(u) for u in urls)
            bare = [] if urls else _BARE_FETCH.findall(found.group(0))
            if bare and all(_listed_vendor(b) for b in bare):
                vendor = True
            if not vendor:
                where = f" from {_host_of(urls[0])}" if urls else ""
                add(
                    "shell.powershell_download_exec",
                    number,
                    line,
                    f"downloads code{where} and runs it",
                )
        for decoded in decode_encoded_command(line):
            hidden = " in a hidden window" if _HIDDEN.search(line) else ""
            add(
                "powershell.encoded_command",
                number,
                line,
                f"runs a base64-encoded command{hidden}: {decoded[:120]}",
            )
            if depth < _MAX_DEPTH:
                out.extend(_analyze(path, decoded, number - 1 + offset, context, depth + 1, kind))
        if _DPAPI.search(line) and browser_key:
            add(
                "powershell.browser_credential_theft",
                number,
                line,
                "unwraps the browser's DPAPI-protected key, which decrypts its saved logins"
                " and cookies",
            )
        if _PERSIST.search(line):
            add("powershell.persistence", number, line, "registers itself to run again later")
        if _DEFENDER.search(line):
            add(
                "powershell.defender_tamper",
                number,
                line,
                "turns Microsoft Defender off for some files or entirely",
            )
    functions = senders(context.files, (path, text)) if kind != "markdown" else {}
    line_text = dict(folded.lines)

    def leak(
        line: int, source: str, source_line: int, sink: str, sink_path: str, sink_line: int
    ) -> None:
        add(
            "shell.secret_flow",
            line,
            line_text.get(line, ""),
            f"{source} (line {source_line}) and sends it out through {sink}",
            evidence=(
                Evidence("source", path, source_line, source),
                Evidence("sink", sink_path, sink_line, sink),
            ),
        )

    for module_flow in ps_flows(path, folded.lines, functions):
        leak(
            module_flow.line,
            module_flow.source,
            module_flow.source_line + offset,
            module_flow.sink,
            module_flow.sink_path,
            module_flow.sink_line,
        )
    for flow in flows(folded.lines):
        leak(
            flow.sink_line,
            flow.source,
            flow.source_line + offset,
            flow.sink,
            path,
            flow.sink_line + offset,
        )
    return out


def _host_of(url: str) -> str:
    """The host of ``url`` for a message; the URL itself when it does not parse."""
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _listed_vendor(location: str) -> bool:
    """Whether a scheme-less fetch target (``get.scoop.sh``) is a listed vendor installer."""
    return vendor_installer("https://" + location.strip("'\""))
