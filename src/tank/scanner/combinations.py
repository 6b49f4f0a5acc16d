"""Dangerous combinations of capabilities: each harmless alone, risky together.

Reading the whole home folder (every credential, key and history file is under it) and
talking to outside hosts is the shape of a stealer even when each half is declared: the
declaration makes the sandbox allow it, it does not make it safe. Such a skill is at least
``flagged`` (a person looks before it is served), and installers show the pair prominently.

The home read counts when skills.json grants it (``filesystem.read`` with a wildcard first
segment under ``~/``: ``~/**``, ``~/*``, ``~/.*``) or when the code walks or archives the home
folder itself (``os.walk(Path.home())``, ``find ~``, ``tar czf x.tgz ~``). Network counts when
skills.json grants outbound hosts or the code uses the network (capability inference).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tank.core.permissions import Permissions
from tank.scanner import knowledge
from tank.scanner.capabilities import Capabilities
from tank.scanner.model import Evidence, Finding
from tank.scanner.rules import RuleSet

__all__ = ["broad_home_globs", "home_and_network", "home_walks", "stores_and_network"]

RULE = "capability.home_and_network"
STORES_RULE = "capability.store_and_network"
#: Stores whose contents are worth stealing whole and that no honest skill needs to read
#: next to the network: a browser's logins and cookies (and their key), password managers,
#: wallets, keychains, messaging sessions. (SSH and cloud keys are left to the flow rules:
#: backup and sync tools read them honestly.)
_STORES = frozenset(
    {"browser-store", "password-manager", "crypto-wallet", "keychain", "messaging-session"}
)
#: The rules that report reading a sensitive source, in each language.
_READ_RULES = frozenset(
    {"python.sensitive_read", "js.sensitive_read", "shell.credential_theft",
     "powershell.browser_credential_theft"}
)  # fmt: skip
MANIFEST = "skills.json"
_MAX_LINE = 2000  # longer lines (minified code, data) are not read for walks

# The home folder as an expression, in Python, shell, PowerShell and JS.
_HOME = (
    r"(?:Path\.home\(\)|(?:os\.path\.)?expanduser\(\s*['\"]~/?['\"]\s*\)"
    r"|os\.environ\[\s*['\"](?:HOME|USERPROFILE)['\"]\s*\]"
    r"|os\.getenv\(\s*['\"](?:HOME|USERPROFILE)['\"]\s*\)|os\.homedir\(\)"
    r"|['\"]~/?(?:\*\*?)?['\"])"
)
_WALKS = (
    # Python: walking, globbing or listing the home folder itself
    re.compile(
        r"(?:os\.walk|os\.scandir|os\.listdir|glob\.i?glob|shutil\.make_archive\([^),]*,[^),]*,)"
        rf"\s*\(?\s*{_HOME}\s*[,)]"
    ),
    re.compile(rf"{_HOME}\s*\.\s*(?:rglob|glob|iterdir|walk)\s*\("),
    # JS: reading the home folder's entries
    re.compile(rf"\b(?:readdirSync|readdir|opendir|glob|globSync|walk)\s*\(\s*{_HOME}\s*[,)]"),
    # shell: find / tar / zip / rsync / du / ls -R of the home folder itself
    re.compile(
        r"\b(?:find|tar\s+-?[a-zA-Z]*c[a-zA-Z]*(?:\s+\S+)*?|zip\s+-r\s+\S+|rsync\s+-\S+"
        r"|ls\s+-[a-zA-Z]*R[a-zA-Z]*|grep\s+-[a-zA-Z]*r[a-zA-Z]*\s+\S+)"
        r"\s+(?:~|\"?\$\{?HOME\}?\"?)/?(?=[\s;|&)]|$)"
    ),
    # PowerShell: a recursive listing of the profile folder
    re.compile(
        r"\bGet-ChildItem\s+(?:-Path\s+)?(?:~|\$HOME|\$env:USERPROFILE)\\?\s+[^|\n]*-Recurse",
        re.IGNORECASE,
    ),
)


def broad_home_globs(permissions: Permissions) -> list[str]:
    """The declared read globs covering the whole home (a wildcard right under ``~/``)."""
    out = []
    for glob in permissions.filesystem.read:
        first = glob[2:].split("/", 1)[0] if glob.startswith("~/") else ""
        if "*" in first or "?" in first:
            out.append(glob)
    return out


def home_walks(files: Mapping[str, tuple[str, str]]) -> dict[str, int]:
    """``path -> line`` of the first walk or archive of the whole home folder per file."""
    found: dict[str, int] = {}
    for path, (kind, text) in sorted(files.items()):
        if kind not in ("python", "shell", "js", "any"):
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            if len(line) > _MAX_LINE or line.lstrip().startswith(("#", "//")):
                continue
            if any(p.search(line) for p in _WALKS):
                found[path] = number
                break
    return found


def home_and_network(
    files: Mapping[str, tuple[str, str]],
    caps: Capabilities,
    declared: Permissions | None,
    rules: RuleSet,
) -> list[Finding]:
    """One finding when the skill reads the whole home and reaches the network."""
    granted = declared or Permissions.none()
    globs = broad_home_globs(granted)
    walks = home_walks(files)
    if not globs and not walks:
        return []
    hosts = list(granted.outbound) or sorted(caps.hosts)
    network = bool(hosts) or caps.network is not None
    if not network:
        return []
    if globs:
        read = f"declares reading {', '.join(globs)}"
        where = (MANIFEST, 1)
    else:
        path, line = next(iter(sorted(walks.items())))
        read = f"walks the whole home folder ({path}:{line})"
        where = (path, line)
    reach = f"reaches {', '.join(hosts[:3])}" if hosts else "uses the network"
    if hosts and len(hosts) > 3:
        reach += f" (+{len(hosts) - 3} more)"
    message = f"{read} and {reach}: private files and a way out"
    out_at = caps.network or next(iter(sorted(caps.hosts.values())), None) or (MANIFEST, 1)
    evidence = (
        Evidence("source", where[0], where[1], read),
        Evidence("sink", out_at[0], out_at[1], reach),
    )
    return [Finding.of(rules[RULE], where[0], where[1], message, message, evidence=evidence)]


def stores_and_network(
    findings: list[Finding],
    caps: Capabilities,
    declared: Permissions | None,
    rules: RuleSet,
) -> list[Finding]:
    """One finding when the code reads a high-value store (browser logins, wallets…) and
    the skill reaches the network: the shape of an infostealer, declared or not."""
    stores = [s for s in knowledge.sources() if s.kind in _STORES]
    read: tuple[Finding, str] | None = None
    for finding in sorted(findings, key=lambda f: (f.file, f.line)):
        if finding.rule not in _READ_RULES:
            continue
        what = next((s.what for s in stores if s.what in finding.message), None)
        found = None if what else knowledge.sensitive_source(finding.snippet)
        what = what or (found.what if found is not None and found.kind in _STORES else None)
        if what is not None:
            read = (finding, what)
            break
    if read is None:
        return []
    granted = declared or Permissions.none()
    hosts = sorted({*granted.outbound, *caps.hosts})
    if not hosts and caps.network is None:
        return []
    source, what = read
    reach = f"reaches {', '.join(hosts[:3])}" if hosts else "uses the network"
    if len(hosts) > 3:
        reach += f" (+{len(hosts) - 3} more)"
    message = f"reads {what} and {reach}: the shape of an infostealer"
    out_at = caps.network or next(iter(sorted(caps.hosts.values())), None) or (MANIFEST, 1)
    evidence = (
        Evidence("source", source.file, source.line, f"reads {what}"),
        Evidence("sink", out_at[0], out_at[1], reach),
    )
    return [Finding.of(rules[STORES_RULE], source.file, source.line, source.snippet, message,
                       evidence=evidence)]  # fmt: skip
