"""The sandbox policy: permissions become paths, variables and limits (pure)."""

from __future__ import annotations

import pytest

from tank.core.permissions import FilesystemPermission, NetworkPermission, Permissions
from tank.sandbox.policy import (
    SANDBOX_TMP,
    SANDBOX_TMP_ELSEWHERE,
    Limits,
    PathGrant,
    build_policy,
    glob_folder,
)

PROJECT, SKILL, HOME = "/home/u/proj", "/home/u/proj/.agents/skills/x", "/home/u"


def policy(permissions: Permissions, environ: dict[str, str] | None = None, **kw: str):  # type: ignore[no-untyped-def]
    return build_policy(
        permissions,
        project=kw.get("project", PROJECT),
        skill_dir=SKILL,
        home=kw.get("home", HOME),
        environ=environ or {},
    )


@pytest.mark.parametrize(
    ("glob", "expected"),
    [
        ("./docs/**", ("/home/u/proj/docs", True)),
        ("./**", ("/home/u/proj", True)),
        ("./notes.txt", ("/home/u/proj/notes.txt", True)),
        ("./out/*.json", ("/home/u/proj/out", False)),
        ("./a/**/b", ("/home/u/proj/a", False)),
        ("~/.config/tool/**", ("/home/u/.config/tool", True)),
        ("./../etc", None),
        ("/etc/passwd", None),
        ("./docs/", None),
    ],
)
def test_glob_folder(glob: str, expected: tuple[str, bool] | None) -> None:
    assert glob_folder(glob, project=PROJECT, home=HOME) == expected


def test_nothing_declared_grants_only_the_skill_folder() -> None:
    p = policy(Permissions())
    assert p.grants == (PathGrant(SKILL, read=True, write=False),)
    assert dict(p.env) == {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": HOME,
                           "LANG": "C.UTF-8", "TMPDIR": SANDBOX_TMP}  # fmt: skip
    assert not p.network and not p.subprocess and p.limits == Limits()


def test_declared_paths_become_grants() -> None:
    fs = FilesystemPermission(read=("./docs/**", "./out/*.json"), write=("./out/**", "~/cache/**"))
    p = policy(Permissions(filesystem=fs))
    grants = {g.path: g for g in p.grants}
    assert grants["/home/u/proj/docs"] == PathGrant(
        "/home/u/proj/docs", True, False, False, "./docs/**"
    )
    # read and write of one folder merge; writable folders in the project are made
    out = grants["/home/u/proj/out"]
    assert out.read and out.write and out.create
    # writable folders in the home are never made
    assert grants["/home/u/cache"].write and not grants["/home/u/cache"].create
    assert not grants["/home/u/cache"].read  # write does not imply read
    assert p.approximated == ("./out/*.json",)


def test_only_declared_secrets_present_in_the_environment_are_passed() -> None:
    environ = {"API_KEY": "k-sekrit", "OTHER": "o", "PATH": "/evil"}
    p = policy(Permissions(secrets=("API_KEY", "MISSING", "PATH")), environ)
    env = dict(p.env)
    assert env["API_KEY"] == "k-sekrit" and "OTHER" not in env and "MISSING" not in env
    assert env["PATH"] == "/usr/local/bin:/usr/bin:/bin"  # a "secret" cannot replace PATH
    assert p.missing_secrets == ("MISSING",)
    assert "k-sekrit" not in str(p.to_json())  # the JSON view names variables, never values


def test_network_and_subprocess() -> None:
    network = NetworkPermission(outbound=("api.x.dev", "*.y.dev"), max_requests_per_minute=5)
    p = policy(Permissions(network=network, subprocess=True))
    assert p.network and p.network_hosts == ("*.y.dev", "api.x.dev")
    assert p.max_requests_per_minute == 5 and p.subprocess


def test_the_private_tmp_moves_when_the_project_is_under_tmp() -> None:
    assert policy(Permissions()).tmp == SANDBOX_TMP
    moved = policy(Permissions(), project="/tmp/x/proj", home="/tmp/x/home")
    assert moved.tmp == SANDBOX_TMP_ELSEWHERE and dict(moved.env)["TMPDIR"] == moved.tmp


def test_paths_must_be_absolute_and_normal() -> None:
    with pytest.raises(ValueError, match="project"):
        policy(Permissions(), project="proj")
    with pytest.raises(ValueError, match="home"):
        policy(Permissions(), home="/home/u/../v")
