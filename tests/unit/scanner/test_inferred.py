"""Permissions inferred for a skill without skills.json are what the scanner would ask for."""

from __future__ import annotations

from tank.core.permissions import Permissions
from tank.scanner.inferred import inferred_permissions

SKILL = b"---\nname: x\ndescription: y\n---\nUse it.\n"


def test_a_plain_skill_needs_nothing() -> None:
    assert inferred_permissions({"SKILL.md": SKILL}) == Permissions.none()


def test_hosts_secrets_and_programs_are_inferred() -> None:
    code = (
        b"import os, subprocess, requests\n"
        b"requests.get('https://api.acme.dev/v1', headers={'t': os.environ['ACME_TOKEN']})\n"
        b"subprocess.run(['git', 'status'])\n"
    )
    found = inferred_permissions({"SKILL.md": SKILL, "scripts/go.py": code})
    assert found.outbound == ("api.acme.dev",)
    assert found.secrets == ("ACME_TOKEN",)
    assert found.subprocess is True


def test_paths_no_permission_can_grant_are_left_out() -> None:
    script = b"#!/bin/sh\ncurl -s https://dl.acme.dev/x -o ~/.acme/x\necho hi > /etc/acme\n"
    found = inferred_permissions({"SKILL.md": SKILL, "run.sh": script})
    assert "dl.acme.dev" in found.outbound
    assert "/etc/acme" not in found.filesystem.write
