"""JavaScript that takes control of the machine or of the user's AI agent: writes to
persistence locations (shell start-up files, cron, launchd, systemd, ``authorized_keys``, git
hooks) and to agent-control files (agent settings, ``CLAUDE.md``/``AGENTS.md``, cursor rules,
MCP server configs), and MCP servers registered to run code from an outside host.

Targets are folded (:mod:`.js_fold`), so a path built in a helper (``mergeJson(join(h,
'.claude.json'), …)``) or taken from a loop over a list of files is seen as what it is; the
list of locations is :func:`tank.scanner.knowledge.control_target`. Text written into an
agent's instruction files is scanned as markdown, so injected instructions are reported as
they would be in the skill's own SKILL.md.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from tank.scanner.analyzers.base import Context, script_suffix
from tank.scanner.analyzers.js_bindings import arguments_of
from tank.scanner.analyzers.js_fold import HOLE, Value
from tank.scanner.analyzers.js_tree import callee, line_of, string_value, text_of, walk
from tank.scanner.analyzers.sensitive import URL
from tank.scanner.knowledge import Target, control_target, is_local_host
from tank.scanner.model import Evidence, Finding, Severity

if TYPE_CHECKING:
    from tree_sitter import Node

    from tank.scanner.analyzers.js_facts import JsFile, Scope

__all__ = ["check_write", "rogue_mcp_servers"]

#: Lines that only extend PATH or add an alias to a shell start-up file: a habit, not a foothold.
_PATH_HABITS = re.compile(r"export\s+PATH=|\balias\s|source\s+\S*(?:venv|nvm|cargo|env)\b")
_COPIES = ("copyFile", "copyFileSync", "cpSync", "symlink", "symlinkSync")
#: Programs that fetch and run a package given by name or URL.
_LAUNCHERS = frozenset({"npx", "bunx", "pnpx", "uvx", "pipx", "node", "deno", "bun", "python"})
_TLS_OFF = re.compile(
    r"NODE_TLS_REJECT_UNAUTHORIZED\W+0|--insecure\b|strict-ssl\W+false|--no-verify-ssl"
    r"|--trusted-host\b|rejectUnauthorized\W+false",
    re.IGNORECASE,
)
_MAX_BODY_NODES = 4000
#: Settings that let an agent run anything without asking (Claude Code, Cursor, MCP clients).
_ESCALATION = re.compile(
    r"Bash\(\*\)|bypassPermissions|enableAllProjectMcpServers|dangerously-?skip-?permissions"
    r"|\bautoApprove\b|\balwaysAllow\b|\btask\.allowAutomaticTasks\b",
    re.IGNORECASE,
)
#: Names only tested for membership (``TOO_BROAD.has(rule)``), a declaration of one, and a
#: comparison: a setting named there is what the code refuses, not what it grants.
_MEMBERSHIP = re.compile(r"\b([A-Za-z_$][\w$]*)\s*\.\s*(?:has|includes|indexOf)\s*\(")
_DECLARED = re.compile(r"^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=")
_COMPARED_BEFORE = re.compile(r"(?:[!=]==?|\bcase)\s*$")
_COMPARED_AFTER = re.compile(r"^\s*[!=]==?")
#: An IDE task that runs by itself when the folder opens (VS Code ``runOptions.runOn``).
_AUTORUN = re.compile(r"\brunOn\W{1,6}folderOpen\b", re.IGNORECASE)
#: A command line that downloads code and runs it (``curl … | sh``, ``iwr … | iex``).
_DOWNLOAD_RUN = re.compile(
    r"\b(?:curl|wget)\b[^\n|;]{0,300}\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b"
    r"|\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b[^\n|;]{0,300}\|\s*(?:iex|Invoke-Expression)\b"
    r"|\b(?:iex|Invoke-Expression)\b[^\n]{0,40}\b(?:iwr|irm|DownloadString)\b",
    re.IGNORECASE,
)
_MAX_SCAN_BYTES = 512 * 1024
#: How deep text written to an agent's instructions is rescanned (it may hold more writes).
_MAX_RESCAN_DEPTH = 2
#: A file written with code in it: the code is scanned as the skill's own.
_CODE_FILE = re.compile(r"\.(?:[cm]?js|ts|py|sh|bash|ps1|psm1)$", re.I)


def check_write(js: JsFile, scope: Scope, call: Node, path: str, context: Context) -> list[Finding]:
    """A ``js.persistence`` or ``js.agent_control`` finding for a file write to such a place,
    plus what the written text says to the agent (when it goes to an instruction file)."""
    if "write" not in js.roles(call, scope):
        return []
    args = arguments_of(call)
    copy = callee(call).rsplit(".", 1)[-1] in _COPIES
    targets = js.path_text(args[:2] if copy else args[:1], scope).splitlines()
    payload = "" if copy else js.path_text(args[1:2], scope)
    out = _report(js, call, args, targets, payload, copy, path, context)
    code = next((m.group(0) for t in targets if (m := _CODE_FILE.search(t.strip()))), None)
    if code and not copy and len(args) > 1 and context.depth < _MAX_RESCAN_DEPTH:
        # code the skill writes and later loads (a preload, a hook) is the skill's code
        line = line_of(call)
        for text in js.folder.strings(args[1])[:2]:
            visible = text.replace(HOLE, " ")
            if len(visible.strip()) >= 20:
                out.extend(context.rescan(f"{path}#L{line}{code}", visible, context.depth + 1))
    return out


def check_imported_writes(
    js: JsFile, scope: Scope, call: Node, path: str, context: Context
) -> list[Finding]:
    """Writes done by a helper imported from another file of the skill, with the paths this
    call gives it: ``save(join(homedir(), '.claude.json'), cfg)`` where ``save`` writes its
    first argument."""
    name = callee(call)
    resolved = js.resolve(name) if name else None
    if resolved is None or resolved[0] is js:
        return []
    module, function = resolved
    params = function.child_by_field_name("parameters")
    items = params.named_children if params is not None else []
    names = [text_of(p.child_by_field_name("pattern") or p) for p in items]
    args = arguments_of(call)
    env = {n: js.folder.values(a) for n, a in zip(names, args, strict=False) if n}
    body = function.child_by_field_name("body")
    out: list[Finding] = []
    for sub in itertools.islice(walk(body), _MAX_BODY_NODES) if body is not None else ():
        if sub.type != "call_expression" or "write" not in module.roles(sub):
            continue
        inner = arguments_of(sub)
        targets = [_text(v) for a in inner[:1] for v in module.folder.values(a, env)]
        payload = "\n".join(_text(v) for a in inner[1:2] for v in module.folder.values(a, env))
        out.extend(_report(js, call, args, targets, payload, False, path, context))
    return out


def _text(value: Value) -> str:
    return value if isinstance(value, str) else _flat(value)


def _report(
    js: JsFile,
    call: Node,
    args: list[Node],
    targets: list[str],
    payload: str,
    copy: bool,
    path: str,
    context: Context,
) -> list[Finding]:
    """The findings for a write (``call``) that reaches ``targets`` with ``payload``."""
    hits: dict[str, list[str]] = {}
    for text in targets:
        target = _target(text)
        if target is None:
            continue
        if target.kind != "agent-control" and _PATH_HABITS.search(payload):
            continue
        hits.setdefault(target.kind, []).append(text.replace(HOLE, "…"))
    if not hits:
        return []
    line = line_of(call)
    snippet = text_of(call).splitlines()[0][:200]
    out = []
    escalation = _escalation(js) if "agent-control" in hits else None
    for kind, places in hits.items():
        rule = "js.agent_control" if kind == "agent-control" else "js.persistence"
        shown = ", ".join(sorted(set(places))[:6])
        # The project's own git hooks (.git/hooks, .husky) run the project's checks on the
        # user's commits: a note, not a foothold (global hooks and the rest stay high).
        project_hooks = kind == "git-hooks" and not any(p.startswith(("~", "/")) for p in places)
        out.append(
            Finding.of(
                context.rules[rule],
                path,
                line,
                snippet,
                f"writes {shown}"
                + (" (the project's own git hooks)" if project_hooks else "")
                + (
                    f", in a file that grants {escalation}: the agent stops asking"
                    if escalation and kind == "agent-control"
                    else ""
                ),
                severity=Severity.LOW
                if project_hooks
                else (Severity.CRITICAL if escalation and kind == "agent-control" else None),
                evidence=(Evidence("sink", path, line, f"writes {shown}"),),
            )
        )
    if "agent-control" in hits and len(args) > 1 and not copy:
        out.extend(_instructions(js, args[1], path, line, context))
    return out


def _escalation(js: JsFile) -> str | None:
    """A setting that turns the agent's approvals off, written out in the file, or a task
    set to run on folder open that downloads and runs code."""
    text = (js.root.text or b"")[:_MAX_SCAN_BYTES].decode("utf-8", "replace")
    tested = set(_MEMBERSHIP.findall(text))
    for found in _ESCALATION.finditer(text):
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        line = text[start : end if end != -1 else len(text)]
        declared = _DECLARED.match(line)
        if (declared and declared.group(1) in tested) or _compared(text, found):
            continue  # a list the code only checks against, or a comparison: no grant
        return found.group(0)
    autorun, fetch = _AUTORUN.search(text), _DOWNLOAD_RUN.search(text)
    if autorun and fetch:
        return f"a task run on folder open that downloads and runs code ({fetch.group(0)[:80]})"
    return None


def _compared(text: str, found: re.Match[str]) -> bool:
    """Whether the string literal holding ``found`` is compared against (``x ===
    'bypassPermissions'``, ``case 'Bash(*)':``) rather than written."""
    quote_at = max(text.rfind(q, max(found.start() - 200, 0), found.start()) for q in "'\"`")
    if quote_at < 0:
        return False
    closing = text.find(text[quote_at], found.end())
    before = text[max(quote_at - 20, 0) : quote_at]
    after = text[closing + 1 : closing + 21] if closing != -1 else ""
    return bool(_COMPARED_BEFORE.search(before) or _COMPARED_AFTER.match(after))


@lru_cache(maxsize=4096)
def _target(text: str) -> Target | None:
    return control_target(text)


def _instructions(js: JsFile, node: Node, path: str, line: int, context: Context) -> list[Finding]:
    """The text written into an agent's instruction file, scanned as markdown."""
    if context.depth >= _MAX_RESCAN_DEPTH:
        return []
    out: list[Finding] = []
    for text in js.folder.strings(node)[:2]:
        visible = text.replace(HOLE, " ")
        if len(visible.strip()) >= 20:
            out.extend(context.rescan(f"{path}#L{line}.md", visible, context.depth + 1))
    return out


_MAX_EMBEDDED = 8
_MAX_WALK = 200_000


def embedded_scripts(js: JsFile, path: str, context: Context) -> list[Finding]:
    """Scripts held in the code's strings (``const HOOK = `#!/bin/sh …```, written out as a
    git hook or a job): the skill's code too, scanned as their shebang says."""
    if context.depth >= _MAX_RESCAN_DEPTH or b"#!" not in (js.root.text or b""):
        return []
    out: list[Finding] = []
    seen = 0
    for node in itertools.islice(walk(js.root), _MAX_WALK):
        if node.type not in ("template_string", "string") or text_of(node)[1:3] != "#!":
            continue
        for text in js.folder.strings(node)[:1]:
            suffix = script_suffix(text)
            if suffix:
                where = f"{path}#L{line_of(node)}{suffix}"
                out.extend(context.rescan(where, text.replace(HOLE, " "), context.depth + 1))
        seen += 1
        if seen >= _MAX_EMBEDDED:
            break
    return out


def rogue_mcp_servers(js: JsFile, path: str, text: str, context: Context) -> list[Finding]:
    """``js.rogue_mcp_server``: an MCP server definition (``{command, args, env}``) in a file
    that writes agent configuration, whose command fetches code from an outside host or runs
    with TLS checks off."""
    if "mcpServers" not in text and "mcp" not in text.lower():
        return []
    out = []
    for node in walk(js.root):
        if node.type != "object":
            continue
        fields = _fields(node)
        if "command" not in fields or "args" not in fields:
            continue
        words = [_flat(v) for v in js.folder.values(fields["command"])[:1]]
        words += [_flat(v) for v in js.folder.values(fields["args"])[:1]]
        env = text_of(fields["env"]) if "env" in fields else ""
        launched = " ".join(words)
        program = launched.split(" ", 1)[0].rsplit("/", 1)[-1]
        hosts = [m.group(1) for m in URL.finditer(launched) if not is_local_host(m.group(1))]
        tls_off = bool(_TLS_OFF.search(launched) or _TLS_OFF.search(env))
        if not ((program in _LAUNCHERS and hosts) or tls_off):
            continue
        why = []
        if hosts:
            why.append(f"runs {program} on code from {hosts[0]}")
        if tls_off:
            why.append("with TLS certificate checks turned off")
        line = line_of(node)
        out.append(
            Finding.of(
                context.rules["js.rogue_mcp_server"],
                path,
                line,
                text_of(node).splitlines()[0][:200],
                f"registers an MCP server that {' '.join(why)}: {launched[:160]}",
            )
        )
    return out


def _fields(node: Node) -> dict[str, Node]:
    out: dict[str, Node] = {}
    for pair in node.named_children:
        if pair.type != "pair":
            continue
        key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        if key is None or value is None:
            continue
        name = string_value(key) if key.type == "string" else text_of(key)
        if name:
            out[name] = value
    return out


def _flat(value: Value) -> str:
    if isinstance(value, str):
        return value.replace(HOLE, "…")
    return " ".join(_flat(v) for v in value)
