"""The shell analyzer: parse each command line (bashlex, or a tokenizer when bashlex cannot)
and find downloads or decoded data piped into an interpreter.

Pipelines are structure, not text: ``curl -s URL | sudo -E bash -``, ``bash <(curl URL)``
and ``sh -c "$(wget -qO- URL)"`` are one shape to the parser. Parsing never raises: a line
bashlex rejects (heredocs, odd quoting) is split on pipes and blanks instead.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tank.scanner.analyzers.base import Context, Segment, is_shellish, markdown_code
from tank.scanner.model import Finding, Severity

__all__ = ["Command", "analyze_shell", "commands_of", "shell_lines"]

DOWNLOADERS = frozenset(
    {
        "curl",
        "wget",
        "fetch",
        "iwr",
        "invoke-webrequest",
        "irm",
        "invoke-restmethod",
        "aria2c",
        "http",
        "lwp-download",
    }
)
INTERPRETERS = frozenset(
    {
        "sh",
        "bash",
        "zsh",
        "dash",
        "ksh",
        "fish",
        "python",
        "python3",
        "perl",
        "ruby",
        "node",
        "iex",
        "invoke-expression",
        "pwsh",
        "powershell",
        "eval",
        "source",
        ".",
    }
)
_WRAPPERS = frozenset({"sudo", "env", "command", "exec", "nohup", "time", "doas"})
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


@dataclass(frozen=True, slots=True)
class Command:
    """A simple command: its words, and commands nested in ``$(…)``/``<(…)`` inside it."""

    words: tuple[str, ...]
    nested: tuple[Command, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        """The program run, past ``sudo``/``env`` and their flags and assignments."""
        for word in self.words:
            if word in _WRAPPERS or word.startswith("-") or re.match(r"^\w+=", word):
                continue
            return word.rsplit("/", 1)[-1].lower()
        return ""

    def walk(self) -> Iterator[Command]:
        """This command and every nested one."""
        yield self
        for inner in self.nested:
            yield from inner.walk()


def _from_node(node: Any) -> list[list[Command]]:
    """Pipelines (lists of commands) in a bashlex node."""
    kind = getattr(node, "kind", "")
    if kind == "pipeline":
        return [[c for part in node.parts for p in _from_node(part) for c in p]]
    if kind == "command":
        words: list[str] = []
        nested: list[Command] = []
        for part in node.parts:
            if getattr(part, "kind", "") == "word":
                words.append(part.word)
                for sub in getattr(part, "parts", []):
                    inner = getattr(sub, "command", None)
                    if inner is not None:
                        nested.extend(c for p in _from_node(inner) for c in p)
        return [[Command(tuple(words), tuple(nested))]]
    out: list[list[Command]] = []
    for child in [*getattr(node, "parts", []), *getattr(node, "list", [])]:
        out.extend(_from_node(child))
    inner = getattr(node, "command", None)
    if inner is not None:
        out.extend(_from_node(inner))
    return out


def _fallback(line: str) -> list[list[Command]]:
    pipelines = []
    for chunk in re.split(r"&&|\|\||;", line):
        commands = []
        for part in re.split(r"(?<!\|)\|(?!\|)", chunk):
            try:
                words = shlex.split(part, posix=True)
            except ValueError:
                words = part.split()
            nested = tuple(
                c
                for m in re.finditer(r"[$<]\(([^()]*)\)", part)
                for p in _fallback(m.group(1))
                for c in p
            )
            commands.append(Command(tuple(words), nested))
        pipelines.append(commands)
    return pipelines


def commands_of(line: str) -> list[list[Command]]:
    """The pipelines of one logical shell line; never raises."""
    try:
        import bashlex

        return [p for node in bashlex.parse(line) for p in _from_node(node)]
    except Exception:  # bashlex raises many kinds of errors on valid-but-odd shell
        return _fallback(line)


def shell_lines(segment: Segment) -> Iterator[tuple[int, str]]:
    """``(line number, logical line)`` with backslash continuations joined."""
    pending, start = "", segment.line
    for offset, raw in enumerate(segment.text.split("\n")):
        line = raw.rstrip()
        if not pending:
            start = segment.line + offset
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        text = (pending + line).strip()
        pending = ""
        text = re.sub(r"^(?:\$|>|PS>)\s+", "", text)  # a prompt in a docs transcript
        if text and not text.startswith("#") and len(text) < 4000:
            yield start, text


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
    """``shell.download_exec`` / ``shell.decode_exec`` findings over shell code in ``text``."""
    rules = context.rules
    out: dict[int, Finding] = {}
    lines = text.split("\n")
    for segment in _segments(text, kind):
        for number, line in shell_lines(segment):
            for pipeline in commands_of(line):
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
                around = "\n".join(lines[max(number - 2, 0) : number])
                if WARNING_CONTEXT.search(around):
                    severity, note = Severity.LOW, " (quoted as a warning)"
                out[number] = Finding.of(
                    rule, path, number, line, rule.title + note, severity=severity
                )
    return list(out.values())


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
