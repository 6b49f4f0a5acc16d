"""Every rule's malicious samples must raise it; its benign look-alikes must not.

"Must not" allows a low note: rules that see an attack quoted as a warning (a security
guide) or a vendor's own installer still say so, at low severity, without changing the
verdict beyond ``pass_with_notes``.
"""

from __future__ import annotations

import pytest

from tank.scanner import load_rules, scan_files
from tank.scanner.rules import Sample

RULES = load_rules()
#: Raised by the engine itself, or by inputs too large for a sample; tested in
#: tests/unit/scanner (test_engine.py, test_blobs.py).
ENGINE_ONLY = {"scanner.analyzer_error", "encoded.too_many_blobs"}


def _cases(kind: str) -> list[object]:
    samples = RULES.malicious if kind == "malicious" else RULES.benign
    return [
        pytest.param(rule_id, sample, id=f"{rule_id}-{n}")
        for rule_id, items in sorted(samples.items())
        if rule_id not in ENGINE_ONLY or kind == "benign"
        for n, sample in enumerate(items)
    ]


def _rules_found(sample: Sample, *, serious: bool = False) -> set[str]:
    data = sample.text.encode("utf-8", "surrogatepass")
    if sample.text.startswith(("\x7f", "\x1f", "PK")):
        data = sample.text.encode("latin-1")
    findings = scan_files({sample.file: data}).findings
    return {f.rule for f in findings if not serious or f.severity not in ("low", "info")}


@pytest.mark.parametrize(("rule_id", "sample"), _cases("malicious"))
def test_malicious_sample_matches(rule_id: str, sample: Sample) -> None:
    assert rule_id in _rules_found(sample), f"{rule_id} missed its sample {sample.text!r}"


@pytest.mark.parametrize(("rule_id", "sample"), _cases("benign"))
def test_benign_sample_does_not_match(rule_id: str, sample: Sample) -> None:
    assert rule_id not in _rules_found(sample, serious=True), (
        f"{rule_id} matched benign {sample.text!r}"
    )


def test_every_rule_has_both_kinds_of_sample() -> None:
    for rule_id in RULES.rules:
        assert RULES.malicious[rule_id] and RULES.benign[rule_id], rule_id
