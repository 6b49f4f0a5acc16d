"""Named exit codes: the one place they are defined.

Scripts may rely on these numbers; they are documented in docs/cli.md. A plain class of ints
rather than an IntEnum: importing ``enum`` would add a fifth to the start-up of ``tank --help``.
"""

from __future__ import annotations


class ExitCode:
    """What a ``tank`` process exit status means."""

    OK = 0
    FAILURE = 1  # a TankError with no more specific code
    USAGE = 2  # bad command line (unknown command, bad option)
    INVALID = 3  # SKILL.md / skills.json / skills.lock does not meet its format
    RESOLUTION = 4  # no versions satisfy the requirements
    PERMISSION_BUDGET = 5  # skills need more than the project's permission budget
    INTEGRITY = 6  # bytes do not match their promised digest
    UNSAFE_ARCHIVE = 7  # an archive or folder that cannot be packed/unpacked safely
    NETWORK = 8  # the registry could not be reached, even after retries
    REGISTRY = 9  # the registry refused the request (its message says why)
    AUTH = 10  # not logged in, bad or expired token, or not allowed
    NOT_FOUND = 11  # no such skill or version on the registry
    SCAN_FAILED = 12  # tank scan: the verdict is flagged or fail
    AUDIT = 13  # tank audit / install: a skill failed its scan, is flagged or below min_score
    UNAVAILABLE = 69  # the command needs an extra that is not installed (EX_UNAVAILABLE)
    INTERNAL = 70  # a bug in tank: please report it (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C

    @classmethod
    def items(cls) -> list[tuple[str, int]]:
        """Every ``(NAME, code)`` pair, in code order."""
        pairs = [(k, v) for k, v in vars(cls).items() if k.isupper() and isinstance(v, int)]
        return sorted(pairs, key=lambda kv: kv[1])
