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
    "scan": CommandInfo(
        "tank.cli.cmd_scan",
        "Scan a skill folder for malware, injection and undeclared permissions.",
        "Security",
    ),
    "sbom": CommandInfo(
        "tank.cli.cmd_sbom",
        "Print the CycloneDX SBOM of a skill folder or a published version.",
        "Security",
    ),
    "audit": CommandInfo(
        "tank.cli.cmd_audit",
        "Show scores, verdicts and findings of installed skills; fail on bad ones.",
        "Security",
    ),
    "verify": CommandInfo(
        "tank.cli.cmd_verify",
        "Re-hash installed skills against skills.lock; --repair puts drifted files back.",
        "Security",
    ),
    "diff": CommandInfo(
        "tank.cli.cmd_diff",
        "Show what changed between two versions (permissions, interface, bump, files).",
        "Security",
    ),
    "publish": CommandInfo(
        "tank.cli.cmd_publish", "Validate, pack and upload a skill to its registry.", "Author"
    ),
    "install": CommandInfo(
        "tank.cli.cmd_install",
        "Install skills from skills.lock, or add skills (NAME[@RANGE], ./dir, ./x.tgz).",
        "Install",
    ),
    "update": CommandInfo(
        "tank.cli.cmd_update", "Update skills within their ranges (--latest to widen).", "Install"
    ),
    "remove": CommandInfo(
        "tank.cli.cmd_remove", "Remove skills from skills.json, the lockfile and disk.", "Install"
    ),
    "list": CommandInfo(
        "tank.cli.cmd_list", "List installed skills, versions and where they are linked.", "Install"
    ),
    "outdated": CommandInfo(
        "tank.cli.cmd_outdated", "Show skills with newer versions on the registry.", "Install"
    ),
    "where": CommandInfo(
        "tank.cli.cmd_where",
        "Print the folders an installed skill lives and is linked in.",
        "Install",
    ),
    "agents": CommandInfo(
        "tank.cli.cmd_agents",
        "List every agent Tank links skills for and which are detected here.",
        "Install",
    ),
    "run": CommandInfo(
        "tank.cli.cmd_run",
        "Run a skill's entry or script in the sandbox that enforces its permissions.",
        "Run",
    ),
    "guard": CommandInfo(
        "tank.cli.cmd_guard",
        "Route an agent's runs of skill scripts through `tank run` (Claude Code hook).",
        "Run",
    ),
    "mcp": CommandInfo(
        "tank.cli.cmd_mcp",
        "Serve Tank's tools and the installed skills to MCP clients (stdio or HTTP).",
        "Run",
    ),
    "logs": CommandInfo(
        "tank.cli.cmd_logs",
        "Show the run log: every `tank run`, its denials, limits and connections.",
        "Run",
    ),
    "info": CommandInfo(
        "tank.cli.cmd_info",
        "Show a skill's metadata, permissions, versions, score and verdict.",
        "Discover",
    ),
    "search": CommandInfo("tank.cli.cmd_search", "Search the registry for skills.", "Discover"),
    "login": CommandInfo(
        "tank.cli.cmd_login", "Log in to a registry and store the token.", "Account"
    ),
    "logout": CommandInfo(
        "tank.cli.cmd_logout", "Forget the stored token of a registry.", "Account"
    ),
    "whoami": CommandInfo(
        "tank.cli.cmd_whoami", "Show who the registry thinks you are.", "Account"
    ),
    "keys": CommandInfo(
        "tank.cli.cmd_keys",
        "Make, register, list and revoke your publisher signing keys.",
        "Account",
    ),
    "trusted-publisher": CommandInfo(
        "tank.cli.cmd_trusted_publisher",
        "Manage the CI identities allowed to publish a skill (trusted publishing).",
        "Account",
    ),
    "config": CommandInfo(
        "tank.cli.cmd_config",
        "Get, set and list client settings (registry, @scope:registry).",
        "Account",
    ),
    "registry": CommandInfo(
        "tank.cli.cmd_registry",
        "Run and administer a registry server (serve, create-user…).",
        "Registry",
    ),
}

#: Other names for a command, as npm users type them.
ALIASES: dict[str, str] = {"add": "install", "i": "install", "rm": "remove", "uninstall": "remove"}

GROUP_ORDER = ("Install", "Run", "Discover", "Author", "Security", "Account", "Registry")
