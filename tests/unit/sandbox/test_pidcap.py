"""Finding this process's pids cgroup from /proc's mount and cgroup tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from tank.sandbox import pidcap

V1 = "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
V2 = "41 31 0:38 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n"
NESTED = "39 31 0:36 /ctr /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"


def _tables(tmp_path: Path, mounts: str, own: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mountinfo").write_text(mounts)
    (tmp_path / "cgroup").write_text(own)
    monkeypatch.setattr(pidcap, "_MOUNTINFO", tmp_path / "mountinfo")
    monkeypatch.setattr(pidcap, "_OWN_CGROUP", tmp_path / "cgroup")


def test_v1_pids_hierarchy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tables(tmp_path, V1, "8:pids:/user.slice/x\n4:memory:/m\n", monkeypatch)
    assert pidcap._candidates() == [Path("/sys/fs/cgroup/pids/user.slice/x")]


def test_a_mount_rooted_below_the_hierarchy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tables(tmp_path, NESTED, "8:pids:/ctr/job\n", monkeypatch)
    assert pidcap._candidates() == [Path("/sys/fs/cgroup/pids/job")]


def test_v2_only_where_pids_is_enabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "unified"
    (root / "svc").mkdir(parents=True)
    mounts = V2.replace("/sys/fs/cgroup ", f"{root} ")
    _tables(tmp_path, mounts, "0::/svc\n", monkeypatch)
    assert pidcap._candidates() == []
    (root / "svc" / "cgroup.subtree_control").write_text("cpu memory pids\n")
    assert pidcap._candidates() == [root / "svc"]


def test_no_pids_controller_means_no_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tables(tmp_path, "35 31 0:32 / /m rw - cgroup cgroup rw,memory\n", "4:memory:/\n",
            monkeypatch)  # fmt: skip
    assert pidcap._candidates() == []
    assert pidcap.make(8) is None


def test_the_limit_is_written_and_the_folder_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pidcap, "_candidates", lambda: [tmp_path])
    cap = pidcap.make(8)
    assert cap is not None and (cap.folder / "pids.max").read_text() == "8\n"
    assert cap.wrap(["bwrap", "x"])[-2:] == ["bwrap", "x"]
    (cap.folder / "pids.events").write_text("max 3\n")
    assert cap.hit()
    (cap.folder / "pids.events").write_text("max 0\n")
    assert not cap.hit()
    for leftover in cap.folder.iterdir():
        leftover.unlink()
    cap.remove()
    assert not cap.folder.exists()
