"""An offline advisory database in OSV format, checked against a skill's declared packages.

The registry admin keeps one file up to date (OSV: https://ossf.github.io/osv-schema/) and Tank
reads it with :meth:`AdvisoryDB.load`, which accepts:

- a JSON file holding a list of OSV entries, ``{"vulns": [...]}``, or one entry;
- a folder of OSV ``.json`` files (searched recursively);
- a ``.zip`` of OSV ``.json`` files (the shape of OSV's per-ecosystem ``all.zip`` export).

Reading is bounded (:class:`AdvisoryLimits`): entry counts, each member's size (read with a cap,
never trusting the zip header) and the total are capped, so a zip bomb or a huge file fails
with an :class:`AdvisoryDatabaseError` instead of exhausting memory. A missing path is an empty
database. Parsed databases are cached by (path, mtime, size), so reloading per publish is cheap.

Matching (:meth:`AdvisoryDB.check`), per OSV ``affected`` entry of the same ecosystem and name
(PyPI names PEP 503-normalised; PyPI versions compared with :mod:`packaging`, npm versions with
:mod:`tank.core.semver`):

- **Pinned** (``PackageRef.version`` set): affected when the version is in the entry's
  ``versions`` list or inside one of its ``ranges`` (``ECOSYSTEM``/``SEMVER`` events:
  ``introduced`` opens an interval, ``fixed`` closes it exclusively, ``last_affected``
  inclusively). Such a match is ``certain=True``.
- **Unpinned** (a range, or only imported): a match only when (a) at least one version the
  advisory names (its ``versions`` and event versions) is allowed by the spec and every such
  allowed version is affected, or (b) the advisory has no fix at all (no ``fixed`` and no
  ``last_affected`` event) and the spec allows some version at or after ``introduced``. Such a
  match is ``certain=False``: the version that will be installed is not known.

Withdrawn advisories are ignored. An advisory whose id is an alias of one already matched for
the same package is not reported twice.
"""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from tank.core import boundedjson
from tank.core.errors import TankError
from tank.core.sbom.model import PYPI, PackageRef
from tank.core.sbom.osv import Affected, parse_affected

__all__ = [
    "AdvisoryDB",
    "AdvisoryDatabaseError",
    "AdvisoryLimits",
    "VulnerabilityMatch",
]

MiB = 1024 * 1024


class AdvisoryDatabaseError(TankError):
    """The advisory database file cannot be read: not OSV JSON, or over the reading limits."""

    default_code = "advisory_db_invalid"


@dataclass(frozen=True, slots=True)
class AdvisoryLimits:
    """Caps on reading an advisory database (defaults fit OSV's largest ecosystem exports)."""

    max_entries: int = 500_000
    max_entry_size: int = 8 * MiB
    max_total_size: int = 2048 * MiB
    max_file_size: int = 512 * MiB


DEFAULT_ADVISORY_LIMITS = AdvisoryLimits()


@dataclass(frozen=True, slots=True)
class VulnerabilityMatch:
    """A declared package that an advisory affects.

    ``fixed`` is the first fixed version after the package's version (pinned) or the lowest
    fixed version (unpinned), None when there is none; ``certain`` is True for a pinned
    version inside the affected set, False when the spec only may resolve to one.
    """

    advisory_id: str
    aliases: tuple[str, ...]
    summary: str
    package: PackageRef
    fixed: str | None
    certain: bool


@dataclass(frozen=True, slots=True)
class _Advisory:
    id: str
    aliases: tuple[str, ...]
    summary: str
    affected: tuple[Affected, ...]


@dataclass(slots=True)
class _Index:
    by_package: dict[tuple[str, str], list[_Advisory]] = field(default_factory=dict)
    count: int = 0


def _key(ecosystem: str, name: str) -> tuple[str, str]:
    return (ecosystem, canonicalize_name(name) if ecosystem == PYPI else name)


class AdvisoryDB:
    """OSV advisories indexed by (ecosystem, package name); immutable once loaded."""

    _cache: dict[tuple[object, ...], AdvisoryDB] = {}  # noqa: RUF012 - deliberate, bounded
    _cache_lock = threading.Lock()
    _CACHE_SIZE = 4

    def __init__(self, index: _Index) -> None:
        """Wrap a built index (use :meth:`load`, :meth:`from_entries` or :meth:`empty`)."""
        self._index = index

    @classmethod
    def empty(cls) -> AdvisoryDB:
        """A database with no advisories."""
        return cls(_Index())

    @classmethod
    def from_entries(cls, entries: Iterable[Any], *, source: str = "<entries>") -> AdvisoryDB:
        """A database of OSV entries (decoded JSON objects); malformed entries are skipped."""
        index = _Index()
        for entry in entries:
            advisory = _parse_entry(entry)
            if advisory is None:
                continue
            index.count += 1
            keys = {_key(a.ecosystem, a.name) for a in advisory.affected}
            for key in keys:
                index.by_package.setdefault(key, []).append(advisory)
        for advisories in index.by_package.values():
            advisories.sort(key=lambda a: a.id)
        return cls(index)

    @classmethod
    def load(cls, path: Path, limits: AdvisoryLimits = DEFAULT_ADVISORY_LIMITS) -> AdvisoryDB:
        """Load ``path`` (a JSON file, a folder or a zip); a missing path is an empty database.

        Raises :class:`AdvisoryDatabaseError` (with a hint) for a file that is not OSV JSON or
        breaks the reading limits. Results are cached by (path, mtime, size).
        """
        if not path.exists():
            return cls.empty()
        key = (str(path.resolve()), limits, *_fingerprint(path))
        with cls._cache_lock:
            cached = cls._cache.get(key)
        if cached is not None:
            return cached
        db = cls.from_entries(_read_entries(path, limits), source=str(path))
        with cls._cache_lock:
            cls._cache[key] = db
            while len(cls._cache) > cls._CACHE_SIZE:
                cls._cache.pop(next(iter(cls._cache)))
        return db

    @property
    def size(self) -> int:
        """How many advisories the database holds."""
        return self._index.count

    def check(self, packages: Iterable[PackageRef]) -> list[VulnerabilityMatch]:
        """The advisories that affect ``packages``, sorted by package then advisory id."""
        matches: list[VulnerabilityMatch] = []
        for package in packages:
            seen: set[str] = set()
            for advisory in self._index.by_package.get(_key(package.ecosystem, package.name), []):
                if advisory.id in seen:
                    continue
                match = _match(advisory, package)
                if match is not None:
                    matches.append(match)
                    seen.update((advisory.id, *advisory.aliases))
        return sorted(
            matches,
            key=lambda m: (m.package.ecosystem, m.package.name, m.package.source, m.advisory_id),
        )


def _match(advisory: _Advisory, package: PackageRef) -> VulnerabilityMatch | None:
    fixed: list[str] = []
    certain = False
    hit = False
    for affected in advisory.affected:
        if _key(affected.ecosystem, affected.name) != _key(package.ecosystem, package.name):
            continue
        if package.version is not None:
            if affected.contains(package.version):
                hit = certain = True
                fixed += affected.fixed_after(package.version)
        elif affected.spec_affected(package.spec):
            hit = True
            fixed += affected.fixed_after(None)
    if not hit:
        return None
    return VulnerabilityMatch(
        advisory_id=advisory.id,
        aliases=advisory.aliases,
        summary=advisory.summary,
        package=package,
        fixed=fixed[0] if fixed else None,
        certain=certain,
    )


def _parse_entry(entry: Any) -> _Advisory | None:
    """An advisory from one OSV object, or None when it is malformed or withdrawn."""
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        return None
    if entry.get("withdrawn"):
        return None
    affected = tuple(a for a in map(parse_affected, entry.get("affected") or []) if a)
    if not affected:
        return None
    aliases = entry.get("aliases") or []
    summary = entry.get("summary") or entry.get("details") or ""
    return _Advisory(
        id=entry["id"],
        aliases=tuple(sorted(a for a in aliases if isinstance(a, str))),
        summary=summary.strip().splitlines()[0][:300]
        if isinstance(summary, str) and summary.strip()
        else "",
        affected=affected,
    )


def _first_line(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        return ""
    return text.strip().splitlines()[0][:300]


def _fingerprint(path: Path) -> tuple[object, ...]:
    """What changes when the database changes: mtime and size (of every file in a folder)."""
    if path.is_dir():
        return tuple(
            (str(p.relative_to(path)), p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(path.rglob("*.json"))
        )
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size)


def _bad(path: Path | str, why: str) -> AdvisoryDatabaseError:
    return AdvisoryDatabaseError(
        f"cannot read the advisory database {path}: {why}",
        hint=(
            "Replace it with OSV data: a JSON list of OSV entries, a folder of OSV .json files, "
            "or an OSV all.zip export (https://ossf.github.io/osv-schema/)."
        ),
    )


def _decode(data: bytes, where: Path | str) -> Any:
    try:
        return boundedjson.loads(data, max_bytes=len(data), max_depth=boundedjson.FILE_MAX_DEPTH)
    except (ValueError, UnicodeDecodeError) as error:
        raise _bad(where, f"not JSON ({error})") from error


def _read_entries(path: Path, limits: AdvisoryLimits) -> Iterator[Any]:
    if path.is_dir():
        yield from _read_folder(path, limits)
    elif zipfile.is_zipfile(path):
        yield from _read_zip(path, limits)
    else:
        if path.stat().st_size > limits.max_file_size:
            raise _bad(path, f"larger than {limits.max_file_size} bytes")
        data = _decode(path.read_bytes(), path)
        items = data.get("vulns") if isinstance(data, dict) and "vulns" in data else data
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list):
            raise _bad(path, 'expected a list of OSV entries or {"vulns": [...]}')
        if len(items) > limits.max_entries:
            raise _bad(path, f"more than {limits.max_entries} entries")
        yield from items


def _read_folder(path: Path, limits: AdvisoryLimits) -> Iterator[Any]:
    total = 0
    for count, item in enumerate(sorted(path.rglob("*.json")), 1):
        if count > limits.max_entries:
            raise _bad(path, f"more than {limits.max_entries} files")
        if item.is_symlink() or not item.is_file():
            continue
        size = item.stat().st_size
        if size > limits.max_entry_size:
            raise _bad(item, f"larger than {limits.max_entry_size} bytes")
        total += size
        if total > limits.max_total_size:
            raise _bad(path, f"files total more than {limits.max_total_size} bytes")
        yield _decode(item.read_bytes(), item)


def _read_zip(path: Path, limits: AdvisoryLimits) -> Iterator[Any]:
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            members = [i for i in archive.infolist() if not i.is_dir()]
            if len(members) > limits.max_entries:
                raise _bad(path, f"more than {limits.max_entries} entries")
            for info in members:
                if not info.filename.endswith(".json"):
                    continue
                if info.file_size > limits.max_entry_size:
                    raise _bad(
                        path, f"{info.filename} is larger than {limits.max_entry_size} bytes"
                    )
                with archive.open(info) as handle:
                    # Never trust the header: read one byte past the cap to detect a liar.
                    data = handle.read(limits.max_entry_size + 1)
                if len(data) > limits.max_entry_size:
                    raise _bad(path, f"{info.filename} inflates past {limits.max_entry_size} bytes")
                total += len(data)
                if total > limits.max_total_size:
                    raise _bad(path, f"entries total more than {limits.max_total_size} bytes")
                yield _decode(data, f"{path}!{info.filename}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise _bad(path, f"a damaged zip ({error})") from error
