"""The project an invocation works on, with the warning a half-done install deserves.

Kept free of click so the fast path of ``tank run`` (:mod:`tank.cli.run_skill`) can use it.
"""

from __future__ import annotations

import sys
from typing import Any


def project_paths_for(is_global: bool, *, writes: bool = False) -> Any:
    """The :class:`~tank.client.paths.ProjectPaths` of this invocation.

    A command that only reads the project warns (one line on stderr) when an install there
    was interrupted; one that ``writes`` rolls it back first and reports that instead
    (:func:`tank.cli.install_view.recovery_printer`).
    """
    from tank.client.paths import project_paths
    from tank.client.transaction import pending

    paths = project_paths(is_global=is_global)
    journal = pending(paths.canonical.parent)
    if journal is not None and not writes:
        sys.stderr.write(
            f"warning: an install in {paths.meta_root} was interrupted ({journal} remains), "
            "so what is shown may be half-changed; `tank install` rolls it back\n"
        )
    return paths
