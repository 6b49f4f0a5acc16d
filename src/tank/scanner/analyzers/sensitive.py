"""What counts as sensitive: credential stores, persistence points and secret-looking names.

Shared by the Python analyzer and capability inference. These are facts about operating
systems and browsers, not tuned to any sample; extend them with the malware you see.
"""

from __future__ import annotations

import re

__all__ = [
    "CI_VARS",
    "IDENTITY_VARS",
    "NETWORK_MODULES",
    "PERSISTENCE_COMMAND",
    "PERSISTENCE_PATH",
    "SECRET_NAME",
    "SENSITIVE_PATH",
    "SHELLS",
    "URL",
]

#: SSH keys, cloud and registry credentials, browser login/cookie stores, wallets, keychains.
SENSITIVE_PATH = re.compile(
    r"\.ssh(?:/|\b)|\.aws/(?:credentials|config)|\.azure/|\.config/gcloud|\.kube/config"
    r"|\.docker/config\.json|\.gnupg|\.netrc|\.git-credentials|\.pypirc|\.npmrc"
    # Browser stores and wallets are path segments ("Default/Cookies"), not words in a URL.
    r"|(?-i:(?:^|[/\\])(?:Login Data|Cookies|Web Data|Local State)(?:$|[/\\]))"
    r"|key4\.db|logins\.json|cookies\.sqlite|wallet\.dat|\.bitcoin|\.ethereum"
    r"|(?:^|[/\\.])(?:Exodus|Electrum|MetaMask)(?:$|[/\\])|exodus\.wallet|atomic/Local Storage"
    r"|nkbihfbeogaeaoehlefnkodbefgpgknn"
    r"|Keychains?/|login\.keychain|\.password-store|/etc/shadow|id_rsa|id_ed25519",
    re.IGNORECASE,
)

#: Files and folders whose change makes code run again later (at login, on a timer, on ssh).
PERSISTENCE_PATH = re.compile(
    r"crontab|/etc/cron|\.bashrc|\.bash_profile|\.zshrc|\.zprofile|\.profile\b|authorized_keys"
    r"|LaunchAgents|LaunchDaemons|\.config/systemd/user|/etc/systemd/system|\.config/autostart"
    r"|CurrentVersion\\\\Run",
    re.IGNORECASE,
)

#: Commands that register something to run later (the command-line side of PERSISTENCE_PATH).
PERSISTENCE_COMMAND = re.compile(
    r"\bcrontab\s+(?:-(?=\s|$|['\"])|[^\s'\"-])|\|\s*crontab\b|\blaunchctl\s+(?:load|bootstrap)\b"
    r"|\bschtasks(?:\.exe)?\s+/create\b|\breg(?:\.exe)?\s+add\b[^\n]*\\Run\b"
    r"|\bsystemctl\s+--user\s+enable\b",
    re.IGNORECASE,
)

#: Programs that give an interactive shell (what a reverse shell hands to the socket).
SHELLS = frozenset(
    {"sh", "bash", "zsh", "dash", "ksh", "fish", "cmd", "cmd.exe", "powershell", "pwsh"}
    | {"powershell.exe", "pwsh.exe"}
)

#: Variables that say "this runs in CI or a sandbox": checking them to *skip* an action is how
#: malware hides from the registry's and CI's dynamic analysis.
CI_VARS = frozenset(
    {"CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "JENKINS_HOME", "BUILDKITE"}
    | {"CIRCLECI", "TRAVIS", "TF_BUILD", "CODEBUILD_BUILD_ID", "TEAMCITY_VERSION", "DRONE"}
    | {"BITBUCKET_BUILD_NUMBER", "CONTINUOUS_INTEGRATION", "RUNNER_OS", "SANDBOX"}
)

#: Variables naming the machine or its user: comparing them to a literal picks a victim.
IDENTITY_VARS = frozenset(
    {"USER", "USERNAME", "LOGNAME", "HOSTNAME", "COMPUTERNAME", "USERDOMAIN", "HOST"}
)

#: Environment variable names that hold secrets.
#: A secret word must be a whole ``_``-separated word of the name: vendor prefixes alone
#: (``AWS_REGION``, ``ANTHROPIC_MODEL``, ``GITHUB_REPOSITORY``) are configuration, and so
#: is ``PWD`` (the working directory, not a password).
SECRET_NAME = re.compile(
    r"(?:^|_)(?:KEY|APIKEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|PAT|COOKIE"
    r"|WEBHOOK|DSN)(?:_|$)|(?:^|_)AUTH$|^DATABASE_URL$",
)

NETWORK_MODULES = frozenset(
    {
        "requests",
        "httpx",
        "urllib",
        "urllib3",
        "aiohttp",
        "http",
        "socket",
        "smtplib",
        "ftplib",
        "websocket",
        "websockets",
        "paramiko",
        "pycurl",
        "dns",
    }
)

URL = re.compile(r"\b(?:https?|wss?|ftp)://([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::\d+)?", re.I)
