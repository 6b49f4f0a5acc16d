"""The engine: run every analyzer on every file, fail closed, and decide the verdict (by
:func:`tank.scanner.policy.decide`, the one decision every path applies).

Each analyzer runs under ``try``: one that raises, or runs past its share of the time budget,
becomes a critical ``scanner.analyzer_error`` finding, so a crash or a slow path can never
let a skill through. The whole scan runs in a worker thread bounded by ``timeout_s``; a scan
that does not finish in time fails with the same finding (the thread is abandoned: Python
cannot kill it, but its result is never used).

A crash is a bug (the finding says to report it); running out of time is not: a large skill
can need longer than the timeout. A timeout finding names the analyzer and the file that were
running, has no line (line 0: there is no position to point at) and says what to change.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path

from tank.core.permissions import Permissions
from tank.scanner.analyzers.base import Context, file_kind
from tank.scanner.analyzers.binary import analyze_binary, is_binary
from tank.scanner.analyzers.blobs import analyze_blobs
from tank.scanner.analyzers.generic import analyze_generic
from tank.scanner.analyzers.hidden import analyze_hidden
from tank.scanner.analyzers.installed import installed_as_code
from tank.scanner.analyzers.names import analyze_names, is_names_file
from tank.scanner.analyzers.package_json import analyze_package_json
from tank.scanner.analyzers.patterns import analyze_patterns
from tank.scanner.analyzers.powershell import analyze_powershell, looks_like_powershell
from tank.scanner.analyzers.shell import analyze_shell
from tank.scanner.analyzers.text import analyze_text
from tank.scanner.capabilities import infer, undeclared
from tank.scanner.combinations import home_and_network, stores_and_network
from tank.scanner.fixtures import lower_fixture_injection
from tank.scanner.model import Finding, ScanResult, verdict
from tank.scanner.policy import decide
from tank.scanner.rules import RuleSet, load_rules

__all__ = ["TextAnalyzer", "analyzers_for", "scan_files", "scan_folder"]

TextAnalyzer = Callable[[str, str, Context], list[Finding]]
_SHELL_LINE = re.compile(
    r"^\s*(?:sudo\s+)?(?:curl|wget|bash|sh|zsh|chmod|nc|ncat|rm|echo|cd|export|python3?|node"
    r"|powershell|pwsh|iex|git|pip3?|npm|crontab|base64|eval)\b",
    re.MULTILINE,
)
MANIFEST = "skills.json"
MARKUP_EXTENSIONS = (".svg", ".svgz", ".html", ".htm", ".xhtml")


def _python(path: str, text: str, context: Context) -> list[Finding]:
    from tank.scanner.analyzers.python import analyze_python  # loaded for Python files only

    return analyze_python(path, text, context)


def _js(path: str, text: str, context: Context) -> list[Finding]:
    from tank.scanner.analyzers.js import analyze_js  # loaded for JS/TS files only

    return analyze_js(path, text, context)


def _markup(path: str, text: str, context: Context) -> list[Finding]:
    from tank.scanner.analyzers.markup import analyze_markup  # loaded for SVG/HTML only

    return analyze_markup(path, text, context)


def analyzers_for(path: str, kind: str) -> list[tuple[str, TextAnalyzer]]:
    """The text analyzers that run on a file of ``kind`` (named for error findings)."""
    chosen: list[tuple[str, TextAnalyzer]] = [
        ("patterns", lambda p, t, c: analyze_patterns(p, t, kind, c)),
        ("hidden", analyze_hidden),
        ("blobs", analyze_blobs),
        ("text", analyze_text),  # prose and comments addressed to the agent; lures
    ]
    if kind in ("markdown", "shell"):
        chosen.append(("shell", lambda p, t, c: analyze_shell(p, t, kind, c)))
    if kind in ("markdown", "powershell"):
        chosen.append(("powershell", lambda p, t, c: analyze_powershell(p, t, kind, c)))
    if kind == "python":
        chosen.append(("python", _python))
    if kind == "js":
        chosen.append(("js", _js))
    if kind == "any":
        chosen.append(("generic", analyze_generic))
    if path.lower().endswith(MARKUP_EXTENSIONS):
        chosen.append(("markup", _markup))
    if path.rsplit("/", 1)[-1] == "package.json":
        chosen.append(("package_json", analyze_package_json))
    if is_names_file(path):
        chosen.append(("names", analyze_names))
    return chosen


#: The fix for a scan that ran out of time (the rule's own remediation is for crashes).
TIMEOUT_FIX = (
    "The scan ran out of time: this is not a bug. Raise the timeout (`tank scan --timeout "
    "SECONDS`; a registry's operator sets TANK_REGISTRY_SCAN_TIMEOUT_SECONDS) or split the "
    "skill into smaller skills."
)


def _timeout(rules: RuleSet, path: str, analyzer: str, message: str) -> Finding:
    """A critical finding for time running out in ``analyzer`` on ``path`` (no line)."""
    found = Finding.of(rules["scanner.analyzer_error"], path, 0, analyzer, message)
    return replace(found, remediation=TIMEOUT_FIX)


class _Cancelled(BaseException):
    """The scan was given up on (timed out): its worker stops at the next analyzer."""


def _run(
    name: str,
    path: str,
    call: Callable[[], list[Finding]],
    rules: RuleSet,
    budget_s: float,
    errors: list[str],
    stop: threading.Event | None = None,
    running: list[str] | None = None,
) -> list[Finding]:
    if stop is not None and stop.is_set():
        raise _Cancelled
    if running is not None:  # what the scan was doing, should the whole scan time out
        running[:] = [name, path]
    started = time.perf_counter()
    try:
        found = call()
    except Exception as error:  # fail closed: any bug in an analyzer fails the scan
        errors.append(f"{name} on {path}: {type(error).__name__}: {error}")
        return [
            Finding.of(
                rules["scanner.analyzer_error"],
                path,
                1,
                name,
                f"the {name} analyzer failed on {path}: {type(error).__name__}: {error}",
            )
        ]
    elapsed = time.perf_counter() - started
    if elapsed > budget_s:
        errors.append(f"{name} on {path}: took {elapsed:.1f}s (budget {budget_s:.1f}s)")
        found.append(
            _timeout(
                rules,
                path,
                name,
                f"the {name} analyzer ran out of time on {path} ({elapsed:.1f}s, its share "
                f"of the scan is {budget_s:.1f}s)",
            )
        )
    return found


def _scan(
    files: Mapping[str, bytes],
    declared: Permissions | None,
    has_manifest: bool,
    rules: RuleSet,
    budget_s: float,
    analyzers: Callable[[str, str], list[tuple[str, TextAnalyzer]]],
    stop: threading.Event,
    running: list[str],
) -> ScanResult:
    errors: list[str] = []
    findings: list[Finding] = []

    def rescan(path: str, text: str, depth: int) -> list[Finding]:
        kind = file_kind(path, text)
        if kind == "any" and ("import " in text or "def " in text):
            kind = "python"
        elif kind == "any" and looks_like_powershell(text):
            kind = "powershell"  # decoded PowerShell (an encoded command) gets its analyzer
        elif kind == "any" and _SHELL_LINE.search(text):
            kind = "shell"  # decoded text that reads as commands gets the shell analyzer
        elif kind == "any" and "#" in path:
            # decoded from a script, it is what that script runs (``eval "$(printf '\x…')"``)
            parent = file_kind(path.split("#", 1)[0], "")
            kind = parent if parent in ("shell", "powershell") else kind
        ctx = Context(rules, rescan, depth)
        out = []
        for name, fn in analyzers(path, kind):
            call = partial(fn, path, text, ctx)
            out.extend(_run(name, path, call, rules, budget_s, errors, stop, running))
        return [f for f in out if f.rule != "python.unparsable"]

    python = {
        p: d.decode("utf-8", "replace") for p, d in files.items() if p.endswith((".py", ".pyw"))
    }
    context = Context(rules, rescan, sources=python, files=files)
    texts: dict[str, tuple[str, str]] = {}
    # a template the skill's scripts install as a hook or start-up file is code, whatever
    # its name (templates/pre-push.txt -> .git/hooks/pre-push)
    installed = installed_as_code(files)
    for path, data in sorted(files.items()):
        if is_binary(data):
            findings.extend(
                _run(
                    "binary",
                    path,
                    partial(analyze_binary, path, data, context),
                    rules,
                    budget_s,
                    errors,
                    stop,
                    running,
                )
            )
            continue
        text = data.decode("utf-8", "replace")
        kind = file_kind(path, text)
        if kind == "any" and path in installed:
            kind = "shell"
        texts[path] = (kind, text)
        for name, fn in analyzers(path, kind):
            findings.extend(
                _run(
                    name,
                    path,
                    partial(fn, path, text, context),
                    rules,
                    budget_s,
                    errors,
                    stop,
                    running,
                )
            )
    granted = declared if has_manifest else None

    def capabilities() -> list[Finding]:
        caps = infer(texts)
        found = undeclared(caps, granted, rules)
        return (
            found
            + home_and_network(texts, caps, granted, rules)
            + stores_and_network(findings, caps, granted, rules)
        )

    caps_findings = _run(
        "capabilities",
        MANIFEST,
        capabilities,
        rules,
        budget_s,
        errors,
        stop,
        running,
    )
    findings.extend(caps_findings)
    findings = lower_fixture_injection(findings, texts)
    # one finding per rule and line: the most severe (a rescan of decoded text may see the
    # same construct without what made it worse, e.g. the invisible characters around it)
    unique: dict[tuple[str, str, int], Finding] = {}
    for found in findings:
        key = (found.rule, found.file, found.line)
        kept = unique.get(key)
        if kept is None or found.severity.rank < kept.severity.rank:
            unique[key] = found
    ordered = sorted(unique.values(), key=lambda f: (f.severity.rank, f.file, f.line, f.rule))
    # The one decision (tank.scanner.policy): what tank scan prints is what the registry applies.
    return ScanResult(decide(ordered, granted), tuple(ordered), len(files), tuple(errors))


def scan_files(
    files: Mapping[str, bytes],
    *,
    manifest_permissions: Permissions | None = None,
    timeout_s: float = 10.0,
    rules: RuleSet | None = None,
    analyzers: Callable[[str, str], list[tuple[str, TextAnalyzer]]] = analyzers_for,
) -> ScanResult:
    """Scan a skill's files (``path -> bytes``, as published) and return the result.

    ``manifest_permissions`` are the declared permissions; when None they are read from the
    files' ``skills.json`` (no skills.json: undeclared uses are low notes, not failures).
    The verdict is :func:`tank.scanner.policy.decide`'s: the one every path applies.
    ``analyzers`` is a seam for tests. Never raises for bad input; never fails open.
    """
    rules = rules or load_rules()
    declared, has_manifest = manifest_permissions, manifest_permissions is not None
    if declared is None and MANIFEST in files:
        declared, has_manifest = _declared(files[MANIFEST]), True
    box: list[ScanResult] = []
    failure: list[BaseException] = []
    stop = threading.Event()
    running: list[str] = []  # [analyzer, path] of the analyzer running now

    def work() -> None:
        try:
            box.append(
                _scan(files, declared, has_manifest, rules, timeout_s / 2, analyzers, stop, running)
            )
        except BaseException as error:  # reported below as a failing finding
            failure.append(error)

    worker = threading.Thread(target=work, name="tank-scan", daemon=True)
    worker.start()
    worker.join(timeout_s)
    stop.set()  # a worker still running gives up at its next analyzer
    if box:
        return box[0]
    if failure:
        why = f"{type(failure[0]).__name__}: {failure[0]}"
        error = Finding.of(
            rules["scanner.analyzer_error"], "", 1, "engine", f"the scan did not finish: {why}"
        )
    else:
        analyzer, path = running[:2] if len(running) == 2 else ("engine", "")
        doing = f" while the {analyzer} analyzer was reading {path}" if path else ""
        why = f"timed out after {timeout_s:g}s{doing}"
        error = _timeout(rules, path, analyzer, f"the scan did not finish: it {why}")
    return ScanResult(verdict([error]), (error,), len(files), (why,))


def _declared(data: bytes) -> Permissions:
    from tank.core.manifest import parse_manifest
    from tank.core.skillmd import Mode

    manifest, _ = parse_manifest(data, mode=Mode.LENIENT)
    return manifest.permissions if manifest is not None else Permissions.none()


def scan_folder(root: Path, **options: object) -> ScanResult:
    """Scan a skill folder exactly as it would be published (packed, ignore rules applied)."""
    from tank.core.pack import pack_folder, require_skill_folder
    from tank.core.unpack import read_archive

    require_skill_folder(root)
    members = read_archive(pack_folder(root).data)
    files = {m.path: m.data for m in members if not m.is_dir}
    return scan_files(files, **options)  # type: ignore[arg-type]
