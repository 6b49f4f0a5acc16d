"""The shell analyzer: find downloads or decoded data piped into an interpreter, in scripts
and in the shell code of markdown (parsing is in :mod:`.shell_parse`)."""

from __future__ import annotations

import re

from tank.scanner.analyzers.base import Context, Segment, is_shellish, markdown_code
from tank.scanner.analyzers.commands import check_parsed
from tank.scanner.analyzers.shell_gates import shell_gates
from tank.scanner.analyzers.shell_parse import (
    DOWNLOADERS,
    INTERPRETERS,
    Command,
    commands_of,
    shell_lines,
)
from tank.scanner.model import Finding, Severity
from tank.scanner.rules import RuleSet

__all__ = ["KNOWN_INSTALLERS", "WARNING_CONTEXT", "analyze_shell"]

#: Hosts that publish their own install scripts; piping them into a shell is a habit, not an
#: attack, and is reported as a low note. A copy of this habit from any other host is critical.
KNOWN_INSTALLERS = re.compile(
    r"^(?:astral\.sh|bun\.sh|sh\.rustup\.rs|get\.docker\.com|deno\.land|install\.python-poetry\.org"
    r"|raw\.githubusercontent\.com/(?:nvm-sh|Homebrew|ohmyzsh)/|get\.pnpm\.io|ollama\.com"
    r"|claude\.ai/install\.sh|cli\.github\.com|starship\.rs|pyenv\.run|fnm\.vercel\.app"
    r"|opencode\.ai/install|tailscale\.com/install\.sh)",
    re.IGNORECASE,
)
WARNING_CONTEXT = re.compile(
    r"\b(?:never|don'?t|do not|avoid|attackers?|malicious|malware|red flags?|beware|"
    r"example of|detects?|flags?|suspicious)\b",
    re.IGNORECASE,
)


#: What a line needs for any shell rule to fire: a pipe or a substitution (an interpreter fed
#: by a download or a decoder), or git or a package manager (the command checks). Parsing
#: costs about half a millisecond a line in bashlex; a long API doc has thousands of them.
_WORTH_PARSING = re.compile(
    r"[|`]|\$\(|<\(|\b(?:git|pip3?|pipx|npm|npx|pnpm|pnpx|yarn|bun|bunx|uvx?|poetry|pdm"
    r"|conda|mamba)\b"
)


def _segments(text: str, kind: str) -> list[Segment]:
    if kind != "markdown":
        return [Segment(text, 1)]
    segments = [s for lang, s in markdown_code(text) if is_shellish(lang)]
    # Prose may say "run curl … | bash" without any code formatting.
    segments += [
        Segment(line, n + 1)
        for n, line in enumerate(text.split("\n"))
        if "|" in line and re.search(r"\b(?:curl|wget|iwr|base64)\b", line)
    ]
    return segments


def analyze_shell(path: str, text: str, kind: str, context: Context) -> list[Finding]:
    """Findings over the shell code in ``text`` (a script, or a markdown file's shell code):
    downloads or decoded data piped into interpreters, gated payloads, and the command
    checks (git exfiltration, typosquatted installs)."""
    rules = context.rules
    out: dict[int, Finding] = {}
    lines = text.split("\n")
    parsed: list[tuple[int, Command]] = []
    warned: set[int] = set()
    extra: list[Finding] = []
    for segment in _segments(text, kind):
        for number, line in shell_lines(segment):
            around = "\n".join(lines[max(number - 2, 0) : number])
            quoted = bool(WARNING_CONTEXT.search(around))
            if quoted:
                warned.add(number)
            if not _WORTH_PARSING.search(line):
                continue
            for pipeline in commands_of(line):
                parsed.extend((number, c) for top in pipeline for c in top.walk())
                rule_id = _pipeline_rule(pipeline)
                if rule_id is None or number in out:
                    continue
                rule = rules[rule_id]
                severity, note = None, ""
                hosts = [m.group(0).split("://", 1)[1] for m in re.finditer(r"https?://\S+", line)]
                if (
                    rule_id == "shell.download_exec"
                    and hosts
                    and all(KNOWN_INSTALLERS.match(h) for h in hosts)
                ):
                    severity, note = Severity.LOW, " (a vendor's own installer)"
                if quoted:
                    severity, note = Severity.LOW, " (quoted as a warning)"
                out[number] = Finding.of(
                    rule, path, number, line, rule.title + note, severity=severity
                )
        extra.extend(_gates(path, segment, lines, rules))
    extra.extend(check_parsed(path, parsed, context, warned))
    return [*out.values(), *extra]


def _gates(path: str, segment: Segment, lines: list[str], rules: RuleSet) -> list[Finding]:
    out = []
    for number, gate, actions in shell_gates(segment.text, segment.line):
        around = "\n".join(lines[max(number - 2, 0) : number])
        low = bool(WARNING_CONTEXT.search(around))
        out.append(
            Finding.of(
                rules["shell.gated_payload"],
                path,
                number,
                lines[number - 1] if 0 < number <= len(lines) else "",
                f"{', '.join(sorted(actions))} gated on {gate}"
                + (" (quoted as a warning)" if low else ""),
                severity=Severity.LOW if low else None,
            )
        )
    return out


def _pipeline_rule(pipeline: list[Command]) -> str | None:
    fed_download = fed_decode = False
    for command in pipeline:
        names = {c.name for c in command.walk()}
        inner = {c.name for c in command.walk() if c is not command}
        words = set(command.words)
        if command.name in INTERPRETERS:
            if fed_download or inner & DOWNLOADERS:
                return "shell.download_exec"
            if fed_decode or any(_decodes(c) for c in command.walk() if c is not command):
                return "shell.decode_exec"
        if names & DOWNLOADERS:
            fed_download = True
        if _decodes(command) or (command.name in ("openssl", "xxd") and words & {"-d", "-r"}):
            fed_decode = True
    return None


def _decodes(command: Command) -> bool:
    return command.name in ("base64", "base32", "gbase64") and bool(
        set(command.words) & {"-d", "--decode", "-D", "-di", "-id"}
    )
