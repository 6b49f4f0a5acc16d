"""A packaging mistake crashes the registry at start-up instead of quietly dropping a feature.

Each test runs a real interpreter in which one module of the registry cannot be imported (a
meta-path finder raises ``ModuleNotFoundError`` for it, as a missing file would) and checks that
what depends on it refuses to load: a router, the write rate limit, search indexing.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tank.server.api.publish import WRITE_LIMITS
from tank.server.api.ratelimit import limit_writes

BLOCKER = """
import sys

class _Missing:
    # A module file that did not make it into the package: importing it fails as Python would.
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _Missing)
"""


def _run_without(blocked: str, code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = BLOCKER.format(blocked=blocked) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )


def test_the_app_does_not_start_without_one_of_its_routers(tmp_path: Path) -> None:
    done = _run_without(
        "tank.server.api.diff",
        f"""
        from pathlib import Path
        from tank.server.app import create_app
        from tank.server.settings import Settings
        create_app(Settings(database_url="sqlite:///{tmp_path}/r.db", storage=Path("{tmp_path}")))
        print("started")
        """,
        tmp_path,
    )
    assert done.returncode != 0, done.stdout
    assert "started" not in done.stdout
    assert "ImportError: cannot import name 'diff'" in done.stderr


@pytest.mark.parametrize(
    ("blocked", "importer"),
    [
        ("tank.server.api.ratelimit", "tank.server.api.publish"),
        ("tank.server.services.search", "tank.server.services.publish"),
        ("tank.server.services.search", "tank.server.services.manage"),
    ],
)
def test_a_missing_dependency_module_fails_the_import(
    blocked: str, importer: str, tmp_path: Path
) -> None:
    done = _run_without(blocked, f"import {importer}\nprint('imported')", tmp_path)
    assert done.returncode != 0, done.stdout
    assert "imported" not in done.stdout
    package, module = blocked.rsplit(".", 1)
    # `import a.b.c` and `from a.b import c` word the same failure differently.
    assert (
        f"No module named {blocked!r}" in done.stderr
        or f"cannot import name {module!r} from {package!r}" in done.stderr
    ), done.stderr


def test_write_routes_carry_the_write_rate_limit() -> None:
    from tank.server.api import audit, manage, publish

    assert [d.dependency for d in WRITE_LIMITS] == [limit_writes]
    write_methods = {"POST", "PUT", "PATCH", "DELETE"}
    checked = 0
    for module in (publish, manage, audit):
        for route in module.router.routes:
            methods = getattr(route, "methods", set())
            if methods & write_methods:
                deps = [d.dependency for d in getattr(route, "dependencies", [])]
                assert limit_writes in deps, f"{module.__name__}: {route.path} {methods}"
                checked += 1
    assert checked >= 3
