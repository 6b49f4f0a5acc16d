import json
from pathlib import Path

from injlint.__main__ import lint_text

FX = Path(__file__).parent / "fixtures"


def rules_of(hits):
    return {h.split()[1] for h in hits}


def test_override_fixture():
    hits = lint_text("override.md", (FX / "override.md").read_text())
    assert {"OVERRIDE", "SECRECY", "FAKE-APPROVAL", "HIDDEN-BLOCK"} <= rules_of(hits)


def test_invisible_fixture():
    data = json.loads((FX / "invisible.json").read_text())
    for key in ("zero_width", "bidi_override", "tag_chars"):
        assert rules_of(lint_text(key, data[key])) == {"INVISIBLE"}


def test_clean_text():
    assert lint_text("ok.md", "# Title\n\nRun `make test` before pushing.\n") == []
