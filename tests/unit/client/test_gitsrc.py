"""Reading skills from real git repositories on disk (and one over a real ``git daemon``)."""

from __future__ import annotations

import json
import shutil
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from tank.client.gitfetch import GitError, GitRepo
from tank.client.gitsrc import discover, read_git, read_git_dependency
from tank.core.errors import IntegrityError, UsageError
from tank.core.gitsource import parse_git_source, parse_resolved
from tank.core.lockfile import BudgetCheck, LockedSkill, Lockfile, PackageMeta
from tank.core.permissions import Permissions
from tests.gitrepos import Repo, git_daemon, make_repo, skill_md


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    made = make_repo(tmp_path)
    made.commit(
        {
            "skills/pdf/SKILL.md": skill_md("pdf"),
            "skills/pdf/scripts/x.py": "print('hi')\n",
            "skills/net/SKILL.md": skill_md("net", "Run `python scripts/go.py`.\n"),
            "skills/net/scripts/go.py": "import requests\nrequests.get('https://api.acme.dev/v1')\n",
        },
        tag="v1",
    )
    return made


def _files(data: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=BytesIO(data), mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]


def test_a_skill_without_skills_json_gets_one_with_inferred_permissions(
    repo: Repo, tmp_path: Path
) -> None:
    source = parse_git_source(f"{repo.url}#v1:skills/net")
    package = read_git(source, tmp_path / "cache")
    commit = parse_resolved(package.meta().resolved).commit
    assert package.name == "@git/net"
    assert str(package.version) == f"0.0.0+g{commit[:12]}"
    assert package.manifest.permissions.outbound == ("api.acme.dev",)
    written = json.loads(_files(package.data)["skills.json"])
    assert written["permissions"]["network"]["outbound"] == ["api.acme.dev"]
    # The same commit packs to the same bytes, with a cold cache too.
    again = read_git(source, tmp_path / "other-cache")
    assert again.data == package.data and again.integrity == package.integrity


def test_tag_branch_and_commit_each_resolve(repo: Repo, tmp_path: Path) -> None:
    first = git_head(repo)
    second = repo.commit({"skills/pdf/SKILL.md": skill_md("pdf", "Version two.\n")})
    cache = tmp_path / "cache"
    by_tag = read_git(parse_git_source(f"{repo.url}#v1:skills/pdf"), cache)
    by_branch = read_git(parse_git_source(f"{repo.url}#main:skills/pdf"), cache)
    by_commit = read_git(parse_git_source(f"{repo.url}#{first}:skills/pdf"), cache)
    assert parse_resolved(by_tag.meta().resolved).commit == first
    assert parse_resolved(by_branch.meta().resolved).commit == second
    assert by_commit.integrity == by_tag.integrity != by_branch.integrity
    with pytest.raises(GitError, match="no branch or tag"):
        read_git(parse_git_source(f"{repo.url}#v9:skills/pdf"), cache)
    with pytest.raises(UsageError, match="no folder"):
        read_git(parse_git_source(f"{repo.url}#v1:skills/nothing"), cache)


def git_head(repo: Repo) -> str:
    from tests.gitrepos import git

    return git("rev-parse", "HEAD", cwd=repo.work)


def test_a_repository_of_many_skills_needs_a_path_or_all(repo: Repo, tmp_path: Path) -> None:
    source = parse_git_source(repo.url)
    with pytest.raises(UsageError) as refused:
        discover(source, tmp_path / "cache", every=False)
    assert refused.value.code == "git_ambiguous"
    assert "#:skills/net" in refused.value.message and "#:skills/pdf" in refused.value.message
    every = discover(source, tmp_path / "cache", every=True)
    assert sorted(p.name for p in every) == ["@git/net", "@git/pdf"]
    assert sorted(p.spec for p in every) == [f"{repo.url}#:skills/net", f"{repo.url}#:skills/pdf"]


def test_a_symlink_is_refused_and_never_followed(repo: Repo, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    repo.commit({}, symlinks={"skills/pdf/leak.txt": str(secret), "skills/pdf/up": "../../.."})
    with pytest.raises(IntegrityError) as refused:
        read_git(parse_git_source(f"{repo.url}#main:skills/pdf"), tmp_path / "cache")
    assert refused.value.code == "git_symlink"


def test_locked_commit_is_reread_and_other_bytes_are_refused(repo: Repo, tmp_path: Path) -> None:
    spec = f"{repo.url}#main:skills/pdf"
    cache = tmp_path / "cache"
    package = read_git(parse_git_source(spec), cache)
    repo.commit({"skills/pdf/SKILL.md": skill_md("pdf", "Moved on.\n")})

    def lock_of(integrity: str) -> Lockfile:
        meta = PackageMeta(integrity=integrity, resolved=package.meta().resolved)
        entry = LockedSkill("@git/pdf", package.version, meta)
        return Lockfile((entry,), Permissions.none(), BudgetCheck.NO_BUDGET)

    kept = read_git_dependency("@git/pdf", spec, cache, lock_of(package.integrity), moving=None)
    assert kept.data == package.data  # the locked commit, not the branch's new head
    moved = read_git_dependency(
        "@git/pdf", spec, cache, lock_of(package.integrity), moving={"@git/pdf"}
    )
    assert str(moved.version) != str(package.version)  # build metadata: equal precedence
    with pytest.raises(IntegrityError) as tampered:
        read_git_dependency(
            "@git/pdf", spec, cache, lock_of("sha512-" + "A" * 86 + "=="), moving=None
        )
    assert tampered.value.code == "git_content_changed"
    with pytest.raises(UsageError, match="but it is @git/pdf"):
        read_git_dependency("@git/other", spec, cache, None, moving=None)


def test_an_option_as_ref_never_reaches_git(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(UsageError):
        read_git_dependency(
            "@git/x",
            f"git+file://{tmp_path}/r.git#--upload-pack=touch",
            tmp_path,
            None,
            moving=None,
        )
    with pytest.raises(GitError):  # a valid ref on a missing repository: git's own error
        GitRepo(tmp_path / "cache", f"file://{tmp_path}/missing.git").resolve("main")
    assert not marker.exists()


def test_fetch_over_a_real_git_daemon(repo: Repo, tmp_path: Path) -> None:
    with git_daemon(repo.bare.parent) as base:
        source = parse_git_source(f"git+{base}/{repo.bare.name}#v1:skills/pdf")
        package = read_git(source, tmp_path / "cache")
    local = read_git(parse_git_source(f"{repo.url}#v1:skills/pdf"), tmp_path / "cache2")
    assert package.integrity == local.integrity
    assert str(package.version) == str(local.version)


def test_a_locked_skill_in_the_content_cache_needs_no_git(repo: Repo, tmp_path: Path) -> None:
    from tank.client.cache import ContentCache
    from tank.client.offline import OfflineError

    spec = f"{repo.url}#v1:skills/pdf"
    cache = tmp_path / "cache"
    package = read_git(parse_git_source(spec), cache)
    meta = package.meta()
    lock = Lockfile(
        (LockedSkill("@git/pdf", package.version, meta),), Permissions.none(), BudgetCheck.PASS
    )
    with pytest.raises(OfflineError):  # offline, with only a mirror: never reads git
        read_git_dependency("@git/pdf", spec, tmp_path / "empty", lock, moving=None, offline=True)
    ContentCache(cache).store_tarball(meta.integrity, package.data)
    shutil.rmtree(repo.bare)
    shutil.rmtree(cache / "git")
    cached = read_git_dependency("@git/pdf", spec, cache, lock, moving=None, offline=True)
    assert cached.data == package.data and cached.meta() == meta


def test_tankignore_and_the_fixed_ignores_apply_as_when_packing_a_folder(
    repo: Repo, tmp_path: Path
) -> None:
    repo.commit(
        {
            "skills/pdf/.tankignore": "notes/\n*.bak\n",
            "skills/pdf/notes/todo.md": "later\n",
            "skills/pdf/old.bak": "x\n",
            "skills/pdf/.DS_Store": "x",
        }
    )
    package = read_git(parse_git_source(f"{repo.url}#main:skills/pdf"), tmp_path / "cache")
    assert sorted(_files(package.data)) == ["SKILL.md", "scripts/x.py", "skills.json"]


def test_a_commit_on_no_branch_is_fetched_by_id(repo: Repo, tmp_path: Path) -> None:
    from tests.gitrepos import git

    git("checkout", "-q", "-b", "feature", cwd=repo.work)
    (repo.work / "skills/pdf/SKILL.md").write_text(skill_md("pdf", "A pull request.\n"))
    git("commit", "-qam", "pr", cwd=repo.work)
    orphan = git("rev-parse", "HEAD", cwd=repo.work)
    git("push", "-q", str(repo.bare), f"{orphan}:refs/pull/1/head", cwd=repo.work)
    source = parse_git_source(f"{repo.url}#{orphan}:skills/pdf")
    package = read_git(source, tmp_path / "cache")  # not on refs/heads or refs/tags
    assert "A pull request." in _files(package.data)["SKILL.md"].decode()


def test_a_skill_read_once_is_not_read_again_in_the_same_process(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tank.client import gitsrc

    reads: list[str] = []
    real = gitsrc._read_package

    def counting(*args: object) -> object:
        reads.append(str(args[1]))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(gitsrc, "_read_package", counting)
    monkeypatch.setattr(gitsrc, "_READ", {})
    source = parse_git_source(repo.url)
    first = discover(source, tmp_path / "cache", every=True)
    again = discover(source, tmp_path / "cache", every=True)
    assert len(reads) == 2 and first == again
    discover(source, tmp_path / "other-cache", every=True)  # another mirror: read anew
    assert len(reads) == 4
