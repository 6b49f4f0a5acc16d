"""The one-commit git repository: objects git itself accepts, and bounded request parsing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tank.core.errors import ValidationError
from tank.core.gitpack import (
    FLUSH,
    MAX_REQUEST_BYTES,
    advertisement,
    build_repository,
    packfile,
    parse_request,
    pkt,
    upload_pack,
)

FILES = [
    ("skills/x/SKILL.md", b"# x\n", False),
    ("skills/x/scripts/run.sh", b"#!/bin/sh\n", True),
    ("skills/x-y.md", b"sorted before the folder x/\n", False),
    (".claude-plugin/plugin.json", b'{"name": "x"}\n', False),
]


def _git(*args: str, cwd: Path, data: bytes | None = None) -> bytes:
    done = subprocess.run(
        ["git", *args], cwd=cwd, input=data, capture_output=True, timeout=30, check=True
    )
    return done.stdout


def test_git_indexes_the_pack_and_checks_out_the_files(tmp_path: Path) -> None:
    repo = build_repository(FILES, "x 1.0.0")
    _git("init", "-q", "--bare", "r.git", cwd=tmp_path)
    bare = tmp_path / "r.git"
    _git("index-pack", "--stdin", "--fix-thin", cwd=bare, data=packfile(repo))
    _git("update-ref", "refs/heads/main", repo.commit, cwd=bare)
    _git("fsck", "--strict", cwd=bare)
    listing = _git("ls-tree", "-r", "main", cwd=bare).decode()
    assert "100755 blob" in listing.splitlines()[3] and "skills/x/scripts/run.sh" in listing
    assert _git("show", "main:skills/x/SKILL.md", cwd=bare) == b"# x\n"


def test_same_files_same_commit_and_content_changes_it() -> None:
    first = build_repository(FILES, "m")
    assert build_repository(list(reversed(FILES)), "m").commit == first.commit
    assert build_repository([*FILES[:-1], (FILES[-1][0], b"{}", False)], "m").commit != first.commit


def test_protocol_answers() -> None:
    repo = build_repository(FILES, "m")
    assert advertisement(repo).startswith(pkt(b"# service=git-upload-pack\n") + FLUSH)
    want = pkt(f"want {repo.commit} no-progress\n".encode())
    full = upload_pack(repo, want + FLUSH + pkt(b"done\n"))
    assert full.startswith(pkt(b"NAK\n") + b"PACK")
    shallow = want + pkt(b"deepen 1\n") + FLUSH
    assert upload_pack(repo, shallow) == FLUSH  # the shallow list alone, then a second round
    assert upload_pack(repo, shallow + pkt(b"done\n")).startswith(FLUSH + pkt(b"NAK\n") + b"PACK")
    other = pkt(b"want " + b"0" * 40 + b"\n") + pkt(b"done\n")
    assert upload_pack(repo, other) == pkt(b"ERR upload-pack: not our ref\n")


@pytest.mark.parametrize(
    "body",
    [b"", FLUSH, b"zzzz", b"0003", b"00ffwant", b"0" * (MAX_REQUEST_BYTES + 1)],
)
def test_hostile_requests_are_refused(body: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_request(body)
    assert caught.value.code == "gitpack.bad_request"
