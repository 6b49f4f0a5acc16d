"""The commands a SKILL.md tells the agent to run: running them is the skill using
``subprocess``, just as if its own script ran them.

Counted: the lines of a fenced shell block (``bash``, ``sh``, ``console``…) and an inline
```cmd``` that an imperative sentence introduces ("Run `npx prisma …`").
Not counted: commands quoted as warnings (the caller skips those), comments, shell builtins
(``cd``, ``export``), and running the skill's own files (``python scripts/x.py``,
``./scripts/x.sh``): those are the skill itself, and their code is inferred on its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["commands_told", "own_names", "path_told", "runs_a_program", "url_told"]

#: Fenced block languages that hold commands to paste into a shell (not ``""``: an unlabelled
#: block is as often a tree, a prompt or some output).
_SHELL_FENCES = frozenset(
    {"sh", "bash", "shell", "zsh", "console", "terminal", "powershell", "ps1", "pwsh", "cmd"}
)
#: "Run …", "execute …", "invoke …" right before the code (same sentence, not ``vm.run``).
_IMPERATIVE = re.compile(r"(?:^|[\s(])(?:run|execute|invoke)\b[^.!?\n]{0,40}$", re.IGNORECASE)
#: A sentence that forbids or only names the command ("never run …", "e.g. run …").
_NOT_TOLD = re.compile(
    r"\b(?:never|not|don't|do not|avoid|forbid\w*|without|e\.g\.|eg|such as|for example|like)\b",
    re.IGNORECASE,
)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
#: A sentence that shows what something looks like rather than telling to run it.
_DESCRIBES = re.compile(
    r"\b(?:examples?|output|prints?|shows?|returns?|looks? like|format|syntax|usage)\b", re.I
)
#: A verb of a relative clause describes things ("lines that download or execute …"), it
#: does not order anything.
_RELATIVE = re.compile(
    r"\b(?:that|which|who)\s+(?:\w+\s+){0,3}(?:runs?|executes?|invokes?)\b", re.I
)
#: A command introduced by a colon: a program name without a file extension, then arguments.
_STEP_COMMAND = re.compile(r"^(?:sudo\s+)?[a-z][a-z0-9_+-]*\s+\S")
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)[.!?](?:\s|$)|\n\s*\n")
#: Runners that fetch or start a tool: ``npx tsx src/check.ts`` runs the skill's own file.
_RUNNERS = (("npx",), ("bunx",), ("pnpm", "exec"), ("npm", "exec"), ("pnpm", "dlx"), ("yarn",))
_BUILTINS = frozenset(
    {"cd", "export", "set", "unset", "source", ".", "alias", "echo", "printf", "exit", "true"}
    | {"false", "pushd", "popd", "read", "local", "return", "if", "then", "else", "fi", "for"}
    | {"do", "done", "while", "case", "esac", "function", "}", "{", "[", "[[", "test", "shift"}
    | {"elif", "until", "select", "break", "continue", "trap", "wait", "getopts", "declare"}
    | {"typeset", "readonly", "let", "umask", "ulimit", "hash", "type", "builtin", ":", "!"}
)
#: Interpreters that run the skill's own file when given a relative path.
_INTERPRETERS = frozenset(
    {"python", "python3", "node", "bash", "sh", "zsh", "pwsh", "powershell", "deno", "bun"}
    | {"ruby", "perl", "tsx", "ts-node"}
)
_PROMPT = re.compile(r"^(?:\$|>|PS>|PS [^>]*>|%)\s+")
#: A program's name is lower case (``terraform``, ``pip3``); a capitalised word starts prose
#: ("Pass 2 - …"), unless it is a PowerShell cmdlet (``Get-ChildItem``).
_WORD = re.compile(r"^[a-z][\w.+-]*$")
_CMDLET = re.compile(r"^[A-Z][a-z]+-[A-Z]\w+$")
_OWN_FILE = re.compile(
    r"^(?:\./|scripts/|bin/|src/|tools/|lib/)|^[\w./-]+\.(?:py|js|mjs|cjs|ts|sh|ps1|rb|pl)$"
)


#: Commands that only look at files: an agent does this with its own read tools (Grep, Glob,
#: Read), so SKILL.md telling it to run one is not the skill running programs.
_LOOK_ONLY = frozenset(
    {"grep", "rg", "egrep", "fgrep", "ag", "find", "fd", "ls", "cat", "head", "tail", "wc"}
    | {"less", "more", "tree", "file", "stat", "diff", "jq", "yq", "sort", "uniq", "cut"}
)


#: Toolchains whose ``run`` builds and runs the code in a folder (``go run .``,
#: ``cargo run``): the skill's own program when the folder is the skill's.
_BUILD_RUNNERS = frozenset({"go", "cargo", "dotnet", "swift"})


def own_names(files: Mapping[str, object]) -> frozenset[str]:
    """The names a command can use for the skill's own code: its top-level files and
    folders, and Python module names (``python -m pkg.tool``)."""
    out: set[str] = set()
    for path in files:
        first = path.split("/", 1)[0]
        out.add(first)
        out.add(first.rsplit(".", 1)[0] if first.endswith(".py") else first)
    return frozenset(out)


def runs_a_program(line: str) -> bool:
    """Whether a command line runs another program (not a builtin, not the skill's file)."""
    return program_of(line) is not None


def program_of(line: str, own: frozenset[str] = frozenset()) -> str | None:
    """The program a command line runs, or None (a builtin, the skill's own file, prose).
    ``own``: the skill's top-level names (:func:`own_names`), for ``python -m pkg`` and
    ``go run .``."""
    text = _PROMPT.sub("", line.strip())
    if not text or text.startswith(("#", "//", "-", "|")) or text.endswith(":"):
        return None
    words = text.split()
    while words and "=" in words[0] and not words[0].startswith("="):  # FOO=1 cmd
        words = words[1:]
    if words and words[0] in ("sudo", "env", "exec", "time", "nohup", "command"):
        words = words[1:]
    if not words:
        return None
    name = words[0].removeprefix("./")
    if _CMDLET.match(name):
        # a cmdlet runs inside PowerShell, like a builtin; Start-Process starts a program
        if name.lower() not in ("start-process", "invoke-item") or len(words) < 2:
            return None
        words = [w for w in words[1:] if not w.startswith("-")] or words
        name = words[0].strip("'\"")
    if words[0] in _BUILTINS or not _WORD.match(name):
        return None
    if words[:2] == ["tank", "run"]:  # the skill itself, run by Tank within its permissions
        return None
    if words[0] in ("uv", "poetry", "pipenv") and len(words) > 2 and words[1] == "run":
        words = words[2:]
    for runner in _RUNNERS:
        rest = words[len(runner) :]
        if tuple(words[: len(runner)]) == runner and rest and rest[0] in _INTERPRETERS:
            words = rest
    if words[0] in _BUILD_RUNNERS and words[1:2] == ["run"]:
        rest = [w for w in words[2:] if not w.startswith("-")]
        if not rest or rest[0] == "." or rest[0].removeprefix("./").split("/", 1)[0] in own:
            return None if own else words[0]
    if words[0] in _INTERPRETERS:
        if "-m" in words[1:-1]:
            module = words[words.index("-m", 1) + 1]
            return None if module.split(".", 1)[0] in own else module
        words = [w for w in words[1:] if not w.startswith("-")] or words
    target = words[0]
    return None if target.startswith(("./", "../")) or _OWN_FILE.match(target) else target


def commands_told(
    language: str, code: str, lead: str, own: frozenset[str] = frozenset()
) -> int | None:
    """The offset (line index in ``code``) of the first command the segment tells the agent
    to run, or None. ``lead`` is the prose before the segment; ``own`` as for
    :func:`program_of`."""
    if language == "inline":
        sentence = _SENTENCE_END.split(_CODE_SPAN.sub("X", lead))[-1]
        if _NOT_TOLD.search(sentence) or _DESCRIBES.search(sentence) or _RELATIVE.search(sentence):
            return None
        # told by a verb ("run `x`"), or a step that introduces its command after a colon
        # ("1. **Backup** the schema:\n `pg_dump …`")
        step = sentence.rstrip().endswith(":") and _STEP_COMMAND.match(code.strip())
        if not _IMPERATIVE.search(sentence) and not step:
            return None
    elif language not in _SHELL_FENCES:  # an unlabelled block is as often prose or output
        return None
    for index, line in enumerate(code.split("\n")):
        program = program_of(line, own)
        if program is not None and program not in _LOOK_ONLY:
            return index
    return None


#: A file in the user's home folder, written out as a code span.
_HOME_FILE = re.compile(r"^(?:~|\$HOME|\$\{HOME\})/[\w.@+-][^\s`*?]*$")
#: An order to read a file ("Load the user's glossary from", "always read").
_READ_ORDER = re.compile(
    r"(?:^|[\s(])(?:read|load|open|parse|import|consult|use|source)\b[^.!?\n]{0,80}$", re.I
)


def path_told(code: str, lead: str) -> bool:
    """Whether a code span naming a file in the home folder is one SKILL.md tells the agent to
    read ("Load the user's glossary from `~/.config/x/glossary.tsv`"): the agent reading it
    is the skill reading outside the project. Only named, forbidden or described paths are not
    ("never read `~/.ssh`", "the tool keeps its cache in `~/.cache/x`")."""
    if not _HOME_FILE.match(code.strip()):
        return False
    sentence = " ".join(_SENTENCE_END.split(_CODE_SPAN.sub("X", lead))[-1].split())
    if _NOT_TOLD.search(sentence) or _DESCRIBES.search(sentence) or _RELATIVE.search(sentence):
        return False
    from tank.scanner.analyzers.prose import imperative  # the prose vocabulary, loaded late

    order = _READ_ORDER.search(sentence)
    return order is not None and imperative(sentence, order.end(0) - len(order.group(0).lstrip()))


#: A URL written out as a code span.
_URL_SPAN = re.compile(r"^https?://[^\s`]+$", re.IGNORECASE)
#: An order to request a URL ("Fetch `https://…` and read", "GET `https://…`").
_FETCH_ORDER = re.compile(
    r"(?:^|[\s(])(?:fetch|get|call|query|request|download|poll|hit|ping|post\s+to|send\s+it\s+to)"
    r"\b[^.!?\n]{0,60}$",
    re.IGNORECASE,
)


def url_told(code: str, lead: str) -> bool:
    """Whether a code span holding a URL is one SKILL.md tells the agent to request ("Fetch
    `https://status.example.com/api/v2/status.json` and read…"): the agent's request is the
    skill's network use. A URL only named, forbidden or described is not."""
    if not _URL_SPAN.match(code.strip()):
        return False
    sentence = " ".join(_SENTENCE_END.split(_CODE_SPAN.sub("X", lead))[-1].split())
    if _NOT_TOLD.search(sentence) or _DESCRIBES.search(sentence) or _RELATIVE.search(sentence):
        return False
    from tank.scanner.analyzers.prose import imperative  # the prose vocabulary, loaded late

    order = _FETCH_ORDER.search(sentence)
    return order is not None and imperative(sentence, order.end(0) - len(order.group(0).lstrip()))
