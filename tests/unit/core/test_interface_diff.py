"""Interface schema diffs: narrowing and widening on each side, fail-closed constructs, and a
property test against a real JSON Schema validator."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tank.core.interface_diff import ChangeKind, Side, diff_interface, diff_schema

OBJ: dict[str, Any] = {
    "type": "object",
    "properties": {"path": {"type": "string"}, "pages": {"type": "integer", "minimum": 1}},
    "required": ["path"],
}


def kinds(old: Any, new: Any, side: Side) -> list[str]:
    return [str(c.kind) for c in diff_schema(old, new, side)]


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


@pytest.mark.parametrize("schema", [None, True, False, {}, OBJ, {"$ref": "#/$defs/x"}])
@pytest.mark.parametrize("side", list(Side))
def test_a_schema_equals_itself(schema: Any, side: Side) -> None:
    assert diff_schema(schema, schema, side) == ()


def test_true_and_empty_schema_are_the_same() -> None:
    assert diff_schema(True, {}, Side.INPUTS) == ()
    assert diff_schema({"description": "x"}, {"title": "y"}, Side.OUTPUTS) == ()


@pytest.mark.parametrize(
    ("new", "what"),
    [
        (with_(OBJ, required=["path", "pages"]), "property 'pages' is now required"),
        (with_(OBJ, additionalProperties=False), "now accepts no value"),
        (
            with_(OBJ, properties={"path": {"type": "string", "maxLength": 10}, "pages": {}}),
            "maxLength: tightened",
        ),
        (
            with_(
                OBJ, properties={**OBJ["properties"], "pages": {"type": "integer", "minimum": 2}}
            ),
            "minimum: tightened (1 → 2)",
        ),
        (
            with_(
                OBJ, properties={**OBJ["properties"], "path": {"type": "string", "pattern": "x"}}
            ),
            "pattern: added",
        ),
        (with_(OBJ, type="array"), "no longer allows type object"),
    ],
)
def test_narrowing_inputs_is_breaking_and_narrowing_outputs_additive(new: Any, what: str) -> None:
    inputs = diff_schema(OBJ, new, Side.INPUTS)
    assert any(c.kind is ChangeKind.BREAKING and what in c.text for c in inputs), inputs
    outputs = diff_schema(OBJ, new, Side.OUTPUTS)
    assert any(what in c.text for c in outputs)
    assert all(c.side is Side.OUTPUTS for c in outputs)


def test_removed_enum_value_breaks_inputs_new_enum_value_breaks_outputs() -> None:
    old = {"type": "string", "enum": ["pdf", "png"]}
    fewer = {"type": "string", "enum": ["pdf"]}
    more = {"type": "string", "enum": ["pdf", "png", "svg"]}
    assert kinds(old, fewer, Side.INPUTS) == ["breaking"]
    assert kinds(old, fewer, Side.OUTPUTS) == ["additive"]
    assert kinds(old, more, Side.INPUTS) == ["additive"]
    assert kinds(old, more, Side.OUTPUTS) == ["breaking"]
    (change,) = diff_schema(old, more, Side.OUTPUTS)
    assert change.pointer == "/enum" and '"svg"' in change.text


def test_widened_type_breaks_outputs_only() -> None:
    old, new = {"type": "integer"}, {"type": ["integer", "string"]}
    assert kinds(old, new, Side.INPUTS) == ["additive"]
    assert kinds(old, new, Side.OUTPUTS) == ["breaking"]
    # integer → number widens; number → integer narrows
    assert kinds({"type": "integer"}, {"type": "number"}, Side.INPUTS) == ["additive"]
    assert kinds({"type": "number"}, {"type": "integer"}, Side.INPUTS) == ["breaking"]


def test_new_optional_property_is_additive_on_both_sides() -> None:
    new = with_(OBJ, properties={**OBJ["properties"], "dpi": {"type": "integer"}})
    for side in Side:
        (change,) = diff_schema(OBJ, new, side)
        assert change.kind is ChangeKind.ADDITIVE
        assert change.pointer == "/properties/dpi" and "new property 'dpi'" in change.text


def test_removed_property_in_a_closed_object_breaks_inputs() -> None:
    closed = with_(OBJ, additionalProperties=False)
    new = with_(closed, properties={"path": {"type": "string"}})
    assert "breaking" in kinds(closed, new, Side.INPUTS)
    # in an open object the removed property may now be anything: outputs break
    open_new = with_(OBJ, properties={"path": {"type": "string"}})
    assert kinds(OBJ, open_new, Side.INPUTS) == ["additive"]
    assert kinds(OBJ, open_new, Side.OUTPUTS) == ["breaking"]


def test_removed_required_output_property_is_breaking() -> None:
    new = with_(OBJ, required=[])
    assert kinds(OBJ, new, Side.OUTPUTS) == ["breaking"]
    assert kinds(OBJ, new, Side.INPUTS) == ["additive"]


def test_bounds_and_multiple_of() -> None:
    assert kinds({"maxItems": 5}, {"maxItems": 3}, Side.INPUTS) == ["breaking"]
    assert kinds({"maxItems": 5}, {}, Side.INPUTS) == ["additive"]
    assert kinds({"minLength": 2}, {"minLength": 1}, Side.OUTPUTS) == ["breaking"]
    assert kinds({"multipleOf": 2}, {"multipleOf": 4}, Side.INPUTS) == ["breaking"]
    assert kinds({"multipleOf": 4}, {"multipleOf": 2}, Side.INPUTS) == ["additive"]
    assert kinds({"multipleOf": 0.5}, {"multipleOf": 0.25}, Side.INPUTS) == ["additive"]
    assert kinds({"multipleOf": 2}, {"multipleOf": 3}, Side.INPUTS) == ["breaking"]
    assert kinds({"multipleOf": 2}, {"multipleOf": 3}, Side.OUTPUTS) == ["breaking"]


def test_items_are_compared_recursively() -> None:
    old = {"type": "array", "items": {"type": "string"}}
    new = {"type": "array", "items": {"type": ["string", "null"]}}
    (change,) = diff_schema(old, new, Side.OUTPUTS)
    assert change.kind is ChangeKind.BREAKING and change.pointer == "/items/type"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"$ref": "#/$defs/a"}, {"$ref": "#/$defs/b"}),
        ({"anyOf": [{"type": "string"}]}, {"anyOf": [{"type": "string"}, {"type": "null"}]}),
        ({"oneOf": [{"type": "string"}]}, {}),
        ({}, {"not": {"type": "string"}}),
        ({"if": {"type": "string"}, "then": {"minLength": 1}}, {"if": {"type": "string"}}),
        ({"$defs": {"a": {"type": "string"}}}, {"$defs": {"a": {"type": "integer"}}}),
        ({"x-vendor": 1}, {"x-vendor": 2}),
        ({"patternProperties": {"^a": {}}}, {"patternProperties": {"^b": {}}}),
    ],
)
@pytest.mark.parametrize("side", list(Side))
def test_constructs_that_cannot_be_compared_fail_closed(old: Any, new: Any, side: Side) -> None:
    changes = diff_schema(old, new, side)
    assert changes and all(c.kind is ChangeKind.BREAKING for c in changes)
    assert any("cannot compare" in c.text for c in changes)


def test_pointers_escape_property_names() -> None:
    old = {"properties": {"a/b~c": {"type": "string"}}}
    new = {"properties": {"a/b~c": {"type": "integer"}}}
    assert {c.pointer for c in diff_schema(old, new, Side.INPUTS)} == {"/properties/a~1b~0c/type"}


def test_schema_added_or_removed() -> None:
    assert kinds(None, OBJ, Side.INPUTS) == ["additive"]
    assert kinds(OBJ, None, Side.INPUTS) == ["breaking"]
    assert kinds(OBJ, None, Side.OUTPUTS) == ["breaking"]
    both = diff_interface(None, OBJ, OBJ, OBJ)
    assert [(c.side, c.kind) for c in both] == [(Side.INPUTS, ChangeKind.ADDITIVE)]


def test_const_null_is_not_the_same_as_no_const() -> None:
    assert kinds({}, {"const": None}, Side.INPUTS) == ["breaking"]


def test_deep_nesting_fails_closed() -> None:
    old: Any = {"type": "string"}
    new: Any = {"type": "integer"}
    for _ in range(60):
        old, new = {"items": old}, {"items": new}
    changes = diff_schema(old, new, Side.INPUTS)
    assert changes and "nested too deeply" in changes[0].text


# ---------------------------------------------------------------- soundness against jsonschema

_TYPES = ["string", "integer", "number", "boolean", "null", "object", "array"]
_leaf = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(_TYPES) | st.lists(st.sampled_from(_TYPES), min_size=1, max_size=3),
        "enum": st.lists(st.sampled_from([0, 1, 2, "a", "b", None, True]), min_size=1, max_size=4),
        "minimum": st.integers(-2, 2),
        "maximum": st.integers(-2, 2),
        "minLength": st.integers(0, 2),
        "maxLength": st.integers(0, 2),
        "multipleOf": st.sampled_from([1, 2, 3, 0.5]),
    },
)
_NAMES = ["a", "b"]
_schemas = st.recursive(
    _leaf,
    lambda inner: (
        st.fixed_dictionaries(
            {"type": st.just("object"), "additionalProperties": st.just(False) | inner},
            optional={
                "properties": st.dictionaries(st.sampled_from(_NAMES), inner, max_size=2),
                "required": st.lists(st.sampled_from(_NAMES), unique=True, max_size=2),
            },
        )
        | st.fixed_dictionaries({"type": st.just("array")}, optional={"items": inner})
    ),
    max_leaves=4,
)
_values = st.recursive(
    st.sampled_from([0, 1, 2, -1, 1.5, "", "a", "ab", "abc", None, True, False]),
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(st.sampled_from([*_NAMES, "c"]), inner, max_size=2)
    ),
    max_leaves=4,
)


@settings(max_examples=300, deadline=None)
@given(_schemas, _schemas, st.lists(_values, min_size=1, max_size=8))
def test_no_breaking_change_means_no_value_is_lost(old: Any, new: Any, samples: Any) -> None:
    """Inputs: no breaking change ⇒ everything old accepted, new accepts. Outputs: no
    breaking change ⇒ everything new may return, old promised.

    The one deliberate exception: declaring a new property in an open object is additive
    (the product brief's rule) although a caller may have sent it undeclared before.
    """
    old_ok, new_ok = Draft202012Validator(old), Draft202012Validator(new)
    inputs = diff_schema(old, new, Side.INPUTS)
    declared = any(c.text.endswith(f"new property '{n}'") for c in inputs for n in _NAMES)
    if not declared and not any(c.kind is ChangeKind.BREAKING for c in inputs):
        for value in samples:
            assert not old_ok.is_valid(value) or new_ok.is_valid(value), value
    if not any(c.kind is ChangeKind.BREAKING for c in diff_schema(old, new, Side.OUTPUTS)):
        for value in samples:
            assert not new_ok.is_valid(value) or old_ok.is_valid(value), value
