"""Named exit codes: the one place they are defined.

Scripts may rely on these numbers; they are documented in docs/cli.md. A plain class of ints
rather than an IntEnum: importing ``enum`` would add a fifth to the start-up of ``tank --help``.
"""

from __future__ import annotations


class ExitCode:
    """What a ``tank`` process exit status means."""

    OK = 0
    FAILURE = 1  # a TankError with no more specific code
    USAGE = 2  # bad command line (unknown command, bad option, a name without @scope/)
    INVALID = 3  # SKILL.md / skills.json / skills.lock does not meet its format
    RESOLUTION = 4  # no versions satisfy the requirements
    PERMISSION_BUDGET = 5  # skills need more than the project's permission budget
    INTEGRITY = 6  # bytes do not match their promised digest
    UNSAFE_ARCHIVE = 7  # an archive or folder that cannot be packed/unpacked safely
    NETWORK = 8  # the registry could not be reached, even after retries
    REGISTRY = 9  # the registry refused the request (its message says why)
    AUTH = 10  # not logged in, bad or expired token, or not allowed
    NOT_FOUND = 11  # no such skill or version: on the registry, or in this project
    SCAN_FAILED = 12  # tank scan, or the scan at publish (before uploading, or the registry)
    AUDIT = 13  # tank audit / install: a skill failed its scan, is flagged or below min_score
    VERIFY = 14  # tank verify: an installed skill does not match what skills.lock locks
    SANDBOX = 15  # tank run: the sandbox cannot be set up here (nothing ran)
    UNAVAILABLE = 69  # the command needs an extra that is not installed (EX_UNAVAILABLE)
    INTERNAL = 70  # a bug in tank: please report it (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C

    @classmethod
    def meanings(cls) -> list[tuple[str, int, str]]:
        """Every ``(NAME, code, meaning)``, in code order: the table of docs/cli.md."""
        return [(name, code, MEANINGS[name]) for name, code in cls.items()]

    @classmethod
    def items(cls) -> list[tuple[str, int]]:
        """Every ``(NAME, code)`` pair, in code order."""
        pairs = [(k, v) for k, v in vars(cls).items() if k.isupper() and isinstance(v, int)]
        return sorted(pairs, key=lambda kv: kv[1])


#: One meaning per code, whichever command exits with it (docs/cli.md "Exit codes").
MEANINGS: dict[str, str] = {
    "OK": "success; `tank outdated`: nothing is outdated",
    "FAILURE": "an error with no more specific code; `tank outdated`: something is outdated",
    "USAGE": "bad command line: unknown command or option, a skill name without @scope/, "
    "a folder with no SKILL.md, no skills.json here",
    "INVALID": "SKILL.md, skills.json or skills.lock does not meet its format",
    "RESOLUTION": "no versions satisfy the ranges",
    "PERMISSION_BUDGET": "the skills need more than the project's permission budget",
    "INTEGRITY": "bytes do not match their promised digest",
    "UNSAFE_ARCHIVE": "an archive or skill folder that cannot be packed or unpacked safely",
    "NETWORK": "the registry could not be reached, even after retries",
    "REGISTRY": "the registry refused the request (its message says why)",
    "AUTH": "not logged in, a bad or expired token, or not allowed",
    "NOT_FOUND": "an unknown skill or version: not on the registry, or not in this project "
    "(every command: install, info, sbom, diff, update, remove, audit, where)",
    "SCAN_FAILED": "the scanner's verdict is flagged or fail: `tank scan`; or `tank publish` "
    "refused by the same policy, before uploading or by the registry",
    "AUDIT": "`tank audit` / `install`: a skill failed its scan (a registry's, or the scan of "
    "a skill from disk), is flagged or below min_score",
    "VERIFY": "`tank verify`: an installed skill does not match what skills.lock locks (a file "
    "modified, added or deleted, an agent mirror changed, the cached tarball missing or "
    "tampered with)",
    "SANDBOX": "`tank run`: the sandbox cannot be set up on this machine (bubblewrap, user "
    "namespaces, Landlock, seccomp or the network proxy missing); nothing ran",
    "UNAVAILABLE": "the command needs an extra that is not installed: `tank registry …` "
    "without `pip install 'tank[registry]'` (EX_UNAVAILABLE)",
    "INTERNAL": "a bug in tank: please report it (EX_SOFTWARE)",
    "INTERRUPTED": "Ctrl-C",
}
