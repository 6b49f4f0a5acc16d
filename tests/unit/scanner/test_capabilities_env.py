"""A secret named in a data file and read by a computed name must be declared."""

from __future__ import annotations

import pytest

from tank.core.permissions import parse_permissions
from tank.scanner import load_rules
from tank.scanner.capabilities import infer, undeclared

CONFIG = '{"pagerduty": {"tokenEnv": "PAGERDUTY_API_TOKEN"}, "region": "EU_WEST"}\n'


def _messages(files: dict[str, tuple[str, str]], secrets: list[str]) -> list[str]:
    granted, problems = parse_permissions({"secrets": secrets} if secrets else {})
    assert not problems
    return [f.message for f in undeclared(infer(files), granted, load_rules())]


@pytest.mark.parametrize(
    ("path", "kind", "code"),
    [
        ("s.ps1", "powershell", "$v = [Environment]::GetEnvironmentVariable($cfg.tokenEnv)\n"),
        (
            "s.py",
            "python",
            "import os, json\nname = json.load(open('c.json'))['k']\nos.environ[name]\n",
        ),
        ("s.js", "js", "const v = process.env[cfg.pagerduty.tokenEnv];\n"),
        ("s.sh", "shell", 'name=$(jq -r .k c.json)\necho "${!name}"\n'),
    ],
)
def test_a_secret_named_in_data_and_read_by_computed_name(path: str, kind: str, code: str) -> None:
    files = {path: (kind, code), "services.json": ("any", CONFIG)}
    found = _messages(files, [])
    assert any("PAGERDUTY_API_TOKEN" in m for m in found)
    assert not any("EU_WEST" in m for m in found)
    assert _messages(files, ["PAGERDUTY_API_TOKEN"]) == []


def test_names_in_data_alone_are_not_reads() -> None:
    files = {"s.py": ("python", "import os\nos.environ['HOME']\n"), "c.json": ("any", CONFIG)}
    assert not any("PAGERDUTY" in m for m in _messages(files, []))
