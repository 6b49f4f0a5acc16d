"""Gated payloads in JavaScript: an action that runs only after some date, only on some
machine or for some user, or only outside CI and sandboxes.

A gate alone is ordinary code (``Date.now() - start > 5000``, ``if (process.env.CI)``); what
marks a time bomb is a gate against a *fixed* value (a literal date, a literal host or user
name) or a check that hides from CI, around an action that matters: eval, commands, network,
deletion. Elapsed-time checks (a clock against a variable) are not gates.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tank.scanner.analyzers.js_bindings import arguments_of
from tank.scanner.analyzers.js_facts import JsFile, Scope
from tank.scanner.analyzers.js_tree import string_value, strings_in, text_of, walk
from tank.scanner.analyzers.sensitive import CI_VARS, IDENTITY_VARS

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["gate_of", "gated_actions", "scope_values"]

_COMPARE = frozenset({">", "<", ">=", "<=", "==", "===", "!=", "!=="})
_CLOCK = re.compile(r"\bDate\.now\(\)|\bnew\s+Date\(\s*\)|\bDate\(\s*\)|\bperformance\.timeOrigin")
_CLOCK_NAMES = re.compile(r"^(?:Date|now|Math|floor|round|trunc|valueOf|get(?:UTC)?[A-Z]\w*)$")
_FIXED_NAMES = frozenset({"Date", "parse", "UTC", "Number", "BigInt"})
_IDENTITY = re.compile(
    r"\bos\.hostname\(\)|\bhostname\(\)|\buserInfo\(\)|\bos\.networkInterfaces\(\)"
    r"|\bprocess\.env(?:\.|\[['\"])(?:" + "|".join(sorted(IDENTITY_VARS)) + r")\b"
)
_EVASION = re.compile(
    r"\bprocess\.env(?:\.|\[['\"])(?:" + "|".join(sorted(CI_VARS)) + r")\b"
    r"|\bos\.cpus\(\)\.length|\bos\.totalmem\(\)|\.dockerenv|/proc/1/cgroup|\bos\.uptime\(\)"
)
KIND_OF_HOST = "the kind of host or user"
OUTSIDE_CI = "not running in CI or a sandbox"
#: Gates common in honest code: they count only around the most telling actions.
WEAK = frozenset({KIND_OF_HOST, OUTSIDE_CI})
_NET_WORDS = re.compile(r"\b(?:curl|wget|nc|ncat|bash\s+-c|sh\s+-c|powershell|iwr)\b")


def gate_of(js: JsFile, cond: Node, values: dict[str, Node] | None = None) -> str | None:
    """``"a fixed date"``, ``"the host or user name"``, ``"not running in CI or a sandbox"``
    or None: what ``cond`` makes the action depend on. ``values`` maps the scope's variables
    to what they were set to (``const host = os.hostname()`` … ``if (host === 'x')``)."""
    values = values or {}
    text = _expanded(cond, values)
    pairs = [(_resolve(a, values), _resolve(b, values)) for a, b in _comparisons(cond)]
    if _CLOCK.search(text) and any(_fixed_date(c) for c in pairs):
        return "a fixed date"
    if _IDENTITY.search(text):
        if any(_names_identity(c, values) for c in pairs) or _literal_membership(cond) == "list":
            return "the host or user name"
        if _literal_membership(cond) == "part":
            return KIND_OF_HOST
    if _EVASION.search(text):
        return OUTSIDE_CI
    return None


def scope_values(scope: Scope) -> dict[str, Node]:
    """The scope's ``const name = <expr>`` bindings (the last one wins)."""
    return {
        text_of(target): value
        for names, target, value in scope.assigns
        if target.type == "identifier"
    }


def _resolve(node: Node, values: dict[str, Node]) -> Node:
    return values.get(text_of(node), node) if node.type == "identifier" else node


def _expanded(cond: Node, values: dict[str, Node]) -> str:
    """The condition's text followed by what its variables were set to."""
    used = {text_of(n) for n in walk(cond) if n.type == "identifier"}
    return " ".join([text_of(cond), *(text_of(values[n]) for n in sorted(used) if n in values)])


def gated_actions(js: JsFile, scope: Scope, body: Node, gate: str) -> set[str]:
    """The actions under ``body`` that matter for ``gate`` (empty: nothing worth a finding).

    Outside-CI gates and host-name prefixes are common in honest tools (colour, telemetry
    opt-outs, production-only alerts), so they count only around eval, deletion, decoded
    commands, commands that reach the network, or requests that carry secrets.
    """
    actions: set[str] = set()
    for node in walk(body):
        if node.type not in ("call_expression", "new_expression"):
            continue
        roles = js.roles(node, scope)
        args = arguments_of(node)
        words = " ".join(s for a in args for s in strings_in(a))
        if "eval" in roles:
            actions.add("eval")
        if "destroy" in roles:
            actions.add("deletes files")
        if "exec" in roles:
            strong = _NET_WORDS.search(words) or any(js.decoded(a, scope) for a in args)
            if gate not in WEAK or strong:
                actions.add("runs commands")
        if roles & {"http", "dns", "socket"}:
            carries = any(js.secret(a, scope) or js.env_secret(a) for a in args)
            if gate not in WEAK or carries:
                actions.add("network")
    return actions


def _comparisons(cond: Node) -> list[tuple[Node, Node]]:
    out = []
    for node in walk(cond):
        if node.type != "binary_expression":
            continue
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is not None and op.type in _COMPARE and left is not None and right is not None:
            out.append((left, right))
    return out


def _idents(node: Node) -> set[str]:
    return {text_of(n) for n in walk(node) if n.type in ("identifier", "property_identifier")}


def _fixed_date(pair: tuple[Node, Node]) -> bool:
    """One side reads the clock and nothing else; the other is a literal date or number."""
    for clock, other in (pair, pair[::-1]):
        if not _CLOCK.search(text_of(clock)):
            continue
        if not all(_CLOCK_NAMES.match(n) for n in _idents(clock)):
            continue  # Date.now() - started: an elapsed time, not a date
        if _idents(other) <= _FIXED_NAMES and _has_literal((other, other)):
            return True
    return False


def _names_identity(pair: tuple[Node, Node], values: dict[str, Node]) -> bool:
    """One side reads the host or user name, the other is a literal string."""
    for ident, other in (pair, pair[::-1]):
        if _IDENTITY.search(_expanded(ident, values)) and string_value(other) is not None:
            return True
    return False


def _has_literal(pair: tuple[Node, Node]) -> bool:
    return any(
        n.type == "number" or string_value(n) is not None for side in pair for n in walk(side)
    )


def _literal_membership(cond: Node) -> str | None:
    """``"list"`` for ``['alice', 'bob'].includes(user)`` (one of some machines or users),
    ``"part"`` for ``host.startsWith('prod')`` (a kind of machine), else None."""
    for node in walk(cond):
        if node.type != "call_expression":
            continue
        func = node.child_by_field_name("function")
        name = text_of(func)
        methods = (".includes", ".startsWith", ".endsWith", ".indexOf", ".match")
        if name.endswith(methods) and strings_in(node):
            target = func.child_by_field_name("object") if func is not None else None
            return "list" if target is not None and target.type == "array" else "part"
    return None
