"""Fixtures: each string below contains exactly the invisible characters named in the test."""
import subprocess, sys
from pathlib import Path

SAMPLES = {
    "zero_width": "pass​word",
    "bidi": "access_level = 'user' ‮ # admin check‬",
    "tags": "hello󠁨󠁩",
    "nbsp": "a b",
    "cyrillic": "def get_usеr(): pass",
}


def test_detects_each(tmp_path):
    for name, s in SAMPLES.items():
        f = tmp_path / f"{name}.py"
        f.write_text(s, encoding="utf-8")
        out = subprocess.run([sys.executable, str(Path(__file__).parents[1] / "scripts/clean.py"), str(f), "--check"],
                             capture_output=True, text=True)
        assert out.returncode == 1, name


def test_fix_strips(tmp_path):
    f = tmp_path / "x.md"
    f.write_text(SAMPLES["zero_width"], encoding="utf-8")
    subprocess.run([sys.executable, str(Path(__file__).parents[1] / "scripts/clean.py"), str(f), "--fix"], check=True)
    assert f.read_text(encoding="utf-8") == "password"
