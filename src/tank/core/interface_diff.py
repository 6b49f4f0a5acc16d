"""Breaking and additive changes between two versions' interface schemas (JSON Schema 2020-12).

Think of a schema as the set of values it accepts. A skill's ``inputs`` are what callers send,
so the new schema must accept everything the old one did (contravariant): a narrowing —
a new required property, a removed enum value, a tighter bound — breaks callers, a widening
is additive. ``outputs`` are what the skill returns, so the new schema must promise no value
the old one did not (covariant): a widening — a new type, a new enum value, a property no
longer required — breaks consumers, a narrowing is additive.

The comparison goes keyword by keyword. JSON Schema keywords combine by intersection, so "no
keyword got narrower" soundly proves "the schema got no narrower"; a narrowing reported for
one keyword may be masked by another (a false alarm, never a missed break). Keywords that only
make sense together are compared together (``properties`` with ``additionalProperties``).

Fail closed: constructs this module cannot compare soundly (``$ref``, ``allOf``/``anyOf``/
``oneOf``/``not``, ``if``/``then``/``else``, ``patternProperties``, ``unevaluated*``,
``contains``, ``$defs``, unknown keywords, ...) count as breaking on both sides unless they
are equal, and their change text says so. Annotations (``title``, ``description``,
``default``, ``examples``, ...) never matter.

Declaring a new property in an object open to other properties counts as additive on both
sides (the contract grows), as the product brief's table asks, although a caller might
already have sent an undeclared property of another type.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum, StrEnum
from fractions import Fraction
from typing import Any

__all__ = ["ChangeKind", "InterfaceChange", "Side", "diff_interface", "diff_schema"]

#: Deeper schemas than this are not compared keyword by keyword (fail closed).
MAX_DEPTH = 48

_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "contentEncoding",
        "contentMediaType",
    }
)
# Every other keyword ($ref, allOf, if, contains, $defs, unknown ones...) is compared only
# for equality: a change cannot be classified soundly, so it counts as breaking.
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_HANDLED = frozenset(
    {
        "type",
        "enum",
        "const",
        "required",
        "properties",
        "additionalProperties",
        "patternProperties",
        "items",
        "uniqueItems",
        "multipleOf",
        "pattern",
        "format",
        *_LOWER_BOUNDS,
        *_UPPER_BOUNDS,
    }
)
_ALL_TYPES = frozenset({"null", "boolean", "object", "array", "number", "string", "integer"})


class Side(StrEnum):
    """Which schema of the interface changed."""

    INPUTS = "inputs"
    OUTPUTS = "outputs"


class ChangeKind(StrEnum):
    """Whether a change breaks callers (MAJOR) or only adds (MINOR)."""

    BREAKING = "breaking"
    ADDITIVE = "additive"


class _Effect(Enum):
    """What a keyword change does to the set of accepted values."""

    NARROWS = "narrows"
    WIDENS = "widens"
    BOTH = "both"  # some values lost, others gained
    OPAQUE = "opaque"  # cannot tell: fail closed
    FEATURE = "feature"  # a newly declared property: additive on both sides


@dataclass(frozen=True, slots=True)
class InterfaceChange:
    """One change: breaking or additive, on which side, where (JSON pointer), and why."""

    kind: ChangeKind
    side: Side
    pointer: str
    text: str

    def as_dict(self) -> dict[str, str]:
        """JSON-ready: ``{"kind", "side", "pointer", "text"}``."""
        return {"kind": self.kind, "side": self.side, "pointer": self.pointer, "text": self.text}


@dataclass(frozen=True, slots=True)
class _Raw:
    effect: _Effect
    pointer: str
    text: str


def _kind(side: Side, effect: _Effect) -> ChangeKind:
    if effect is _Effect.FEATURE:
        return ChangeKind.ADDITIVE
    if effect is _Effect.WIDENS:
        return ChangeKind.ADDITIVE if side is Side.INPUTS else ChangeKind.BREAKING
    if effect is _Effect.NARROWS:
        return ChangeKind.BREAKING if side is Side.INPUTS else ChangeKind.ADDITIVE
    return ChangeKind.BREAKING


def diff_schema(old: Any, new: Any, side: Side) -> tuple[InterfaceChange, ...]:
    """Changes from schema ``old`` to ``new`` on ``side``; ``None`` means no schema.

    A schema added where there was none is additive; a schema removed is breaking.
    ``diff_schema(s, s, side)`` is always empty.
    """
    if old is None and new is None:
        return ()
    if old is None:
        return (InterfaceChange(ChangeKind.ADDITIVE, side, "", f"an {side} schema was added"),)
    if new is None:
        text = f"the {side} schema was removed: nothing is promised about them any more"
        return (InterfaceChange(ChangeKind.BREAKING, side, "", text),)
    return tuple(
        InterfaceChange(_kind(side, raw.effect), side, raw.pointer, raw.text)
        for raw in _compare(old, new, "", 0)
    )


def diff_interface(
    old_inputs: Any, old_outputs: Any, new_inputs: Any, new_outputs: Any
) -> tuple[InterfaceChange, ...]:
    """Changes of both sides: inputs first, then outputs (``None`` for an absent schema)."""
    return diff_schema(old_inputs, new_inputs, Side.INPUTS) + diff_schema(
        old_outputs, new_outputs, Side.OUTPUTS
    )


# ---------------------------------------------------------------- the comparison


def _same(a: Any, b: Any) -> bool:
    """JSON equality (``True`` is not ``1``; key order does not matter)."""
    return _canon(a) == _canon(b)


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _show(value: Any, limit: int = 60) -> str:
    text = _canon(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compare(old: Any, new: Any, ptr: str, depth: int) -> Iterator[_Raw]:
    old = {} if old is True else old  # ``true`` and ``{}`` both accept everything
    new = {} if new is True else new
    if _same(old, new):
        return
    where = ptr or "/"
    if new is False:
        yield _Raw(_Effect.NARROWS, ptr, f"{where}: now accepts no value at all")
        return
    if old is False:
        yield _Raw(_Effect.WIDENS, ptr, f"{where}: now accepts values (it accepted none)")
        return
    if not isinstance(old, dict) or not isinstance(new, dict):
        text = f"{where}: the schema is not an object; counted as breaking"
        yield _Raw(_Effect.OPAQUE, ptr, text)
        return
    if depth > MAX_DEPTH:
        text = f"{where}: nested too deeply to compare; counted as breaking"
        yield _Raw(_Effect.OPAQUE, ptr, text)
        return
    yield from _types(old, new, ptr)
    yield from _values(old, new, ptr)
    yield from _required(old, new, ptr)
    yield from _objects(old, new, ptr, depth)
    yield from _bounds(old, new, ptr)
    yield from _strings_and_arrays(old, new, ptr, depth)
    for key in sorted((set(old) | set(new)) - _HANDLED - _ANNOTATIONS):
        if not _same(old.get(key), new.get(key)):
            at = f"{ptr}/{_escape(key)}"
            text = f"{at}: '{key}' changed, which Tank cannot compare soundly; counted as breaking"
            yield _Raw(_Effect.OPAQUE, at, text)


def _type_set(schema: dict[str, Any]) -> frozenset[str] | None:
    value = schema.get("type")
    if value is None:
        return _ALL_TYPES
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    found = set(names)
    if "number" in found:
        found.add("integer")  # every integer is a number
    return frozenset(found)


def _types(old: dict[str, Any], new: dict[str, Any], ptr: str) -> Iterator[_Raw]:
    if _same(old.get("type"), new.get("type")):
        return
    before, after = _type_set(old), _type_set(new)
    at = f"{ptr}/type"
    if before is None or after is None:
        yield _Raw(_Effect.OPAQUE, at, f"{at}: unreadable 'type'; counted as breaking")
        return
    lost, gained = sorted(before - after), sorted(after - before)
    if lost:
        yield _Raw(_Effect.NARROWS, at, f"{at}: no longer allows type {', '.join(lost)}")
    if gained:
        yield _Raw(_Effect.WIDENS, at, f"{at}: now allows type {', '.join(gained)}")


def _values(old: dict[str, Any], new: dict[str, Any], ptr: str) -> Iterator[_Raw]:
    for key in ("enum", "const"):
        if (key in old) == (key in new) and _same(old.get(key), new.get(key)):
            continue
        at = f"{ptr}/{key}"
        if key == "enum" and any(not isinstance(s.get(key, []), list) for s in (old, new)):
            yield _Raw(_Effect.OPAQUE, at, f"{at}: unreadable 'enum'; counted as breaking")
            continue
        if key not in new:
            yield _Raw(_Effect.WIDENS, at, f"{at}: removed, so any value is allowed")
            continue
        if key not in old:
            shown = _show(new[key])
            yield _Raw(_Effect.NARROWS, at, f"{at}: values are now limited to {shown}")
            continue
        before = {_canon(v) for v in (old[key] if key == "enum" else [old[key]])}
        after = {_canon(v) for v in (new[key] if key == "enum" else [new[key]])}
        if lost := sorted(before - after):
            yield _Raw(_Effect.NARROWS, at, f"{at}: value {', '.join(lost)} no longer allowed")
        if gained := sorted(after - before):
            yield _Raw(_Effect.WIDENS, at, f"{at}: value {', '.join(gained)} now allowed")


def _required(old: dict[str, Any], new: dict[str, Any], ptr: str) -> Iterator[_Raw]:
    before, after = old.get("required", []), new.get("required", [])
    if _same(before, after):
        return
    at = f"{ptr}/required"
    if not isinstance(before, list) or not isinstance(after, list):
        yield _Raw(_Effect.OPAQUE, at, f"{at}: unreadable 'required'; counted as breaking")
        return
    for name in sorted(set(map(str, after)) - set(map(str, before))):
        yield _Raw(_Effect.NARROWS, at, f"{at}: property '{name}' is now required")
    for name in sorted(set(map(str, before)) - set(map(str, after))):
        yield _Raw(_Effect.WIDENS, at, f"{at}: property '{name}' is no longer required")


def _objects(old: dict[str, Any], new: dict[str, Any], ptr: str, depth: int) -> Iterator[_Raw]:
    keys = ("properties", "additionalProperties", "patternProperties")
    if all(_same(old.get(k), new.get(k)) for k in keys):
        return
    if old.get("patternProperties") or new.get("patternProperties"):
        yield _Raw(
            _Effect.OPAQUE,
            f"{ptr}/properties",
            f"{ptr}/properties: properties changed next to 'patternProperties', which Tank "
            "cannot compare soundly; counted as breaking",
        )
        return
    before, after = old.get("properties", {}), new.get("properties", {})
    if not isinstance(before, dict) or not isinstance(after, dict):
        at = f"{ptr}/properties"
        yield _Raw(_Effect.OPAQUE, at, f"{at}: unreadable 'properties'; counted as breaking")
        return
    old_rest = old.get("additionalProperties", True)
    new_rest = new.get("additionalProperties", True)
    for name in sorted(set(before) | set(after)):
        at = f"{ptr}/properties/{_escape(name)}"
        if name in before and name in after:
            yield from _compare(before[name], after[name], at, depth + 1)
        elif name in after:
            yield from _added_property(name, old_rest, after[name], at, depth)
        elif new_rest is True or new_rest == {}:
            text = f"{at}: property '{name}' is no longer declared, so any value is allowed"
            yield _Raw(_Effect.WIDENS, at, text)
        elif new_rest is False:
            text = f"{at}: property '{name}' was removed and other properties are not allowed"
            yield _Raw(_Effect.NARROWS, at, text)
        else:
            yield from _compare(before[name], new_rest, at, depth + 1)
    yield from _compare(old_rest, new_rest, f"{ptr}/additionalProperties", depth + 1)


def _added_property(name: str, old_rest: Any, schema: Any, at: str, depth: int) -> Iterator[_Raw]:
    if old_rest is True or old_rest == {}:
        yield _Raw(_Effect.FEATURE, at, f"{at}: new property '{name}'")
    elif old_rest is False:
        text = f"{at}: new property '{name}' (other properties were not allowed before)"
        yield _Raw(_Effect.WIDENS, at, text)
    else:
        yield from _compare(old_rest, schema, at, depth + 1)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _bounds(old: dict[str, Any], new: dict[str, Any], ptr: str) -> Iterator[_Raw]:
    for key in (*_LOWER_BOUNDS, *_UPPER_BOUNDS):
        if _same(old.get(key), new.get(key)):
            continue
        at = f"{ptr}/{key}"
        lower = key in _LOWER_BOUNDS
        missing = -math.inf if lower else math.inf
        before = _number(old.get(key, missing))
        after = _number(new.get(key, missing))
        if before is None or after is None:
            yield _Raw(_Effect.OPAQUE, at, f"{at}: unreadable '{key}'; counted as breaking")
            continue
        tighter = after > before if lower else after < before
        shown = f"{_show(old.get(key, 'none'))} → {_show(new.get(key, 'none'))}"
        if tighter:
            yield _Raw(_Effect.NARROWS, at, f"{at}: tightened ({shown})")
        else:
            yield _Raw(_Effect.WIDENS, at, f"{at}: relaxed ({shown})")
    yield from _multiple_of(old, new, ptr)


def _fraction(value: Any) -> Fraction | None:
    number = _number(value)
    if number is None or number <= 0 or not math.isfinite(number):
        return None
    return Fraction(str(value))


def _multiple_of(old: dict[str, Any], new: dict[str, Any], ptr: str) -> Iterator[_Raw]:
    if _same(old.get("multipleOf"), new.get("multipleOf")):
        return
    at = f"{ptr}/multipleOf"
    if "multipleOf" not in new:
        yield _Raw(_Effect.WIDENS, at, f"{at}: removed")
        return
    after = _fraction(new["multipleOf"])
    before = _fraction(old["multipleOf"]) if "multipleOf" in old else None
    if after is None or ("multipleOf" in old and before is None):
        yield _Raw(_Effect.OPAQUE, at, f"{at}: unreadable 'multipleOf'; counted as breaking")
        return
    shown = f"{_show(old.get('multipleOf', 'none'))} → {_show(new['multipleOf'])}"
    if before is None:
        yield _Raw(_Effect.NARROWS, at, f"{at}: added ({shown})")
    elif (before / after).denominator == 1:  # every old multiple is a new one
        yield _Raw(_Effect.WIDENS, at, f"{at}: relaxed ({shown})")
    elif (after / before).denominator == 1:
        yield _Raw(_Effect.NARROWS, at, f"{at}: tightened ({shown})")
    else:
        yield _Raw(_Effect.BOTH, at, f"{at}: changed ({shown})")


def _strings_and_arrays(
    old: dict[str, Any], new: dict[str, Any], ptr: str, depth: int
) -> Iterator[_Raw]:
    for key in ("pattern", "format"):
        if _same(old.get(key), new.get(key)):
            continue
        at = f"{ptr}/{key}"
        if key not in old:
            yield _Raw(_Effect.NARROWS, at, f"{at}: added ({_show(new[key])})")
        elif key not in new:
            yield _Raw(_Effect.WIDENS, at, f"{at}: removed (was {_show(old[key])})")
        else:
            text = f"{at}: changed ({_show(old[key])} → {_show(new[key])}); Tank cannot compare"
            yield _Raw(_Effect.BOTH, at, f"{text} them, so it counts as breaking")
    if not _same(old.get("uniqueItems", False), new.get("uniqueItems", False)):
        at = f"{ptr}/uniqueItems"
        if new.get("uniqueItems") is True:
            yield _Raw(_Effect.NARROWS, at, f"{at}: items must now be unique")
        else:
            yield _Raw(_Effect.WIDENS, at, f"{at}: items no longer need to be unique")
    before, after = old.get("items", True), new.get("items", True)
    if not _same(before, after):
        at = f"{ptr}/items"
        if isinstance(before, list) or isinstance(after, list):
            text = (
                f"{at}: tuple-form 'items' changed, which Tank cannot compare; counted as breaking"
            )
            yield _Raw(_Effect.OPAQUE, at, text)
        else:
            yield from _compare(before, after, at, depth + 1)
