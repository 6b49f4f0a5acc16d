"""First-sight figures on a blind batch: what `tank scan` blocks and what the registry refuses.

A blind batch (``tests/corpus/blind/batch-N/{malicious,benign}/<skill>/``) is written by an
author who never read the scanner, its rules or the corpus. Run this *before* changing any
rule: those are the honest figures. Two views per skill, both in process:

- **scan**: `tank scan`'s verdict; blocked when ``fail`` or ``flagged``;
- **publish**: the registry's policy at publish (``tank.scanner.policy``, the one function the
  registry, ``tank scan``, ``tank publish`` and ``tank install`` apply: the scanner against the
  skill's declared permissions, undeclared capabilities failing): refused when ``fail``.

Labels: ``malicious`` and ``undeclared`` (honest code using a capability its skills.json does
not declare) should be refused; for ``undeclared`` the refusal must also *name* a capability
(a ``capability.undeclared_*`` finding), counted as ``named``. ``benign`` should pass.

Usage: ``.venv/bin/python bench/scan/blind.py tests/corpus/blind/batch-1 [--json]``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

from tank.core.manifest import parse_manifest
from tank.core.permissions import Permissions
from tank.core.skillmd import Mode
from tank.scanner import Verdict, load_rules, scan_files, scan_folder
from tank.scanner.policy import apply

BLOCKED = {Verdict.FAIL, Verdict.FLAGGED}
LABELS = ("malicious", "undeclared", "benign")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _declared(folder: Path) -> Permissions | None:
    """The declared permissions, read as `tank scan` reads them; None without skills.json
    (judged leniently). A manifest that does not validate declares nothing (the registry
    refuses it outright at publish)."""
    manifest_file = folder / "skills.json"
    if not manifest_file.is_file():
        return None
    manifest, _ = parse_manifest(manifest_file.read_bytes(), mode=Mode.LENIENT)
    return manifest.permissions if manifest is not None else Permissions.none()


def measure(batch: Path) -> dict[str, object]:
    """Per label: how many skills, how many the scan blocks, how many publish refuses."""
    rules = load_rules()
    out: dict[str, object] = {}
    for label in LABELS:
        if not (batch / label).is_dir():
            continue
        rows = []
        for folder in sorted(p for p in (batch / label).iterdir() if p.is_dir()):
            scanned = scan_folder(folder)
            declared = _declared(folder)
            found = scan_files(
                _files(folder), manifest_permissions=declared, timeout_s=30, rules=rules
            )
            outcome = apply(found, declared)
            rows.append(
                {
                    "skill": folder.name,
                    "scan": str(scanned.verdict),
                    "publish": str(outcome.verdict),
                    "rules": sorted({f.rule for f in outcome.findings}),
                }
            )
        out[label] = {
            "skills": len(rows),
            "scan_blocked": sum(r["scan"] in {str(v) for v in BLOCKED} for r in rows),
            "publish_refused": sum(r["publish"] == "fail" for r in rows),
            "named": sum(r["publish"] == "fail" and _names_capability(r) for r in rows),
            "rows": rows,
        }
    return out


def _names_capability(row: Mapping[str, object]) -> bool:
    rules = row["rules"]
    assert isinstance(rules, list)
    return any(str(r).startswith("capability.undeclared") for r in rules)


def status(root: Path) -> dict[str, list[str]]:
    """``tests/corpus/blind/status.json``: the skills of every batch still judged wrong."""
    wrong = []
    for batch in sorted(root.glob("batch-*")):
        for label, data in measure(batch).items():
            assert isinstance(data, dict)
            for row in data["rows"]:
                refused = row["publish"] == "fail"
                if label == "undeclared":
                    refused = refused and _names_capability(row)
                if (label != "benign") != refused:
                    wrong.append(f"{batch.name}/{label}/{row['skill']}")
    return {"open": wrong}


def main(argv: list[str]) -> int:
    if "--status" in argv:  # bench/scan/blind.py --status [ROOT] > tests/corpus/blind/status.json
        rest = [a for a in argv if not a.startswith("--")]
        print(json.dumps(status(Path(rest[0] if rest else "tests/corpus/blind")), indent=2))
        return 0
    args = [a for a in argv if not a.startswith("--")]
    result = measure(Path(args[0]))
    if "--json" in argv:
        print(json.dumps(result, indent=2))
        return 0
    for label, data in result.items():
        assert isinstance(data, dict)
        named = f"; naming the capability {data['named']}" if label == "undeclared" else ""
        print(
            f"{label}: {data['skills']} skills; tank scan blocks {data['scan_blocked']}; "
            f"publish refuses {data['publish_refused']}{named}"
        )
        for row in data["rows"]:
            refused = row["publish"] == "fail"
            if label == "undeclared":
                refused = refused and _names_capability(row)
            wrong = (label != "benign") != refused
            mark = "FP" if wrong and label == "benign" else "MISS" if wrong else "ok"
            print(f"  {mark:4} {row['skill']:32} scan={row['scan']:16} publish={row['publish']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
