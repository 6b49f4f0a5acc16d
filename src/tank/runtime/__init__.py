"""The runtime: find installed skills and run them through the sandbox (see STYLE.md).

The SDK agent runtimes call is :mod:`tank.runtime.skills`, re-exported here::

    from tank.runtime import list_skills, load_all, run

Its names are loaded on first use (PEP 562): ``tank guard hook`` imports this package before
every Bash command an agent runs and must not pay for the SDK's imports.
"""

from __future__ import annotations

# Not ``typing.TYPE_CHECKING``: the guard hook's start-up does not load ``typing`` at all
# (tests/functional/test_guard_hook.py); mypy treats this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from tank.runtime.skills import (
        Loaded,
        LoadError,
        RunResult,
        SkillInfo,
        Verification,
        list_skills,
        load,
        load_all,
        run,
    )

__all__ = [
    "LoadError",
    "Loaded",
    "RunResult",
    "SkillInfo",
    "Verification",
    "list_skills",
    "load",
    "load_all",
    "run",
]


def __getattr__(name: str) -> object:
    if name in __all__:
        from tank.runtime import skills

        return getattr(skills, name)
    raise AttributeError(f"module 'tank.runtime' has no attribute {name!r}")
