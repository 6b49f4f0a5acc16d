"""The command table: names mapped to lazily imported modules (pip's pattern).

Nothing here imports a command module, click or rich, so ``tank --help`` and
``tank --version`` start in a few milliseconds. Each module named here exposes ``command``,
a ``click.Command``.
"""

from __future__ import annotations


class CommandInfo:
    """Where a command lives and its one-line summary for ``tank --help``.

    A plain class rather than a dataclass: importing ``dataclasses`` (and with it ``inspect``)
    would double the start-up time of ``tank --version``.
    """

    __slots__ = ("group", "module", "summary")

    def __init__(self, module: str, summary: str, group: str) -> None:
        self.module = module
        self.summary = summary
        self.group = group


COMMANDS: dict[str, CommandInfo] = {
    "init": CommandInfo(
        "tank.cli.cmd_init", "Create skills.json for a new skill or project.", "Author"
    ),
    "validate": CommandInfo(
        "tank.cli.cmd_validate", "Check a skill folder or project against the formats.", "Author"
    ),
    "pack": CommandInfo(
        "tank.cli.cmd_pack",
        "Pack a skill into a reproducible .tgz and print its integrity.",
        "Author",
    ),
    "permissions": CommandInfo(
        "tank.cli.cmd_permissions",
        "Show a project's permission budget or a skill's declared permissions.",
        "Security",
    ),
    "registry": CommandInfo(
        "tank.cli.cmd_registry",
        "Run and administer a registry server (serve, create-user…).",
        "Registry",
    ),
}

GROUP_ORDER = ("Author", "Install", "Security", "Registry")
