"""How entries start, and the bubblewrap command line (pure parts of the runner)."""

from __future__ import annotations

import pytest

from tank.core.errors import UsageError
from tank.core.permissions import Permissions
from tank.sandbox.bwrap import Mount, build_argv, order
from tank.sandbox.entry import Entry, choose_entry
from tank.sandbox.policy import build_policy


@pytest.mark.parametrize(
    ("script", "first", "expected"),
    [
        ("scripts/main.py", b"", Entry("scripts/main.py", "python")),
        ("x.py", b"#!/usr/bin/env node\n", Entry("x.py", "python")),
        ("x.js", b"", Entry("x.js", "node")),
        ("x.sh", b"#!/bin/bash -e\n", Entry("x.sh", "/bin/bash", ("-e",))),
        ("x.sh", b"", Entry("x.sh", "sh")),
        ("tool", b"#!/usr/bin/env python3\n", Entry("tool", "python")),
        ("tool", b"#!/usr/bin/env ruby\n", Entry("tool", "ruby")),
    ],
)
def test_choose_entry(script: str, first: bytes, expected: Entry) -> None:
    assert choose_entry(script, first) == expected


def test_an_entry_with_no_suffix_or_shebang_is_refused() -> None:
    with pytest.raises(UsageError, match="cannot tell how to run"):
        choose_entry("tool", b"echo hi\n")
    with pytest.raises(UsageError):
        choose_entry("tool", b"#!/usr/bin/env -S node --x\n")


def test_mounts_are_ordered_parents_first() -> None:
    mounts = [
        Mount("ro-bind", "/p/skill", "/p/skill"),
        Mount("bind", "/p", "/p"),
        Mount("tmpfs", "/p"),
        Mount("ro-bind", "/usr", "/usr"),
    ]
    assert [(m.op, m.target) for m in order(mounts)] == [
        ("tmpfs", "/p"), ("bind", "/p"), ("ro-bind", "/usr"), ("ro-bind", "/p/skill"),
    ]  # fmt: skip


def test_argv_isolates_and_keeps_secrets_off_the_command_line() -> None:
    policy = build_policy(
        Permissions(secrets=("API_KEY",)),
        project="/home/u/proj",
        skill_dir="/home/u/proj/skill",
        home="/home/u",
        environ={"API_KEY": "sekrit"},
    )
    argv = build_argv(
        "/usr/bin/bwrap",
        policy,
        system=[Mount("ro-bind", "/usr", "/usr")],
        binds=[Mount("ro-bind", "/home/u/proj/skill", "/home/u/proj/skill")],
        command=["python", "-I"],
    )
    text = " ".join(argv)
    for flag in ("--unshare-all", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in argv
    assert "--share-net" not in argv
    assert "sekrit" not in text and "API_KEY" not in text
    assert "--tmpfs /home/u" in text and "--remount-ro /home/u" in text  # the fake home
    assert "--dir /home/u/proj" in text and "--chdir /home/u/proj" in text
    assert argv.index("--tmpfs") < argv.index("--dir")
    assert argv[-3:] == ["--", "python", "-I"]
