"""Secrets named in a skill's data files and read by a name computed at run time.

``tokenEnv: "PAGERDUTY_API_TOKEN"`` in ``services.json``, then
``[Environment]::GetEnvironmentVariable($cfg.tokenEnv)``: the code never spells the name,
the data file does. When some code of the skill reads an environment variable by a computed
name, every secret-looking variable name written as a value in its data files (JSON, YAML,
TOML, INI) counts as a secret the skill reads, and must be declared like one read by name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tank.scanner.capabilities_model import Capabilities
from tank.scanner.knowledge import secret_env

__all__ = ["secrets_by_computed_name"]

#: Reading an environment variable whose name is not a literal, per language.
_COMPUTED_READ = re.compile(
    r"os\.environ\[\s*(?![\s'\"])|os\.(?:environ\.get|getenv)\(\s*(?![\s'\"])"  # Python
    r"|process\.env\[\s*(?![\s'\"`])"  # JS
    r"|GetEnvironmentVariable\(\s*\$|Get-(?:Item|ChildItem|Content)\s+(?:-Path\s+)?\"?env:\$"  # PS
    r"|\$\{!\w+\}|\bprintenv\s+\"?\$"  # shell
    r"|os\.(?:Getenv|LookupEnv)\(\s*[A-Za-z_]|\bENV(?:\[|\.fetch\()\s*[a-z_@]"  # Go, Ruby
)
_DATA = (".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf")
#: A quoted upper-case identifier written as a value.
_NAME = re.compile(r"[:=]\s*[\"']?([A-Z][A-Z0-9_]{2,63})[\"']?\s*(?:[,}\]\n#]|$)", re.MULTILINE)
_MAX_TEXT = 256 * 1024


def secrets_by_computed_name(files: Mapping[str, tuple[str, str]], caps: Capabilities) -> None:
    """Add to ``caps.secrets`` the secret-looking names the data files hold, when some code
    reads the environment by a computed name."""
    if not any(
        kind in ("python", "js", "shell", "powershell", "any") and _COMPUTED_READ.search(text)
        for path, (kind, text) in files.items()
        if not path.lower().endswith(_DATA)
    ):
        return
    for path, (_kind, text) in sorted(files.items()):
        if not path.lower().endswith(_DATA):
            continue
        body = text[:_MAX_TEXT]
        for match in _NAME.finditer(body):
            name = match.group(1)
            if secret_env(name):
                caps.secrets.setdefault(name, (path, body.count("\n", 0, match.start()) + 1))
