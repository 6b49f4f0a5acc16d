"""The offline OSV advisory database: loading (file, folder, zip), limits, and matching."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from tank.core.advisories import (
    AdvisoryDatabaseError,
    AdvisoryDB,
    AdvisoryLimits,
    VulnerabilityMatch,
)
from tank.core.errors import TankError
from tank.core.sbom import NPM, PYPI, PackageRef

DATA = Path(__file__).resolve().parents[2] / "data" / "advisories"


def pypi(name: str, spec: str = "", version: str | None = None) -> PackageRef:
    return PackageRef(PYPI, name, spec, version, "scripts/requirements.txt")


def npm(name: str, spec: str = "", version: str | None = None) -> PackageRef:
    return PackageRef(NPM, name, spec, version, "package.json")


def ids(matches: list[VulnerabilityMatch]) -> list[str]:
    return [m.advisory_id for m in matches]


@pytest.fixture
def pypi_db() -> AdvisoryDB:
    return AdvisoryDB.load(DATA / "pypi.json")


@pytest.fixture
def npm_db() -> AdvisoryDB:
    return AdvisoryDB.load(DATA / "osv-dir")


# ---------------------------------------------------------------- loading


def test_missing_path_is_an_empty_database(tmp_path: Path) -> None:
    db = AdvisoryDB.load(tmp_path / "advisories.json")
    assert db.size == 0
    assert db.check([pypi("requests", "requests==2.0.0", "2.0.0")]) == []
    assert AdvisoryDB.empty().size == 0


def test_list_file_loads_and_skips_withdrawn(pypi_db: AdvisoryDB) -> None:
    assert pypi_db.size == 4  # five entries, one withdrawn


def test_vulns_object_and_single_entry_files(tmp_path: Path) -> None:
    entries = json.loads((DATA / "pypi.json").read_text())
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"vulns": entries}))
    assert AdvisoryDB.load(wrapped).size == 4
    single = tmp_path / "single.json"
    single.write_text(json.dumps(entries[0]))
    db = AdvisoryDB.load(single)
    assert db.size == 1
    assert ids(db.check([pypi("requests", "requests==2.30.0", "2.30.0")])) == [
        "GHSA-j8r2-6x86-q33q"
    ]


def test_folder_and_zip_give_the_same_database(tmp_path: Path, npm_db: AdvisoryDB) -> None:
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for item in sorted((DATA / "osv-dir").iterdir()):
            out.write(item, item.name)
        out.writestr("README.txt", "not an advisory")
    from_zip = AdvisoryDB.load(archive)
    assert from_zip.size == npm_db.size == 3
    probe = [npm("lodash", "4.17.15", "4.17.15"), npm("@evil/stealer", "^1.0.0")]
    assert ids(from_zip.check(probe)) == ids(npm_db.check(probe))
    assert ids(from_zip.check(probe)) == [
        "MAL-2022-1",
        "GHSA-35jh-r3h4-6jhm",
        "GHSA-p6mc-m468-83gw",
    ]


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"{not json", "not JSON"), (b'"a string"', "expected a list"), (b"\xff\xfe", "not JSON")],
)
def test_bad_file_is_a_tank_error_with_a_hint(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "advisories.json"
    path.write_bytes(content)
    with pytest.raises(AdvisoryDatabaseError) as caught:
        AdvisoryDB.load(path)
    assert isinstance(caught.value, TankError)
    assert why in caught.value.message and str(path) in caught.value.message
    assert caught.value.code == "advisory_db_invalid"
    assert caught.value.hint and "OSV" in caught.value.hint


def test_zip_bomb_is_refused_while_inflating(tmp_path: Path) -> None:
    # 64 MiB of spaces compresses to ~64 KiB: a limit of 1 MiB per entry must stop it early.
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("GHSA-bomb.json", b'{"id": "x", "summary": "' + b" " * (64 << 20) + b'"}')
    assert archive.stat().st_size < 1 << 20
    with pytest.raises(AdvisoryDatabaseError, match=r"GHSA-bomb\.json"):
        AdvisoryDB.load(archive, AdvisoryLimits(max_entry_size=1 << 20))


def test_zip_entry_lying_about_its_size_is_refused(tmp_path: Path) -> None:
    """A member whose header claims a few bytes but inflates to more is never read past
    its claim (and the reader's own cap): the truncated data fails its CRC and is refused."""
    archive = tmp_path / "liar.zip"
    payload = json.dumps({"id": "GHSA-liar", "summary": "y" * 5000}).encode()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("GHSA-liar.json", payload)
    raw = bytearray(archive.read_bytes())
    # Patch the central directory's uncompressed size (offset 24 in the entry) to 10 bytes.
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")
    local = raw.find(b"PK\x03\x04")
    raw[local + 22 : local + 26] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(raw))
    with pytest.raises(AdvisoryDatabaseError, match="damaged zip"):
        AdvisoryDB.load(archive, AdvisoryLimits(max_entry_size=1000))


def test_too_many_entries_and_oversized_files_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for n in range(20):
            out.writestr(f"GHSA-{n}.json", json.dumps({"id": f"GHSA-{n}"}))
    with pytest.raises(AdvisoryDatabaseError, match="more than 10 entries"):
        AdvisoryDB.load(archive, AdvisoryLimits(max_entries=10))
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "big.json").write_text(json.dumps({"id": "GHSA-big", "summary": "z" * 4096}))
    with pytest.raises(AdvisoryDatabaseError, match="larger than"):
        AdvisoryDB.load(folder, AdvisoryLimits(max_entry_size=1024))
    big = tmp_path / "big.json"
    big.write_text("[" + ",".join(["{}"] * 3000) + "]")
    with pytest.raises(AdvisoryDatabaseError, match="larger than"):
        AdvisoryDB.load(big, AdvisoryLimits(max_file_size=1024))


def test_damaged_zip_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("GHSA-1.json", json.dumps({"id": "GHSA-1", "summary": "s" * 2000}))
    raw = bytearray(archive.read_bytes())
    raw[60:80] = b"\x00" * 20  # inside the compressed data
    archive.write_bytes(bytes(raw))
    with pytest.raises(AdvisoryDatabaseError):
        AdvisoryDB.load(archive)


def test_reload_is_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "advisories.json"
    shutil.copyfile(DATA / "pypi.json", path)
    first = AdvisoryDB.load(path)
    assert AdvisoryDB.load(path) is first
    # The admin replaces the file: a new size and mtime, so a fresh parse.
    path.write_text(json.dumps(json.loads(path.read_text())[:1]))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = AdvisoryDB.load(path)
    assert second is not first and second.size == 1


# ---------------------------------------------------------------- PyPI matching


def test_pinned_pypi_inside_introduced_fixed(pypi_db: AdvisoryDB) -> None:
    matches = pypi_db.check([pypi("requests", "requests==2.30.0", "2.30.0")])
    # PYSEC-2023-74 is an alias of the GHSA: reported once.
    assert ids(matches) == ["GHSA-j8r2-6x86-q33q"]
    match = matches[0]
    assert match.certain and match.fixed == "2.31.0"
    assert "CVE-2023-32681" in match.aliases
    assert match.summary.startswith("Unintended leak")


@pytest.mark.parametrize("version", ["2.31.0", "2.2.9", "3.0"])
def test_pinned_pypi_outside_the_range(pypi_db: AdvisoryDB, version: str) -> None:
    assert pypi_db.check([pypi("requests", f"requests=={version}", version)]) == []


def test_pypi_names_are_normalised(pypi_db: AdvisoryDB) -> None:
    # The advisory says "PyYAML", the package ref is PEP 503 normalised.
    assert ids(pypi_db.check([pypi("pyyaml", "PyYAML==5.3.1", "5.3.1")])) == ["GHSA-8q59-q68h-6hv4"]
    assert ids(pypi_db.check([pypi("PyYAML", "PyYAML==5.3.1", "5.3.1")])) == ["GHSA-8q59-q68h-6hv4"]


def test_last_affected_is_inclusive(pypi_db: AdvisoryDB) -> None:
    assert pypi_db.check([pypi("pyyaml", "pyyaml==5.4", "5.4")]) == []
    assert ids(pypi_db.check([pypi("pyyaml", "pyyaml==5.3", "5.3")])) == ["GHSA-8q59-q68h-6hv4"]


def test_unpinned_pypi_matches_only_when_every_allowed_version_is_affected(
    pypi_db: AdvisoryDB,
) -> None:
    # Allowed known versions 2.3.0 and 2.30.0 are affected, and the bounds sit in the range.
    inside = pypi_db.check([pypi("requests", "requests>=2.3,<2.31")])
    assert ids(inside) == ["GHSA-j8r2-6x86-q33q"]
    assert inside[0].certain is False and inside[0].fixed == "2.31.0"
    # A range that allows the fixed version is not reported.
    assert pypi_db.check([pypi("requests", "requests>=2.3")]) == []
    assert pypi_db.check([pypi("requests", "requests<=2.31.0,>=2.3")]) == []
    # Only imported (no spec): the fixed version is allowed, so no match.
    assert pypi_db.check([pypi("requests")]) == []


def test_unpinned_matches_an_advisory_with_no_fix(pypi_db: AdvisoryDB) -> None:
    for ref in (pypi("evil-pkg"), pypi("evil-pkg", "evil-pkg>=1")):
        matches = pypi_db.check([ref])
        assert ids(matches) == ["MAL-2024-0001"] and matches[0].fixed is None
        assert matches[0].certain is False


def test_unparsable_specs_never_match(pypi_db: AdvisoryDB) -> None:
    assert pypi_db.check([pypi("requests", "requests>>>2")]) == []


# ---------------------------------------------------------------- npm matching


def test_pinned_npm_with_fixed_and_last_affected(npm_db: AdvisoryDB) -> None:
    old = npm_db.check([npm("lodash", "4.17.15", "4.17.15")])
    assert ids(old) == ["GHSA-35jh-r3h4-6jhm", "GHSA-p6mc-m468-83gw"]
    assert {m.advisory_id: m.fixed for m in old} == {
        "GHSA-35jh-r3h4-6jhm": None,
        "GHSA-p6mc-m468-83gw": "4.17.19",
    }
    assert ids(npm_db.check([npm("lodash", "4.17.20", "4.17.20")])) == ["GHSA-35jh-r3h4-6jhm"]
    assert npm_db.check([npm("lodash", "4.17.21", "4.17.21")]) == []
    # introduced is inclusive, and versions before it are not affected by that advisory
    assert ids(npm_db.check([npm("lodash", "3.6.0", "3.6.0")])) == ["GHSA-35jh-r3h4-6jhm"]


def test_unpinned_npm_ranges(npm_db: AdvisoryDB) -> None:
    # Every version ~4.16 allows is <= 4.17.20 and >= 3.7.0: both advisories, uncertain.
    narrow = npm_db.check([npm("lodash", "~4.16.0")])
    assert ids(narrow) == ["GHSA-35jh-r3h4-6jhm", "GHSA-p6mc-m468-83gw"]
    assert not any(m.certain for m in narrow)
    # ^4.17.0 allows 4.17.21, which neither affects.
    assert npm_db.check([npm("lodash", "^4.17.0")]) == []
    # Malicious package with no fix: any declaration matches.
    assert ids(npm_db.check([npm("@evil/stealer", "^2.0.0")])) == ["MAL-2022-1"]
    assert ids(npm_db.check([npm("@evil/stealer")])) == ["MAL-2022-1"]


def test_ecosystems_do_not_mix(npm_db: AdvisoryDB, pypi_db: AdvisoryDB) -> None:
    assert npm_db.check([pypi("lodash", "lodash==4.17.15", "4.17.15")]) == []
    assert pypi_db.check([npm("requests", "2.30.0", "2.30.0")]) == []


def test_explicit_versions_list_without_ranges() -> None:
    db = AdvisoryDB.from_entries(
        [
            {
                "id": "GHSA-list",
                "affected": [
                    {"package": {"ecosystem": "PyPI", "name": "foo"}, "versions": ["1.0", "1.1"]}
                ],
            },
            {"id": "no-affected"},
            "not an object",
        ]
    )
    assert db.size == 1
    assert ids(db.check([pypi("foo", "foo==1.1", "1.1")])) == ["GHSA-list"]
    assert db.check([pypi("foo", "foo==1.2", "1.2")]) == []
    assert ids(db.check([pypi("foo", "foo<1.2,>=1.0")])) == ["GHSA-list"]
