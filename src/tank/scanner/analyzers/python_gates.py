"""Gated payloads in Python: an action that runs only after a fixed date, only on some host or
for some user, or only when no CI, sandbox or debugger is watching.

A *strong* gate (a literal date, a host or user name equal to or in a list of literals)
around any action that matters (eval, commands, network, deletion, persistence) is the
shape of a time bomb or a targeted payload. A *weak* gate (time of day, weekday, a prefix
or part of the host name such as ``prod-``, CI or sandbox checks) is common in honest code
(quiet hours, production-only alerts, colour in CI), so it counts only around eval,
deletion, persistence, decoded or downloading commands, or secrets sent out. Elapsed-time
checks (``time.time() - start > 60``) compare the clock with a variable and are not gates.
"""

from __future__ import annotations

import ast
import re

from tank.scanner.analyzers.python_ast import call_name, calls, dotted, strings
from tank.scanner.analyzers.python_sinks import sink_of
from tank.scanner.analyzers.python_taint import Scope
from tank.scanner.analyzers.sensitive import CI_VARS, IDENTITY_VARS, PERSISTENCE_COMMAND
from tank.scanner.knowledge import control_target

__all__ = ["Gate", "gate_of", "gated_actions", "gates", "local_values", "module_constants"]

Gate = tuple[str, bool]  # (what it depends on, strong)

_CLOCK_CALLS = frozenset({"now", "today", "utcnow", "time", "localtime", "gmtime", "time_ns"})
_CLOCK_NAMES = frozenset({"datetime", "date", "time", "dt", "timezone", "tz", "pytz", "UTC"})
_CLOCK_NAMES |= {"arrow", "pendulum", "utc", "timedelta"}
_WEAK_FIELDS = frozenset({"hour", "minute", "second", "weekday", "isoweekday", "tm_hour"})
_WEAK_FIELDS |= {"tm_wday", "tm_min", "microsecond"}
_IDENTITY_CALLS = frozenset({"gethostname", "getfqdn", "node", "getuser", "getlogin", "getnode"})
_EXEC = frozenset({"exec", "eval", "compile", "__import__"})
_COMMANDS = frozenset(
    {"system", "popen", "Popen", "run", "call", "check_call", "check_output", "spawn"}
    | {"getoutput", "getstatusoutput", "execv", "execvp", "startfile"}
)
_DELETE = frozenset({"rmtree", "remove", "unlink", "rmdir", "removedirs", "truncate"})
_NET_WORDS = re.compile(r"\b(?:curl|wget|nc|ncat|bash\s+-c|sh\s+-c|powershell|iwr|scp)\b")
_SANDBOX = re.compile(r"\.dockerenv|/proc/1/cgroup|vboxguest|vmware|qemu|sandbox", re.I)


def gates(body: list[ast.stmt]) -> list[tuple[ast.expr, list[ast.AST]]]:
    """``(condition, gated nodes)`` for each ``if``/``while``/conditional expression and each
    ``cond and action()`` statement in ``body`` (both branches of an ``if`` are gated), and
    for each guard clause (``if date < START: return``) the statements after it."""
    out: list[tuple[ast.expr, list[ast.AST]]] = []
    for block in _blocks(body):
        for i, stmt in enumerate(block):
            if isinstance(stmt, ast.If) and not stmt.orelse and _leaves(stmt.body):
                out.append((stmt.test, list(block[i + 1 :])))
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.If | ast.While):
                out.append((node.test, [*node.body, *node.orelse]))
            elif isinstance(node, ast.IfExp):
                out.append((node.test, [node.body, node.orelse]))
            elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
                out.append((ast.BoolOp(ast.And(), node.values[:-1]), [node.values[-1]]))
    return out


def _blocks(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """``body`` and every statement list nested in it."""
    out = [body]
    for stmt in body:
        for node in ast.walk(stmt):
            for name in ("body", "orelse", "finalbody"):
                block = getattr(node, name, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    out.append(block)
    return out


def _leaves(block: list[ast.stmt]) -> bool:
    """The block ends by leaving: ``return``, ``raise``, ``continue``, ``sys.exit()``."""
    last = block[-1]
    if isinstance(last, ast.Return | ast.Raise | ast.Continue | ast.Break):
        return True
    return (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and call_name(last.value) in ("exit", "_exit")
    )


_TARGETED: Gate = ("the host or user name", True)


def gate_of(test: ast.expr, constants: dict[str, ast.expr]) -> Gate | None:
    """What ``test`` makes the gated code depend on, and whether that is a strong gate.
    ``constants`` are the names bound in the module and the function (one level deep:
    ``host = socket.gethostname()`` … ``if host in TARGETS``)."""
    for compare in (n for n in ast.walk(test) if isinstance(n, ast.Compare)):
        sides = [_resolve(s, constants) for s in [compare.left, *compare.comparators]]
        for clock in sides:
            others = [s for s in sides if s is not clock]
            if _reads_clock(clock) and any(_fixed(o, constants) for o in others):
                weak = any(
                    isinstance(n, ast.Attribute) and n.attr in _WEAK_FIELDS for n in ast.walk(clock)
                )
                return ("the time of day", False) if weak else ("a fixed date", True)
            if _reads_identity(clock) and any(_fixed(o, constants) for o in others):
                # 'prod' in host picks a kind of machine; host == 'x' or host in (…) picks one.
                substring = any(isinstance(op, ast.In | ast.NotIn) for op in compare.ops) and any(
                    isinstance(o, ast.Constant) and isinstance(o.value, str) for o in others
                )
                return ("the kind of host or user", False) if substring else _TARGETED
    for call in calls(test):
        if (
            call_name(call) in ("startswith", "endswith")
            and isinstance(call.func, ast.Attribute)
            and _reads_identity(_resolve(call.func.value, constants))
            and strings(call)
        ):
            return "the kind of host or user", False
    if _evasion(test):
        return "not running in CI, a sandbox or a debugger", False
    return None


def gated_actions(nodes: list[ast.AST], scope: Scope, gate: Gate) -> set[str]:
    """The actions among ``nodes`` that matter for ``gate`` (empty: nothing to report)."""
    strong = gate[1]
    out: set[str] = set()
    for node in nodes:
        for call in calls(node):
            name = call_name(call)
            args = [*call.args, *(k.value for k in call.keywords)]
            words = " ".join(s for a in args for s in strings(a))
            if name in _EXEC:
                out.add("eval")
            elif name in _DELETE or "rm -rf" in words or "rm -fr" in words:
                out.add("deletes files")
            elif name in _COMMANDS:
                decoded = any(scope.names(a) & scope.decoded for a in args)
                if strong or decoded or _NET_WORDS.search(words):
                    out.add("runs commands")
            elif sink_of(call, scope.helpers.nets if scope.helpers else frozenset()):
                carries = any(scope.holds_secret(a) or scope.facts.of(a).env for a in args)
                if strong or carries:
                    out.add("network")
            if PERSISTENCE_COMMAND.search(words) or any(
                control_target(s) for a in args for s in strings(a)
            ):
                out.add("persistence")
    return out


def _resolve(node: ast.expr, values: dict[str, ast.expr]) -> ast.expr:
    if isinstance(node, ast.Name) and node.id in values:
        return values[node.id]
    return node


def local_values(body: list[ast.stmt]) -> dict[str, ast.expr]:
    """``name = <expr>`` bindings of a function body (the last one wins)."""
    out: dict[str, ast.expr] = {}
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    out[target.id] = node.value
    return out


def _reads_clock(node: ast.AST) -> bool:
    found = False
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and call_name(sub) in _CLOCK_CALLS:
            found = True
        elif isinstance(sub, ast.Name) and sub.id not in _CLOCK_NAMES:
            return False  # time.time() - started: an elapsed time, not the date
    return found


def _fixed(node: ast.AST, constants: dict[str, ast.expr]) -> bool:
    """A literal, a date built from literals, or a module constant bound to one."""
    if isinstance(node, ast.Name):
        bound = constants.get(node.id)
        return bound is not None and _fixed(bound, {})
    has_literal = False
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and sub.value is not None:
            has_literal = True
        elif isinstance(sub, ast.Name) and sub.id not in _CLOCK_NAMES:
            return False
    return has_literal


def _reads_identity(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and call_name(sub) in _IDENTITY_CALLS:
            owner = dotted(sub.func).split(".")[0]
            if owner in ("socket", "platform", "getpass", "os", "uuid", "") or call_name(sub) in (
                "gethostname",
                "getuser",
            ):
                return True
        if isinstance(sub, ast.Attribute) and sub.attr == "nodename":
            return True
    return bool(_env_names(node) & IDENTITY_VARS)


def _env_names(node: ast.AST) -> set[str]:
    out: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Subscript) and dotted(sub.value).endswith("environ"):
            key = sub.slice
        elif isinstance(sub, ast.Call) and sub.args and call_name(sub) in ("getenv", "get"):
            key = sub.args[0]
        elif isinstance(sub, ast.Compare) and isinstance(sub.ops[0], ast.In | ast.NotIn):
            key = sub.left
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            out.add(key.value)
    return out


def _evasion(test: ast.expr) -> bool:
    if _env_names(test) & CI_VARS:
        return True
    if any(call_name(c) in ("gettrace", "cpu_count", "virtual_memory") for c in calls(test)):
        return True
    return any(_SANDBOX.search(s) for s in strings(test))


def module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level ``NAME = <expr>`` bindings (where time bombs keep their trigger date)."""
    out: dict[str, ast.expr] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                out[target.id] = stmt.value
    return out
