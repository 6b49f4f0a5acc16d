"""Requirements detection: declarations, pins, imports, and the gaps between them."""

from __future__ import annotations

from tank.core.sbom import NPM, PYPI, PackageRef, required_packages


def packages(files: dict[str, bytes]) -> dict[tuple[str, str], PackageRef]:
    found, _ = required_packages(files)
    return {(p.ecosystem, p.name): p for p in found}


def gaps(files: dict[str, bytes]) -> tuple[str, ...]:
    return required_packages(files)[1]


def test_requirements_txt_pins_ranges_comments_and_options() -> None:
    files = {
        "scripts/requirements.txt": (
            b"# tools\n"
            b"requests==2.31.0  # pinned\n"
            b"PyYAML>=6\n"
            b"--index-url https://pypi.example/simple\n"
            b"httpx[http2]==0.27.0 ; python_version > '3.8' \\\n"
            b"    --hash=sha256:abc\n"
            b"Foo.Bar_baz===1.0\n"
            b"wild==1.*\n"
        )
    }
    found = packages(files)
    assert found[(PYPI, "requests")].version == "2.31.0"
    assert found[(PYPI, "requests")].spec == "requests==2.31.0"
    assert found[(PYPI, "requests")].source == "scripts/requirements.txt"
    assert found[(PYPI, "pyyaml")].version is None  # PEP 503 name, a range
    assert found[(PYPI, "httpx")].version == "0.27.0"
    assert found[(PYPI, "foo-bar-baz")].version == "1.0"
    assert found[(PYPI, "wild")].version is None  # a wildcard is not a pin
    assert set(found) == {(PYPI, n) for n in ("requests", "pyyaml", "httpx", "foo-bar-baz", "wild")}
    assert gaps(files) == (
        "scripts/requirements.txt: pyyaml is not pinned to an exact version ('PyYAML>=6')",
        "scripts/requirements.txt: wild is not pinned to an exact version ('wild==1.*')",
    )


def test_includes_stay_inside_the_skill_and_cycles_end() -> None:
    files = {
        "requirements.txt": b"-r scripts/base.txt\n--requirement=../outside.txt\n",
        "scripts/base.txt": b"numpy==1.26.0\n-r ../requirements.txt\n-r more.txt\n",
        "scripts/more.txt": b"rich==13.7.0\n",
    }
    found = packages(files)
    assert found[(PYPI, "numpy")].source == "scripts/base.txt"
    assert found[(PYPI, "rich")].version == "13.7.0"
    assert gaps(files) == (
        "requirements.txt:2: includes '../outside.txt', which is not in the skill",
    )


def test_urls_and_editables_are_gaps_not_packages() -> None:
    files = {
        "requirements.txt": (
            b"-e git+https://github.com/x/y#egg=y\n"
            b"pkg @ https://example.com/pkg.whl\n"
            b"./local/dir\n"
            b"not a requirement!!\n"
        )
    }
    assert packages(files) == {}
    found = gaps(files)
    assert len(found) == 4
    assert all("requirements.txt:" in g for g in found)
    assert sum("URL or a local path" in g for g in found) == 3
    assert any("cannot read requirement 'not a requirement!!'" in g for g in found)


def test_pyproject_dependencies() -> None:
    files = {
        "pyproject.toml": b'[project]\nname = "x"\ndependencies = ["click==8.1.7", "rich>=13"]\n',
        "bad/pyproject.toml": b"[project\n",
    }
    found = packages(files)
    assert found[(PYPI, "click")].version == "8.1.7"
    assert found[(PYPI, "click")].source == "pyproject.toml"
    assert found[(PYPI, "rich")].version is None
    assert any(g.startswith("bad/pyproject.toml is not valid TOML") for g in gaps(files))


def test_pep723_inline_metadata_declares_what_the_script_imports() -> None:
    script = (
        b"#!/usr/bin/env python3\n"
        b"# /// script\n"
        b'# requires-python = ">=3.11"\n'
        b"# dependencies = [\n"
        b'#   "requests==2.31.0",\n'
        b'#   "beautifulsoup4==4.12.3",\n'
        b"# ]\n"
        b"# ///\n"
        b"import requests\n"
        b"from bs4 import BeautifulSoup\n"
    )
    files = {"scripts/fetch.py": script}
    found = packages(files)
    assert found[(PYPI, "requests")].source == "scripts/fetch.py"
    assert found[(PYPI, "beautifulsoup4")].version == "4.12.3"
    assert gaps(files) == ()  # bs4 maps to beautifulsoup4: declared and pinned


def test_imports_stdlib_local_relative_optional_and_mapped() -> None:
    files = {
        "scripts/main.py": (
            b"import os, sys, json\n"
            b"import helpers.util\n"
            b"from . import sibling\n"
            b"from __future__ import annotations\n"
            b"import yaml\n"
            b"from PIL import Image\n"
            b"import numpy as np\n"
            b"try:\n"
            b"    import ujson\n"
            b"except ImportError:\n"
            b"    ujson = None\n"
            b"def f():\n"
            b"    import requests.adapters\n"
        ),
        "scripts/helpers/util.py": b"X = 1\n",
        "requirements.txt": b"PyYAML==6.0.1\n",
    }
    found = packages(files)
    # declared: yaml -> PyYAML; undeclared imports are listed unpinned from the script
    assert found[(PYPI, "pyyaml")].version == "6.0.1"
    assert found[(PYPI, "pillow")] == PackageRef(PYPI, "pillow", "", None, "scripts/main.py")
    assert found[(PYPI, "numpy")].spec == ""
    assert found[(PYPI, "requests")].source == "scripts/main.py"
    assert (PYPI, "ujson") not in found and (PYPI, "helpers") not in found
    assert (PYPI, "os") not in found
    assert gaps(files) == (
        "scripts/main.py:13 imports requests, declared nowhere",
        "scripts/main.py:6 imports PIL (pillow), declared nowhere",
        "scripts/main.py:7 imports numpy, declared nowhere",
    )


def test_unparsable_python_is_a_gap_never_executed(tmp_path: object) -> None:
    files = {"scripts/x.py": b"import os\nos.system('touch /tmp/pwned')\ndef (:\n"}
    assert packages(files) == {}
    (gap,) = gaps(files)
    assert gap.startswith("scripts/x.py does not parse as Python")


def test_package_json_with_lockfile_pins() -> None:
    files = {
        "package.json": (
            b'{"dependencies": {"lodash": "^4.17.0", "left-pad": "1.3.0", "chalk": "^5.0.0",'
            b' "mine": "file:../mine", "gh": "user/repo"},'
            b' "devDependencies": {"jest": "^29"},'
            b' "optionalDependencies": {"fsevents": "2.3.3"}}'
        ),
        "package-lock.json": (
            b'{"lockfileVersion": 3, "packages": {"": {}, '
            b'"node_modules/lodash": {"version": "4.17.21"}}}'
        ),
    }
    found = packages(files)
    assert found[(NPM, "lodash")] == PackageRef(NPM, "lodash", "^4.17.0", "4.17.21", "package.json")
    assert found[(NPM, "left-pad")].version == "1.3.0"
    assert found[(NPM, "fsevents")].version == "2.3.3"
    assert found[(NPM, "chalk")].version is None
    assert (NPM, "jest") not in found  # dev dependencies do not run with the skill
    assert (NPM, "mine") not in found and (NPM, "gh") not in found
    assert gaps(files) == (
        "package.json: chalk is not pinned to an exact version ('^5.0.0')",
        "package.json: gh comes from 'user/repo', not the npm registry, so it cannot be checked",
        "package.json: mine comes from 'file:../mine', not the npm registry, "
        "so it cannot be checked",
    )


def test_js_imports_bare_specifiers_only() -> None:
    source = (
        b"import fs from 'node:fs';\n"
        b"import path from 'path';\n"
        b"import _ from 'lodash/fp';\n"
        b"import './side-effect.js';\n"
        b"import { x } from '../local.mjs';\n"
        b"const axios = require('axios');\n"
        b'const { y } = await import("@scope/pkg/deep/file.js");\n'
        b"export { z } from 'reexported';\n"
        b"// require('in-a-comment')\n"
        b"/* import q from 'in-a-block' */\n"
        b"import type { T } from 'types-only';\n"
        b"const url = 'https://example.com/require(\"x\")';\n"
    )
    files = {"scripts/run.ts": source, "package.json": b'{"dependencies": {"lodash": "4.17.21"}}'}
    found = packages(files)
    assert set(found) == {
        (NPM, "lodash"),
        (NPM, "axios"),
        (NPM, "@scope/pkg"),
        (NPM, "reexported"),
    }
    assert found[(NPM, "axios")] == PackageRef(NPM, "axios", "", None, "scripts/run.ts")
    assert gaps(files) == (
        "scripts/run.ts:6 imports axios, declared nowhere",
        "scripts/run.ts:7 imports @scope/pkg, declared nowhere",
        "scripts/run.ts:8 imports reexported, declared nowhere",
    )


def test_pinned_anywhere_is_enough() -> None:
    files = {
        "pyproject.toml": b'[project]\ndependencies = ["requests>=2"]\n',
        "requirements.txt": b"requests==2.31.0\n",
    }
    found, why = required_packages(files)
    assert [p.version for p in found] == [None, "2.31.0"]  # sorted by source
    assert why == ()


def test_oversized_files_are_not_read() -> None:
    from tank.core.limits import DEFAULT_LIMITS

    big = b"import numpy\n" + b"#" * DEFAULT_LIMITS.max_file_size
    found, why = required_packages({"scripts/big.py": big})
    assert found == ()
    assert why == ("scripts/big.py is too large to read; its dependencies were not checked",)


def test_output_is_sorted_and_stable() -> None:
    files = {
        "b.py": b"import zlib_ng\nimport aaa\n",
        "a.js": b"require('zzz'); require('aaa')\n",
    }
    first = required_packages(files)
    again = required_packages(dict(reversed(list(files.items()))))
    assert first == again
    assert [(p.ecosystem, p.name) for p in first[0]] == [
        (PYPI, "aaa"),
        (PYPI, "zlib-ng"),
        (NPM, "aaa"),
        (NPM, "zzz"),
    ]
