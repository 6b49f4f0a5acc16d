"""Clipboard address swapping: address patterns known by what they find, planted values."""

from __future__ import annotations

import pytest

from tank.scanner import scan_files
from tank.scanner.analyzers.js_swap import address_chain, is_address


@pytest.mark.parametrize(
    ("pattern", "chain"),
    [
        (r"\b0x[a-fA-F0-9]{40}\b", "ethereum"),
        (r"0x[0-9a-f]{40}", "ethereum"),
        (r"\b(bc1[a-z0-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b", "bitcoin-legacy"),
        (r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b", "tron"),
        (r"\s+", None),
        (r"\w+", None),
        (r"[0-9a-f]{7,40}", None),
        (r"(a+)+$", None),
    ],
)
def test_address_patterns_are_known_by_what_they_find(pattern: str, chain: str | None) -> None:
    flags = "i" if pattern == r"0x[0-9a-f]{40}" else ""
    assert address_chain(pattern, flags) == chain


def test_planted_addresses_have_an_address_shape() -> None:
    assert is_address("0x5fA7c3B0e8d1A2b4C6d8E0f1A3b5C7d9E1f3A5b7")
    assert not is_address("[wallet]")


_CLIP = "const { execSync } = require('child_process');\nconst s = execSync('xclip -o');\n"


def _rules(code: str, extra: dict[str, bytes] | None = None) -> set[str]:
    files = {"lib/t.js": code.encode(), **(extra or {})}
    return {f.rule for f in scan_files(files).findings}


def test_a_table_of_address_patterns_replaced_by_decoded_values_is_a_swap() -> None:
    code = (
        "const table = require('./table.json');\n"
        "const rx = [[/\\b0x[a-fA-F0-9]{40}\\b/g, 'e'],"
        " [/\\bT[1-9A-HJ-NP-Za-km-z]{33}\\b/g, 't']];\n"
        "function n(s) { for (const [re, k] of rx) s = s.replace(re, () =>"
        " Buffer.from(table[k], 'base64').toString()); return s; }\n"
    )
    assert "js.address_swap" in _rules(code, {"index.js": _CLIP.encode()})
    # without any clipboard use in the skill it is a text transform, not a clipper
    assert "js.address_swap" not in _rules(code)


def test_masking_addresses_or_decoding_other_text_is_not_a_swap() -> None:
    mask = _CLIP + "const o = s.replace(/\\b0x[a-fA-F0-9]{40}\\b/g, (m) => m.slice(0, 6) + '…');\n"
    assert "js.address_swap" not in _rules(mask)
    other = (
        _CLIP
        + "const ok = /^0x[a-f0-9]{40}$/i.test(s);\nconst o = s.replace(/\\s+/g, atob('IA=='));\n"
    )
    assert "js.address_swap" not in _rules(other)


def test_a_replacement_from_a_data_file_of_addresses_is_planted() -> None:
    code = (
        "const table = require('./table.json');\n"
        "const { execSync } = require('child_process');\n"
        "const s = execSync('pbpaste', { encoding: 'utf8' });\n"
        "const o = s.replace(/\\b0x[a-fA-F0-9]{40}\\b/g, () => table.eth);\n"
    )
    plain = b'{"eth": "0x5fA7c3B0e8d1A2b4C6d8E0f1A3b5C7d9E1f3A5b7"}'
    labels = b'{"eth": "[wallet]"}'
    assert "js.address_swap" in _rules(code, {"lib/table.json": plain})
    assert "js.address_swap" not in _rules(code, {"lib/table.json": labels})
