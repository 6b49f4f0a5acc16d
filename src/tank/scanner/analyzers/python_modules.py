"""One Python module's analysis state, and what it imports from the skill's other modules.

A skill's ``scripts/a.py`` that imports ``scripts/util.py`` sees util's constants folded
(``from util import BASE``; ``util.BASE``), what util's functions return (``util.home()``),
and util's helpers that return secrets or send their argument (``from util import send``).
One level deep: a sibling's own imports are not followed (no cycles, bounded work), and at
most :data:`MAX_SIBLINGS` modules of at most :data:`MAX_SIBLING_BYTES` each are read.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from tank.scanner.analyzers.base import parse_python
from tank.scanner.analyzers.python_ast import WRITE_CALLS, call_name, strings
from tank.scanner.analyzers.python_facts import Facts
from tank.scanner.analyzers.python_flow import granted
from tank.scanner.analyzers.python_fold import Choices, Folder
from tank.scanner.analyzers.python_sinks import NetNames, net_names
from tank.scanner.analyzers.python_taint import Function, Helpers, Origin, Scope, module_helpers
from tank.scanner.knowledge import control_target

__all__ = [
    "MAX_SIBLINGS",
    "MAX_SIBLING_BYTES",
    "Imported",
    "ModuleState",
    "imported",
    "module_state",
]

MAX_SIBLINGS = 8
MAX_SIBLING_BYTES = 200_000


@dataclass(frozen=True, slots=True)
class Imported:
    """What a module takes from its siblings: folded ``values`` (by the name used here:
    ``BASE`` or ``util.BASE``), what functions ``returns``, and their taint ``helpers``."""

    values: dict[str, Choices] = field(default_factory=dict)
    returns: dict[str, Choices] = field(default_factory=dict)
    helpers: Helpers = field(default_factory=Helpers)
    #: Module-level names of a sibling that hold secrets (``KEY = open(…id_rsa).read()``).
    secrets: dict[str, Origin] = field(default_factory=dict)
    #: Approval-off settings (``bypassPermissions``) written in a sibling imported from,
    #: with the sibling's path: what this module may write into an agent's settings.
    grants: dict[str, str] = field(default_factory=dict)
    #: Siblings imported from that write files and name an agent's configuration file
    #: (``~/.cursor/mcp.json``): sibling path → the file named.
    control_writes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ModuleState:
    """The folder, facts, network names and taint helpers of one module."""

    folder: Folder
    facts: Facts
    nets: NetNames
    helpers: Helpers
    functions: list[Function]
    module_body: list[ast.stmt]
    module_scope: Scope


def module_state(tree: ast.Module, siblings: Imported | None = None) -> ModuleState:
    """Fold and taint one module (``siblings``: what it imports from the skill)."""
    siblings = siblings or Imported()
    module_body = [
        s
        for s in tree.body
        if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    folder = Folder(tree, siblings.values, siblings.returns)
    functions = sorted(
        (n for n in folder.nodes if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)),
        key=lambda n: n.lineno,
    )
    facts = Facts(folder)
    nets = net_names(tree, folder)
    # The module body first (its names seed every function), then the helpers, then the
    # module body again: module code may call the helpers (CREDS = load_creds()).
    outside = Scope([], None, None, facts)
    outside.secret |= set(siblings.secrets)
    outside.origin.update(siblings.secrets)
    seed = Scope(module_body, siblings.helpers, None, facts, outside)
    helpers = module_helpers(functions, facts, seed, nets, siblings.helpers)
    module_scope = Scope(module_body, helpers, None, facts, outside)
    return ModuleState(folder, facts, nets, helpers, functions, module_body, module_scope)


def _candidates(path: str, module: str, level: int) -> list[str]:
    here = posixpath.dirname(path)
    base = here
    for _ in range(max(level - 1, 0)):
        base = posixpath.dirname(base)
    rel = module.replace(".", "/")
    roots = [base] if level else [here, ""]
    out: list[str] = []
    for root in roots:
        stem = posixpath.join(root, rel) if rel else root
        out += [stem + ".py", posixpath.join(stem, "__init__.py")]
    return out


def imported(path: str, tree: ast.Module, files: Mapping[str, str]) -> Imported:
    """What ``tree`` (the module at ``path``) imports from the skill's other Python
    ``files`` (path → text)."""
    out = Imported()
    read = 0
    for node in ast.walk(tree):
        if read >= MAX_SIBLINGS:
            break
        if isinstance(node, ast.ImportFrom):
            # from util import X (names) — or from . import util (modules)
            found = _find(path, node.module or "", node.level, files)
            for alias in node.names:
                local = alias.asname or alias.name
                if found is not None:
                    read += 1
                    _take(out, _summary(found, files[found]), {alias.name: local}, node.lineno)
                else:
                    sub = _find(
                        path,
                        f"{node.module}.{alias.name}" if node.module else alias.name,
                        node.level,
                        files,
                    )
                    if sub is not None:
                        read += 1
                        _take(out, _summary(sub, files[sub]), None, node.lineno, prefix=local)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                found = _find(path, alias.name, 0, files)
                if found is not None:
                    read += 1
                    prefix = alias.asname or alias.name
                    _take(out, _summary(found, files[found]), None, node.lineno, prefix=prefix)
    return out


def _find(path: str, module: str, level: int, files: Mapping[str, str]) -> str | None:
    for candidate in _candidates(path, module, level):
        if candidate != path and candidate in files and len(files[candidate]) <= MAX_SIBLING_BYTES:
            return candidate
    return None


@dataclass(frozen=True, slots=True)
class _Summary:
    path: str
    values: dict[str, Choices]
    returns: dict[str, Choices]
    helpers: Helpers
    secrets: dict[str, Origin]
    grant: str | None = None
    #: Class name → the names of its methods.
    classes: dict[str, frozenset[str]] = field(default_factory=dict)
    control_write: str | None = None


@lru_cache(maxsize=32)
def _summary(path: str, text: str) -> _Summary:
    try:
        tree = parse_python(text, path)
    except (SyntaxError, ValueError, RecursionError):
        return _Summary(path, {}, {}, Helpers(), {})
    state = module_state(tree)
    classes = {
        node.name: frozenset(
            f.name for f in node.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        )
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }
    values = {name: state.folder.value_of(name) for name in state.folder.module_names()}
    returns = {name: state.folder.returned(name) for name in state.folder.function_names()}
    return _Summary(
        path,
        {k: v for k, v in values.items() if v},
        {k: v for k, v in returns.items() if v},
        state.helpers,
        {
            n: state.module_scope.origin.get(n, (0, "secret data"))
            for n in state.module_scope.secret
        },
        granted(state.folder.nodes),
        classes,
        control_written(state.folder.nodes),
    )


def _take(
    out: Imported,
    summary: _Summary,
    names: dict[str, str] | None,
    line: int,
    prefix: str = "",
) -> None:
    """Add ``summary``'s names to ``out``: only ``names`` (theirs → ours), or every name
    under ``prefix.`` for ``import util`` (calls are matched by their last name)."""

    if names is not None:  # from q import Client: Client's methods come along
        names = dict(names)
        for cls in [c for c in names if c in summary.classes]:
            names.update({m: m for m in summary.classes[cls] if not m.startswith("__")})
    if summary.grant is not None:
        out.grants.setdefault(summary.path, summary.grant)
    if summary.control_write is not None:
        out.control_writes.setdefault(summary.path, summary.control_write)

    def ours(name: str) -> str | None:
        if names is None:
            return f"{prefix}.{name}"
        return names.get(name)

    for name, value in summary.values.items():
        if (local := ours(name)) is not None:
            out.values[local] = value
    for name, value in summary.returns.items():
        if (local := ours(name)) is not None:
            out.returns[local] = value
    for name, (at, what) in summary.secrets.items():
        if names is not None and (local := names.get(name)) is not None:
            out.secrets.setdefault(local, (line, f"{what} ({summary.path}:{at})"))
    for name, (at, what) in summary.helpers.returns_secret.items():
        local = name if names is None else names.get(name)
        if local is not None:
            out.helpers.returns_secret.setdefault(local, (line, f"{what} ({summary.path}:{at})"))
    for name in summary.helpers.returns_fetched:
        local = name if names is None else names.get(name)
        if local is not None:
            out.helpers.returns_fetched.add(local)
    for name, via in summary.helpers.sends_argument.items():
        local = name if names is None else names.get(name)
        if local is not None:
            out.helpers.sends_argument.setdefault(local, f"{via} ({summary.path})")


def control_written(nodes: list[ast.AST]) -> str | None:
    """The agent configuration file (``.cursor/mcp.json``, ``.claude/settings.json``) a
    module names in a string when it also writes files, else None."""
    calls = [n for n in nodes if isinstance(n, ast.Call)]
    writes = any(call_name(c) in WRITE_CALLS for c in calls) or any(
        call_name(c) == "open" and any(m in s for s in strings(c)[1:] for m in "wa") for c in calls
    )
    if not writes:
        return None
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 300:
            value = node.value.strip()
            if len(value.replace("Application Support", "").split()) != 1:
                continue  # words, not a path
            found = control_target(value) if "/" in value or "." in value else None
            if found is not None and found.kind == "agent-control":
                return value
    return None
