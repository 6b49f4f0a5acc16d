"""Read one Bash command and decide: let it pass, rewrite it through ``tank run``, or deny it.

A command that runs a file of an installed skill (``python3 .claude/skills/x/scripts/a.py``,
``./.agents/skills/x/run.sh``, ``cd .claude/skills/x && python scripts/a.py``) becomes
``tank run x --script scripts/a.py -- ARGS``, so the script runs in the sandbox under the
permissions the user accepted at install. What cannot be rewritten without changing its
meaning (a skill script inside a pipeline or a compound command, ``source``, ``eval``, a
shell's ``-c`` code, a command substitution, an interpreter's inline code naming a skill
file) is denied with the reason and the command to use instead. Everything else passes.

The command is parsed with bashlex (the shell's own grammar), never split on spaces;
arguments are carried over as the source text the user wrote, so their quoting and
expansions mean what they meant.
"""

from __future__ import annotations

import os
import re
import shlex

from tank.runtime.guard_hook import mentions_skills
from tank.runtime.guard_skills import SkillFile, find_skill_file, inside_skill, is_skill_script

TYPE_CHECKING = False  # no `typing` import at run time: the hook pays for every module
if TYPE_CHECKING:
    from typing import Any

#: Longer commands are not parsed (and, when they mention a skill folder, denied).
MAX_COMMAND_CHARS = 32 * 1024

_INTERPRETER = re.compile(
    r"^(python[0-9.]*|pypy[0-9.]*|node|nodejs|deno|bun|bash|sh|dash|zsh|ksh|mksh|fish|"
    r"ruby|perl|php|Rscript|lua|tclsh|osascript)$"
)
_SHELLS = {"bash", "sh", "dash", "zsh", "ksh", "mksh", "fish"}
_CODE_FLAGS = {"-c", "-e", "-E", "-p", "--eval", "--print", "-r", "--command"}
_VALUE_FLAGS = {"-W", "-X", "-o", "-O", "-I", "--require", "--import", "--loader"}
#: Programs that run their arguments as a command: a skill file among them cannot be rewritten.
_WRAPPERS = {
    "env", "exec", "command", "builtin", "nohup", "time", "timeout", "nice", "ionice",
    "stdbuf", "setsid", "sudo", "doas", "xargs", "watch", "strace", "ltrace", "script",
    "chroot", "unbuffer", "uv", "uvx", "npx", "pipx", "poetry", "pdm", "hatch", "parallel",
    "flock", "taskset", "chrt", "firejail", "find", "make", "coproc",
}  # fmt: skip
_RUNNERS = {"uv", "uvx", "npx", "pipx", "poetry", "pdm", "hatch", "make"}
_SOURCE = {"source", "."}
_SKILL_TOKEN = re.compile(r"[^\s'\"`;|&()<>=]*skills/[^\s'\"`;|&()<>]+")
_OUTPUT_REDIRECTS = {">", ">>", ">&", ">|", "&>"}


class Verdict:
    """``pass`` (no opinion), ``rewrite`` (run ``command`` instead) or ``deny`` (``reason``).

    Plain classes rather than dataclasses here: ``dataclasses`` imports ``inspect``, which
    alone costs the hook ~15 ms.
    """

    __slots__ = ("action", "command", "reason")

    def __init__(self, action: str, reason: str = "", command: str | None = None) -> None:
        self.action, self.reason, self.command = action, reason, command


PASS = Verdict("pass")


class _Refuse(Exception):
    """A skill file is run in a way the guard cannot rewrite."""


class _Found:
    """One command that runs a skill file: the skill, and how to rebuild it."""

    __slots__ = ("args", "nested", "node", "prefix", "redirects", "skill")

    def __init__(
        self,
        skill: SkillFile,
        prefix: list[str],
        args: list[str],
        redirects: list[str],
        node: Any,
        nested: bool,
    ) -> None:
        self.skill, self.prefix, self.args = skill, prefix, args
        self.redirects, self.node, self.nested = redirects, node, nested


class _Scan:
    """What a walk over the parse tree found."""

    __slots__ = ("found", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[_Found] = []


def tank_run(skill: SkillFile, args: list[str], *, tank: str = "tank") -> str:
    """The ``tank run`` command line for ``skill``'s file with ``args`` (source text)."""
    words = [tank, "run"] + (["-g"] if skill.is_global else [])
    words += [shlex.quote(skill.name), "--script", shlex.quote(skill.relative)]
    return " ".join(words + (["--", *args] if args else []))


class _Plain:
    """A node of a plain command list (see :func:`_plain_tree`), shaped like bashlex's."""

    def __init__(self, kind: str, word: str = "", parts: list[_Plain] | None = None) -> None:
        self.kind, self.word, self.parts = kind, word, parts or []
        self.source = shlex.quote(word)
        self.op = word


#: Characters after which a command is not "plain": operators, expansions, globs, comments,
#: escapes. Commands without any of them, joined only by ``&&``, mean exactly what
#: ``shlex.split`` says of each.
_NOT_PLAIN = frozenset(";|()<>$`\\\n*?[]{}~#!\r\t")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def _and_list(command: str) -> list[str] | None:
    """``command`` cut at each ``&&`` outside quotes, or None when any other ``&`` is there.

    Exact for plain text: with no backslash or ``$`` in it, a quote ends at the next same
    quote, and nothing else is special."""
    pieces, start, quote, i = [], 0, "", 0
    while i < len(command):
        c = command[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "&":
            if command[i : i + 2] != "&&":
                return None
            pieces.append(command[start:i])
            start = i = i + 2
            continue
        i += 1
    pieces.append(command[start:])
    return pieces


def _plain_tree(command: str) -> list[Any] | None:
    """Simple commands without shell syntax beyond quotes and ``&&``, split by ``shlex``
    (bashlex, which builds its parser tables on import, costs ~100-270 ms), else None."""
    if any(c in _NOT_PLAIN for c in command):
        return None
    pieces = _and_list(command)
    if pieces is None:
        return None
    commands: list[_Plain] = []
    for piece in pieces:
        try:
            words = shlex.split(piece)
        except ValueError:
            return None
        if not words:
            return None  # `&& x`, `a && && b`: let bashlex say what is wrong
        parts: list[_Plain] = []
        for word in words:
            plain = _Plain("word", word)
            if not any(p.kind == "word" for p in parts) and _ASSIGNMENT.match(word):
                plain.kind = "assignment"
            parts.append(plain)
        if commands:
            commands.append(_Plain("operator", "&&"))
        commands.append(_Plain("command", parts=parts))
    if len(commands) == 1:
        return commands
    return [_Plain("list", parts=commands)]


def _text(scan: _Scan, node: Any) -> str:
    if isinstance(node, _Plain):
        return node.source
    start, end = node.pos
    return str(scan.source[start:end])


def _has_expansion(node: Any) -> bool:
    return any(p.kind in {"commandsubstitution", "processsubstitution", "parameter"}
               for p in getattr(node, "parts", []))  # fmt: skip


def _refuse_code(code: str, cwd: str, what: str) -> None:
    """Deny inline code (``-c``, ``-e``, ``eval``) that names a skill file or runs in one."""
    if inside_skill(cwd) is not None:
        raise _Refuse(f"{what} runs inside an installed skill's folder")
    for token in _SKILL_TOKEN.findall(code):
        if find_skill_file(token.strip("'\""), cwd) is not None:
            raise _Refuse(f"{what} names a file of an installed skill ({token})")


def _command(scan: _Scan, node: Any, cwd: str, nested: bool) -> None:
    """Classify one simple command; record it when it runs a skill file."""
    words = [p for p in node.parts if p.kind == "word"]
    prefix = [_text(scan, p) for p in node.parts if p.kind == "assignment"]
    redirects = [p for p in node.parts if p.kind == "redirect"]
    if not words:
        return
    program = words[0].word
    base = os.path.basename(program)
    rest = words[1:]
    if base in {"cd", "pushd"}:  # one _sequence could not follow: in a pipeline, a subshell…
        if any(inside_skill(os.path.join(cwd, os.path.expanduser(w.word))) for w in rest):
            raise _Refuse("the command changes into a skill's folder where Tank cannot follow")
        return
    if base in _SOURCE:
        if any(find_skill_file(w.word, cwd) for w in rest):
            raise _Refuse(f"`{base}` would load a skill's file into the agent's own shell")
        return
    if base == "eval":
        _refuse_code(" ".join(w.word for w in rest), cwd, "eval")
        return
    if base in _WRAPPERS:
        if base == "find":
            runs = any(w.word in {"-exec", "-execdir", "-ok", "-okdir"} for w in rest)
            near = inside_skill(cwd) is not None or any("skills" in w.word for w in rest)
            if runs and near:
                raise _Refuse("`find -exec` would run files of a skill outside Tank's sandbox")
            return
        # Project runners take a folder (`uv run --directory`, `make -C`): a skill's counts.
        found = find_skill_file if base in _RUNNERS else is_skill_script
        if any(found(w.word, cwd) for w in rest) or (
            base in _RUNNERS and inside_skill(cwd) is not None
        ):
            raise _Refuse(f"`{base}` would run a skill's file outside Tank's sandbox")
        return
    script_word = None
    if "/" in program and not (_INTERPRETER.match(base) and not is_skill_script(program, cwd)):
        script_word = words[0]  # a path: the skill's file itself, unless /usr/bin/python3…
    elif _INTERPRETER.match(base):
        i = 0
        while i < len(rest) and rest[i].word.startswith("-") and rest[i].word != "-":
            flag = rest[i].word
            if flag in _CODE_FLAGS and i + 1 < len(rest):
                code = rest[i + 1].word
                if base in _SHELLS:
                    inner = check_command(code, cwd)
                    if inner.action != "pass":
                        raise _Refuse(f"`{base} {flag}` code runs a file of an installed skill")
                    return
                _refuse_code(code, cwd, f"`{base} {flag}`")
                return
            if flag == "-m":
                if inside_skill(cwd) is not None:
                    raise _Refuse(f"`{base} -m` would import a module of an installed skill")
                _refuse_code(" ".join(prefix), cwd, f"the environment of `{base} -m`")
            i += 2 if flag in _VALUE_FLAGS else 1
        for r in redirects:
            target = getattr(r, "output", None)
            if r.type == "<" and target is not None and find_skill_file(target.word, cwd):
                raise _Refuse(f"`{base}` would read a skill's script from standard input")
            if r.type in {"<<", "<<-", "<<<"}:
                _refuse_code(_text(scan, r), cwd, f"the input of `{base}`")
        if i >= len(rest):
            return
        script_word, rest = rest[i], rest[i + 1 :]
    if script_word is None:
        return
    skill = is_skill_script(script_word.word, cwd)
    if skill is None:
        if _has_expansion(script_word) and "skills" in _text(scan, script_word):
            raise _Refuse("the file to run is computed by the shell; Tank cannot tell which")
        return
    if _has_expansion(script_word):
        raise _Refuse("the file to run is computed by the shell; Tank cannot tell which")
    kept = []
    for r in redirects:
        if r.type not in _OUTPUT_REDIRECTS:
            raise _Refuse(f"the `{r.type}` redirection cannot be carried into the sandbox")
        kept.append(_text(scan, r))
    args = [_text(scan, w) for w in rest]
    scan.found.append(_Found(skill, prefix, args, kept, node, nested))


def _walk(scan: _Scan, node: Any, cwd: str, nested: bool) -> None:
    """Visit every command, including those inside substitutions (marked ``nested``)."""
    if node.kind == "command":
        _command(scan, node, cwd, nested)
    for part in getattr(node, "parts", None) or []:
        _walk(scan, part, cwd, nested or part.kind in {"commandsubstitution",
                                                        "processsubstitution"})  # fmt: skip
    for attr, inner in (("command", True), ("list", nested), ("output", nested)):
        child = getattr(node, attr, None)
        for item in child if isinstance(child, list) else [child]:
            if item is not None and hasattr(item, "kind"):
                _walk(scan, item, cwd, inner)


def _steps(tree: list[Any]) -> list[Any] | None:
    """The commands of ``a && b && c`` (or one command), else None (anything else)."""
    if len(tree) != 1:
        return None
    top = tree[0]
    if top.kind == "command":
        return [top]
    if top.kind != "list":
        return None
    commands = [p for p in top.parts if p.kind != "operator"]
    operators = [p.op for p in top.parts if p.kind == "operator"]
    if any(op != "&&" for op in operators) or any(c.kind != "command" for c in commands):
        return None
    return commands


def _cd_target(node: Any) -> str | None:
    """The folder of a plain ``cd DIR`` (or ``pushd DIR``) command, else None."""
    if node.kind != "command":
        return None
    words = [p for p in node.parts if p.kind == "word"]
    simple = node.parts and all(p.kind == "word" for p in node.parts) and len(words) == 2
    if simple and words[0].word in {"cd", "pushd"} and not _has_expansion(words[1]):
        return str(words[1].word)
    return None


def _sequence(scan: _Scan, nodes: list[Any], cwd: str) -> str:
    """Walk commands run one after the other, following ``cd`` between them; returns the
    folder the shell ends in."""
    here = cwd
    for node in nodes:
        if node.kind == "operator":
            continue
        if node.kind == "list":
            here = _sequence(scan, node.parts, here)
            continue
        target = _cd_target(node)
        if target is not None:
            here = os.path.normpath(os.path.join(here, os.path.expanduser(target)))
            continue
        _walk(scan, node, here, False)
    return here


def check_command(command: str, cwd: str, *, tank: str = "tank") -> Verdict:
    """The verdict on ``command`` run in ``cwd``."""
    if not mentions_skills(command, cwd):
        return PASS
    if len(command) > MAX_COMMAND_CHARS:
        return Verdict("deny", f"the command is over {MAX_COMMAND_CHARS} characters long")
    tree = _plain_tree(command)
    if tree is None:
        import bashlex

        try:
            tree = bashlex.parse(command)
        except Exception as error:  # bashlex raises several types: any is "cannot read it"
            return Verdict("deny", f"Tank could not parse this command to check it ({error})")
    scan = _Scan(command)
    steps = _steps(tree)
    try:
        _sequence(scan, tree, cwd)
    except _Refuse as refused:
        return Verdict("deny", f"{refused}; run the skill with `tank run` instead")
    if not scan.found:
        return PASS
    first = scan.found[0]
    suggestion = tank_run(first.skill, first.args, tank=tank)
    if first.nested:
        return Verdict(
            "deny",
            f"a command substitution runs a file of the installed skill {first.skill.name}; "
            f"run the skill alone with `{suggestion}`",
        )
    if (
        steps is not None
        and len(scan.found) == 1
        and all(_cd_target(s) is not None for s in steps[:-1])
        and steps[-1] is first.node
    ):
        if not first.skill.is_global and not _within(cwd, first.skill.root):
            return Verdict(
                "deny",
                f"the skill belongs to the project {first.skill.root}; run "
                f"`cd {shlex.quote(first.skill.root)} && {suggestion}`",
            )
        line = " ".join([*first.prefix, suggestion, *first.redirects])
        return Verdict("rewrite", f"Tank runs {first.skill.name}'s script in its sandbox", line)
    return Verdict(
        "deny",
        f"this command runs a file of the installed skill {first.skill.name} together with "
        f"other commands, which Tank cannot route through its sandbox; run the skill alone "
        f"with `{suggestion}`",
    )


def _within(path: str, root: str) -> bool:
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)
