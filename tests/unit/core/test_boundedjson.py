"""Outside JSON is read within bounds: depth, size and number length, before any parsing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tank.core import boundedjson, jsonpos
from tank.core.errors import ValidationError
from tank.core.lockfile import parse_lockfile
from tank.core.manifest import parse_manifest
from tests.bounded import memory_cap, run_bounded


@pytest.fixture(autouse=True)
def _capped() -> Iterator[None]:
    """Before the fix these inputs grew the process by gigabytes: fail, do not swap."""
    with memory_cap(512):
        yield


def nested(depth: int) -> str:
    """``{"a":{"a":...1...}}``, ``depth`` objects deep (the 1 KiB tarball of the issue)."""
    return '{"a":' * depth + "1" + "}" * depth


def test_depth_limit_is_exact() -> None:
    assert boundedjson.loads(nested(boundedjson.MAX_DEPTH), max_bytes=1 << 20) is not None
    with pytest.raises(boundedjson.JsonRefused) as refused:
        boundedjson.loads(nested(boundedjson.MAX_DEPTH + 1), max_bytes=1 << 20)
    assert refused.value.kind == "too_deep"
    assert (refused.value.lineno, refused.value.colno) == (1, 5 * boundedjson.MAX_DEPTH + 1)


def test_brackets_and_digits_inside_strings_do_not_count() -> None:
    text = json.dumps({"a": "[" * 1000 + "{" * 1000, "b": "1" * 5000, "c": 'x\\"[[['})
    assert boundedjson.loads(text, max_bytes=1 << 20)["b"] == "1" * 5000


def test_size_limit() -> None:
    with pytest.raises(boundedjson.JsonRefused) as refused:
        boundedjson.loads(b'"' + b"x" * 100 + b'"', max_bytes=50)
    assert refused.value.kind == "too_large"


def test_refusal_is_a_value_error_like_broken_json() -> None:
    # Callers that already handle broken JSON (``except ValueError``) handle refusals too.
    with pytest.raises(ValueError):
        boundedjson.loads(nested(100_000), max_bytes=1 << 20)


def test_manifest_too_deep_is_a_problem_not_a_crash() -> None:
    start = time.process_time()
    manifest, report = parse_manifest(nested(100_000))
    assert time.process_time() - start < 2
    assert manifest is None
    (problem,) = report.problems
    assert problem.code == "manifest.json.too_deep"
    assert problem.location is not None and problem.location.line == 1
    assert problem.hint and "Flatten" in problem.hint


def test_manifest_huge_integer_is_a_problem() -> None:
    manifest, report = parse_manifest('{"name": "x",\n "version": ' + "1" * 5000 + "}")
    assert manifest is None
    (problem,) = report.problems
    assert problem.code == "manifest.json.number_too_long"
    assert problem.location is not None and problem.location.line == 2
    assert "5000 characters" in problem.message


def test_manifest_too_large() -> None:
    big = json.dumps({"name": "x", "description": "x" * boundedjson.MANIFEST_MAX_BYTES})
    manifest, report = parse_manifest(big.encode())
    assert manifest is None and [p.code for p in report.problems] == ["manifest.json.too_large"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (nested(100_000), "lock.json.too_deep"),
        ('{"lockfileVersion": ' + "9" * 5000 + "}", "lock.json.number_too_long"),
        ("{", "lock.json.invalid"),
    ],
)
def test_lockfile_refusals_are_validation_errors(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_lockfile(text, file="proj/skills.lock")
    assert error.value.code == code
    assert error.value.location is not None and error.value.location.file == "proj/skills.lock"
    assert error.value.hint


def test_key_lines_is_linear_on_deep_text() -> None:
    # Before: a path tuple copied per level, quadratic (depth 12,000 took 4 s and 1.1 GiB).
    result = run_bounded(
        """
        import time
        from tank.core import jsonpos
        text = '{"a":' * 100_000 + '1' + '}' * 100_000
        start = time.process_time()
        lines = jsonpos.key_lines(text)
        took = time.process_time() - start
        deepest = ('a',) * 100_000
        assert jsonpos.locate(lines, deepest) == (1, 5 * 99_999 + 2), jsonpos.locate(lines, deepest)
        print(round(took, 3))
        """,
        seconds=60,
        mib=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert float(result.stdout) < 5


def test_key_lines_still_maps_paths() -> None:
    # The expected maps are what the quadratic version gave.
    text = '{\n  "a": [1, {"b": 2}],\n  "c": {"d": [3]}\n}'
    assert dict(jsonpos.key_lines(text)) == {
        ("a",): (2, 3), ("a", 0): (2, 9), ("a", 1): (2, 12), ("a", 1, "b"): (2, 13),
        ("c",): (3, 3), ("c", "d"): (3, 9), ("c", "d", 0): (3, 15),
    }  # fmt: skip
    lines = jsonpos.key_lines(text)
    assert jsonpos.locate(lines, ("c", "d", 0)) == (3, 15)
    assert jsonpos.locate(lines, ("c", "x", 5)) == (3, 3)
    assert jsonpos.locate(lines, ("zzz",)) is None
    assert dict(jsonpos.key_lines("[[1,2],[3]]")) == {
        (0,): (1, 2), (0, 0): (1, 3), (0, 1): (1, 5), (1,): (1, 8), (1, 0): (1, 9),
    }  # fmt: skip
    # a duplicated key: the first occurrence wins, members of both are found
    assert dict(jsonpos.key_lines('{"a":{"b":1},"a":{"c":2}}')) == {
        ("a",): (1, 2), ("a", "b"): (1, 7), ("a", "c"): (1, 19),
    }  # fmt: skip
