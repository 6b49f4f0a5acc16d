"""The client's own scan of skills from disk and before publishing: fails closed, refuses a
``fail``, and records (or honours) an ``--unsafe-allow-failing`` override."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.client.errors import AuditPolicyError
from tank.client.localscan import LocalScan, scan_archive, settle
from tank.client.localsrc import LocalPackage, read_local
from tank.core.lockfile import Lockfile, PackageMeta, UnsafeOverride, build_lockfile
from tank.core.permissions import Permissions
from tank.core.resolver import Resolution
from tank.scanner import Verdict

SEND = "import requests\nrequests.post('https://api.acme.dev/u')\n"


def _skill(root: Path, code: str) -> LocalPackage:
    folder = root / "bad"
    (folder / "scripts").mkdir(parents=True)
    (folder / "SKILL.md").write_text(
        "---\nname: bad\ndescription: Sends things; use it for tests.\n---\n\n# bad\n"
    )
    manifest = {"name": "@a/bad", "version": "1.0.0", "description": "x", "permissions": {}}
    (folder / "skills.json").write_text(json.dumps(manifest))
    (folder / "scripts" / "send.py").write_text(code)
    return read_local(root, "./bad")


def _lock(package: LocalPackage, override: UnsafeOverride | None = None) -> Lockfile:
    meta = PackageMeta(
        package.integrity, "file:./bad", Permissions.none(), unsafe_override=override
    )
    resolution = Resolution(versions={package.name: package.version}, dependencies={})
    return build_lockfile(resolution, {(package.name, package.version): meta}, None)


def test_a_broken_archive_or_a_crashing_scanner_fails_closed() -> None:
    broken = scan_archive(b"not a tarball", Permissions.none())
    assert broken.failed and broken.findings[0].rule == "scanner.analyzer_error"
    assert broken.blocking_rules == ("scanner.analyzer_error",)


def test_a_failing_skill_from_disk_is_refused(tmp_path: Path) -> None:
    package = _skill(tmp_path, SEND)
    assert scan_archive(package.data, package.manifest.permissions).failed
    with pytest.raises(AuditPolicyError) as refused:
        settle({package.name: package}, _lock(package), allow=False, frozen=False)
    assert refused.value.code == "local_scan_failed"
    assert "--unsafe-allow-failing" in (refused.value.hint or "")
    where = refused.value.problems[0].location
    assert where is not None and where.file == "./bad/scripts/send.py" and where.line == 2


def test_a_scanner_error_refuses_too(tmp_path: Path) -> None:
    package = _skill(tmp_path, "print('fine')\n")

    def crash(data: bytes, permissions: Permissions | None) -> LocalScan:
        return scan_archive(b"garbage", permissions)

    with pytest.raises(AuditPolicyError):
        settle({package.name: package}, _lock(package), allow=False, frozen=False, scan=crash)


def test_the_override_is_recorded_then_honoured_for_the_same_bytes(tmp_path: Path) -> None:
    package = _skill(tmp_path, SEND)
    lock, taken = settle({package.name: package}, _lock(package), allow=True, frozen=False)
    entry = lock.get(package.name)
    assert entry is not None and entry.meta.unsafe_override is not None
    assert entry.meta.unsafe_override.rules == ("capability.undeclared_network",)
    assert [t.recorded for t in taken] == [False]
    for frozen in (False, True):
        again, taken = settle({package.name: package}, lock, allow=False, frozen=frozen)
        assert [t.recorded for t in taken] == [True]
        assert again.get(package.name) == entry
    # a frozen install never adds an override
    with pytest.raises(AuditPolicyError) as frozen_refusal:
        settle({package.name: package}, _lock(package), allow=True, frozen=True)
    assert "frozen" in (frozen_refusal.value.hint or "")


def test_a_passing_skill_clears_a_stale_override(tmp_path: Path) -> None:
    package = _skill(tmp_path, "print('fine')\n")
    stale = _lock(package, UnsafeOverride("fail", ("x.y",)))
    lock, taken = settle({package.name: package}, stale, allow=False, frozen=False)
    entry = lock.get(package.name)
    assert taken == () and entry is not None and entry.meta.unsafe_override is None
    assert scan_archive(package.data, None).verdict in (Verdict.PASS, Verdict.PASS_WITH_NOTES)


def test_a_passing_scan_is_remembered_for_the_same_bytes_and_a_failing_one_never(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tank.client.memo import Memo

    monkeypatch.setenv("TANK_CONFIG_DIR", str(tmp_path / "config"))
    memo = Memo(tmp_path / "verified")
    calls: list[bytes] = []

    def counting(data: bytes, permissions: Permissions | None) -> LocalScan:
        calls.append(data)
        return scan_archive(data, permissions)

    good = _skill(tmp_path / "g", "print('fine')\n")
    for _ in range(2):
        settle({good.name: good}, _lock(good), allow=False, frozen=False, scan=counting, memo=memo)
    assert len(calls) == 1  # the second install found the tag
    bad = _skill(tmp_path / "b", SEND)
    for _ in range(2):
        with pytest.raises(AuditPolicyError):
            settle({bad.name: bad}, _lock(bad), allow=False, frozen=False, scan=counting, memo=memo)
    assert len(calls) == 3  # a failing scan runs every time
    other = Memo(tmp_path / "verified")
    monkeypatch.setattr("tank.client.localscan._FINGERPRINT", ["another scanner"])
    settle({good.name: good}, _lock(good), allow=False, frozen=False, scan=counting, memo=other)
    assert len(calls) == 4  # another scanner scans again
