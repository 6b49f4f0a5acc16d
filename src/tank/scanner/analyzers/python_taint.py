"""Taint in Python: which names hold decoded or downloaded data or secrets, inside a function
and across the functions of one module, with where each secret comes from (its origin).

Sources are sensitive paths where they are opened or built (:mod:`.python_facts`, after
folding), the whole environment, the clipboard, and three or more secret variables gathered
in one value (a harvest). One token read from the environment, or one value picked by key
from a parsed ``.env``, is not a source: honest API clients read exactly that and send it,
in a header, to the API it is for. Taint moves through assignments, loops, ``with``,
container fills, copies (``shutil.copy(key, dst)`` stages it in ``dst``'s folder) and
writers over buffers (``ZipFile(buf)``).

Across functions (:func:`module_helpers`), to a fixpoint:

* a function that *returns* a source is a source where it is called
  (``def creds(): return open(KEY).read()`` … ``requests.post(URL, data=creds())``);
* a function whose *parameter* reaches a network sink is a sink where it is called
  (``def send(d): requests.post(URL, data=d)`` … ``send(creds())``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from tank.scanner.analyzers.python_ast import COMMANDS, call_name, dotted
from tank.scanner.analyzers.python_facts import (
    COPIES,
    HARVEST,
    WRITES_INTO,
    Facts,
    mutated,
)
from tank.scanner.analyzers.python_sinks import NetNames, sink_of
from tank.scanner.knowledge import sensitive_source

__all__ = ["Helpers", "Origin", "Scope", "env_secrets", "is_source", "module_helpers"]

Function = ast.FunctionDef | ast.AsyncFunctionDef
#: Where a secret comes from: (line, what it is in words).
Origin = tuple[int, str]
#: Calls that make a writer over a buffer or file given to them.
_WRAPPERS = frozenset(
    {"ZipFile", "TarFile", "open", "GzipFile", "TextIOWrapper", "BufferedWriter", "writer"}
    | {"DictWriter", "BZ2File", "LZMAFile"}
)
#: Keyword arguments that configure a call rather than carry its data.
SETTINGS = frozenset({"env", "timeout", "verify", "proxies", "check", "shell", "text"})


@dataclass(slots=True)
class Helpers:
    """Functions of a module that return secrets (with where the secret comes from), or
    send what they are given (with what sends it)."""

    returns_secret: dict[str, Origin] = field(default_factory=dict)
    sends_argument: dict[str, str] = field(default_factory=dict)
    #: Functions that run their arguments as a command (``def sh(*a): subprocess.run(a)``).
    runs_argument: set[str] = field(default_factory=set)
    #: Functions that return downloaded data (``def fetch(): return urlopen(u).read()``,
    #: or the text of a file they wrote it to).
    returns_fetched: set[str] = field(default_factory=set)
    nets: NetNames = frozenset()


def env_secrets(node: ast.AST, facts: Facts | None = None) -> frozenset[str]:
    """Secret-looking variables read in ``node``: ``os.environ['X']``, ``getenv('X')``…"""
    return (facts or Facts()).of(node).env


def is_source(node: ast.AST, helpers: Helpers | None = None, facts: Facts | None = None) -> bool:
    """Reads a credential store, grabs the whole environment, gathers several secrets, or
    calls a helper that returns one of those."""
    found = (facts or Facts()).of(node)
    return found.source or (
        helpers is not None and not found.called.isdisjoint(helpers.returns_secret)
    )


class Scope:
    """Names tainted in one function (or the module body): decoded data, secrets, one-secret
    values (``env``), and values derived from the function's parameters (``passed``)."""

    def __init__(
        self,
        body: list[ast.stmt],
        helpers: Helpers | None = None,
        params: set[str] | None = None,
        facts: Facts | None = None,
        seed: Scope | None = None,
    ) -> None:
        self.helpers = helpers
        self.facts = facts or Facts()
        # A function sees the module's names: TOKEN = open(KEY).read() at the top.
        self.decoded: set[str] = set(seed.decoded) if seed else set()
        self.fetched: set[str] = set(seed.fetched) if seed else set()
        #: Files written with downloaded content (names, and their folded paths).
        self.dropped: set[str] = set(seed.dropped) if seed else set()
        self.dropped_paths: set[str] = set(seed.dropped_paths) if seed else set()
        self.secret: set[str] = set(seed.secret) if seed else set()
        self.env: set[str] = set(seed.env) if seed else set()
        #: Where each secret name's data comes from (the first source seen).
        self.origin: dict[str, Origin] = dict(seed.origin) if seed else {}
        self.passed: set[str] = set(params or ())
        #: Names bound to os.environ itself (env = os.environ): env['X'] is one variable,
        #: json.dumps(env) is all of them.
        self.aliases: set[str] = set()
        self._env_files: set[str] = set(seed._env_files) if seed else set()
        #: Writers and the buffers they write into (z = ZipFile(buf, "w") → {z: {buf}}).
        self.wraps: dict[str, set[str]] = {}
        self._body = body
        bindings = self.facts.bindings(body)
        for _ in range(2):  # two passes: a name may be tainted after its first use
            for node in bindings:
                if isinstance(node, ast.With | ast.For):
                    self._bind(node)
                elif isinstance(node, ast.Call):
                    self._mutate(node)
                else:
                    self._assign(node)

    def holds_secret(self, node: ast.AST) -> bool:
        """Whether ``node`` is a source or uses a name that holds one."""
        found = self.facts.of(node)
        if is_source(node, self.helpers, self.facts):
            return True
        held = found.names & self.secret
        if held and not all(self._one_value(node, name) for name in held):
            return True
        if len(found.names & self.env) >= HARVEST:
            return True  # [token_a, token_b, token_c]: a harvest, gathered at the sink
        return bool(self.aliases & found.names) and self._alias_passed(node)

    def credential(self, name: str) -> bool:
        """``name`` holds a credential store's path or data (a ``.env`` file's aside)."""
        return name in self.secret and self.origin.get(name, (0, ""))[1] not in self._env_files

    def _one_value(self, node: ast.AST, name: str) -> bool:
        """``name`` holds a parsed ``.env`` file and ``node`` only picks values out of it by
        key (``env["API_KEY"]``, ``env.get("API_KEY")``): one setting, like one variable of
        the environment, that an honest client sends to its own API."""
        if self.origin.get(name, (0, ""))[1] not in self._env_files:
            return False
        picked: set[int] = set()
        for sub in ast.walk(node):
            base: ast.AST | None = None
            if isinstance(sub, ast.Subscript) and isinstance(sub.slice, ast.Constant):
                base = sub.value
            elif (
                isinstance(sub, ast.Call)
                and isinstance(sub.func, ast.Attribute)
                and sub.func.attr == "get"
                and sub.args
                and isinstance(sub.args[0], ast.Constant)
            ):
                base = sub.func.value
            if isinstance(base, ast.Name):
                picked.add(id(base))
        return all(
            id(sub) in picked
            for sub in ast.walk(node)
            if isinstance(sub, ast.Name) and sub.id == name
        )

    def origin_of(self, node: ast.AST) -> Origin | None:
        """Where the secret ``node`` holds comes from (line, what), when it holds one."""
        found = self.facts.of(node)
        if found.source:
            return getattr(node, "lineno", 0), found.what
        if self.helpers is not None:
            for name in sorted(found.called & self.helpers.returns_secret.keys()):
                line, what = self.helpers.returns_secret[name]
                return line, f"{what} (returned by {name}())"
        for name in sorted(found.names & self.secret):
            if name in self.origin:
                return self.origin[name]
        if self.aliases & found.names and self._alias_passed(node):
            return getattr(node, "lineno", 0), "the whole environment"
        if len(found.names & self.env) >= HARVEST:
            return getattr(node, "lineno", 0), "several secrets gathered together"
        return None

    def _taint(self, targets: set[str], value: ast.AST) -> None:
        targets = targets | {w for t in targets for w in self.wraps.get(t, ())}
        self.secret |= targets
        origin = self.origin_of(value)
        if origin is not None:
            for target in targets:
                self.origin.setdefault(target, origin)
            path = origin[1].removeprefix("reads ")
            found = sensitive_source(path) if path != origin[1] else None
            if found is not None and found.kind == "env-file":
                self._env_files.add(origin[1])

    def _alias_passed(self, node: ast.AST) -> bool:
        """An environ alias used whole: passed as a value, not subscripted or ``.get``."""
        if isinstance(node, ast.Name):
            return node.id in self.aliases
        for sub in ast.walk(node):
            values: list[ast.expr] = []
            if isinstance(sub, ast.Call):
                values = [*sub.args, *(k.value for k in sub.keywords)]
            elif isinstance(sub, ast.Dict):
                values = sub.values
            if any(isinstance(v, ast.Name) and v.id in self.aliases for v in values):
                return True
        return False

    def names(self, node: ast.AST) -> frozenset[str]:
        """The names ``node`` reads (cached)."""
        return self.facts.of(node).names

    def _targets(self, node: ast.AST) -> set[str]:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        return {
            n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)
        }

    def _assign(self, node: ast.AST) -> None:
        value = getattr(node, "value", None)
        if value is None:
            return
        targets = self._targets(node)
        self._wrap(targets, value)
        if dotted(value).endswith("environ"):
            self.aliases |= targets  # an alias, not a copy: see holds_secret
            return
        found = self.facts.of(value)
        used = found.names
        if found.decodes or not used.isdisjoint(self.decoded):
            self.decoded |= targets
        if self.downloaded(value):
            self.fetched |= targets  # downloaded: code from outside if it is run
        if self.holds_secret(value):
            self._taint(targets, value)
        elif len(used & self.env) >= HARVEST:
            self.secret |= targets
            line = getattr(value, "lineno", 0)
            for target in targets:
                self.origin.setdefault(target, (line, "several secret variables"))
        if found.env or not used.isdisjoint(self.env):
            self.env |= targets
        if not used.isdisjoint(self.passed):
            self.passed |= targets

    def _mutate(self, call: ast.Call) -> None:
        """``ctx.update(os.environ)``, ``found.append(key)``: the container takes the taint;
        ``shutil.copy(key, dst)``: the copy (and the folder it is built in) does."""
        name = call_name(call)
        if name in COPIES and len(call.args) >= 2:
            if self.holds_secret(call.args[0]):
                self._taint(self._staged(call.args[1]), call.args[0])
            return
        if name in WRITES_INTO and isinstance(call.func, ast.Attribute) and call.args:
            # (repo / "k").write_text(key): the file, and the folder it is in, hold the key
            if self.holds_secret(call.args[0]):
                self._taint(self._staged(call.func.value), call.args[0])
            if self._downloaded(call.args[0]):
                self._drop(set(self.names(call.func.value)), [call.func.value])
            return
        if name == "urlretrieve" and len(call.args) >= 2:
            self._drop(set(self.names(call.args[1])), [call.args[1]])
            return
        target = mutated(call)
        args = [*call.args, *(k.value for k in call.keywords)]
        if target is None or not args:
            return
        secret = next((a for a in args if self.holds_secret(a)), None)
        if secret is not None:
            self._taint({target}, secret)
        if any(self.facts.of(a).decodes or self.names(a) & self.decoded for a in args):
            self.decoded.add(target)
        if any(self.facts.of(a).env or self.names(a) & self.env for a in args):
            self.env.add(target)
        if any(not self.names(a).isdisjoint(self.passed) for a in args):
            # t.add(param) on t = tarfile.open(fileobj=buf): buf carries the parameter
            self.passed |= {target} | self.wraps.get(target, set())
        if call_name(call) == "write" and any(self._downloaded(a) for a in args):
            self._drop(self.wraps.get(target, set()), [])

    def _drop(self, names: set[str], paths: list[ast.AST]) -> None:
        """Files written with downloaded content: by name, and by folded path."""
        self.dropped |= names
        folder = self.facts.folder
        for path in paths:
            self.dropped_paths.update(folder.strings(path) if folder is not None else [])
        for node in self.facts.bindings(self._body):  # path = "/tmp/u.py" … open(path, "wb")
            if isinstance(node, ast.Assign) and self._targets(node) & names and folder:
                self.dropped_paths.update(folder.strings(node.value))

    def runs_dropped(self, node: ast.AST) -> bool:
        """``node`` names a file written with downloaded content."""
        if not self.names(node).isdisjoint(self.dropped):
            return True
        folder = self.facts.folder
        values = folder.strings(node) if folder is not None else []
        return any(v in self.dropped_paths for v in values) or any(
            isinstance(n, ast.Constant) and n.value in self.dropped_paths for n in ast.walk(node)
        )

    def downloaded(self, node: ast.AST) -> bool:
        """``node`` holds downloaded data: fetched here, through a name, from a helper that
        returns a download, or read back from a file a download was written to."""
        found = self.facts.of(node)
        if found.fetches or not found.names.isdisjoint(self.fetched):
            return True
        if self.helpers is not None and not found.called.isdisjoint(self.helpers.returns_fetched):
            return True
        return any(
            isinstance(sub, ast.Call)
            and call_name(sub) in _READS
            and isinstance(sub.func, ast.Attribute)
            and self.runs_dropped(sub.func.value)
            for sub in ast.walk(node)
        )

    def _downloaded(self, node: ast.AST) -> bool:
        return self.downloaded(node)

    def _bind(self, node: ast.With | ast.For) -> None:
        if isinstance(node, ast.For):
            names = {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
            if self.holds_secret(node.iter):
                self._taint(names, node.iter)
            if not self.names(node.iter).isdisjoint(self.passed):
                self.passed |= names
            return
        for item in node.items:
            if item.optional_vars is None:
                continue
            names = {n.id for n in ast.walk(item.optional_vars) if isinstance(n, ast.Name)}
            self._wrap(names, item.context_expr)
            if self.facts.of(item.context_expr).fetches:  # with urlopen(u) as r
                self.fetched |= names
            if self.holds_secret(item.context_expr):
                self._taint(names, item.context_expr)

    def _staged(self, destination: ast.AST) -> set[str]:
        """The folders a copy destination is built in, one binding back: ``dst = work /
        name`` stages the data in ``dst`` and ``work`` (the folder a later ``git push``
        sends). Only path bases count, not every name used (``Path(args.out) / x``)."""
        staged = _bases(destination)
        for node in self.facts.bindings(self._body):
            if isinstance(node, ast.Assign) and self._targets(node) & staged:
                staged |= _bases(node.value)
        return staged

    def _wrap(self, names: set[str], value: ast.expr) -> None:
        """``z = ZipFile(buf, "w")``, ``f = open(repo / "k", "w")``: what is written to the
        writer ends up in ``buf`` / ``repo``."""
        if isinstance(value, ast.Call) and call_name(value) in _WRAPPERS:
            first = [*value.args[:1], *(k.value for k in value.keywords if k.arg == "fileobj")]
            inner = {n for a in first for n in self._staged(a)}
            for name in names:
                self.wraps.setdefault(name, set()).update(inner)


def _bases(path: ast.AST) -> set[str]:
    """The name a path expression is built on: ``work`` in ``work / "k"``,
    ``os.path.join(work, "k")``, ``Path(work, "k")``, ``str(work)``."""
    if isinstance(path, ast.Name):
        return {path.id}
    if isinstance(path, ast.BinOp) and isinstance(path.op, ast.Div | ast.Add):
        return _bases(path.left)
    if isinstance(path, ast.Call) and path.args and call_name(path) in _PATH_BUILDERS:
        return _bases(path.args[0])
    return set()


#: Calls that read a file's content back.
_READS = frozenset({"read_text", "read_bytes", "read"})
_PATH_BUILDERS = frozenset({"join", "joinpath", "Path", "str", "fspath", "abspath", "realpath"})


def _params(function: Function) -> set[str]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None and a.arg not in ("self", "cls")}


def _returns_secret(function: Function, scope: Scope) -> Origin | None:
    for node in scope.facts.own(function.body):
        if isinstance(node, ast.Return | ast.Yield) and node.value is not None:
            value = node.value
            origin = scope.origin_of(value) if scope.holds_secret(value) else None
            if origin is not None:
                return origin
            if len(scope.names(value) & scope.env) >= HARVEST:
                return node.lineno, "several secret variables"
    return None


def _sends_argument(function: Function, scope: Scope, helpers: Helpers) -> str | None:
    for node in scope.facts.own(function.body):
        if not isinstance(node, ast.Call):
            continue
        name = call_name(node)
        sink = helpers.sends_argument.get(name) or sink_of(node, helpers.nets, scope.facts.folder)
        if sink is None:
            continue
        args = [*node.args, *(k.value for k in node.keywords if k.arg not in SETTINGS)]
        if any(not scope.names(a).isdisjoint(scope.passed) for a in args):
            return sink
    return None


def _sizes(helpers: Helpers) -> tuple[int, int, int, int]:
    return (
        len(helpers.returns_secret),
        len(helpers.sends_argument),
        len(helpers.runs_argument),
        len(helpers.returns_fetched),
    )


def _returns_fetched(function: Function, scope: Scope) -> bool:
    return any(
        isinstance(node, ast.Return) and node.value is not None and scope.downloaded(node.value)
        for node in scope.facts.own(function.body)
    )


def _runs_argument(function: Function, scope: Scope) -> bool:
    return any(
        isinstance(node, ast.Call)
        and call_name(node) in COMMANDS
        and bool(node.args)
        and not scope.names(node.args[0]).isdisjoint(scope.passed)
        for node in scope.facts.own(function.body)
    )


def module_helpers(
    functions: list[Function],
    facts: Facts | None = None,
    seed: Scope | None = None,
    nets: NetNames = frozenset(),
    imported: Helpers | None = None,
) -> Helpers:
    """The module's secret-returning and argument-sending functions (see the docstring);
    ``seed`` is the module body's scope, whose names every function sees; ``nets`` the
    names that stand for network modules and clients (:func:`.python_sinks.net_names`)."""
    facts = facts or Facts()
    helpers = Helpers(nets=nets)
    if imported is not None:  # helpers of the skill's other modules (python_modules)
        helpers.returns_secret.update(imported.returns_secret)
        helpers.sends_argument.update(imported.sends_argument)
        helpers.returns_fetched |= imported.returns_fetched
    for _ in range(4):  # helpers of helpers; real modules settle in two rounds
        before = _sizes(helpers)
        for function in functions:
            scope = Scope(function.body, helpers, _params(function), facts, seed)
            origin = _returns_secret(function, scope)
            if origin is not None:
                helpers.returns_secret.setdefault(function.name, origin)
            sink = _sends_argument(function, scope, helpers)
            if sink is not None:
                helpers.sends_argument.setdefault(function.name, sink)
            if _runs_argument(function, scope):
                helpers.runs_argument.add(function.name)
            if _returns_fetched(function, scope):
                helpers.returns_fetched.add(function.name)
        if _sizes(helpers) == before:
            break
    return helpers
