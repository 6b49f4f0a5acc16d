"""The Python analyzer: an AST walk for obfuscated exec, theft, reverse shells, persistence,
payloads gated on dates or machines, and flows from sensitive sources to outside sinks.

Strings are folded first (:mod:`.python_fold`: paths, hosts and names built at run time),
taint follows values inside a function, across the module's functions and across the
skill's modules (:mod:`.python_taint`, :mod:`.python_modules`), and :mod:`.python_flow`
reports a secret reaching a sink with its evidence. The commands the script runs go
through the command checks (git exfiltration, typosquatted installs)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import replace

from tank.scanner.analyzers.base import Context, line_text, parse_python, script_suffix
from tank.scanner.analyzers.commands import check_commands
from tank.scanner.analyzers.python_ast import (
    COMMANDS,
    EXEC,
    OPENERS,
    WRITE_CALLS,
    argv_line,
    call_name,
    calls,
    command_line,
    dotted,
    strings,
)
from tank.scanner.analyzers.python_facts import credential_store
from tank.scanner.analyzers.python_flow import (
    Flow,
    callee,
    dynamic_name,
    granted,
    live,
    persistence_write,
)
from tank.scanner.analyzers.python_fold import HOLE
from tank.scanner.analyzers.python_gates import (
    gate_of,
    gated_actions,
    gates,
    local_values,
    module_constants,
)
from tank.scanner.analyzers.python_modules import control_written, imported, module_state
from tank.scanner.analyzers.python_taint import Scope
from tank.scanner.analyzers.sensitive import PERSISTENCE_COMMAND
from tank.scanner.knowledge import collector_host, control_target
from tank.scanner.model import Confidence, Evidence, Finding, Severity

#: Persistence kinds that scheduling and dotfile tools write on purpose.
_SCHEDULING = frozenset({"scheduled-job", "shell-startup"})
_FETCHES = re.compile(
    r"\b(?:curl|wget|urlopen|urlretrieve|requests|httpx|aiohttp|Invoke-WebRequest|iwr|irm"
    r"|DownloadString|DownloadFile)\b|https?://"
)

__all__ = ["analyze_python"]

Report = Callable[..., None]
#: Modules and functions that run code or commands: looking one up by a hidden name is
#: hiding what the script does.
RUNNERS: frozenset[str] = (
    EXEC | COMMANDS | {"__import__", "subprocess", "os", "builtins", "pty", "ctypes"}
)
RUNNERS |= {"socket", "import_module", "urlopen", "marshal"}


def analyze_python(path: str, text: str, context: Context) -> list[Finding]:
    """Findings of the ``python.*`` code rules; a file that does not parse gets a note."""
    rules = context.rules
    try:
        tree = parse_python(text, path)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None) or 1
        return [Finding.of(rules["python.unparsable"], path, line, line_text(text, 0))]
    out: list[Finding] = []

    def add(
        rule_id: str,
        node: ast.AST,
        message: str | None = None,
        evidence: tuple[Evidence, ...] = (),
        severity: Severity | None = None,
    ) -> None:
        line = getattr(node, "lineno", 1)
        snippet = ast.get_source_segment(text, node) or ""
        out.append(
            Finding.of(
                rules[rule_id], path, line, snippet, message, evidence=evidence, severity=severity
            )
        )

    siblings = imported(path, tree, context.sources)
    state = module_state(tree, siblings)
    folder, facts, helpers = state.folder, state.facts, state.helpers
    functions, module_body, module_scope = state.functions, state.module_body, state.module_scope
    nodes, every_call = folder.nodes, folder.calls
    imports = {a.name.split(".")[0] for n in nodes if isinstance(n, ast.Import) for a in n.names}
    imports |= {(n.module or "").split(".")[0] for n in nodes if isinstance(n, ast.ImportFrom)}
    constants = module_constants(tree)
    names_called = {call_name(c) for c in every_call}
    if "socket" in imports and ("dup2" in names_called or "spawn" in names_called):
        node = next(c for c in every_call if call_name(c) in ("dup2", "spawn"))
        add("python.reverse_shell", node)
    for sub in nodes:  # __builtins__["__im" + "port__"]: a lookup by a built name
        if isinstance(sub, ast.Subscript) and "builtins" in dotted(sub.value):
            hidden = dynamic_name(sub.slice, folder, RUNNERS)
            if hidden is not None:
                add(
                    "python.dynamic_import",
                    sub,
                    f"looks up {hidden!r} in the builtins by a name built at run time",
                    severity=Severity.CRITICAL if hidden in RUNNERS else None,
                )
    stored: list[tuple[int, str]] = []  # secrets put in the git repository, for a push
    for body in [f.body for f in functions] + [module_body]:
        scope = (
            module_scope if body is module_body else Scope(body, helpers, None, facts, module_scope)
        )
        flow = Flow(path, scope, folder, add, stored)
        for stmt in body:
            for call in calls(stmt):
                _check_call(call, scope, flow, add)
        values = {**constants, **local_values(body)}
        for test, gated in gates(body):
            gate = gate_of(test, values)
            actions = gated_actions(gated, scope, gate) if gate else set()
            if gate and actions:
                add(
                    "python.gated_payload",
                    test,
                    f"{', '.join(sorted(actions))} gated on {gate[0]}: hidden behaviour that "
                    "fires only at some date, on some machine or when nobody watches",
                )
    for call in every_call if stored else []:
        flow.pushed(call)
    writes = bool(names_called & WRITE_CALLS) or any(
        call_name(c) == "open" and any(m in s for s in strings(c)[1:] for m in "wa")
        for c in every_call
    )
    persisted = False
    grant = granted(nodes) or next(iter(siblings.grants.values()), None)
    for call in every_call:
        written = persistence_write(call, folder)
        if written is not None:
            target, kind = written
            if kind.kind != "agent-control":
                add("python.persistence", call, f"writes {target}: {kind.what}")
                if kind.kind in _SCHEDULING and not _FETCHES.search(text):
                    # what scheduling tools do on purpose, as in shell: flagged for a person
                    # to look at, not refused; a script that also fetches from the network
                    # may be scheduling what it fetched, and stays refused
                    out[-1] = replace(out[-1], confidence=Confidence.MEDIUM)
            elif grant is not None:  # the settings it writes switch the agent's checks off
                add(
                    "python.agent_control",
                    call,
                    f"writes {target}: {kind.what}, in a skill that grants {grant}: "
                    "the agent stops asking",
                    severity=Severity.CRITICAL,
                )
            else:
                add("python.agent_control", call, f"writes {target}: {kind.what}")
            if kind.kind == "agent-control":
                out.extend(_instructions(call, folder.strings, path, context))
            elif kind.kind == "interpreter-startup":  # the text written runs as Python
                out.extend(_instructions(call, folder.strings, path, context, ".py"))
            persisted = True
    own_grant = granted(nodes)
    control = control_written(nodes) or next(iter(siblings.control_writes.values()), None)
    if own_grant is not None and control is not None and not persisted:
        # the approval-off settings built here go into an agent's configuration that this
        # module, or a sibling it imports from, writes (``save(p, cfg)`` across modules)
        where = next(
            (n for n in nodes if isinstance(n, ast.Constant) and own_grant in str(n.value)), tree
        )
        add(
            "python.agent_control",
            where,
            f"builds agent settings with {own_grant} and the skill writes {control}: "
            "the agent stops asking",
            severity=Severity.CRITICAL,
        )
        persisted = True
    if writes and not persisted:
        # A path the folder could not tie to a write: a persistence file named in a script
        # that writes files, or a command that registers a job.
        docstrings = _docstrings(tree)
        for const in nodes:
            if isinstance(const, ast.Constant) and isinstance(const.value, str):
                if id(const) in docstrings:  # prose about the tool, not a path it writes
                    continue
                value = const.value.strip()
                found = control_target(value) if "/" in value or "\\" in value else None
                if (
                    found is not None and found.kind != "agent-control" and live(value, found)
                ) or PERSISTENCE_COMMAND.search(const.value):
                    add("python.persistence", const)
                    scheduling = found is None or found.kind in _SCHEDULING
                    if scheduling and not _FETCHES.search(text):
                        out[-1] = replace(out[-1], confidence=Confidence.MEDIUM)
                    break
    commands: list[tuple[int, str]] = []
    for call in every_call:
        line = command_line(call, folder.text, folder.argv)
        if line is None and call_name(call) in helpers.runs_argument:
            line = argv_line(call.args, folder.text)  # sh("git", "push", …) through a helper
        if line is not None:
            commands.append((call.lineno, line))
    out.extend(check_commands(path, commands, context))
    if "#!" in text:
        out.extend(_embedded_scripts(path, nodes, folder.strings, context))
    return out


def _embedded_scripts(
    path: str, nodes: list[ast.AST], fold: Callable[[ast.AST], list[str]], context: Context
) -> list[Finding]:
    """Scripts held in the code's strings (``HOOK = f"#!/bin/sh …"``, written out as a git
    hook or a job): the skill's code too, scanned as their shebang says (a few per file)."""
    if context.depth >= _MAX_RESCAN_DEPTH:
        return []
    out: list[Finding] = []
    seen = 0
    parts = {id(v) for n in nodes if isinstance(n, ast.JoinedStr) for v in n.values}
    for node in nodes:
        first = node.values[0] if isinstance(node, ast.JoinedStr) and node.values else node
        if id(node) in parts or not (
            isinstance(first, ast.Constant) and str(first.value).startswith("#!")
        ):
            continue
        for script in fold(node)[:1]:
            suffix = script_suffix(script)
            if suffix:
                where = f"{path}#L{getattr(node, 'lineno', 1)}{suffix}"
                out.extend(context.rescan(where, script.replace(HOLE, " "), context.depth + 1))
        seen += 1
        if seen >= 8:
            break
    return out


def _check_call(call: ast.Call, scope: Scope, flow: Flow, report: Report) -> None:
    dynamic = callee(call, flow.folder)
    name = dynamic or call_name(call)
    args = [*call.args, *(k.value for k in call.keywords)]
    folder = flow.folder
    if name == "compile" and dynamic is None and _method_of_a_module(call):
        pass  # re.compile, regex.compile, …: a pattern, not code (builtins.compile still is)
    elif name in EXEC and args:
        arg = args[0]
        if scope.downloaded(arg):
            report("python.exec_decoded", call, "runs code downloaded from the network")
        elif scope.facts.of(arg).decodes or scope.names(arg) & scope.decoded:
            report("python.exec_decoded", call, None)
        elif not isinstance(arg, ast.Constant):
            report("python.dynamic_exec", call, None)
    elif name in ("__import__", "import_module", "getattr") and len(call.args) >= 1:
        target = call.args[1] if name == "getattr" and len(call.args) > 1 else call.args[0]
        hidden = dynamic_name(target, folder, RUNNERS)
        if hidden is not None:
            runs = hidden.rsplit(".", 1)[-1] in RUNNERS
            report(
                "python.dynamic_import",
                call,
                f"looks up {hidden!r}, a name built at run time"
                + (" that runs code or commands: hidden on purpose" if runs else ""),
                severity=Severity.CRITICAL if runs else None,
            )
        elif scope.names(target) & scope.decoded:
            report("python.dynamic_import", call, None)
    elif name in OPENERS and (
        any(credential_store(s) for a in args for s in [*strings(a), *folder.strings(a)])
        or (
            isinstance(call.func, ast.Attribute)
            and any(
                credential_store(s)
                # ``SSH.glob("*.pub")`` opens what the pattern matches, not the folder
                for s in (
                    folder.strings(call)
                    if name in ("glob", "rglob") and args
                    else [*strings(call.func), *folder.strings(call.func.value)]
                )
            )
        )
        or any(scope.credential(n) for a in args[:1] for n in scope.names(a))  # built earlier
    ):
        report("python.sensitive_read", call, None)
    command = flow.command(call)
    if command is not None and any(scope.runs_dropped(a) for a in args):
        where = flow.download_hosts()
        shady = [h for h in where if _shady(h)] or ([] if where else ["a host built at run time"])
        report(
            "python.download_exec",
            call,
            f"runs a file it downloaded (`{command[:60]}`) from {', '.join(shady or where)}"
            + (": not a vendor's release host" if shady else ""),
            severity=Severity.CRITICAL if shady else None,
        )
    flow.check(call)


#: How deep text written to an agent's instructions is rescanned (it may hold more writes).
_MAX_RESCAN_DEPTH = 2


def _instructions(
    call: ast.Call,
    fold: Callable[[ast.AST], list[str]],
    path: str,
    context: Context,
    suffix: str = ".md",
) -> list[Finding]:
    """The text ``call`` writes into an agent's instruction file (``p.write_text(text)``),
    folded (decoded blobs and imported helpers' results included) and scanned as markdown:
    an injection the skill plants there is reported as in its own SKILL.md. With ``suffix``
    ``.py`` the text is a start-up hook's code and is scanned as Python."""
    if context.depth >= _MAX_RESCAN_DEPTH or call_name(call) not in ("write_text", "write_bytes"):
        return []
    out: list[Finding] = []
    for text in fold(call.args[0])[:2] if call.args else []:
        visible = text.replace(HOLE, " ")
        if len(visible.strip()) >= 20:
            out.extend(context.rescan(f"{path}#L{call.lineno}{suffix}", visible, context.depth + 1))
    return out


def _shady(host: str) -> bool:
    """A download host no vendor ships from: an IP address, a collector, plain HTTP."""
    name = host.removeprefix("http://")
    return (
        host.startswith("http://")
        or bool(re.fullmatch(r"[\d.]+|\[[0-9a-fA-F:]+\]", name))
        or collector_host(name) is not None
    )


def _docstrings(tree: ast.Module) -> set[int]:
    """``id`` of every docstring constant (module, class and function)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _method_of_a_module(call: ast.Call) -> bool:
    """``x.compile(…)`` where ``x`` is not the builtins module."""
    func = call.func
    return isinstance(func, ast.Attribute) and "builtins" not in dotted(func.value)
