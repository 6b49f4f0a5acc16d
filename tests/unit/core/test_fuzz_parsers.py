"""Fuzz every parser of outside input with deep, wide and huge JSON and YAML.

skills.json, skills.lock, SKILL.md frontmatter and a JSON API body must each answer a clean
error (the project's own error types, or a 4xx) within a time bound (hypothesis' deadline) and
under an address-space cap (:func:`tests.bounded.memory_cap`): never a RecursionError, a
ValueError from Python's int limits, or gigabytes of memory.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tank.core.errors import TankError
from tank.core.frontmatter import read_frontmatter
from tank.core.lockfile import parse_lockfile
from tank.core.manifest import parse_manifest
from tank.core.skillmd import Mode, parse_skill_md
from tests.bounded import memory_cap

FUZZ = settings(
    max_examples=25,
    deadline=3000,  # ms per example: every input here is refused or read in linear time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def deep_json(draw: st.DrawFn) -> str:
    """Objects and arrays nested up to 200,000 deep, closed or not, around a value."""
    depth = draw(st.integers(0, 200_000))
    opener = draw(st.sampled_from(['{"a":', "[", '{"skills":', '{"a":[']))
    closer = {'{"a":': "}", "[": "]", '{"skills":': "}", '{"a":[': "]}"}[opener]
    inner = draw(st.sampled_from(["1", '"x"', "{}", "[]", "null", "9" * 5000]))
    closed = draw(st.booleans())
    return opener * depth + inner + (closer * depth if closed else "")


@st.composite
def wide_json(draw: st.DrawFn) -> str:
    """One object or array with up to 50,000 members, possibly with duplicate keys."""
    width = draw(st.integers(0, 50_000))
    if draw(st.booleans()):
        key = draw(st.sampled_from(['"k{i}"', '"k"', '"{i}"']))
        members = ",".join(f"{key.format(i=i)}:{i}" for i in range(width))
        return "{" + members + "}"
    return "[" + ",".join("0" for _ in range(width)) + "]"


@st.composite
def huge_json(draw: st.DrawFn) -> str:
    """Huge values: long strings (also with escapes), long numbers, a file past the limits."""
    size = draw(st.integers(1, 3_000_000))
    kind = draw(st.sampled_from(["string", "escapes", "digits", "fraction", "exponent", "keys"]))
    if kind == "string":
        return '{"name": "' + "x" * size + '"}'
    if kind == "escapes":
        return '{"name": "' + '\\u0000\\"' * (size // 8) + '"}'
    if kind == "digits":
        return '{"version": ' + "7" * min(size, 200_000) + "}"
    if kind == "fraction":
        return '{"version": 0.' + "1" * min(size, 200_000) + "}"
    if kind == "exponent":
        return '{"version": 1e' + "9" * min(size, 200_000) + "}"
    return "{" + ",".join(f'"{"k" * 50}{i}": {{}}' for i in range(size // 60)) + "}"


def any_json() -> st.SearchStrategy[str]:
    return st.one_of(deep_json(), wide_json(), huge_json())


@FUZZ
@given(text=any_json(), as_bytes=st.booleans())
def test_skills_json_parser(text: str, as_bytes: bool) -> None:
    with memory_cap(768):
        manifest, report = parse_manifest(text.encode() if as_bytes else text)
    # Never an exception; a manifest only when nothing is wrong.
    assert (manifest is None) == (not report.ok)
    assert all(p.code and p.message for p in report.problems)


@FUZZ
@given(text=any_json())
def test_skills_lock_parser(text: str) -> None:
    with memory_cap(768):
        try:
            parse_lockfile(text)
        except TankError as error:
            assert error.code.startswith("lock.") or error.problems
        else:
            pytest.fail("a fuzzed lockfile was accepted")


@st.composite
def hostile_yaml(draw: st.DrawFn) -> str:
    """Frontmatter nested deep (flow and block), wide, huge, with aliases or bad values."""
    n = draw(st.integers(1, 100_000))
    kind = draw(st.sampled_from(["flow", "block", "wide", "huge", "alias", "int", "date", "mixed"]))
    if kind == "flow":
        body = "metadata: " + draw(st.sampled_from(["[", "{a: ", "[{a: "])) * n
    elif kind == "block":
        body = "metadata:\n" + "".join(" " * i + "- \n" for i in range(1, min(n, 3000)))
    elif kind == "wide":
        body = "metadata:\n" + "".join(f"  k{i}: v\n" for i in range(min(n, 20_000)))
    elif kind == "huge":
        body = "description: " + "x" * (n * 10)
    elif kind == "alias":
        pairs = zip("abcdefgh", "bcdefghi", strict=True)
        body = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in pairs
        )
    elif kind == "int":
        body = "metadata:\n  v: " + "1" * min(n, 60_000)
    elif kind == "date":
        bad_date = draw(st.sampled_from(["2001-13-45", "0000-01-01", "9999-99-99"]))
        body = "metadata:\n  v: " + bad_date
    else:
        body = draw(st.text(alphabet="[]{}:-&*! \n#'\"|>ab1", max_size=2000))
    return f"---\nname: fuzz\ndescription: d\n{body}\n---\n\nBody.\n"


@FUZZ
@given(text=hostile_yaml(), mode=st.sampled_from(Mode))
@example(text="---\nname: a\ndescription: d\nx: 2001-13-45\n---\n", mode=Mode.STRICT)
@example(text="---\nname: a\ndescription: " + "1" * 5000 + "\n---\n", mode=Mode.LENIENT)
def test_skill_md_frontmatter_parser(text: str, mode: Mode) -> None:
    with memory_cap(768):
        front, _problems = read_frontmatter(text, lenient=mode is Mode.LENIENT)
        doc, report = parse_skill_md(text, mode=mode)
    assert front.present
    assert all(p.code.startswith("skillmd.") for p in report.problems)
    assert doc is not None or not report.ok or mode is Mode.LENIENT


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> Iterator[object]:
    """The registry application in process, on a copy of the migrated SQLite template."""
    from fastapi.testclient import TestClient

    from tank.server.app import create_app
    from tank.server.settings import load_settings

    folder = tmp_path_factory.mktemp("fuzz-registry")
    shutil.copyfile(_sqlite_template, folder / "registry.db")
    url = f"sqlite:///{folder / 'registry.db'}"
    app = create_app(load_settings(None, database_url=url, storage=folder / "blobs"))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@FUZZ
@given(text=any_json(), route=st.sampled_from(["/v1/tokens", "/v1/status"]))
def test_json_api_bodies(api: object, text: str, route: str) -> None:
    from fastapi.testclient import TestClient

    assert isinstance(api, TestClient)
    with memory_cap(1024):
        answer = api.post(route, content=text, headers={"content-type": "application/json"})
    assert 400 <= answer.status_code < 500, answer.text[:500]
    assert set(answer.json()["error"]) >= {"code", "message"}
