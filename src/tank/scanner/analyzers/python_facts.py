"""What one Python expression holds, from one walk of its AST, cached per file: the names it
reads, the functions it calls, whether it decodes data, whether it is a source of secrets
(a credential store, the whole environment, a harvest of secret variables), and which
secret variables it reads. Taint asks these questions about the same expressions in every
pass and every round of the module fixpoint (:mod:`.python_taint`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from tank.scanner.analyzers.python_ast import DECODERS, OPENERS, call_name, command_line, dotted
from tank.scanner.analyzers.python_fold import HOLE, Folder
from tank.scanner.knowledge import secret_env, sensitive_source

__all__ = [
    "COPIES",
    "HARVEST",
    "WRITES_INTO",
    "Facts",
    "NodeFacts",
    "mutated",
    "own_nodes",
    "sensitive",
]

#: Distinct secret variables in one value that make it a harvest. Two is ordinary (a key and
#: its secret for basic auth); stealers gather every token they can find.
HARVEST = 3


def _env_key(sub: ast.AST) -> str | None:
    """The variable a node reads from the environment: ``os.environ['X']``, ``getenv('X')``."""
    key: ast.AST | None = None
    if isinstance(sub, ast.Subscript) and dotted(sub.value).endswith("environ"):
        key = sub.slice
    elif (
        isinstance(sub, ast.Call)
        and sub.args
        and (call_name(sub) == "getenv" or dotted(sub.func).endswith("environ.get"))
    ):
        key = sub.args[0]
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    return None


#: Commands that print the clipboard: what the user copied (passwords, keys, seed phrases).
_CLIPBOARD_COMMAND = re.compile(r"^(?:pbpaste|xclip\b.*-o|xsel\b.*-[a-z]*o|wl-paste|Get-Clipboard)")
#: Commands that print one credential: the user's own token for a tool, honest to send to
#: that tool's API, theft when sent to a collector or gathered with others (a harvest).
_TOKEN_COMMAND = re.compile(
    r"^(?:gh auth token|glab auth token|gcloud auth (?:application-default )?print-access-token"
    r"|az account get-access-token|aws configure get \S*(?:secret|token|key)"
    r"|security find-(?:generic|internet)-password\b|git credential fill|op read|pass show)",
    re.IGNORECASE,
)


#: Libraries and calls whose result is private data by design (browser cookie stealers,
#: Windows DPAPI decryption of stored browser passwords).
_CALL_SOURCES = {
    "browser_cookie3": "reads browser cookies",
    "browsercookie": "reads browser cookies",
    "pycookiecheat": "reads browser cookies",
    "rookiepy": "reads browser cookies",
    "CryptUnprotectData": "decrypts data protected by the user's Windows key (DPAPI)",
}


def _reads_clipboard(call: ast.Call) -> bool:
    name = call_name(call)
    root = dotted(call.func).split(".")[0]
    if name == "paste" and root in ("pyperclip", "clipboard", "klembord", "xerox"):
        return True
    if name in ("clipboard_get", "GetClipboardData", "GetClipboardText"):
        return True
    line = command_line(call)
    return line is not None and _CLIPBOARD_COMMAND.search(line) is not None


def _token_command(call: ast.Call) -> str | None:
    line = command_line(call)
    found = _TOKEN_COMMAND.search(line) if line is not None else None
    return f"`{found.group(0)}`" if found else None


#: Keyword arguments that configure a call rather than give it data: the environment handed
#: to a subprocess (``env=``) is not in what the subprocess prints.
_SETTINGS = frozenset({"env", "timeout", "cwd", "check", "shell", "text", "encoding"})


def _data_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Every node under ``node`` (itself included) but the settings keywords of calls."""
    stack = [node]
    while stack:
        sub = stack.pop()
        yield sub
        for child in ast.iter_child_nodes(sub):
            if not (isinstance(child, ast.keyword) and child.arg in _SETTINGS):
                stack.append(child)


def _whole_environ(call: ast.Call) -> bool:
    """dict(os.environ), json.dumps(os.environ), os.environ.copy()/items()/values()."""
    if any(dotted(a).endswith("environ") for a in call.args):
        return True
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ("copy", "items", "values")
        and dotted(func.value).endswith("environ")
    )


#: Longest string checked as a path: paths are short, and folded strings can be long.
MAX_PATH = 300
#: The end of a path is what names the store (``…/Chrome/Default/Login Data``): checking
#: only its last characters keeps the knowledge patterns' cost per string small.
_TAIL = 120


@lru_cache(maxsize=4096)
def source_kind(text: str) -> str | None:
    """The kind of sensitive source a (folded) path names (``ssh-key``, ``env-file``…),
    from :func:`tank.scanner.knowledge.sensitive_source`. Cached: folding yields the same
    strings for many expressions."""
    if len(text) > MAX_PATH:
        return None
    found = sensitive_source(text[-_TAIL:])
    return found.kind if found is not None else None


def sensitive(text: str) -> str | None:
    """The (folded) path itself, shown with ``*`` for run-time parts, when it names a
    sensitive source, else None."""
    return text.replace(HOLE, "*")[:120] if source_kind(text) else None


def credential_store(text: str) -> bool:
    """A sensitive path worth a finding by merely being opened: every kind but a project's
    ``.env`` file, which honest tools read for their own settings (it matters in a flow)."""
    return source_kind(text) not in (None, "env-file")


#: Calls that fetch from the network: what they return is code or data from outside.
_FETCH_ROOTS = frozenset({"requests", "httpx", "urllib", "urllib3", "aiohttp"})
_FETCHES = frozenset({"urlopen", "urlretrieve"})
#: Calls that copy their first argument into their second (a file staged to be sent later).
COPIES = frozenset({"copy", "copy2", "copyfile", "copytree", "move", "symlink", "link"})
#: Methods that write their argument into the file they are called on.
WRITES_INTO = frozenset({"write_text", "write_bytes"})

_PATH_KEYWORDS = frozenset({"path", "file", "filename", "src", "name", "database"})
_BINDING_CALLS = COPIES | WRITES_INTO | {"urlretrieve"}

#: Calls that open, list, copy or build a path: a sensitive path given to one of them is
#: a read of that data. A sensitive name elsewhere (in a list of patterns to skip, in a
#: message) reads nothing.
PATH_CALLS = OPENERS | COPIES | {"join", "joinpath", "expandvars", "abspath", "realpath"}
PATH_CALLS |= {"PurePath", "PosixPath", "WindowsPath", "ZipFile", "iterdir", "rglob", "scandir"}
PATH_CALLS |= {"read", "load", "connect", "dotenv_values", "load_dotenv", "safe_load"}


@dataclass(frozen=True, slots=True)
class NodeFacts:
    """What one expression holds, from a single walk (see :class:`Facts`). ``what`` says,
    for a source, what it reads ("reads ~/.ssh/id_rsa", "the whole environment")."""

    names: frozenset[str]
    called: frozenset[str]
    decodes: bool
    source: bool
    env: frozenset[str]
    what: str = ""
    fetches: bool = False


class Facts:
    """Per-file cache of :class:`NodeFacts`: taint asks the same questions about the same
    expressions in every pass and every round of the module fixpoint."""

    def __init__(self, folder: Folder | None = None) -> None:
        self.folder = folder
        self._nodes: dict[int, tuple[ast.AST, NodeFacts]] = {}
        self._bodies: dict[int, tuple[list[ast.stmt], list[ast.AST]]] = {}
        self._own: dict[int, tuple[list[ast.stmt], list[ast.AST]]] = {}

    def of(self, node: ast.AST) -> NodeFacts:
        """The facts of ``node`` (computed on first use)."""
        hit = self._nodes.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        found_names: set[str] = set()
        called: set[str] = set()
        env: set[str] = set()
        what = ""
        fetches = False
        # os.environ passed as a value (ctx.update(os.environ)) is the whole environment.
        if dotted(node).endswith("environ"):
            what = "the whole environment"
        for sub in _data_nodes(node):
            if isinstance(sub, ast.Dict) and any(
                k is None and dotted(v).endswith("environ")
                for k, v in zip(sub.keys, sub.values, strict=True)
            ):
                what = what or "the whole environment"  # {**os.environ, ...}
            if isinstance(sub, ast.Name):
                found_names.add(sub.id)
            if isinstance(sub, ast.Call):
                called.add(call_name(sub))
                if not what and _whole_environ(sub):
                    what = "the whole environment"
                if not what and _reads_clipboard(sub):
                    what = "reads the clipboard"
                if not what:
                    what = _CALL_SOURCES.get(dotted(sub.func).split(".")[0], "")
                    what = what or _CALL_SOURCES.get(call_name(sub), "")
                token = _token_command(sub)
                if token is not None:
                    env.add(token)  # one secret, like one variable of the environment
                root = dotted(sub.func).split(".")[0]
                fetches = fetches or root in _FETCH_ROOTS or call_name(sub) in _FETCHES
            if not what:
                what = self._read(sub)
            key = _env_key(sub) if isinstance(sub, ast.Subscript | ast.Call) else None
            if key is not None and secret_env(key):
                env.add(key)
        if not what and len(env) >= HARVEST:
            what = "secret variables " + ", ".join(sorted(env)[:4])
        facts = NodeFacts(
            frozenset(found_names),
            frozenset(called),
            bool(called & DECODERS),
            bool(what),
            frozenset(env),
            what,
            fetches,
        )
        self._nodes[id(node)] = (node, facts)
        return facts

    def _read(self, sub: ast.AST) -> str:
        """``"reads <path>"`` when ``sub`` opens or builds a sensitive path (folded)."""
        paths: list[ast.AST] = []
        name = call_name(sub) if isinstance(sub, ast.Call) else ""
        if name == "join" and not dotted(getattr(sub, "func", sub)).endswith("path.join"):
            name = ""  # "".join(parts) is a string, not a path
        if isinstance(sub, ast.Call) and name in PATH_CALLS:
            paths = [*sub.args[:3], *(k.value for k in sub.keywords if k.arg in _PATH_KEYWORDS)]
            if isinstance(sub.func, ast.Attribute):
                paths.append(sub.func.value)  # Path("~/.ssh/id_rsa").read_text()
        elif isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Div):
            paths = [sub]  # Path.home() / ".ssh"
        for path in paths:
            values = self.folder.strings(path) if self.folder is not None else []
            if isinstance(path, ast.Constant) and isinstance(path.value, str):
                values = [path.value, *values]
            named = next(filter(None, map(sensitive, values)), None)
            if named:
                return f"reads {named}"
        return ""

    def own(self, body: list[ast.stmt]) -> list[ast.AST]:
        """:func:`own_nodes` of ``body``, cached (every round of the module fixpoint asks)."""
        hit = self._own.get(id(body))
        if hit is not None and hit[0] is body:
            return hit[1]
        found = list(own_nodes(body))
        self._own[id(body)] = (body, found)
        return found

    def bindings(self, body: list[ast.stmt]) -> list[ast.AST]:
        """The assignments, ``with`` and ``for`` statements and container mutations
        (``data.update(…)``) of ``body``, nested blocks included."""
        hit = self._bodies.get(id(body))
        if hit is not None and hit[0] is body:
            return hit[1]
        kinds = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.With, ast.For)
        found: list[ast.AST] = [
            n
            for stmt in body
            for n in ast.walk(stmt)
            if isinstance(n, kinds)
            or (
                isinstance(n, ast.Call)
                and (mutated(n) is not None or call_name(n) in _BINDING_CALLS)
            )
        ]
        self._bodies[id(body)] = (body, found)
        return found


#: Methods that put their arguments into the object they are called on.
_MUTATORS = frozenset({"update", "append", "extend", "insert", "add", "setdefault", "write"})
_MUTATORS |= {"writestr", "writelines", "add_attachment", "attach", "set_content", "set_payload"}
_MUTATORS |= {"addfile", "writerow", "writerows", "dump"}


def mutated(call: ast.Call) -> str | None:
    """The name a container-filling call changes: ``ctx`` in ``ctx.update(x)``."""
    func = call.func
    if (
        isinstance(func, ast.Attribute)
        and func.attr in _MUTATORS
        and isinstance(func.value, ast.Name)
    ):
        return func.value.id
    return None


def own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of ``body`` that is not inside a nested function or class."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                stack.append(child)
