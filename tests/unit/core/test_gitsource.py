"""Git source parsing: what reaches a git command line is validated here first."""

from __future__ import annotations

import pytest

from tank.core.errors import UsageError
from tank.core.gitsource import (
    check_ref,
    format_resolved,
    is_git_resolved,
    is_git_spec,
    parse_git_source,
    parse_resolved,
)

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("text", "url", "ref", "path"),
    [
        ("github:acme/skills", "https://github.com/acme/skills.git", None, ""),
        ("github:a/sk/skills/pdf#v1.2", "https://github.com/a/sk.git", "v1.2", "skills/pdf"),
        ("github:acme/skills.git#main", "https://github.com/acme/skills.git", "main", ""),
        ("git+https://h.dev/o/r.git#rel/2:skills/x", "https://h.dev/o/r.git", "rel/2", "skills/x"),
        ("git+ssh://git@h.dev:2222/o/r.git", "ssh://git@h.dev:2222/o/r.git", None, ""),
        ("git+git://127.0.0.1:9418/r.git#v1", "git://127.0.0.1:9418/r.git", "v1", ""),
        ("git+file:///srv/repos/r.git#:a/b", "file:///srv/repos/r.git", None, "a/b"),
        (f"git+file:///srv/r.git#{COMMIT}", "file:///srv/r.git", COMMIT, ""),
    ],
)  # fmt: skip
def test_sources_parse_and_print_back(text: str, url: str, ref: str | None, path: str) -> None:
    source = parse_git_source(text)
    assert (source.url, source.ref, source.path) == (url, ref, path)
    assert parse_git_source(source.spec()) == source
    assert is_git_spec(text)


@pytest.mark.parametrize(
    "text",
    [
        "github:acme/skills#--upload-pack=touch /tmp/pwned",  # option injection (and a space)
        "github:acme/skills#--upload-pack=x",
        "git+https://h.dev/r.git#-c",
        "git+ssh://-oProxyCommand=x/r.git",  # ssh option injection through the host
        "git+https://user:secret@h.dev/r.git",  # a password would land in skills.json and the lock
        "github:acme/skills/../..",  # path leaving the repository
        "github:acme/skills/a/../../etc",
        "git+file:///srv/r.git#:../x",
        "git+file:///srv/r.git#v1:/etc",
        "git+https://h.dev/r.git#v1:a/.git/hooks",
        "github:acme/skills#a..b",  # check-ref-format rules
        "github:acme/skills#a.lock",
        "github:acme/skills#@{-1}",
        "github:acme/skills#x^{tree}",
        "git+http://h.dev/r.git",  # plain http: not offered
        "ext::sh -c touch% /tmp/pwned",
        "git+ext::sh",
        "git+https://h.dev/",
        "github:acme",
        "github:-x/y",
        "git+https://h.dev/r.git#v1\n",
    ],
)
def test_hostile_sources_are_refused(text: str) -> None:
    with pytest.raises(UsageError):
        parse_git_source(text)


def test_only_full_commits_are_commits() -> None:
    assert check_ref(COMMIT) == COMMIT
    assert check_ref("0123456") == "0123456"  # a branch or tag name that looks like hex
    with pytest.raises(UsageError):
        check_ref("")


def test_resolved_round_trips_and_edited_ones_are_refused() -> None:
    source = parse_git_source("github:acme/skills/skills/pdf#v1")
    text = format_resolved(source, COMMIT)
    assert is_git_resolved(text)
    back = parse_resolved(text)
    assert (back.url, back.commit, back.path, back.ref) == (source.url, COMMIT, "skills/pdf", "v1")
    assert back.same_source(source)
    assert not back.same_source(parse_git_source("github:acme/skills/skills/pdf#v2"))
    for edited in (
        text.replace(COMMIT, COMMIT[:12]),
        text.replace("path=skills/pdf", "path=../../etc"),
        text.replace("ref=v1", "ref=--upload-pack=x"),
        "git+ext::sh#commit=" + COMMIT + "&path=&ref=",
    ):
        with pytest.raises(UsageError):
            parse_resolved(edited)


def test_skills_json_keeps_git_sources_of_a_project_only() -> None:
    from tank.core.manifest import ManifestKind, parse_manifest

    project = {"name": "p", "skills": {"@git/pdf": "github:acme/skills/pdf#v1"}}
    manifest, report = parse_manifest(project, kind=ManifestKind.PROJECT)
    assert report.ok and manifest is not None
    assert manifest.local == {"@git/pdf": "github:acme/skills/pdf#v1"} and not manifest.skills
    for bad, code in (
        ({"@git/pdf": "github:acme/skills#--upload-pack=x"}, "manifest.skills.git"),
        ({"@git/pdf": "file:github:acme/skills"}, "manifest.skills.local"),
    ):
        _, report = parse_manifest({"name": "p", "skills": bad}, kind=ManifestKind.PROJECT)
        assert [p.code for p in report.errors] == [code]
    package = {"name": "@a/x", "version": "1.0.0", "skills": {"@git/pdf": "github:a/b"}}
    _, report = parse_manifest(package, kind=ManifestKind.PACKAGE)
    assert [p.code for p in report.errors] == ["manifest.skills.git"]


@pytest.mark.parametrize(
    "text",
    ["git+http://example.com/x.git", "git+http://localhost.evil.example/x.git",
     "git+http://127.0.0.1.nip.io/x.git"],
)  # fmt: skip
def test_plain_http_is_read_only_from_this_machine(text: str) -> None:
    with pytest.raises(UsageError, match="plain http"):
        parse_git_source(text)


def test_plain_http_to_loopback_is_read() -> None:
    source = parse_git_source("git+http://127.0.0.1:8800/v1/marketplace/@a/b.git#v1")
    assert source.url == "http://127.0.0.1:8800/v1/marketplace/@a/b.git" and source.ref == "v1"
