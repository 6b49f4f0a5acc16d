"""Constant folding of JavaScript string building (js_fold): what a value is at run time,
within bounds."""

from __future__ import annotations

import resource
import time

import pytest

from tank.scanner.analyzers.js_fold import HOLE, MAX_ALTERNATIVES, Folder, complete
from tank.scanner.analyzers.js_tree import parse_js, walk


def _fold(source: str, name: str = "x.js") -> list[str]:
    """The folded values of the last ``probe(…)`` argument in ``source``."""
    root = parse_js(name, source).root
    folder = Folder(root, path_names={"path"}, path_functions={"join"})
    probes = [
        n
        for n in walk(root)
        if n.type == "call_expression" and n.text is not None and n.text.startswith(b"probe(")
    ]
    args = probes[-1].child_by_field_name("arguments")
    assert args is not None
    return folder.strings(args.named_children[0])


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("probe('child' + '_' + 'process');", "child_process"),
        ("const a = 'ev'; const b = `${a}al`; probe(b);", "eval"),
        ("probe(String.fromCharCode(102, 115));", "fs"),
        ("probe(['p', 'r', 'o', 'c'].join(''));", "proc"),
        ("probe('ssecorp_dlihc'.split('').reverse().join(''));", "child_process"),
        ("probe(['a', 'b'].reverse().join('-'));", "b-a"),
        ("probe(Buffer.from('aHR0cHM6Ly94Lnk=', 'base64').toString());", "https://x.y"),
        ("probe(Buffer.from('6869', 'hex').toString('utf8'));", "hi"),
        ("probe(atob('ZXZhbA=='));", "eval"),
        ("probe(path.join(os.homedir(), '.aws', 'credentials'));", "~/.aws/credentials"),
        ("probe(process.env.HOME + '/.netrc');", "~/.netrc"),
        ("probe(process.env['USERPROFILE'] + '/.ssh/id_rsa');", "~/.ssh/id_rsa"),
        ("probe(new URL('https://h.example.net/a/b').host);", "h.example.net"),
        # a tagged template whose tag joins its parts
        (
            "const t = (s, ...v) => s.raw.map((x, i) => x + (v[i] ?? '')).join('');\n"
            "const seg = ['T1', 'B2'];\nprobe(t`https://hooks.slack.com/services/${seg[0]}/${seg[1]}`);",
            "https://hooks.slack.com/services/T1/B2",
        ),
        ("probe(String.raw`a${'b'}c`);", "abc"),
        # the return value of the file's own function, with a rest parameter
        ("const s = (...c) => String.fromCharCode(...c);\nprobe(s(110, 101, 116));", "net"),
        ("function host() { return 'col' + 'lect.io'; }\nprobe(host());", "collect.io"),
        ("probe(('a' + 'b').toUpperCase());", "AB"),
    ],
)
def test_string_building_folds(source: str, expected: str) -> None:
    assert expected in _fold(source)


def test_a_parameter_takes_the_argument_of_every_call() -> None:
    source = (
        "function grab(r) { probe(path.join(os.homedir(), r)); }\n"
        "grab('.git-credentials'); grab('.bash_history');\n"
    )
    assert set(_fold(source)) >= {"~/.git-credentials", "~/.bash_history"}


def test_loop_items_and_callback_items_are_alternatives() -> None:
    assert set(_fold("for (const f of ['CLAUDE.md', 'AGENTS.md']) probe(f);")) == {
        "CLAUDE.md",
        "AGENTS.md",
    }
    assert "~/.npmrc" in _fold(
        "const files = [path.join(os.homedir(), '.npmrc'), 'x'];\nfiles.map(f => probe(f));"
    )


def test_unknown_parts_are_holes_and_typescript_folds() -> None:
    (value,) = _fold("probe('./locales/' + lang + '.json');")
    assert value == f"./locales/{HOLE}.json" and not complete(value)
    assert _fold("const k: string = 'a' as string;\nprobe(k + 'b');", "x.ts") == ["ab"]


def test_folding_is_bounded_on_hostile_input() -> None:
    # 2^40 alternatives if unbounded; a self-referencing variable; a deep chain of names.
    chain = "\n".join(f"const v{i} = v{i - 1} + v{i - 1};" for i in range(1, 40))
    source = f"let a = 'x'; a = a + a;\nconst v0 = cond ? 'a' : 'b';\n{chain}\nprobe(v39 + a);\n"
    limit = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, limit[1]))
    try:
        started = time.process_time()
        values = _fold(source)
        assert time.process_time() - started < 2.0
    finally:
        resource.setrlimit(resource.RLIMIT_AS, limit)
    assert len(values) <= MAX_ALTERNATIVES
    assert all(len(v) <= 4096 for v in values)


def test_an_unknown_left_of_a_default_is_kept_as_a_hole() -> None:
    # ``process.env.REGION ?? 'eu'`` is 'eu' or whatever the environment says
    from tank.scanner.analyzers.js_fold import Folder as JsFolder
    from tank.scanner.analyzers.js_tree import parse_js, query_nodes
    from tank.scanner.analyzers.js_values import HOLE

    parsed = parse_js("a.js", "const R = process.env.REGION ?? 'eu';\nconst K = 'x' ?? 'y';\n")
    nodes, functions = query_nodes(parsed)
    folder = JsFolder(parsed.root, [*nodes, *functions])
    assert folder.named("R") == ["eu", HOLE]
    assert folder.named("K") == ["x"]
