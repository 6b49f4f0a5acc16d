"""``tank info`` names where an imported version came from."""

from __future__ import annotations

from tank.cli.cmd_info import describe

DOC = {"name": "@acme/pdf", "description": "d", "latest": "1.0.0", "versions": {"1.0.0": {}}}
SHA = "3afc62238f7b" + "0" * 28


def test_an_imported_version_shows_its_source() -> None:
    origin = {"source": "https://g.dev/s.git", "commit": SHA, "path": "pdf", "imported_by": "al"}
    lines = describe(DOC, {"version": "1.0.0", "import": origin})
    assert f"  imported:    from https://g.dev/s.git commit {SHA} path pdf by al" in lines


def test_an_uploaded_version_shows_none() -> None:
    lines = describe(DOC, {"version": "1.0.0", "import": None})
    assert not any("imported:" in line for line in lines)
