"""The shell analyzer: find downloads or decoded data piped into an interpreter, in scripts
and in the shell code of markdown (parsing is in :mod:`.shell_parse`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from tank.scanner.analyzers.base import (
    Context,
    Segment,
    is_shellish,
    lead_in,
    line_offset,
    markdown_code,
)
from tank.scanner.analyzers.commands import check_parsed
from tank.scanner.analyzers.patterns import analyze_patterns, framed_reference
from tank.scanner.analyzers.shell_download import variable_runs
from tank.scanner.analyzers.shell_flow import flows
from tank.scanner.analyzers.shell_fold import fold_lines
from tank.scanner.analyzers.shell_functions import enclosing, functions, passed_urls
from tank.scanner.analyzers.shell_gates import shell_gates
from tank.scanner.analyzers.shell_parse import (
    DOWNLOADERS,
    INTERPRETERS,
    Command,
    commands_of,
    shell_lines,
)
from tank.scanner.analyzers.shell_writes import control_write, persisted_download
from tank.scanner.analyzers.vendors import vendor_installer, verified_elsewhere
from tank.scanner.knowledge import is_local_host
from tank.scanner.model import Evidence, Finding, Severity
from tank.scanner.rules import RuleSet

__all__ = ["WARNING_CONTEXT", "analyze_shell"]

_POWERSHELL = frozenset({"powershell", "ps1", "pwsh", "ps", "posh"})
_DEV_TCP = re.compile(r"/dev/(?:tcp|udp)/([\w.$-]+)/(\d+)")
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
    # PowerShell blocks are read by the PowerShell analyzer, with PowerShell's own syntax.
    segments = [
        s for lang, s in markdown_code(text) if is_shellish(lang) and lang not in _POWERSHELL
    ]
    # Prose may say "run curl … | bash" without any code formatting.
    segments += [
        Segment(line, n + 1)
        for n, line in enumerate(text.split("\n"))
        if "|" in line and re.search(r"\b(?:curl|wget|iwr|base64)\b", line)
    ]
    return segments


def analyze_shell(path: str, text: str, kind: str, context: Context) -> list[Finding]:
    """Findings over the shell code in ``text`` (a script, or a markdown file's shell code):
    downloads or decoded data piped into interpreters, gated payloads, sockets to hidden
    hosts, flows from sensitive sources to outside sinks, and the command checks (git
    exfiltration, typosquatted installs). Lines are read folded (:mod:`.shell_fold`)."""
    rules = context.rules
    out: dict[int, Finding] = {}
    lines = text.split("\n")
    parsed: list[tuple[int, Command]] = []
    warned: set[int] = set()
    extra: list[Finding] = []
    segments = _segments(text, kind)
    # the programs a markdown file runs are in its code, not its prose
    code = text if kind != "markdown" else "\n".join(s.text for s in segments)
    for segment in segments:
        logical = list(shell_lines(segment))
        raw = dict(logical)
        folded = fold_lines(logical)
        vendors_passed = _vendors_passed(logical, folded.lines, code)
        for number, line in folded.lines:
            quoted = kind == "markdown" and _warned_before(text, lines, number, line, path)
            if quoted:
                warned.add(number)
            # in markdown, only what SKILL.md itself tells the agent to do; other documents
            # describe setups (a reference page on linking AGENTS.md)
            told = kind != "markdown" or path.rsplit("/", 1)[-1].lower() == "skill.md"
            control = control_write(line) if told else None
            if control:
                extra.append(
                    Finding.of(
                        rules["shell.agent_control_write"],
                        path,
                        number,
                        line,
                        f"writes {control}",
                        severity=Severity.LOW if quoted else None,
                    )
                )
            persisted = persisted_download(line) if line != raw.get(number) else None
            if persisted:
                extra.append(
                    Finding.of(
                        rules["shell.scheduled_download_exec"],
                        path,
                        number,
                        line,
                        f"writes a download-and-run command into {persisted}",
                        severity=Severity.LOW if quoted else None,
                    )
                )
            socket = _hidden_socket(line, text)
            if socket:
                extra.append(
                    Finding.of(
                        rules["shell.raw_socket"],
                        path,
                        number,
                        line,
                        f"opens a socket to {socket}, a host assembled at run time",
                    )
                )
            if not _WORTH_PARSING.search(line) and line == raw.get(number):
                continue
            for pipeline in commands_of(line):
                parsed.extend((number, c) for top in pipeline for c in top.walk())
                hidden = [u for u in _fetched_urls(pipeline) if _hidden_host(u, text)]
                if hidden and line != raw.get(number):
                    extra.append(
                        Finding.of(
                            rules["shell.hidden_download"],
                            path,
                            number,
                            line,
                            f"downloads from {hidden[0]}, a URL the script hides (encoded or"
                            " assembled at run time)",
                        )
                    )
                rule_id = _pipeline_rule(pipeline)
                if rule_id is None or number in out:
                    continue
                rule = rules[rule_id]
                severity, note = None, ""
                urls = _fetched_urls(pipeline)
                if (
                    rule_id == "shell.download_exec"
                    and urls
                    and all(vendor_installer(u, code) for u in urls)
                ):
                    severity, note = Severity.LOW, " (a vendor's own installer)"
                elif rule_id == "shell.download_exec" and not urls and vendors_passed(number):
                    severity, note = Severity.LOW, " (every caller passes a vendor's installer)"
                elif (
                    rule_id == "shell.download_exec"
                    and kind == "markdown"
                    and _no_address(pipeline)
                ):
                    # "`curl | bash`" in a list of what a tool blocks names a pattern: there is
                    # nothing to fetch. In a script, `curl "$URL" | sh` is real and stays.
                    severity, note = Severity.LOW, " (a pattern with no address to fetch)"
                elif (
                    rule_id == "shell.download_exec"
                    and kind == "markdown"
                    and urls
                    and all(verified_elsewhere(u, context.files, path) for u in urls)
                ):
                    # The vendor's one-liner, quoted by a skill whose own code fetches the
                    # same URL and checks its digest before running it.
                    severity, note = Severity.LOW, " (the skill fetches it verified instead)"
                if quoted:
                    severity, note = Severity.LOW, " (quoted as a warning)"
                out[number] = Finding.of(
                    rule, path, number, line, rule.title + note, severity=severity
                )
        extra.extend(_flows(path, folded.lines, rules, warned))
        extra.extend(variable_runs(path, folded.lines, code, rules, warned, out))
        extra.extend(_gates(path, segment, lines, rules))
        if kind == "shell":
            extra.extend(_folded_patterns(path, folded.lines, raw, context))
    extra.extend(check_parsed(path, parsed, context, warned))
    return [*out.values(), *extra]


def _folded_patterns(
    path: str, folded: list[tuple[int, str]], raw: dict[int, str], context: Context
) -> list[Finding]:
    """The pattern rules over a script's lines as they read once folded, where folding
    changed them (``ak="$SSH_DIR/authorized_keys"`` then ``printf … >> "$ak"``): a match
    that the raw line does not already give is the construct hidden in variables."""
    changed = {n: line for n, line in folded if line != raw.get(n)}
    if not changed:
        return []
    last = max(changed)
    text = "\n".join(changed.get(n, "") for n in range(1, last + 1))
    seen = {
        (f.rule, f.line)
        for f in analyze_patterns(
            path, "\n".join(raw.get(n, "") for n in range(1, last + 1)), "shell", context
        )
    }
    return [
        f for f in analyze_patterns(path, text, "shell", context) if (f.rule, f.line) not in seen
    ]


def _warned_before(text: str, lines: list[str], number: int, code: str, path: str = "") -> bool:
    """Whether the prose leading up to a command quotes it as a warning (see
    :func:`~tank.scanner.analyzers.base.lead_in`); text after it never counts. In a reference
    page (not SKILL.md, which the agent follows), a section under a heading that frames it as
    attacks ("# Attack patterns") quotes what it holds, unless nearer prose orders it run."""
    if not 0 < number <= len(lines):
        return False
    at = lines[number - 1].find(code[:30]) if code else -1
    offset = line_offset(text, number) + max(at, 0)
    lead = lead_in(text, offset)
    return bool(WARNING_CONTEXT.search(lead)) or framed_reference(
        path, "markdown", text, offset, lead
    )


def _hidden_socket(line: str, text: str) -> str | None:
    """``host:port`` of a ``/dev/tcp`` socket whose host appears nowhere in the file's
    text: it exists only once folded (reversed, decoded, assembled)."""
    for match in _DEV_TCP.finditer(line):
        host = match.group(1)
        if "$" in host or is_local_host(host) or host in text:
            continue
        return f"{host}:{match.group(2)}"
    return None


def _hidden_host(url: str, text: str) -> bool:
    """Whether the host of ``url`` (a folded download URL) appears nowhere in ``text``."""
    try:
        host = urlsplit(url.strip("'\"")).hostname or ""
    except ValueError:  # malformed ("https://[x]"): judged by the other rules, not here
        return False
    return bool(host) and "$" not in host and not is_local_host(host) and host not in text


def _flows(
    path: str, folded: list[tuple[int, str]], rules: RuleSet, warned: set[int]
) -> list[Finding]:
    text_of = dict(folded)
    out = []
    for flow in flows(folded):
        low = flow.sink_line in warned
        out.append(
            Finding.of(
                rules["shell.secret_flow"],
                path,
                flow.sink_line,
                text_of.get(flow.sink_line, ""),
                f"{flow.source} (line {flow.source_line}) and sends it out through {flow.sink}"
                + (" (quoted as a warning)" if low else ""),
                severity=Severity.LOW if low else None,
                evidence=(
                    Evidence("source", path, flow.source_line, flow.source),
                    Evidence("sink", path, flow.sink_line, flow.sink),
                ),
            )
        )
    return out


def _vendors_passed(
    logical: list[tuple[int, str]], folded: list[tuple[int, str]], code: str
) -> Callable[[int], bool]:
    """Whether the function holding a line (``run_official() { curl "$url" | sh; }``) is
    only ever called with vendors' own installer URLs (``run_official uv
    https://astral.sh/uv/install.sh``): then what it fetches is what those vendors publish."""
    defined = functions(logical)

    def check(number: int) -> bool:
        function = enclosing(defined, number)
        if function is None:
            return False
        calls = passed_urls(folded, function)
        return bool(calls) and all(
            urls and all(vendor_installer(url, code) for url in urls) for _, urls in calls
        )

    return check


def _no_address(pipeline: list[Command]) -> bool:
    """Whether no downloader in the pipeline names anything fetchable (a URL, a host, a
    variable): ``curl | bash``, ``curl <url> | sh``, ``wget … | sh``."""
    for command in pipeline:
        for inner in command.walk():
            if inner.name in DOWNLOADERS and any(
                re.search(r"://|\$|\w\.\w", w) and not re.fullmatch(r"<[^>]*>|\.{2,}|…", w)
                for w in inner.words[1:]
            ):
                return False
    return True


def _fetched_urls(pipeline: list[Command]) -> list[str]:
    """The URLs the pipeline's downloaders actually fetch (their arguments, not the line)."""
    return [
        word
        for command in pipeline
        for inner in command.walk()
        if inner.name in DOWNLOADERS
        for word in inner.words
        if re.match(r"^['\"]?https?://", word, re.IGNORECASE)
    ]


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
            stdin = _program_from_stdin(command)
            if (fed_download and stdin) or inner & DOWNLOADERS:
                return "shell.download_exec"
            if (fed_decode and stdin) or any(
                _decodes(c) for c in command.walk() if c is not command
            ):
                return "shell.decode_exec"
        if names & DOWNLOADERS:
            fed_download = True
        if _decodes(command) or (command.name in ("openssl", "xxd") and words & {"-d", "-r"}):
            fed_decode = True
    return None


#: Interpreter options after which the program comes from an argument, not stdin.
_PROGRAM_ARG = {
    "python": {"-c", "-m"},
    "perl": {"-e", "-E"},
    "ruby": {"-e"},
    "node": {"-e", "--eval", "-p", "--print"},
    "sh": {"-c"},
}


def _program_from_stdin(command: Command) -> bool:
    """Whether an interpreter fed by a pipe runs what it reads (``| bash``, ``| sh -s``,
    ``| python3 -``) rather than a program named in its arguments (``| python3 -m
    json.tool``, ``| python3 script.py``, ``| bash -c 'jq …'``): the second reads the
    download as data."""
    name = command.name
    if name in ("eval", "source", ".", "iex", "invoke-expression"):
        return True
    words = list(command.words)
    at = next((i for i, w in enumerate(words) if w.rsplit("/", 1)[-1].lower() == name), -1)
    args = words[at + 1 :] if at >= 0 else []
    family = "python" if name.startswith("python") else name
    if family in ("bash", "zsh", "dash", "ksh", "fish", "pwsh", "powershell"):
        family = "sh"
    for arg in args:
        if arg in ("-", "-s", "/dev/stdin"):
            return True
        if arg in _PROGRAM_ARG.get(family, set()) or (family == "python" and arg.startswith("-m")):
            return False
        if not arg.startswith("-"):
            return False  # a script file: stdin is its input
    return True


def _decodes(command: Command) -> bool:
    return command.name in ("base64", "base32", "gbase64") and bool(
        set(command.words) & {"-d", "--decode", "-D", "-di", "-id"}
    )
