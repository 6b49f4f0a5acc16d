"""A compiled cache for what a short-lived ``tank scan`` would otherwise rebuild every time.

Two things dominate the start of a one-skill scan: parsing and validating the rule files
(YAML, regexes, prefilter needles: ~30 ms) and the LALR tables of the shell parser (bashlex
builds them with its vendored PLY at *every* import, ~90-180 ms). Both are pure functions of
files that only change with an upgrade, so the caller may pass a cache folder (the CLI passes
the user's cache) and they are read back from there.

Trust: an entry is used only when the digest it was written under matches the digest of the
inputs *now* (the rule files, the sources of the modules that interpret them, the Python
version); anything else (absent, stale, truncated, corrupt, wrong shape) is ignored and the
slow path runs and rewrites it. Entries are JSON (never pickle or marshal, whose readers
trust their input), so a cache file can at worst hold wrong *data*, which the digest check
and the shape checks reject, never code. The folder is the user's own, as
trusted as the installed package; the checks protect against staleness and corruption, not
against someone who can already write the user's files. Writes are atomic (temp file, then
rename), and a failure to write only costs the next run the slow path.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tank.scanner.model import Confidence, Rule, Severity
from tank.scanner.rules import PatternRule, RuleSet, Sample

__all__ = ["FORMAT", "cached_ruleset", "preload_shell_parser", "ruleset_digest"]

#: Bumped whenever the layout of an entry changes.
FORMAT = 1
#: Modules whose code decides what a parsed rule set holds (a change there invalidates it).
_INTERPRETERS = ("rules.py", "prefilter.py", "model.py", "compiled.py")
#: Largest entry read back; the real ones are ~70 KB (rules) and ~150 KB (tables).
_MAX_ENTRY = 8 * 1024 * 1024


def _digest(parts: list[bytes]) -> str:
    h = hashlib.sha256(f"tank-compiled-{FORMAT}|{sys.version}".encode())
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def ruleset_digest(texts: Mapping[str, str]) -> str:
    """The key of a rule set: its files and the code that turns them into rules."""
    here = Path(__file__).parent
    parts = [(here / name).read_bytes() for name in _INTERPRETERS]
    for name, text in sorted(texts.items()):
        parts += [name.encode(), text.encode()]
    return _digest(parts)


def _read(path: Path, digest: str) -> Any:
    """The payload stored under ``digest`` at ``path``, or None when it cannot be trusted."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_ENTRY + 1)
        if len(data) > _MAX_ENTRY:
            return None
        entry = json.loads(data)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(entry, list) or len(entry) != 3 or entry[:2] != [FORMAT, digest]:
        return None
    return entry[2]


def _write(path: Path, digest: str, payload: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps([FORMAT, digest, payload]).encode())
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except (OSError, ValueError, TypeError):
        return  # a cache that cannot be written only costs the next run the slow path


# --- rules ---------------------------------------------------------------------------------


def _pattern_data(p: re.Pattern[str]) -> tuple[str, int]:
    return (p.pattern, p.flags)


def _dump(ruleset: RuleSet) -> tuple[object, ...]:
    patterns = {p.rule.id: p for p in ruleset.patterns}
    out = []
    for rule_id, rule in ruleset.rules.items():
        p = patterns.get(rule_id)
        compiled = None
        if p is not None:
            compiled = (
                tuple(sorted(p.kinds)),
                tuple(_pattern_data(x) for x in p.patterns),
                tuple(_pattern_data(x) for x in p.unless),
                tuple(_pattern_data(x) for x in p.downgrade_if),
                p.needles,
                None if p.downgrade_in is None else tuple(sorted(p.downgrade_in)),
            )
        out.append(
            (
                (rule.id, rule.title, rule.category, str(rule.severity), str(rule.confidence)),
                (rule.description, rule.remediation),
                compiled,
                tuple((s.file, s.text) for s in ruleset.malicious[rule_id]),
                tuple((s.file, s.text) for s in ruleset.benign[rule_id]),
                ruleset.sources[rule_id],
            )
        )
    return tuple(out)


def _strs(items: object, count: int) -> list[str]:
    """``items`` as a list of exactly ``count`` strings, or ValueError."""
    if not isinstance(items, list) or len(items) != count:
        raise ValueError("not a list of the expected length")
    if not all(isinstance(x, str) for x in items):
        raise ValueError("not strings")
    return items


def _load(data: object) -> RuleSet:
    """Rebuild a rule set from :func:`_dump`'s data; raises on any unexpected shape."""
    if not isinstance(data, list):
        raise ValueError("not a list")
    rules: dict[str, Rule] = {}
    patterns: list[PatternRule] = []
    malicious: dict[str, tuple[Sample, ...]] = {}
    benign: dict[str, tuple[Sample, ...]] = {}
    sources: dict[str, str] = {}
    for head, texts, compiled, bad, good, source in data:
        rule_id, title, category, severity, confidence = _strs(head, 5)
        description, remediation = _strs(texts, 2)
        rule = Rule(
            rule_id,
            title,
            category,
            Severity(severity),
            Confidence(confidence),
            description,
            remediation,
        )
        rules[rule_id] = rule
        malicious[rule_id] = tuple(Sample(*_strs(x, 2)) for x in bad)
        benign[rule_id] = tuple(Sample(*_strs(x, 2)) for x in good)
        sources[rule_id] = _strs([source], 1)[0]
        if compiled is not None:
            kinds, pats, unless, downgrade_if, needles, downgrade_in = compiled
            patterns.append(
                PatternRule(
                    rule,
                    frozenset(_strs(kinds, len(kinds))),
                    tuple(re.compile(s, f) for s, f in pats),
                    tuple(re.compile(s, f) for s, f in unless),
                    tuple(re.compile(s, f) for s, f in downgrade_if),
                    tuple(None if n is None else tuple(_strs(n, len(n))) for n in needles),
                    None
                    if downgrade_in is None
                    else frozenset(_strs(downgrade_in, len(downgrade_in))),
                )
            )
    return RuleSet(rules, tuple(patterns), malicious, benign, sources)


def cached_ruleset(
    texts: Mapping[str, str], folder: Path, parse: Callable[[Mapping[str, str]], RuleSet]
) -> RuleSet:
    """``parse(texts)``, read from ``folder`` when an entry for exactly these inputs is there."""
    try:
        digest = ruleset_digest(texts)
    except OSError:  # the interpreting sources are not on disk (e.g. a zipped install)
        return parse(texts)
    path = folder / f"rules-{digest[:32]}.json"
    data = _read(path, digest)
    if data is not None:
        try:
            return _load(data)
        except (ValueError, TypeError, KeyError, re.error):
            pass  # wrong shape: parse again and overwrite it
    ruleset = parse(texts)  # raises RuleError on bad rules: nothing is written then
    _write(path, digest, _dump(ruleset))
    return ruleset


# --- shell parser tables -------------------------------------------------------------------


def preload_shell_parser(folder: Path) -> None:
    """Import bashlex with its LALR tables read from ``folder`` (built and stored once).

    bashlex's vendored PLY recomputes the tables on every import. Here its ``LRTable`` is
    swapped, for the duration of the import only, for one that reads the action and goto
    tables from the cache when the digest of bashlex's grammar sources and of the grammar
    itself matches, and otherwise computes them as usual and stores them. Any surprise
    (another bashlex layout, an error) falls back to the plain import.
    """
    if "bashlex" in sys.modules:
        return
    # ``import bashlex`` builds the parser in its package __init__, so the package module is
    # created without running __init__, its yacc is patched, then __init__ runs.
    try:
        spec = importlib.util.find_spec("bashlex")
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None:
        return
    package = importlib.util.module_from_spec(spec)
    sys.modules["bashlex"] = package
    try:
        yacc: Any = importlib.import_module("bashlex.yacc")
        original = yacc.LRTable
        here = Path(str(yacc.__file__))
        sources = [here.read_bytes(), here.with_name("parser.py").read_bytes()]
    except Exception:
        _forget_bashlex()
        return

    class CachedTable:
        """The part of ``LRTable`` that ``yacc()`` and ``LRParser`` use, from the cache."""

        def __init__(self, grammar: Any, log: Any = None) -> None:
            grammar_text = "\n".join(str(p) for p in grammar.Productions)
            digest = _digest([*sources, grammar_text.encode()])
            path = folder / f"bashlex-{digest[:32]}.json"
            tables = _tables(_read(path, digest))
            self.lr_productions = grammar.Productions
            self.sr_conflicts: list[object] = []
            self.rr_conflicts: list[object] = []
            if tables is not None:
                self.lr_action, self.lr_goto = tables
                return
            built = original(grammar, log) if log is not None else original(grammar)
            self.lr_action, self.lr_goto = built.lr_action, built.lr_goto
            self.sr_conflicts, self.rr_conflicts = built.sr_conflicts, built.rr_conflicts
            _write(path, digest, (self.lr_action, self.lr_goto))

        def bind_callables(self, pdict: Mapping[str, object]) -> None:
            for production in self.lr_productions:
                production.bind(pdict)

    yacc.LRTable = CachedTable
    try:
        spec.loader.exec_module(package)  # builds bashlex's parser now, with cached tables
    except Exception:
        _forget_bashlex()  # the next ``import bashlex`` starts from scratch, uncached
    finally:
        yacc.LRTable = original


def _forget_bashlex() -> None:
    for name in [n for n in sys.modules if n == "bashlex" or n.startswith("bashlex.")]:
        del sys.modules[name]


def _tables(data: object) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]] | None:
    """The action and goto tables, ``{state: {symbol: int}}`` each, from an entry's JSON."""
    if not (isinstance(data, list) and len(data) == 2):
        return None
    out = []
    for table in data:
        if not isinstance(table, dict):
            return None
        rebuilt: dict[int, dict[str, int]] = {}
        for state, row in table.items():
            if not (state.isdigit() and isinstance(row, dict)):
                return None
            if not all(type(v) is int for v in row.values()):
                return None
            rebuilt[int(state)] = row
        out.append(rebuilt)
    return out[0], out[1]
