"""Files a skill's code reads and writes outside its project (Python, JS/TS, shell, PowerShell).

Each language's file calls (``open(p, "w")``, ``Path(p).read_text()``, ``fs.readFileSync(p)``,
``cat p``, ``Set-Content -Path p``) are found in the parse tree (or the parsed command line),
their path argument folded (:mod:`.python_fold`, :mod:`.js_fold`, shell variables) and turned
into the glob a skill must declare by :func:`tank.scanner.capabilities_paths.outside_path`.
Only calls count: a path in a help text, a log line or an ``exists()`` check is not a use, and
test files are skipped. Every walk is bounded by the parsers' own limits and :data:`MAX_USES`.
"""

from __future__ import annotations

import ast
import re

from tank.scanner.analyzers.base import parse_python
from tank.scanner.analyzers.js_tree import callee, line_of, string_value
from tank.scanner.analyzers.python_ast import call_name, dotted
from tank.scanner.analyzers.python_fold import Folder, texts
from tank.scanner.capabilities_fs_shell import shell_fs
from tank.scanner.capabilities_hosts import (
    JsParsed,
    js_host_patterns,
    js_may_reach,
    js_parse,
    python_host_patterns,
)
from tank.scanner.capabilities_paths import MAX_USES, FsUses, is_test_path

__all__ = ["MAX_USES", "FsUses", "file_uses", "js_fs", "python_fs", "shell_fs"]

Where = tuple[str, int]


# -- Python ---------------------------------------------------------------------------------

#: ``Path`` methods: name -> write?
_PATH_METHODS = {
    "read_text": False,
    "read_bytes": False,
    "iterdir": False,
    "glob": False,
    "rglob": False,
    "write_text": True,
    "write_bytes": True,
    "mkdir": True,
    "touch": True,
    "unlink": True,
    "rmdir": True,
    "symlink_to": True,
    "hardlink_to": True,
}
#: Module functions whose first argument is read (or written).
_PY_READS = frozenset({"listdir", "scandir", "walk", "read_csv", "read_json", "read_excel"})
_PY_READS |= {"read_parquet", "read_table", "loadtxt", "genfromtxt", "glob", "iglob"}
_PY_WRITES = frozenset({"remove", "unlink", "makedirs", "mkdir", "rmdir", "removedirs", "rmtree"})
_PY_WRITES |= {"connect", "savefig", "savetxt", "chmod", "chown", "symlink", "utime", "truncate"}
#: Methods of objects (images, data frames, workbooks, figures) that write the file named
#: first: ``image.save("out/a.png")``, ``df.to_csv("out/a.csv")``.
_OBJECT_SAVES = frozenset({"save", "to_csv", "to_json", "to_parquet", "to_excel", "to_pickle"})
_OBJECT_SAVES |= {"to_feather", "to_html", "write_image", "write_html", "savefig"}
#: Copies: the first argument is read, the second written (``move`` writes both).
_PY_COPIES = frozenset({"copy", "copy2", "copyfile", "copytree", "copyfileobj", "move", "rename"})
_PY_OWNERS = frozenset({"os", "shutil", "pathlib", "sqlite3", "pd", "pandas", "np", "numpy"})
_PY_OWNERS |= {"plt", "os.path", "io", "codecs", "glob", "yaml"}


def python_fs(path: str, tree: ast.Module, folder: Folder, uses: FsUses) -> None:
    """Reads and writes of a parsed Python file (not a test)."""
    if is_test_path(path):
        return
    attrs: _Attrs = {}
    for node in ast.walk(tree):  # self.config_file = Path.home() / ".tool" / "c.json"
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if _on_self(target) and isinstance(target, ast.Attribute):
                    attrs.setdefault(target.attr, [])
                    if len(attrs[target.attr]) < 4:
                        attrs[target.attr].append(node.value)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            _python_call(path, node, folder, attrs, uses)


_Attrs = dict[str, list[ast.expr]]


def _on_self(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    )


def _py_paths(folder: Folder, attrs: _Attrs, node: ast.AST, depth: int = 0) -> list[str]:
    """The paths ``node`` can hold: folded, through ``self.x`` set in any method, and
    ``p.parent`` (the folder of ``p``)."""
    if isinstance(node, ast.Attribute) and node.attr == "parent" and depth < 4:
        inner = _py_paths(folder, attrs, node.value, depth + 1)
        return [v.rsplit("/", 1)[0] for v in inner if "/" in v]
    if _on_self(node) and isinstance(node, ast.Attribute) and depth < 4:
        found = attrs.get(node.attr, ())
        return [v for value in found for v in _py_paths(folder, attrs, value, depth + 1)][:8]
    return texts(folder.values(node))[:8]


def _python_call(path: str, node: ast.Call, folder: Folder, attrs: _Attrs, uses: FsUses) -> None:
    name = call_name(node)
    func = node.func
    owner = dotted(func.value) if isinstance(func, ast.Attribute) else ""
    where = (path, node.lineno)
    args = node.args
    if name == "open" and (not owner or owner in ("io", "codecs", "os")) and args:
        mode = args[1] if len(args) > 1 else _keyword(node, "mode")
        text = mode.value if isinstance(mode, ast.Constant) else "r"
        writes = isinstance(text, str) and any(c in text for c in "wax+")
        for value in _py_paths(folder, attrs, args[0]):
            uses.add(value, where, write=writes, project=True)
        return
    if isinstance(func, ast.Attribute) and name in _PATH_METHODS and owner not in _PY_OWNERS:
        inside = _listed(folder, args) if name in _LISTINGS else ""
        for value in _py_paths(folder, attrs, func.value):
            uses.add(value + inside, where, write=_PATH_METHODS[name], folder=name == "mkdir",
                     project=True)  # fmt: skip
        return
    if isinstance(func, ast.Attribute) and name == "open" and owner not in _PY_OWNERS:
        mode = args[0] if args else _keyword(node, "mode")
        text = mode.value if isinstance(mode, ast.Constant) else "r"
        writes = isinstance(text, str) and any(c in text for c in "wax+")
        for value in _py_paths(folder, attrs, func.value):
            uses.add(value, where, write=writes)
        return
    if isinstance(func, ast.Attribute) and name in _OBJECT_SAVES and args:
        for value in _py_paths(folder, attrs, args[0]):
            if "/" in value or "." in value.rsplit("/", 1)[-1]:  # a path, not a key or a name
                uses.add(value, where, write=True, project=True)
        return
    if (owner and owner not in _PY_OWNERS) or not args:
        return
    if name in _PY_COPIES and len(args) > 1:
        for value in _py_paths(folder, attrs, args[0]):
            uses.add(value, where, write=name in ("move", "rename"))
        for value in _py_paths(folder, attrs, args[1]):
            uses.add(value, where, write=True)
    elif name in _PY_READS or name in _PY_WRITES:
        if name == "connect" and owner != "sqlite3":
            return
        inside = "/*" if name in _LISTINGS and name not in ("glob", "iglob") else ""
        for value in _py_paths(folder, attrs, args[0]):
            made = name in ("makedirs", "mkdir")
            uses.add(value + inside, where, write=name in _PY_WRITES, folder=made)


#: Calls that list a folder: what they read is the names inside it (``D/*``, or the pattern).
_LISTINGS = frozenset({"iterdir", "glob", "rglob", "listdir", "scandir", "walk", "iglob"})
_LISTINGS |= {"readdirSync", "readdir", "opendir", "opendirSync"}


def _listed(folder: Folder, args: list[ast.expr]) -> str:
    """``/pattern`` for ``d.glob("*.json")`` (``/*`` when the pattern is not known)."""
    found = texts(folder.values(args[0]))[:1] if args else []
    pattern = found[0] if found and "/" not in found[0] else "*"
    return "/" + pattern


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


# -- JavaScript / TypeScript ------------------------------------------------------------------

_JS_READS = frozenset({"readFileSync", "readFile", "createReadStream", "readdirSync", "readdir"})
_JS_READS |= {"opendir", "opendirSync", "readJson", "readJsonSync", "readJSON", "readTextFile"}
_JS_WRITES = frozenset({"writeFileSync", "writeFile", "appendFileSync", "appendFile", "mkdir"})
_JS_WRITES |= {"mkdirSync", "rm", "rmSync", "rmdir", "rmdirSync", "unlink", "unlinkSync"}
_JS_WRITES |= {"createWriteStream", "outputFile", "outputFileSync", "writeJson", "writeJsonSync"}
_JS_WRITES |= {"ensureDir", "ensureDirSync", "ensureFile", "mkdirp", "remove", "removeSync"}
_JS_WRITES |= {"writeTextFile", "symlink", "symlinkSync", "chmod", "chmodSync", "truncate"}
_JS_MKDIRS = frozenset({"mkdir", "mkdirSync", "ensureDir", "ensureDirSync", "mkdirp"})
_JS_COPIES = frozenset({"copyFile", "copyFileSync", "cp", "cpSync", "copy", "copySync"})
_JS_COPIES |= {"rename", "renameSync", "move", "moveSync"}
_JS_FS_MODULE = re.compile(r"""['"](?:node:)?fs(?:/promises)?['"]|['"]fs-extra['"]|\bDeno\.""")
_JS_OWNER = re.compile(r"^(?:\w*fs\w*|\w*Fs|promises|fs\.promises|Deno|fse|fsExtra)$", re.I)


def js_fs(path: str, parsed: JsParsed, uses: FsUses) -> None:
    """Reads and writes of a parsed JS/TS file (one that uses the ``fs`` module)."""
    nodes, folder = parsed
    for node in nodes:
        if node.type != "call_expression":
            continue
        name = callee(node)
        owner, _, last = name.rpartition(".")
        if owner and not _JS_OWNER.match(owner):
            continue
        args = node.child_by_field_name("arguments")
        values = [a for a in (args.named_children if args is not None else []) if a.is_named]
        if not values:
            continue
        where = (path, line_of(node))
        if last in _JS_COPIES and len(values) > 1:
            for value in folder.values(values[0])[:8]:
                uses.add(str(value), where, write=last.startswith(("rename", "move")))
            for value in folder.values(values[1])[:8]:
                uses.add(str(value), where, write=True)
        elif last in _JS_READS or last in _JS_WRITES:
            found = [str(v) for v in folder.values(values[0])[:8] if isinstance(v, str)]
            literal = string_value(values[0])
            inside = "/*" if last in _LISTINGS else ""
            made = last in _JS_MKDIRS
            for value in found or ([literal] if literal else []):
                uses.add(value + inside, where, write=last in _JS_WRITES, folder=made)


# -- one file ---------------------------------------------------------------------------------


def file_uses(path: str, kind: str, text: str, uses: FsUses, hosts: dict[str, Where]) -> None:
    """Paths (into ``uses``) and run-time host patterns (into ``hosts``) of one file."""
    if kind == "python":
        try:
            tree = parse_python(text)
        except (SyntaxError, ValueError):
            return
        folder = Folder(tree)
        python_fs(path, tree, folder, uses)
        if not is_test_path(path):
            for pattern, where in python_host_patterns(path, tree, folder).items():
                hosts.setdefault(pattern, where)
    elif kind == "js" and not is_test_path(path):
        files = bool(_JS_FS_MODULE.search(text))
        network = js_may_reach(text)
        parsed = js_parse(path, text) if files or network else None
        if parsed is not None and files:
            js_fs(path, parsed, uses)
        if parsed is not None and network:
            for pattern, where in js_host_patterns(path, parsed).items():
                hosts.setdefault(pattern, where)
    elif kind in ("shell", "powershell"):
        shell_fs(path, text, uses, powershell=kind == "powershell")
