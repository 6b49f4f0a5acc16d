"""Reading the YAML frontmatter of a SKILL.md: values, the line of each key, and the body.

This module knows YAML and text, not the SKILL.md rules (those are in :mod:`tank.core.skillmd`).
It is careful in three ways, because SKILL.md files come from strangers:

* **Bounded.** The frontmatter may hold at most :data:`MAX_FRONTMATTER_BYTES`, nest at most
  :data:`MAX_DEPTH` levels, and may not use aliases. Aliases are what make "billion laughs"
  bombs possible and no honest frontmatter needs them, so we refuse them outright rather than
  count expansions. The checks run on the event stream, before any node is built.
* **Precise.** Values come from composed nodes, so every key carries the line it is on in the
  SKILL.md (the frontmatter starts on line 2, after the opening ``---``).
* **Forgiving on request.** Many published skills hold invalid YAML, most often an unquoted
  colon (``description: Use this when: the user asks``). In lenient mode a line-based reader
  takes over when YAML fails: ``key: value`` with everything after the first ``": "`` as the
  value, indented continuation lines, block scalars, one level of nested mapping or list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from tank.core.errors import Location, Problem, Severity

if TYPE_CHECKING:
    import yaml

#: Largest frontmatter we read, in UTF-8 bytes. Real ones are a few hundred bytes.
MAX_FRONTMATTER_BYTES = 64 * 1024
#: Deepest nesting of YAML collections we accept (``hooks`` needs about four).
MAX_DEPTH = 16


@cache
def _loader() -> type[yaml.SafeLoader] | type[yaml.CSafeLoader]:
    """The YAML loader class, imported on first use: PyYAML costs ~15 ms to import, and
    ``tank run`` parses skills.json (whose rules import this module) but never a SKILL.md.
    The C loader is ~10x faster; fall back to the pure-Python one where libyaml is missing."""
    import yaml

    try:
        return yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        return yaml.SafeLoader


_FENCE = re.compile(r"---[ \t]*")
_KEY_LINE = re.compile(r"(?P<key>[A-Za-z0-9_][A-Za-z0-9_.-]*)[ \t]*:(?:[ \t]+(?P<value>.*)|$)")
_ITEM_LINE = re.compile(r"-(?:[ \t]+(?P<value>.*)|$)")
_BLOCK_SCALAR = re.compile(r"(?P<style>[|>])[+-]?[1-9]?[+-]?")


@dataclass(frozen=True, slots=True)
class Frontmatter:
    """What was read from a SKILL.md: top-level values in file order and where each key is."""

    present: bool
    values: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    #: True when YAML failed and the lenient line-based reader produced ``values``.
    fallback: bool = False


class _Refused(Exception):
    """YAML we will not read (aliases, too deep), with the 0-based line where it happened."""

    def __init__(self, code: str, message: str, line: int, hint: str) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.hint = code, message, line, hint


def normalise_text(text: str) -> str:
    """Drop a leading byte-order mark and turn CRLF / CR line ends into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_frontmatter(
    text: str, *, file: str = "SKILL.md", lenient: bool = False
) -> tuple[Frontmatter, list[Problem]]:
    """Split ``text`` into frontmatter and body and read the frontmatter.

    Returns the :class:`Frontmatter` (``present`` False when there is none, ``values`` empty
    when it could not be read) and the problems found. Never raises on bad input.
    """
    text = normalise_text(text)
    lines = text.split("\n")
    problems: list[Problem] = []

    def problem(
        code: str, message: str, line: int | None, hint: str | None, *, error: bool
    ) -> None:
        severity = Severity.ERROR if error else Severity.WARNING
        problems.append(Problem(code, message, severity, Location(file, line), hint))

    if not lines or not _FENCE.fullmatch(lines[0]):
        problem(
            "skillmd.frontmatter.missing",
            "SKILL.md does not start with YAML frontmatter (a '---' line)",
            1,
            "Start the file with '---', then 'name:' and 'description:' lines, then '---'.",
            error=not lenient,
        )
        return Frontmatter(present=False, body=text, body_line=1), problems

    end = next((i for i in range(1, len(lines)) if _FENCE.fullmatch(lines[i])), None)
    if end is None:
        problem(
            "skillmd.frontmatter.unterminated",
            "the frontmatter opened on line 1 is never closed",
            1,
            "Add a '---' line after the last frontmatter key.",
            error=True,
        )
        return Frontmatter(present=True), problems

    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    result = Frontmatter(present=True, body=body, body_line=end + 2)
    if len(yaml_text.encode("utf-8")) > MAX_FRONTMATTER_BYTES:
        problem(
            "skillmd.frontmatter.too_large",
            f"the frontmatter is larger than {MAX_FRONTMATTER_BYTES // 1024} KiB",
            2,
            "Keep the frontmatter to metadata; put instructions in the body.",
            error=True,
        )
        return result, problems

    import yaml

    try:
        values, key_lines, dupes = _read_yaml_mapping(yaml_text)
    except _Refused as exc:
        # Refusals are about safety, so they are errors even in lenient mode.
        problem(exc.code, exc.message, exc.line + 2, exc.hint, error=True)
        return result, problems
    except _NotMapping as exc:
        problem(
            "skillmd.frontmatter.not_mapping",
            f"the frontmatter must be a mapping of keys to values, not {exc.kind}",
            2,
            "Write one 'key: value' per line.",
            error=True,
        )
        return result, problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        column = mark.column + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        hint = "Quote values that contain ': ' or start with a special character, e.g. "
        hint += 'description: "Use this when: the user asks".'
        if not lenient:
            problems.append(
                Problem(
                    "skillmd.yaml.invalid",
                    f"the frontmatter is not valid YAML: {reason}",
                    Severity.ERROR,
                    Location(file, line, column),
                    hint,
                )
            )
            return result, problems
        problems.append(
            Problem(
                "skillmd.yaml.invalid",
                f"the frontmatter is not valid YAML ({reason}); read it line by line instead",
                Severity.WARNING,
                Location(file, line, column),
                hint,
            )
        )
        values, key_lines, dupes, skipped = _read_lines(yaml_text)
        for skipped_line in skipped:
            problem(
                "skillmd.frontmatter.line_skipped",
                "this frontmatter line is not 'key: value' and was skipped",
                skipped_line + 2,
                None,
                error=False,
            )
        result = Frontmatter(True, {}, {}, body, end + 2, fallback=True)
    for key, line in dupes:
        problem(
            "skillmd.key.duplicate",
            f"key '{key}' appears more than once; the last one wins",
            line + 2,
            "Remove the duplicate key.",
            error=not lenient,
        )
    # Stored lines are 1-based lines of the SKILL.md, not of the frontmatter.
    result.values.update(values)
    result.lines.update({key: line + 2 for key, line in key_lines.items()})
    return result, problems


class _NotMapping(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _check_events(text: str) -> None:
    """Refuse aliases and deep nesting by scanning events, before any object is built."""
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line if event.start_mark else 0
            raise _Refused(
                "skillmd.yaml.alias",
                "YAML aliases (*name) are not allowed in the frontmatter",
                line,
                "Write the value out in full instead of referring to an anchor.",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line if event.start_mark else 0
                raise _Refused(
                    "skillmd.yaml.too_deep",
                    f"the frontmatter nests more than {MAX_DEPTH} levels deep",
                    line,
                    "Flatten the structure.",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def safe_load(text: str) -> object:
    """Load one YAML document with the same limits as the frontmatter (no aliases, bounded).

    Raises ``yaml.YAMLError`` for anything it will not read, including values Python cannot
    build (see :func:`_construct`).
    """
    import yaml

    try:
        _check_events(text)
    except _Refused as refused:  # the docstring's promise: one exception type for callers
        raise yaml.YAMLError(f"line {refused.line + 1}: {refused.message}") from None
    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a safe loader, checked above
    except (ValueError, OverflowError) as error:
        raise yaml.YAMLError(f"a value cannot be read: {error}") from None


def _construct(loader: yaml.SafeLoader | yaml.CSafeLoader, node: yaml.Node) -> object:
    """Build ``node``'s value; a value YAML accepts but Python cannot build (a 5,000-digit
    int, a timestamp in month 13) is a YAML error at its line, not a crash."""
    import yaml

    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as error:
        raise yaml.constructor.ConstructorError(
            None, None, f"a value cannot be read ({error})", node.start_mark
        ) from None


def _read_yaml_mapping(
    text: str,
) -> tuple[dict[str, object], dict[str, int], list[tuple[str, int]]]:
    """Values, 0-based key lines and duplicate keys of a YAML mapping document."""
    import yaml

    _check_events(text)
    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:  # an empty frontmatter: let the caller report missing keys
            return {}, {}, []
        if not isinstance(node, yaml.MappingNode):
            raise _NotMapping("a list" if isinstance(node, yaml.SequenceNode) else "a scalar")
        values: dict[str, object] = {}
        lines: dict[str, int] = {}
        dupes: list[tuple[str, int]] = []
        for key_node, value_node in node.value:
            # Use the key as written: YAML 1.1 would turn 'on:' or '1:' into a bool or an int.
            key = str(key_node.value)
            if key in values:
                dupes.append((key, key_node.start_mark.line))
            values[key] = _construct(loader, value_node)
            lines[key] = key_node.start_mark.line
        return values, lines, dupes
    finally:
        loader.dispose()


def _scalar(text: str) -> object:
    """Read one value of the line-based reader: YAML if it parses alone, else the raw text."""
    import yaml

    text = text.strip()
    if not text:
        return None
    try:
        value = safe_load(text)
    except (yaml.YAMLError, _Refused):
        return text
    # A value that YAML reads as a mapping ('a: b') is text with a colon in this context.
    return text if isinstance(value, dict) and not text.startswith("{") else value


def _read_lines(
    text: str,
) -> tuple[dict[str, object], dict[str, int], list[tuple[str, int]], list[int]]:
    """The lenient line-based reader: values, key lines, duplicates, skipped lines (0-based)."""
    lines = text.split("\n")
    values: dict[str, object] = {}
    key_lines: dict[str, int] = {}
    dupes: list[tuple[str, int]] = []
    skipped: list[int] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            i += 1
            continue
        match = _KEY_LINE.fullmatch(line.rstrip())
        if line[0] in " \t" or match is None:
            skipped.append(i)
            i += 1
            continue
        key, first = match["key"], (match["value"] or "").strip()
        start = i
        i += 1
        block: list[str] = []
        while i < len(lines) and (not lines[i].strip() or lines[i][0] in " \t"):
            block.append(lines[i])
            i += 1
        while block and not block[-1].strip():
            block.pop()
        if key in values:
            dupes.append((key, start))
        values[key] = _block_value(first, block)
        key_lines[key] = start
    return values, key_lines, dupes, skipped


def _block_value(first: str, block: list[str]) -> object:
    """The value of a key whose line holds ``first`` and whose indented lines are ``block``."""
    style = _BLOCK_SCALAR.fullmatch(first)
    if style is not None:
        indent = min((len(b) - len(b.lstrip()) for b in block if b.strip()), default=0)
        kept = [b[indent:] for b in block]
        return "\n".join(kept) + "\n" if style["style"] == "|" else " ".join(k for k in kept if k)
    stripped = [b.strip() for b in block if b.strip()]
    if first or not stripped:
        # A plain value folded over several lines, as YAML would fold it.
        return _scalar(" ".join([first, *stripped]).strip())
    if all(_ITEM_LINE.fullmatch(s) for s in stripped):
        return [_scalar(s[1:]) for s in stripped]
    pairs = [_KEY_LINE.fullmatch(s) for s in stripped]
    if all(pairs):
        return {m["key"]: _scalar(m["value"] or "") for m in pairs if m is not None}
    return " ".join(stripped)
