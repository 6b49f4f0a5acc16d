"""Run a skill's tests under coverage.py, inside the sandbox; print the measurement.

``tank_cover.py SKILL_DIR SCRIPT...`` with a nonce on standard input. Runs ``pytest`` on the
skill's tests (no plugins but pytest's own, no cache), measuring the skill's files, then
prints one line: the nonce followed by a JSON object ``{"exit", "files": {script:
[statements, missing]}, "error"}``. The nonce is read before any test runs and is never on a
command line, so a test cannot simply print a result line of its own.

Standard library, pytest and coverage only: it runs in the registry's interpreter (its
virtual environment is bound read-only into the sandbox).
"""

from __future__ import annotations

import json
import os
import sys


def _measure(skill: str, scripts: list[str]) -> dict[str, object]:
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        import coverage
        import pytest
    except ImportError as absent:
        return {"exit": None, "files": {}, "error": f"cannot import {absent.name}"}
    tests = f"{skill}/tests"
    cov = coverage.Coverage(
        data_file=None, config_file=False, include=[f"{skill}/*"], omit=[f"{tests}/*"]
    )
    cov.start()
    try:
        code = int(
            pytest.main(
                ["-q", "-p", "no:cacheprovider", f"--rootdir={skill}", "-o", "addopts=", tests]
            )
        )
    finally:
        cov.stop()
    files: dict[str, list[int]] = {}
    for script in scripts:
        try:
            _, statements, _, missing, _ = cov.analysis2(f"{skill}/{script}")
        except Exception:  # noqa: S112 - a file coverage cannot parse measures nothing
            continue
        files[script] = [len(statements), len(missing)]
    return {"exit": code, "files": files, "error": None}


def main() -> None:
    """Entry point (the launcher runs this file as ``__main__``)."""
    nonce = sys.stdin.readline().strip()
    skill, scripts = sys.argv[1], sys.argv[2:]
    result = _measure(skill, scripts)
    sys.stdout.flush()
    sys.stdout.write("\n" + nonce + json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
