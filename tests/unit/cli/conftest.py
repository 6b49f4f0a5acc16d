"""An in-process CLI runner returning (exit_code, stdout, stderr), as pdm's tests do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tank.cli.main import run


@dataclass
class Result:
    """What one ``tank`` invocation did."""

    code: int
    out: str
    err: str


Tank = Callable[..., Result]


@pytest.fixture
def tank(capsys: pytest.CaptureFixture[str]) -> Tank:
    """Call ``tank(*args)`` to run the CLI in-process and get its Result."""

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
