"""Flows from sensitive sources to outside sinks in Python, and what folded strings reveal.

A value read from a credential store, the whole environment or a harvest of secret
variables (:mod:`.python_facts`, carried through names by :mod:`.python_taint`) that reaches
an outside sink (:mod:`.python_sinks`: HTTP, sockets, DNS names, mail, uploading commands
such as ``git push``) is theft, whatever the skill declares: declaring ``~/**`` and the
collector's host does not make it legitimate. The finding carries its evidence: where the
data comes from and where it leaves, with their lines.

Folded strings (:mod:`.python_fold`) also name what is written (persistence and
agent-control files) and which module or function a dynamic lookup reaches.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from tank.scanner.analyzers import prose
from tank.scanner.analyzers.python_ast import argv_line, call_name, command_line, dotted
from tank.scanner.analyzers.python_facts import COPIES, sensitive, source_kind
from tank.scanner.analyzers.python_fold import HOLE, Folder, complete
from tank.scanner.analyzers.python_sinks import (
    command_sink,
    repo_push,
    repo_store,
    sink_of,
    uploaded_paths,
    url_of,
)
from tank.scanner.analyzers.python_taint import SETTINGS, Origin, Scope
from tank.scanner.analyzers.sensitive import URL
from tank.scanner.knowledge import Target, collector_host, control_target, is_local_host
from tank.scanner.model import Evidence

__all__ = ["Flow", "callee", "dynamic_name", "granted", "live", "persistence_write"]

Report = Callable[..., None]
_AUTH_HEADER = re.compile(r"^(?:authorization|x-api-key|api-key|x-auth-token|private-token)$", re.I)


class Flow:
    """Checks the calls of one scope for secrets reaching a sink."""

    def __init__(
        self,
        path: str,
        scope: Scope,
        folder: Folder,
        report: Report,
        stored: list[Origin] | None = None,
    ) -> None:
        self.path = path
        self.scope = scope
        self.folder = folder
        self.report = report
        #: Secrets stored in the git repository (``git hash-object -w`` fed a key), shared
        #: by the module's scopes: a ``git push`` anywhere in the module sends them.
        self.stored: list[Origin] = stored if stored is not None else []

    def sink(self, call: ast.Call) -> str | None:
        """What ``call`` sends out through, or None."""
        helpers = self.scope.helpers
        nets = helpers.nets if helpers is not None else frozenset()
        found = sink_of(call, nets, self.folder)
        if found is None and helpers is not None:
            # send(data), or send handed over to run later: Thread(target=send, args=(data,)),
            # pool.submit(send, data)
            refs = [call.func, *call.args, *(k.value for k in call.keywords)]
            for ref in refs:
                name = ref.id if isinstance(ref, ast.Name) else call_name(ref)
                via = helpers.sends_argument.get(name) if name else None
                if via is not None and (ref is call.func or isinstance(ref, ast.Name)):
                    found = f"{name}(), which sends its argument by {via}"
                    break
        if found is None:
            command = self.command(call) or self._fed(call)
            found = command_sink(command) if command else None
        return found

    def _fed(self, call: ast.Call) -> str | None:
        """The command a process runs when ``call`` feeds it data: ``p.communicate(x)`` or
        ``p.stdin.write(x)`` on ``p = Popen(["curl", "-d", "@-", url], stdin=PIPE)``."""
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        owner = func.value
        if func.attr == "write" and isinstance(owner, ast.Attribute) and owner.attr == "stdin":
            owner = owner.value
        elif func.attr != "communicate":
            return None
        if not isinstance(owner, ast.Name):
            return None
        for bound in self.folder.bindings(owner):
            if isinstance(bound, ast.Call):
                command = command_line(bound, self.folder.text, self.folder.argv)
                if command is not None:
                    return command
        return None

    def command(self, call: ast.Call) -> str | None:
        """The command line ``call`` runs (through a helper too), folded."""
        helpers = self.scope.helpers
        command = command_line(call, self.folder.text, self.folder.argv)
        if command is None and helpers is not None and call_name(call) in helpers.runs_argument:
            command = argv_line(call.args, self.folder.text)
        return command

    def check(self, call: ast.Call) -> None:
        """Report ``call`` when it sends a secret out (once per call)."""
        command = self.command(call)
        if command is not None and repo_store(command):
            data = [*call.args, *(k.value for k in call.keywords if k.arg not in SETTINGS)]
            for arg in data:
                if self.scope.holds_secret(arg):
                    line, what = self.scope.origin_of(arg) or (call.lineno, "secret data")
                    self.stored.append((call.lineno, f"{what} (line {line})"))
                    return
        sink = self.sink(call)
        if sink is None:
            return
        for path in uploaded_paths(command) if command else []:
            if sensitive(path):  # curl -F f=@~/.ssh/id_rsa, scp ~/.aws/credentials host:
                what = f"reads {sensitive(path)}"
                self._report(call, call.lineno, what, sink)
                return
        data = [*call.args, *(k.value for k in call.keywords if k.arg not in SETTINGS)]
        url = url_of(call, self.folder)
        if url is not None and is_local_host(url[0]):
            return  # this machine (a local dev server) is not outside
        collector = url is not None and collector_host(*url) is not None
        keywords = {id(k.value): k.arg for k in call.keywords}
        for arg in data:
            one = collector and arg is not call.args[0] and self._one_secret(arg)
            if not self.scope.holds_secret(arg) and not one:
                continue
            line, what = self.scope.origin_of(arg) or (call.lineno, "secret data")
            if not collector and self._authenticates(arg, keywords.get(id(arg)), what):
                continue
            if one and not self.scope.holds_secret(arg):
                # one token, sent to a service anyone can read
                names = sorted(self.scope.facts.of(arg).env)
                what = f"reads {names[0]}" if names else "a secret value"
            self._report(call, line, what, sink)
            return

    def pushed(self, call: ast.Call) -> None:
        """Report a ``git push`` (``call``) when the module stored a secret in the
        repository: the commit or blob that holds it leaves with the push."""
        command = self.command(call)
        if not self.stored or command is None or not repo_push(command):
            return
        line, what = self.stored[0]
        sink = f"the command `{command[:80]}`"
        self._report(call, line, f"{what}, stored in the git repository", sink)

    def _report(self, call: ast.Call, line: int, what: str, sink: str) -> None:
        evidence = (
            Evidence("source", self.path, line, what),
            Evidence("sink", self.path, call.lineno, sink),
        )
        self.report(
            "python.exfiltration",
            call,
            f"{what} (line {line}) reaches {sink}: credential theft, whatever the skill declares",
            evidence,
        )

    def _authenticates(self, arg: ast.AST, keyword: str | None, what: str) -> bool:
        """A key from a ``.env`` file used to sign in to the host it is sent to: in ``auth=``
        or under an ``Authorization``/API-key header, and nowhere else in the request. That
        is how an API client uses its key; theft sends the file's content as the payload."""
        path = what.removeprefix("reads ").split(" (", 1)[0]
        if path == what or source_kind(path) != "env-file":
            return False
        if keyword == "auth":
            return True
        if keyword != "headers" or not isinstance(arg, ast.Dict):
            return False
        for key, value in zip(arg.keys, arg.values, strict=True):
            carries = self.scope.holds_secret(value)
            named = isinstance(key, ast.Constant) and isinstance(key.value, str)
            if carries and not (named and _AUTH_HEADER.search(str(getattr(key, "value", "")))):
                return False
        return True

    def download_hosts(self) -> list[str]:
        """Hosts the module downloads from (``http://`` kept for plain HTTP)."""
        out: list[str] = []
        for node in self.folder.calls:
            if call_name(node) in ("urlopen", "urlretrieve") or self.scope.facts.of(node).fetches:
                for value in self.folder.strings(node.args[0]) if node.args else []:
                    found = URL.search(value)
                    if found and complete(found.group(1)):
                        plain = value.lower().startswith("http://")
                        out.append(("http://" if plain else "") + found.group(1))
        return sorted(set(out))

    def _one_secret(self, arg: ast.AST) -> bool:
        return bool(self.scope.facts.of(arg).env) or not self.scope.names(arg).isdisjoint(
            self.scope.env
        )


def callee(call: ast.Call, folder: Folder) -> str | None:
    """The function a call reaches through a run-time lookup, folded: ``getattr(b, "ex" +
    "ec")(…)`` → ``exec``; ``imp = __builtins__["__im" + "port__"]`` … ``imp(…)`` →
    ``__import__``. None for ordinary calls."""
    func = call.func
    lookups: list[ast.expr] = [func]
    if isinstance(func, ast.Name):
        lookups = folder.bindings(func)
    for lookup in lookups[:4]:
        for option in [lookup.body, lookup.orelse] if isinstance(lookup, ast.IfExp) else [lookup]:
            name: ast.AST | None = None
            if isinstance(option, ast.Call) and call_name(option) == "getattr":
                name = option.args[1] if len(option.args) > 1 else None
            elif isinstance(option, ast.Subscript) and "builtins" in dotted(option.value):
                name = option.slice
            found = folder.text(name) if name is not None else None
            if found:
                return found
    return None


def dynamic_name(target: ast.AST, folder: Folder, runners: frozenset[str]) -> str | None:
    """The module or attribute name a lookup builds at run time, when it is fully known
    and never written in the clear in the file (``getattr(os, "sy" + "stem")``); None for
    literal names and names with run-time parts (``getattr(mod, f"load_{kind}")``)."""
    if isinstance(target, ast.Constant):
        return None
    for value in folder.strings(target):
        # A runner (exec, system, subprocess) looked up by a built name is hidden even if
        # the word appears elsewhere in the file.
        if value and complete(value) and (value not in folder.literals or value in runners):
            return value
    return None


_WRITE_MODES = frozenset("wax+")


def persistence_write(call: ast.Call, folder: Folder) -> tuple[str, Target] | None:
    """The persistence or agent-control file ``call`` writes (shell rc files, cron, launchd,
    systemd units, ``authorized_keys``, git hooks, agent settings and MCP configs), from the
    folded path, with its kind (:func:`tank.scanner.knowledge.control_target`)."""
    name = call_name(call)
    targets: list[ast.AST] = []
    func = call.func
    if name == "open" and call.args and isinstance(func, ast.Name):
        mode = call.args[1] if len(call.args) > 1 else _keyword(call, "mode")
        if mode is not None and set("".join(folder.strings(mode))) & _WRITE_MODES:
            targets.append(call.args[0])
    elif isinstance(func, ast.Attribute) and name in ("write_text", "write_bytes", "open"):
        if name != "open" or (
            call.args and set("".join(folder.strings(call.args[0]))) & _WRITE_MODES
        ):
            targets.append(func.value)
    elif name in COPIES and len(call.args) >= 2:
        targets.append(call.args[1])
    for target in targets:
        for value in folder.strings(target):
            found = control_target(value)
            if found is not None and live(value, found):
                return value.replace(HOLE, "*"), found
    return None


#: Kinds whose files act only at their one place in the home folder or /etc.
_HOME_ONLY = frozenset({"shell-startup", "ssh-access"})


def live(path: str, target: Target) -> bool:
    """Whether ``path`` is the file that acts, not a copy: ``~/dotfiles/.bashrc`` or
    ``backup/.ssh/authorized_keys`` (kept in an ordinary folder) start nothing."""
    if target.kind not in _HOME_ONLY:
        return True
    parts = path.replace("\\", "/").split("/")
    if parts[0] not in ("~", "", HOLE) and not parts[0].endswith(HOLE):
        return False  # relative to the working directory: a repository's copy
    return all(p.startswith(".") or p in ("", HOLE, "etc") for p in parts[1:-1])


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def granted(nodes: list[ast.AST]) -> str | None:
    """A setting that turns an agent's approvals off (``bypassPermissions``, ``Bash(*)``:
    the ``config_grant`` words of data/prose.yaml) written as a value in the module, or
    None. A literal that is only checked or taken out is no grant: compared against (``if
    mode == "bypassPermissions"``), removed (``allow.remove("Bash(*)")``), or listed in a
    container the module only tests membership in (``if rule in RISKY``), or a regular
    expression's pattern (``re.compile(r"bypassPermissions|…")``: what a filter refuses)."""
    checks: list[ast.AST] = []
    tested: set[str] = set()  # names on the right of ``in`` / ``not in``
    for node in nodes:
        if isinstance(node, ast.Compare):
            checks.append(node)
            tested.update(
                c.id
                for op, c in zip(node.ops, node.comparators, strict=True)
                if isinstance(op, ast.In | ast.NotIn) and isinstance(c, ast.Name)
            )
        elif isinstance(node, ast.Call) and call_name(node) in _TAKES_OUT:
            checks.append(node)
        elif (
            isinstance(node, ast.Call)
            and call_name(node) in _PATTERN_CALLS
            and node.args
            and dotted(node.func).split(".")[0] in ("re", "regex")
        ):
            checks.append(node.args[0])
    for node in nodes:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in tested
        ):
            checks.append(node.value)
    excluded = {id(sub) for check in checks for sub in ast.walk(check)}
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in excluded or len(node.value) > 4096:
                continue
            found = prose.first("config_grant", node.value)
            if found is not None:
                return found.group(0)
    return None


#: ``re`` functions whose first argument is a pattern.
_PATTERN_CALLS = frozenset(
    {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
)
#: Calls that take a value out of a container or a text.
_TAKES_OUT = frozenset({"remove", "discard", "pop", "replace", "count", "index"})
