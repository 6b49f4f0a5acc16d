"""Constant folding of Python string building: what each construct folds to, and the bounds
that keep a hostile file from blowing the folder up."""

from __future__ import annotations

import ast
import itertools
import resource
import time

import pytest

from tank.scanner.analyzers.python_fold import MAX_LEN, Folder
from tank.scanner.analyzers.python_values import HOLE


def _fold(source: str, name: str = "X") -> list[str]:
    """What the values assigned to ``name`` (anywhere in ``source``) fold to."""
    tree = ast.parse(source)
    folder = Folder(tree)
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            out.update(folder.strings(node.value))
    return sorted(out)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "import os\nX = os.path.join(os.path.expanduser('~'), '.aws', 'credentials')",
            "~/.aws/credentials",
        ),
        ("from pathlib import Path\nX = Path.home() / '.ssh' / 'id_rsa'", "~/.ssh/id_rsa"),
        ("import os\nX = os.environ['HOME'] + '/.netrc'", "~/.netrc"),
        ("H = '~'\nX = f'{H}/.kube/config'", "~/.kube/config"),
        ("X = '%s/%s' % ('~', '.pypirc')", "~/.pypirc"),
        ("X = '{}/{}'.format('~', '.npmrc')", "~/.npmrc"),
        ("X = 'a,~/.b'.split(',')[1]", "~/.b"),
        ("X = 'a b'.split()[1]", "b"),
        (
            "import os\nX = os.environ.get('P', '~/.kube/config').split(os.pathsep)[0]",
            "~/.kube/config",
        ),
        ("from pathlib import Path\nX = (Path.home() / '.tool').__str__()", "~/.tool"),
        ("X = ''.join(['s', 'y', 's', 'tem'])", "system"),
        ("X = ''.join(chr(c) for c in [111, 115])", "os"),
        ("X = bytes([111, 115]).decode()", "os"),
        ("X = bytes.fromhex('6f73').decode()", "os"),
        ("import base64\nX = base64.b64decode('aHR0cHM6Ly94Lmlv').decode()", "https://x.io"),
        ("X = 'metsys'[::-1]", "system"),
        ("X = 'sy_s_tem'.replace('_', '')", "system"),
        ("import codecs\nX = codecs.decode('flfgrz', 'rot13')", "system"),
        ("def home():\n    return '~'\nX = home() + '/.git-credentials'", "~/.git-credentials"),
        ("_m = lambda *p: ''.join(p)\nX = _m('__im', 'port__')", "__import__"),
        ("X = ''.join(map(chr, [104, 116, 116, 112]))", "http"),
        ("X = ''.join(reversed('cexe'))", "exec"),
        # a parameter holds what the module's call sites pass
        ("def p(rel):\n    X = '~/' + rel\np('.docker/config.json')", "~/.docker/config.json"),
    ],
)
def test_folds(source: str, expected: str) -> None:
    assert expected in _fold(source)


def test_loop_variables_hold_every_element() -> None:
    source = "for rel in ('.ssh', '.gnupg'):\n    X = '~/' + rel\n"
    assert _fold(source) == ["~/.gnupg", "~/.ssh"]


def test_run_time_parts_are_holes_not_guesses() -> None:
    assert _fold("def f(name):\n    X = f'load_{name}'\n") == [f"load_{HOLE}"]
    assert _fold("import sys\nX = sys.argv[1]\n") == []


def test_cycles_have_no_value() -> None:
    # X is 'a' or X + X: the cycle adds nothing, and folding stops
    assert "a" in _fold("X = 'a'\nX = X + X\n")


def test_doubling_stops_at_the_length_bound() -> None:
    lines = ["A0 = 'abcdefgh'"] + [f"A{i} = A{i - 1} + A{i - 1}" for i in range(1, 40)]
    tree = ast.parse("\n".join(lines))
    started = time.process_time()
    values = Folder(tree).value_strings("A39")
    assert values == []  # 8 * 2**39 characters: past MAX_LEN, unknown
    assert all(len(v) <= MAX_LEN for v in Folder(tree).value_strings("A9"))
    assert time.process_time() - started < 2


def test_a_hostile_file_folds_in_bounded_time_and_memory() -> None:
    # Many names, each bound many times to joins of the others: choices and steps are capped.
    names = [f"N{i}" for i in range(200)]
    lines = [f"{n} = '{n}'" for n in names]
    lines += [f"{a} = {a} + {b} + '/' + {b}" for a, b in itertools.pairwise(names)]
    tree = ast.parse("\n".join(lines))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, hard))
    try:
        started = time.process_time()
        folder = Folder(tree)
        for name in names:
            folder.value_strings(name)
        assert time.process_time() - started < 5
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
