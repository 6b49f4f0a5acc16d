"""What ``tank mcp`` needs from the runtime: an installed skill run with the default log and a
wall-clock limit, so :mod:`tank.mcp` reaches the sandbox only through the runtime."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from tank.client.paths import ProjectPaths, state_dir
from tank.runtime import runs
from tank.sandbox.auditlog import log_path
from tank.sandbox.policy import Limits


def run_installed(
    paths: ProjectPaths, name: str, inputs: Any, args: Sequence[str], timeout: float
) -> runs.SkillRun:
    """Run the skill ``name`` installed in ``paths`` in the sandbox, its output captured, logged
    to the run log ``tank logs`` reads. ``inputs`` is :data:`runs.NO_INPUTS` for none."""
    target = runs.find_target(name, paths)
    return runs.run_skill(
        target,
        project=paths.meta_root,
        args=tuple(args),
        inputs=inputs,
        environ=os.environ,
        log=log_path(state_dir()),
        limits=Limits(wall_seconds=timeout),
    )
