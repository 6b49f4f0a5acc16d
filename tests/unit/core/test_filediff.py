"""File diffs between two versions: kinds, unified diffs, binary files, and the size caps."""

from __future__ import annotations

import difflib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tank.core.filediff import (
    MAX_FILE_DIFF,
    MAX_TEXT_SIZE,
    MAX_TOTAL_DIFF,
    FileKind,
    diff_files,
)

Files = dict[str, tuple[bytes, bool]]

_files = st.dictionaries(
    st.sampled_from(["SKILL.md", "a.py", "b/c.sh", "d.bin"]),
    st.tuples(st.binary(max_size=40) | st.text(max_size=40).map(str.encode), st.booleans()),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_files)
def test_a_version_equals_itself(files: Files) -> None:
    assert diff_files(files, files).is_empty


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_files, _files)
def test_every_differing_path_is_reported_once(old: Files, new: Files) -> None:
    found = diff_files(old, new)
    paths = [c.path for c in (*found.added, *found.removed, *found.changed)]
    assert len(paths) == len(set(paths))
    assert {c.path for c in found.added} == set(new) - set(old)
    assert {c.path for c in found.removed} == set(old) - set(new)
    assert {c.path for c in found.changed} == {p for p in set(old) & set(new) if old[p] != new[p]}


def test_text_change_gets_a_unified_diff_that_applies() -> None:
    old_text = "line 1\nline 2\nline 3\n"
    new_text = "line 1\nline two\nline 3\nline 4\n"
    found = diff_files(
        {"SKILL.md": (old_text.encode(), False)}, {"SKILL.md": (new_text.encode(), False)}
    )
    (change,) = found.changed
    assert change.kind is FileKind.CONTENT and change.note is None
    assert change.diff is not None
    assert change.diff.startswith("--- a/SKILL.md\n+++ b/SKILL.md\n")
    assert "-line 2\n+line two\n" in change.diff and "+line 4\n" in change.diff
    # the diff is difflib's own: restoring the new side from it gives the new text back
    restored = "".join(difflib.restore(_ndiff_from(change.diff, old_text), 2))
    assert restored.endswith("line 4\n")


def _ndiff_from(unified: str, old: str) -> list[str]:
    new_lines = [ln[1:] for ln in unified.splitlines(keepends=True)[3:] if ln[:1] in " +"]
    return list(difflib.ndiff(old.splitlines(keepends=True), new_lines))


def test_added_removed_and_mode_changes() -> None:
    old: Files = {"old.md": (b"bye\n", False), "run.sh": (b"echo\n", False)}
    new: Files = {"new.py": (b"print(1)\n", True), "run.sh": (b"echo\n", True)}
    found = diff_files(old, new)
    (added,) = found.added
    assert added.kind is FileKind.ADDED and added.note == "executable"
    assert added.diff == "--- /dev/null\n+++ b/new.py\n@@ -0,0 +1 @@\n+print(1)\n"
    (removed,) = found.removed
    assert removed.diff is not None and "-bye\n" in removed.diff and "+++ /dev/null" in removed.diff
    (mode,) = found.changed
    assert mode.kind is FileKind.MODE and mode.note == "mode 0644 → 0755" and mode.diff is None
    both = diff_files({"x": (b"a\n", False)}, {"x": (b"b\n", True)}).changed[0]
    assert both.kind is FileKind.CONTENT_AND_MODE and both.note == "mode 0644 → 0755"


def test_binary_and_large_files_get_sizes_not_diffs() -> None:
    found = diff_files({"a.bin": (b"\x00\x01", False)}, {"a.bin": (b"\x00\x02\x03", False)})
    assert found.changed[0].diff is None and found.changed[0].note == "binary, sizes 2 → 3 bytes"
    not_utf8 = diff_files({"x": (b"\xff\xfe", False)}, {"x": (b"\xff", False)}).changed[0]
    assert not_utf8.diff is None and not_utf8.note is not None
    assert not_utf8.note.startswith("binary")
    big = b"a\n" * (MAX_TEXT_SIZE // 2 + 1)
    large = diff_files({"x": (big, False)}, {"x": (big + b"b\n", False)}).changed[0]
    assert large.diff is None and large.note is not None and large.note.startswith("large")


def test_missing_final_newline_is_marked() -> None:
    found = diff_files({"a": (b"x\n", False)}, {"a": (b"x\ny", False)}).changed[0]
    assert found.diff is not None and found.diff.endswith("+y\n\\ No newline at end of file\n")


def test_output_is_capped_per_file_and_in_total() -> None:
    # Each file just under the text limit with every line changed: the diff is ~2x the file.
    size = MAX_TEXT_SIZE - 1024
    old = {f"f{i:02}.txt": (b"a\n" * (size // 2), False) for i in range(40)}
    new = dict.fromkeys(old, (b"b\n" * (size // 2), False))
    found = diff_files(old, new)
    diffs = [c.diff or "" for c in found.changed]
    assert all(len(d) <= MAX_FILE_DIFF for d in diffs)
    assert sum(map(len, diffs)) <= MAX_TOTAL_DIFF
    assert found.changed[0].note is not None and "diff cut at" in found.changed[0].note
    assert found.changed[-1].note == "diff left out: the answer's diff limit was reached"
