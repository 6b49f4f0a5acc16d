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
from dataclasses import dataclass, field

from tank.scanner.analyzers.base import parse_python
from tank.scanner.analyzers.js_tree import callee, line_of, string_value
from tank.scanner.analyzers.ps_fold import fold_script
from tank.scanner.analyzers.python_ast import call_name, dotted
from tank.scanner.analyzers.python_fold import Folder, texts
from tank.scanner.analyzers.shell_parse import commands_of
from tank.scanner.capabilities_hosts import (
    JsParsed,
    js_host_patterns,
    js_may_reach,
    js_parse,
    python_host_patterns,
)
from tank.scanner.capabilities_paths import is_test_path, outside_path

__all__ = ["MAX_USES", "FsUses", "file_uses", "js_fs", "python_fs", "shell_fs"]

Where = tuple[str, int]
#: Paths recorded per kind and file at most (a generated file cannot grow the report).
MAX_USES = 64


@dataclass(slots=True)
class FsUses:
    """Paths read and written outside the project, each with its first location."""

    reads: dict[str, Where] = field(default_factory=dict)
    writes: dict[str, Where] = field(default_factory=dict)

    def add(self, raw: str, where: Where, *, write: bool) -> None:
        """Record ``raw`` (a folded path) if it lies outside the project."""
        path = outside_path(raw, write=write)
        target = self.writes if write else self.reads
        if path is not None and len(target) < MAX_USES:
            target.setdefault(path, where)


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
            uses.add(value, where, write=writes)
        return
    if isinstance(func, ast.Attribute) and name in _PATH_METHODS and owner not in _PY_OWNERS:
        for value in _py_paths(folder, attrs, func.value):
            uses.add(value, where, write=_PATH_METHODS[name])
        return
    if isinstance(func, ast.Attribute) and name == "open" and owner not in _PY_OWNERS:
        mode = args[0] if args else _keyword(node, "mode")
        text = mode.value if isinstance(mode, ast.Constant) else "r"
        writes = isinstance(text, str) and any(c in text for c in "wax+")
        for value in _py_paths(folder, attrs, func.value):
            uses.add(value, where, write=writes)
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
        for value in _py_paths(folder, attrs, args[0]):
            uses.add(value, where, write=name in _PY_WRITES)


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
            for value in found or ([literal] if literal else []):
                uses.add(value, where, write=last in _JS_WRITES)


# -- shell and PowerShell ---------------------------------------------------------------------

_SH_READS = frozenset({"cat", "head", "tail", "less", "more", "source", ".", "jq", "base64"})
_SH_READS |= {"tar", "zip", "xxd", "od", "strings", "sqlite3"}
_SH_WRITES = frozenset({"mkdir", "rm", "rmdir", "touch", "tee", "gzip", "gunzip", "chmod"})
_SH_WRITES |= {"truncate", "shred"}
_SH_COPIES = frozenset({"cp", "mv", "rsync", "install", "ln"})
_REDIRECT = re.compile(r"(?<![<>&\d])(\d?)(>>?|<)(?![(<&])\s*(\"[^\"]+\"|'[^']+'|[^\s;&|)]+)")
_PS_READ = re.compile(
    r"\b(?:Get-Content|gc|Import-Csv|Import-Clixml|Get-ChildItem|gci|ls|dir|type)\b"
    r"(?:\s+-(?:Path|LiteralPath|Raw|Encoding\s+\S+|Force|Recurse))*\s+(\S+)",
    re.I,
)
_PS_WRITE = re.compile(
    r"\b(?:Set-Content|Add-Content|Out-File|New-Item|Remove-Item|Export-Csv|Export-Clixml"
    r"|ri|rm|del|ni|md|mkdir)\b(?:\s+-(?:Path|LiteralPath|FilePath|Force|Recurse|ItemType"
    r"\s+\S+|Encoding\s+\S+|Append))*\s+(\S+)",
    re.I,
)
_PS_COPY = re.compile(
    r"\b(Copy-Item|Move-Item|cpi|copy|mi|move)\b(?:\s+-(?:Path|LiteralPath|Force|Recurse))*"
    r"\s+(\S+)(?:\s+-Destination)?\s+(\S+)",
    re.I,
)
_PS_IO = re.compile(
    r"\[(?:System\.)?IO\.File\]::(Read\w*|Write\w*|Append\w*|Open\w*|Create\w*|Delete|Copy|Move)"
    r"\(\s*([^,)]+)",
    re.I,
)
_PS_VAR = re.compile(r"\$(?!env:)(\w+)\b", re.I)
_PS_ASSIGN = re.compile(r"^\$(\w+)\s*=\s*(\S+)\s*$")
_MAX_VARS = 200
_PS_JOIN = re.compile(r"\(?\s*Join-Path\s+(\S+)\s+(\S+?)\s*\)?(?=\s|$)", re.I)


def shell_fs(path: str, text: str, uses: FsUses, *, powershell: bool = False) -> None:
    """Reads and writes of a shell script, or (``powershell``) a PowerShell one, read folded
    (``$p = "$env:APPDATA\\x"`` then ``Get-Content $p``)."""
    if is_test_path(path):
        return
    lines = fold_script(text).lines if powershell else _logical_lines(text)
    paths: dict[str, str] = {}
    for number, raw in lines:
        where = (path, number)
        if powershell and _printed(raw):
            continue
        line = raw if powershell else _sh_known(raw, paths)
        for match in _REDIRECT.finditer(_QUOTED.sub(_keep_redirected, line)):
            if match.group(1) == "2" and not powershell:
                continue
            uses.add(match.group(3), where, write=match.group(2) != "<")
        if powershell:
            _powershell(line, where, uses, paths)
            continue
        for pipeline in commands_of(line):
            for command in (c for top in pipeline for c in top.walk()):
                _shell_command(command.name, command.words, where, uses)


#: A quoted string, and the redirection before it if any (``> "$HOME/x"`` names a file;
#: ``echo "a > b"`` does not).
_QUOTED = re.compile(r"""([<>]\s*)?("[^"]*"|'[^']*')""")


def _keep_redirected(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1) else '""'


_SH_ASSIGN = re.compile(r"^(?:export\s+|local\s+|readonly\s+)?(\w+)=(\S+)$")
_SH_VAR = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)")
_SH_PATHLIKE = re.compile(r"^(?:~|/|\$\{?(?:HOME|XDG_\w+)\b)")


def _sh_known(line: str, paths: dict[str, str]) -> str:
    """``line`` with the path variables set earlier substituted (``D="$HOME/.t"`` then
    ``cat "$D/x"``), an unset ``${X:-default}`` read as its default, and a new path
    assignment remembered."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        if name in paths:
            return paths[name]
        default = match.group(2)
        if default and not name.startswith("XDG_") and _SH_PATHLIKE.match(default):
            return default
        return match.group(0)

    line = _SH_VAR.sub(sub, line)
    assigned = _SH_ASSIGN.match(line)
    if assigned and len(paths) < _MAX_VARS:
        value = assigned.group(2).strip("\"'")
        if _SH_PATHLIKE.match(value):
            paths[assigned.group(1)] = value
        else:
            paths.pop(assigned.group(1), None)
    return line


def _printed(line: str) -> bool:
    """A line that only prints (``echo "see ~/.config/x"``): its paths are text, not uses."""
    return bool(re.match(r"^\s*(?:echo|printf|Write-(?:Host|Output)|log|info|warn)\b", line, re.I))


def _shell_command(name: str, words: tuple[str, ...], where: Where, uses: FsUses) -> None:
    try:
        start = next(i for i, w in enumerate(words) if w.rsplit("/", 1)[-1].lower() == name)
    except StopIteration:
        return
    operands: list[str] = []
    skip = False
    for word in words[start + 1 :]:
        if skip or word.startswith("-"):
            skip = False
            continue
        if re.match(r"^\d?(?:<<?-?|>>?|&>)", word):  # a redirection: handled on the line
            skip = bool(re.fullmatch(r"\d?(?:<<?-?|>>?|&>)", word))
            continue
        operands.append(word)
    if name in _SH_COPIES and len(operands) > 1:
        for word in operands[:-1]:
            uses.add(word, where, write=name == "mv")
        uses.add(operands[-1], where, write=True)
    elif name in _SH_READS:
        for word in operands[:8]:
            uses.add(word, where, write=False)
    elif name in _SH_WRITES:
        for word in operands[:8]:
            uses.add(word, where, write=True)


def _powershell(line: str, where: Where, uses: FsUses, paths: dict[str, str]) -> None:
    line = _PS_JOIN.sub(lambda m: f"{_ps_word(m.group(1))}/{_ps_word(m.group(2))}", line)
    line = _PS_VAR.sub(lambda m: paths.get(m.group(1).lower(), m.group(0)), line)
    assigned = _PS_ASSIGN.match(line)
    if assigned and len(paths) < _MAX_VARS:  # $p = "$env:APPDATA\x": later lines use $p
        paths[assigned.group(1).lower()] = _ps_word(assigned.group(2))
    for match in _PS_READ.finditer(line):
        uses.add(_ps_word(match.group(1)), where, write=False)
    for match in _PS_WRITE.finditer(line):
        uses.add(_ps_word(match.group(1)), where, write=True)
    for match in _PS_COPY.finditer(line):
        moves = match.group(1).lower() in ("move-item", "mi", "move")
        uses.add(_ps_word(match.group(2)), where, write=moves)
        uses.add(_ps_word(match.group(3)), where, write=True)
    for match in _PS_IO.finditer(line):
        writes = not match.group(1).lower().startswith("read")
        uses.add(_ps_word(match.group(2)), where, write=writes)


def _ps_word(word: str) -> str:
    return word.strip().strip("\"'(),")


_HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, line)`` with ``\\`` (and PowerShell `````) continuations joined,
    comments and blank lines left out."""
    out: list[tuple[int, str]] = []
    pending, start, heredoc = "", 0, ""
    for number, raw in enumerate(text.split("\n")[:20_000], start=1):
        line = raw.rstrip()
        if heredoc:  # a here-document's body is data, not commands
            heredoc = "" if line.strip() == heredoc else heredoc
            continue
        opened = _HEREDOC.search(line)
        heredoc = opened.group(1) if opened else ""
        if not pending:
            start = number
        if line.endswith(("\\", "`")):
            pending += line[:-1] + " "
            continue
        joined = (pending + line).strip()
        pending = ""
        if joined and not joined.startswith("#") and len(joined) < 4000:
            out.append((start, joined))
    return out


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
