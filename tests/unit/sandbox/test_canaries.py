"""Canaries: planted files and variables, the token watch, and inotify seeing an open."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from tank.sandbox.canaries import CANARY_SECRETS, OpenWatch, TokenWatch, plant


def test_plant_writes_unique_tokens_and_fake_secrets(tmp_path: Path) -> None:
    canaries, environ = plant(tmp_path, ("WEATHER_KEY",))
    files = [c for c in canaries if c.is_file]
    assert {c.where for c in files} >= {"~/.ssh/id_rsa", "~/.aws/credentials"}
    assert any("google-chrome/Default/Login Data" in c.where for c in files)
    for canary in files:
        assert canary.token in (tmp_path / canary.where[2:]).read_text(encoding="latin-1")
    assert set(environ) == {"WEATHER_KEY", *CANARY_SECRETS}
    assert len({c.token for c in canaries}) == len(canaries)  # each one is told apart


def test_token_watch_finds_tokens_split_across_chunks_and_encoded(tmp_path: Path) -> None:
    canaries, _ = plant(tmp_path)
    key = next(c for c in canaries if c.where == "~/.ssh/id_rsa")
    aws = next(c for c in canaries if c.where == "~/.aws/credentials")
    watch = TokenWatch(canaries)
    raw = b"POST / HTTP/1.1\r\n\r\nk=" + key.token.encode()
    watch.feed(raw[:30], "network a")
    watch.feed(raw[30:], "network a")
    assert watch.seen() == [("~/.ssh/id_rsa", "network a")]
    for prefix in (b"", b"x", b"xy"):  # base64 of a longer text, at each alignment
        other = TokenWatch(canaries)
        other.feed(base64.b64encode(prefix + b"secret=" + aws.token.encode() + b"\n"), "stdout")
        assert other.seen() == [("~/.aws/credentials", "stdout")], prefix
    hexed = TokenWatch(canaries)
    hexed.feed(key.token.encode().hex().encode(), "stderr")
    assert hexed.seen() == [("~/.ssh/id_rsa", "stderr")]
    clean = TokenWatch(canaries)
    clean.feed(b"tankcanaryssh" + b"0" * 24, "network b")  # the prefix alone is no token
    assert clean.seen() == []


def test_open_watch_sees_opens_not_listing_or_stat(tmp_path: Path) -> None:
    canaries, _ = plant(tmp_path)
    with OpenWatch(tmp_path, canaries) as watch:
        os.listdir(tmp_path / ".ssh")
        (tmp_path / ".ssh/id_rsa").stat()
        assert watch.opened() == []
        (tmp_path / ".aws/credentials").read_bytes()
        (tmp_path / ".aws/credentials").read_bytes()
        assert watch.opened() == ["~/.aws/credentials"]
