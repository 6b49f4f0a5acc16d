"""Rules as data: load and validate ``rules/*.yaml`` (by an explicit call, never at import).

A rule file holds ``rules:``, a list of mappings::

    - id: shell.pipe_to_shell            # <analyzer>.<name>, unique
      title / category / severity / confidence / description / remediation
      match: pattern                     # or "code": detected by an analyzer in Python
      kinds: [shell, markdown]           # pattern rules: file kinds the regexes run on
      patterns: ['curl[^|]*\\|\\s*sh']   # pattern rules: Python regexes, any one matches
      flags: [ignorecase, dotall]        # optional
      unless: ['regex']                  # optional: the matched line is a known-good use
      downgrade_if: ['regex']            # optional: the line quotes it as a warning → low
      downgrade_in: [markdown]           # optional: kinds where downgrade_if applies (all)
      samples:                           # every rule: at least one of each
        malicious: [{file: a.sh, text: "…"}]
        benign:    [{file: b.sh, text: "…"}]

Samples are run through the whole engine by ``tests/rules``: a malicious sample must raise
the rule, a benign look-alike must not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tank.core.errors import TankError
from tank.core.frontmatter import safe_load
from tank.scanner.model import Confidence, Rule, Severity
from tank.scanner.prefilter import required_literals

__all__ = ["KINDS", "PatternRule", "RuleError", "RuleSet", "Sample", "load_rules", "parse_rules"]

KINDS = frozenset({"markdown", "shell", "powershell", "python", "js", "indicators", "any"})
_FLAGS = {"ignorecase": re.IGNORECASE, "dotall": re.DOTALL, "multiline": re.MULTILINE}
_REQUIRED = ("id", "title", "category", "severity", "confidence", "description", "remediation")
_OPTIONAL = (
    "match",
    "kinds",
    "patterns",
    "flags",
    "unless",
    "downgrade_if",
    "downgrade_in",
    "samples",
)
_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$")


class RuleError(TankError):
    """A rule file that does not meet the rule format."""

    default_code = "scanner_rule_invalid"


@dataclass(frozen=True, slots=True)
class Sample:
    """A file a rule must (malicious) or must not (benign) match."""

    file: str
    text: str


@dataclass(frozen=True, slots=True)
class PatternRule:
    """A rule detected by regexes over the text of some file kinds."""

    rule: Rule
    kinds: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    downgrade_if: tuple[re.Pattern[str], ...]
    #: Per pattern: casefolded strings one of which any match contains (None: unknown).
    needles: tuple[tuple[str, ...] | None, ...] = ()
    #: File kinds where ``downgrade_if`` applies (None: every kind). A warning comment next
    #: to code does not stop the code from running; a warning sentence in prose does.
    downgrade_in: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Every loaded rule, by id, with the pattern rules and the samples of each."""

    rules: Mapping[str, Rule]
    patterns: tuple[PatternRule, ...]
    malicious: Mapping[str, tuple[Sample, ...]]
    benign: Mapping[str, tuple[Sample, ...]]
    sources: Mapping[str, str]

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]


@lru_cache(maxsize=2)
def load_rules(cache: Path | None = None) -> RuleSet:
    """Load and validate the rules shipped in ``tank/scanner/rules``; cached after one call.

    ``cache``: a folder where the parsed rules are kept between processes (the CLI passes the
    user's cache), keyed by the digest of the rule files and of the code that reads them; an
    entry that does not match is never used (see :mod:`tank.scanner.compiled`).
    """
    folder = resources.files("tank.scanner") / "rules"
    texts = {
        f"rules/{item.name}": item.read_text(encoding="utf-8")
        for item in sorted(folder.iterdir(), key=lambda i: i.name)
        if item.name.endswith(".yaml")
    }
    if cache is None:
        return parse_rules(texts)
    from tank.scanner.compiled import cached_ruleset

    return cached_ruleset(texts, cache, parse_rules)


def parse_rules(texts: Mapping[str, str]) -> RuleSet:
    """Parse rule files given as ``name -> YAML text``; raise :class:`RuleError` on any error."""
    rules: dict[str, Rule] = {}
    patterns: list[PatternRule] = []
    malicious: dict[str, tuple[Sample, ...]] = {}
    benign: dict[str, tuple[Sample, ...]] = {}
    sources: dict[str, str] = {}
    for name, text in texts.items():
        try:
            data = safe_load(text)
        except yaml.YAMLError as error:
            raise RuleError(f"{name}: not valid YAML ({error})") from error
        if (
            not isinstance(data, dict)
            or set(data) != {"rules"}
            or not isinstance(data["rules"], list)
        ):
            raise RuleError(f"{name}: a rule file holds exactly one key, 'rules', a list")
        for index, raw in enumerate(data["rules"]):
            where = f"{name}: rule #{index + 1}"
            rule, pattern, samples = _parse_one(raw, where)
            if rule.id in rules:
                raise RuleError(f"{where}: duplicate rule id {rule.id!r}")
            rules[rule.id] = rule
            sources[rule.id] = name
            malicious[rule.id], benign[rule.id] = samples
            if pattern is not None:
                patterns.append(pattern)
    return RuleSet(rules, tuple(patterns), malicious, benign, sources)


def _parse_one(
    raw: object, where: str
) -> tuple[Rule, PatternRule | None, tuple[tuple[Sample, ...], tuple[Sample, ...]]]:
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: a rule is a mapping")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise RuleError(
            f"{where}: unknown keys {unknown}",
            hint=f"allowed keys: {', '.join(_REQUIRED + _OPTIONAL)}",
        )
    missing = [k for k in _REQUIRED if not isinstance(raw.get(k), str) or not raw[k].strip()]
    if missing:
        raise RuleError(f"{where}: missing or empty {missing}")
    where = f"{where} ({raw['id']})"
    if not _ID.match(raw["id"]):
        raise RuleError(f"{where}: an id is '<analyzer>.<name>' in lower case")
    rule = Rule(
        id=raw["id"],
        title=raw["title"].strip(),
        category=raw["category"],
        severity=_enum(Severity, raw["severity"], "severity", where),
        confidence=_enum(Confidence, raw["confidence"], "confidence", where),
        description=" ".join(raw["description"].split()),
        remediation=" ".join(raw["remediation"].split()),
    )
    match = raw.get("match", "pattern")
    if match not in ("pattern", "code"):
        raise RuleError(f"{where}: match is 'pattern' or 'code', not {match!r}")
    pattern = _pattern_rule(rule, raw, where) if match == "pattern" else None
    if match == "code" and any(k in raw for k in ("kinds", "patterns", "unless", "downgrade_in")):
        raise RuleError(f"{where}: a 'code' rule has no kinds, patterns or unless")
    return rule, pattern, _samples(raw.get("samples"), where)


def _enum(cls: Any, value: object, key: str, where: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(str(m) for m in cls)
        raise RuleError(f"{where}: {key} {value!r} is not one of: {allowed}") from None


def _strings(raw: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RuleError(f"{where}: {key} is a list of non-empty strings")
    return value


def _compile(items: Iterable[str], flags: int, where: str) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(item, flags) for item in items)
    except re.error as error:
        raise RuleError(f"{where}: bad regex ({error})") from error


def _pattern_rule(rule: Rule, raw: Mapping[str, Any], where: str) -> PatternRule:
    kinds = _strings(raw, "kinds", where)
    if not kinds or set(kinds) - KINDS:
        raise RuleError(f"{where}: kinds must be a non-empty subset of {sorted(KINDS)}")
    flags = 0
    for flag in _strings(raw, "flags", where):
        if flag not in _FLAGS:
            raise RuleError(f"{where}: unknown flag {flag!r} (use {sorted(_FLAGS)})")
        flags |= _FLAGS[flag]
    patterns = _compile(_strings(raw, "patterns", where), flags, where)
    if not patterns:
        raise RuleError(f"{where}: a pattern rule needs at least one pattern")
    downgrade_in = _strings(raw, "downgrade_in", where)
    if set(downgrade_in) - KINDS:
        raise RuleError(f"{where}: downgrade_in must be a subset of {sorted(KINDS)}")
    return PatternRule(
        rule,
        frozenset(kinds),
        patterns,
        _compile(_strings(raw, "unless", where), re.IGNORECASE, where),
        _compile(_strings(raw, "downgrade_if", where), re.IGNORECASE, where),
        tuple(required_literals(p) for p in patterns),
        frozenset(downgrade_in) if downgrade_in else None,
    )


def _samples(raw: object, where: str) -> tuple[tuple[Sample, ...], tuple[Sample, ...]]:
    if not isinstance(raw, dict) or set(raw) != {"malicious", "benign"}:
        raise RuleError(f"{where}: samples needs 'malicious' and 'benign' lists")
    out: list[tuple[Sample, ...]] = []
    for key in ("malicious", "benign"):
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise RuleError(f"{where}: samples.{key} needs at least one sample")
        samples = []
        for item in items:
            if not isinstance(item, dict) or set(item) != {"file", "text"}:
                raise RuleError(f"{where}: a sample is {{file: NAME, text: CONTENT}}")
            samples.append(Sample(str(item["file"]), str(item["text"])))
        out.append(tuple(samples))
    return out[0], out[1]
