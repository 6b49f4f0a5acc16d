"""The pure core of verification: expected digests against found entries, layers, reports."""

from __future__ import annotations

from tank.core.verification import (
    Drift,
    DriftKind,
    Expected,
    Finding,
    Found,
    LayerResult,
    LayerStatus,
    SkillReport,
    compare_files,
    expected_of,
    summarize,
)

FILES = [("SKILL.md", b"---\nname: x\n---\n", False), ("scripts/run.sh", b"echo\n", True)]


def test_identical_files_have_no_drift() -> None:
    expected = expected_of(FILES)
    found = {p: Found.file(d, executable=x) for p, d, x in FILES}
    assert compare_files(expected, found) == ()


def test_each_kind_of_drift_is_named_and_sorted() -> None:
    expected = expected_of([*FILES, ("refs/a.md", b"a", False), ("refs/b.md", b"b", False)])
    found = {
        "SKILL.md": Found.file(b"---\nname: y\n---\n", executable=False),  # one byte
        "scripts/run.sh": Found.file(b"echo\n", executable=False),  # chmod -x
        "refs/a.md": Found("symlink"),  # replaced by a link
        "zz-added.py": Found("file", None, False),
        "refs/fifo": Found("other"),
    }
    assert compare_files(expected, found) == (
        Drift("SKILL.md", DriftKind.MODIFIED),
        Drift("refs/a.md", DriftKind.NOT_A_FILE),
        Drift("refs/b.md", DriftKind.REMOVED),
        Drift("refs/fifo", DriftKind.ADDED),
        Drift("scripts/run.sh", DriftKind.MODE),
        Drift("zz-added.py", DriftKind.ADDED),
    )


def test_an_unreadable_expected_file_is_modified_never_passed() -> None:
    expected = {"a": Expected("0" * 64, False)}
    assert compare_files(expected, {"a": Found("file", None, False)}) == (
        Drift("a", DriftKind.MODIFIED),
    )


def test_layers_and_reports() -> None:
    ok = LayerResult.of("integrity")
    drifted = LayerResult.of("files", drift=[Drift("a", DriftKind.ADDED)])
    skipped = LayerResult("signature", LayerStatus.SKIPPED, note="not signed")
    bad = LayerResult.of("mirrors", [Finding("mirror_missing", ".claude/skills/x is missing")])
    assert ok.status is LayerStatus.OK and not ok.failed
    assert drifted.failed and drifted.messages() == ["a: added (not in the locked version)"]
    clean = SkillReport("@a/x", "1.0.0", "x", (ok, skipped))
    dirty = SkillReport("@a/y", "2.0.0", "y", (ok, drifted, bad))
    assert clean.ok and not dirty.ok and dirty.key == "@a/y@2.0.0"
    assert dirty.layer("files") is drifted and dirty.layer("signature") is None
    assert summarize([clean, dirty]) == {"skills": 2, "ok": 1, "failed": 1, "problems": 2}
    view = dirty.to_json()
    assert view["ok"] is False and set(view["checks"]) == {"integrity", "files", "mirrors"}  # type: ignore[arg-type]
    assert view["checks"]["files"] == {  # type: ignore[index]
        "status": "failed",
        "findings": [],
        "files": [{"path": "a", "kind": "added"}],
        "note": None,
    }
